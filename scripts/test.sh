#!/usr/bin/env bash
# Set everything up (system packages, .venv) and run the whole test suite (core without Qt, UI offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m pytest -n 2 "$@"
