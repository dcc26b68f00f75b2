#!/usr/bin/env bash
# Installs the system packages Cam2Drive needs to build, run and test.
# Idempotent: does nothing when everything is already there.
# Usage: scripts/install-deps.sh [run|test]
set -euo pipefail
mode=${1:-run}

need=()
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# python3-onnx and python3-numpy convert the pretrained models to ONNX once,
# at `cam2drive models install`; inference itself needs no Python.
# ffmpeg, and its libraries for the AV workers (cgo: internal/media/av).
# gcc: cgo (the ONNX Runtime binding; the runtime library itself is loaded at run time).
# darknet ships the pictures (dog, person, horses) that `cam2drive demo` shows in some
# clips, so that the detector finds something, and that the detector tests look at.
pkgs=(ca-certificates curl ffmpeg gcc libc6-dev pkg-config libavformat-dev libavcodec-dev libswscale-dev libavutil-dev python3-onnx python3-numpy darknet)
if [ "$mode" = test ]; then
  # Browser tests, protocol test clients and a PostgreSQL server for the store suite.
  # python-matplotlib-data: the portrait (grace_hopper.jpg) the face tests look at.
  pkgs+=(chromium postgresql postgresql-client fonts-dejavu-core lftp sshpass openssh-client python-matplotlib-data)
fi
for p in "${pkgs[@]}"; do have "$p" || need+=("$p"); done

if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The friendly-mood test's smiling face: astronaut.png (Eileen Collins's NASA
# portrait, public domain) from Debian's python3-skimage. Installed, that
# package pulls 470 MiB (scipy, matplotlib…) for one picture: its .deb is
# downloaded and the picture alone taken out, into the fixtures cache.
if [ "$mode" = test ]; then
  fixtures="${XDG_CACHE_HOME:-$HOME/.cache}/cam2drive/fixtures"
  if [ ! -s "$fixtures/astronaut.png" ]; then
    echo "==> fetching the astronaut.png test picture (python3-skimage's .deb)"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && { apt-get download python3-skimage >/dev/null 2>&1 || { $SUDO apt-get update -qq && apt-get download python3-skimage >/dev/null; }; })
    dpkg-deb --fsys-tarfile "$tmp"/python3-skimage_*.deb | tar -x -C "$tmp" ./usr/lib/python3/dist-packages/skimage/data/astronaut.png
    mkdir -p "$fixtures"
    cp "$tmp/usr/lib/python3/dist-packages/skimage/data/astronaut.png" "$fixtures/astronaut.png.tmp"
    mv "$fixtures/astronaut.png.tmp" "$fixtures/astronaut.png"
  fi
fi
