#!/usr/bin/env bash
# Check that the built app runs on a clean Debian 12 from its one folder: a minimal root file system
# (debootstrap minbase, no Python), the libraries README's Packaging section names, and nothing else.
# Runs the CLI (demo, report) and the GUI (--smoke) offscreen and in a real X window (Xvfb), and saves
# that window as dist/clean-machine.png. Needs root, debootstrap and network access to Debian's mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x dist/nps-desktop/nps-desktop ] || { echo "no build: run packaging/build.sh first" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
root=$(mktemp -d)
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$root"; }
trap cleanup EXIT
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
cp -r dist/nps-desktop "$root/opt/"
mount -t proc proc "$root/proc"
chroot "$root" /bin/bash -euc '
  export HOME=/root NPS_DESKTOP_HOME=/tmp/home DEBIAN_FRONTEND=noninteractive
  app=/opt/nps-desktop/nps-desktop
  cd /tmp
  "$app" --version
  "$app" demo --workspace /tmp/demo.npsdb --json
  "$app" report --workspace /tmp/demo.npsdb --out /tmp/pack.pdf
  apt-get update -qq >/dev/null 2>&1
  apt-get install -y -qq --no-install-recommends libgl1 libegl1 libxkbcommon0 libfontconfig1 >/dev/null 2>&1
  QT_QPA_PLATFORM=offscreen timeout 60 "$app" --smoke --workspace /tmp/demo.npsdb
  apt-get install -y -qq --no-install-recommends xvfb xauth >/dev/null 2>&1   # a screen to show it on
  Xvfb :77 -screen 0 1440x900x24 -nolisten tcp -fbdir /tmp >/tmp/xvfb.log 2>&1 &
  screen=$!
  for _ in $(seq 50); do [ -e /tmp/Xvfb_screen0 ] && break; sleep 0.2; done   # the screen is up
  DISPLAY=:77 QT_QPA_PLATFORM=xcb timeout 60 "$app" --smoke --workspace /tmp/demo.npsdb
  DISPLAY=:77 QT_QPA_PLATFORM=xcb "$app" --workspace /tmp/demo.npsdb >/tmp/gui.log 2>&1 &
  gui=$!
  sleep 8
  cp /tmp/Xvfb_screen0 /tmp/screen.xwd || { tail -5 /tmp/xvfb.log /tmp/gui.log; exit 1; }
  kill "$gui" "$screen"
'
convert "$root/tmp/screen.xwd" dist/clean-machine.png 2>/dev/null && echo "saved dist/clean-machine.png"
echo "the app ran on a clean Debian 12 from dist/nps-desktop"
