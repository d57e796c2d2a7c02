#!/usr/bin/env bash
# Set everything up (system packages, .venv) and open NPS Desktop on the demo workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --gui
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting the app on a virtual screen (xvfb-run); close it with Ctrl+C." >&2
  exec xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python main.py --demo "$@"
fi
exec .venv/bin/python main.py --demo "$@"
