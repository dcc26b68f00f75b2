#!/usr/bin/env bash
# `make run`: first start creates the platform administrator (password
# printed and kept in data/first-login.txt), then serves on the embedded
# defaults (SQLite and local disk in ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/cam2drive
data=${CAM2DRIVE_DATA_DIR:-./data}
addr=${CAM2DRIVE_HTTP_ADDR:-:8080}
mkdir -p "$data"
login="$data/first-login.txt"
if [ ! -f "$login" ]; then
  email=admin@cam2drive.local
  out=$("$bin" admin bootstrap --data-dir "$data" --email "$email")
  pw=$(printf '%s\n' "$out" | sed -n 's/^password: //p')
  umask 077
  printf 'e-mail: %s\npassword: %s\n' "$email" "${pw:-(set earlier)}" > "$login"
fi
# First start also creates the demo client and uploads a day of generated
# footage over FTP (login kept in data/demo-login.txt); serve processes it.
demo="$data/demo-login.txt"
if [ ! -f "$demo" ]; then
  echo "==> creating the demo client and its footage (once)"
  if out=$("$bin" demo --data-dir "$data"); then
    umask 077
    printf '%s\n' "$out" | grep -E '^(e-mail|password): ' > "$demo"
  else
    echo "    no demo data this time (see above); the app starts without it" >&2
  fi
fi
port=${addr##*:}
cat <<MSG

  Cam2Drive is starting on http://localhost:${port}
  First login (also in $login):
$(sed 's/^/    /' "$login")
$([ -f "$demo" ] && printf '  Demo client with recordings (also in %s):\n' "$demo" && sed 's/^/    /' "$demo")

  Mails (invitations, password links) are printed in this log and kept in
  the outbox: bin/cam2drive outbox list --data-dir $data

MSG
exec "$bin" serve --data-dir "$data" --http-addr "$addr"
