#!/usr/bin/env bash
# Installs the system packages Cam2Drive needs to build, run and test.
# Idempotent: does nothing when everything is already there.
# Usage: scripts/install-deps.sh [run|test]
set -euo pipefail
mode=${1:-run}

need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

pkgs=(ca-certificates curl ffmpeg)
if [ "$mode" = test ]; then
  # Browser tests, protocol test clients and a PostgreSQL server for the store suite.
  pkgs+=(chromium postgresql postgresql-client fonts-dejavu-core lftp sshpass openssh-client)
fi
for p in "${pkgs[@]}"; do have "$p" || need+=("$p"); done

if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
