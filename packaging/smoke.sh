#!/usr/bin/env bash
# Start the built app offscreen, make a demo workspace and a pack (in the fonts it carries) with it, and
# check the GUI opens the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
app=dist/nps-desktop/nps-desktop
[ -x "$app" ] || { echo "no build at $app: run packaging/build.sh first" >&2; exit 1; }
work=$(mktemp -d)
export NPS_DESKTOP_HOME="$work/home" QT_QPA_PLATFORM=offscreen
"$app" --version
"$app" demo --workspace "$work/demo.npsdb" --as-of 2026-11-23 --json
"$app" stats --workspace "$work/demo.npsdb" --json > "$work/stats.json"
"$app" report --workspace "$work/demo.npsdb" --out "$work/pack.pdf"
grep -aq "DejaVuSans" "$work/pack.pdf" || { echo "the pack was not set in DejaVu Sans" >&2; exit 1; }
timeout 60 "$app" --smoke --workspace "$work/demo.npsdb" 2>/dev/null | tee "$work/smoke.txt"
grep -q "^smoke: opened" "$work/smoke.txt"
echo "smoke test passed"
rm -rf "$work"
