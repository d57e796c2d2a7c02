#!/usr/bin/env bash
# Build the one-folder app into dist/nps-desktop/ and report its build time and size.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m pip install -q -e ".[package]"
start=$(date +%s)
.venv/bin/pyinstaller packaging/nps_desktop.spec --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller
echo "built dist/nps-desktop in $(( $(date +%s) - start )) s, $(du -sh dist/nps-desktop | cut -f1)"
echo "The target machine needs: libgl1 libegl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core (and the xcb libraries for a desktop session)."
