#!/usr/bin/env bash
# Prints the URL of a PostgreSQL server the test suites may create databases
# on. Uses the server on 127.0.0.1:5432 when it lets user "postgres" in;
# otherwise starts (once) a private cluster under .cache/pg on port 55432,
# from Debian's postgresql package (installed by scripts/install-deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${CAM2DRIVE_TEST_POSTGRES_URL:-}" ]; then echo "$CAM2DRIVE_TEST_POSTGRES_URL"; exit 0; fi

url=postgres://postgres@127.0.0.1:5432/postgres
if psql "$url" -Atqc 'select 1' >/dev/null 2>&1; then echo "$url"; exit 0; fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] || { echo "no PostgreSQL server binaries: run scripts/install-deps.sh test" >&2; exit 1; }
dir=$PWD/.cache/pg
port=55432
url=postgres://postgres@127.0.0.1:$port/postgres
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  run "$bindir/initdb -D '$dir' -U postgres --auth=trust -E UTF8 >/dev/null"
fi
if ! psql "$url" -Atqc 'select 1' >/dev/null 2>&1; then
  run "$bindir/pg_ctl -D '$dir' -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l '$dir/log' -w start >/dev/null"
fi
echo "$url"
