#!/usr/bin/env bash
# Installs versitygw (a real S3 gateway) into .cache/bin for the blob S3 test suite.
# Idempotent: does nothing when .cache/bin/versitygw is already there.
# Prints the binary path as its last line. Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.8.0
bin_dir="$PWD/.cache/bin"
bin="$bin_dir/versitygw"

if [ ! -x "$bin" ]; then
  mkdir -p "$bin_dir"
  echo "==> installing versitygw $version into $bin_dir (first build takes ~5 minutes)" >&2
  start=$(date +%s)
  GOBIN="$bin_dir" go install "github.com/versity/versitygw/cmd/versitygw@$version" &
  pid=$!
  # Progress lines so CI logs show the build is alive.
  while kill -0 "$pid" 2>/dev/null; do
    sleep 30
    kill -0 "$pid" 2>/dev/null && echo "    ... still building versitygw ($(( $(date +%s) - start ))s)" >&2
  done
  wait "$pid"
  echo "==> versitygw installed in $(( $(date +%s) - start ))s" >&2
fi
echo "$bin"
