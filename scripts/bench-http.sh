#!/usr/bin/env bash
# Benchmarks of the foundation (docs/BENCHMARKS.md):
#  1. cold start of `cam2drive serve` on SQLite to /readyz 200
#  2. GET /api/v1/me with a bearer token, 32 concurrent connections (wrk)
# Usage: scripts/bench-http.sh [seconds]   (needs bin/cam2drive: make build)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bin=bin/cam2drive
dir=$(mktemp -d)
port=18181
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT

"$bin" admin bootstrap --data-dir "$dir" --email bench@example.com --password 'Load-test-passphrase-77' >/dev/null
token=$("$bin" token create --data-dir "$dir" --email bench@example.com 2>/dev/null | tail -1)

echo "== cold start to /readyz (5 runs, ms)"
for i in 1 2 3 4 5; do
  t0=$(date +%s%N)
  "$bin" serve --data-dir "$dir" --http-addr 127.0.0.1:$port --roles web,worker --log-level warn & pid=$!
  until curl -sf http://127.0.0.1:$port/readyz >/dev/null; do sleep 0.005; done
  t1=$(date +%s%N)
  echo "run $i: $(( (t1 - t0) / 1000000 )) ms"
  kill $pid; wait $pid 2>/dev/null || true
done

echo "== GET /api/v1/me, bearer token, 32 connections, ${secs}s"
"$bin" serve --data-dir "$dir" --http-addr 127.0.0.1:$port --roles web,worker --log-level warn & pid=$!
until curl -sf http://127.0.0.1:$port/readyz >/dev/null; do sleep 0.01; done
curl -sf -H "Authorization: Bearer $token" http://127.0.0.1:$port/api/v1/me >/dev/null
wrk -t2 -c32 -d"${secs}s" --latency -H "Authorization: Bearer $token" http://127.0.0.1:$port/api/v1/me
