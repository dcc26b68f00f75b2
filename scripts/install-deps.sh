#!/usr/bin/env bash
# Installs the system packages Cam2Drive needs to build, run and test.
# Idempotent: does nothing when everything is already there.
# Usage: scripts/install-deps.sh [run|test]
set -euo pipefail
mode=${1:-run}

need=()
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
  # python3-skimage: its astronaut.png (public domain, a broad smile) for the friendly-mood test;
  # heavy for one picture (about 470 MiB with scipy and matplotlib), but no smaller package ships one.
  pkgs+=(chromium postgresql postgresql-client fonts-dejavu-core lftp sshpass openssh-client python-matplotlib-data python3-skimage)
fi
for p in "${pkgs[@]}"; do have "$p" || need+=("$p"); done

if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
