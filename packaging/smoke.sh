#!/usr/bin/env bash
# Start the built app offscreen, make a demo workspace with it and check the GUI opens it.
set -euo pipefail
cd "$(dirname "$0")/.."
app=dist/nps-desktop/nps-desktop
[ -x "$app" ] || { echo "no build at $app: run packaging/build.sh first" >&2; exit 1; }
work=$(mktemp -d)
export NPS_DESKTOP_HOME="$work/home" QT_QPA_PLATFORM=offscreen
"$app" --version
"$app" demo --workspace "$work/demo.npsdb" --as-of 2026-11-23 --json
"$app" stats --workspace "$work/demo.npsdb" --json > "$work/stats.json"
timeout 60 "$app" --smoke --workspace "$work/demo.npsdb" 2>/dev/null | tee "$work/smoke.txt"
grep -q "^smoke: opened" "$work/smoke.txt"
echo "smoke test passed"
rm -rf "$work"
