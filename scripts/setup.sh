#!/usr/bin/env bash
# Set up everything NPS Desktop needs on Debian/Ubuntu: Qt's system libraries and fonts and PostgreSQL's server
# (the pg tests start a throwaway cluster) with apt-get, a virtual environment in .venv, and the project with
# its test and dev (ruff, mypy) extras. Safe to run again.
# Usage: scripts/setup.sh [--gui] [--slides]
#   --gui adds what a real window under Xvfb needs; --slides (implied when CI is set) adds LibreOffice
#   Impress, which the test that renders the PowerPoint pack needs (it is skipped without it outside CI).
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(libglib2.0-0 libegl1 libgl1 libx11-6 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core fonts-droid-fallback
      libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1
      libxcb-util1 libxcb-xfixes0 libxcb-xkb1 poppler-utils
      postgresql)  # initdb and pg_ctl for the throwaway cluster of the tests marked pg (tests/pg/conftest.py)
for arg in "$@"; do
  case "$arg" in
    --gui) pkgs+=(xvfb xauth) ;;
    --slides) pkgs+=(libreoffice-impress) ;;
  esac
done
if [ -n "${CI:-}" ]; then pkgs+=(libreoffice-impress); fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    "$PY" -m venv .venv
  fi
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test,dev]"
  rm -f .venv/.installed-*; touch "$stamp"
fi
