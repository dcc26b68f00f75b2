#!/usr/bin/env bash
# Side-by-side ingest benchmark (product spec: "measure our servers against
# vsftpd and OpenSSH side by side in the same run and report the ratio").
# Same machine, same run, same files, same client commands for both sides:
#  1. FTP, 64 parallel uploads of a 4 MiB file, one connection each (curl -T) → MB/s
#  2. FTP, 1,000 uploads of a 200 KB JPEG, a new connection each, 32 at a time
#     (xargs -P 32 curl) → files/s
#  3. SFTP, 64 parallel sessions × one 4 MiB file (OpenSSH sftp + sshpass) → MB/s
#  4. SFTP, 32 sessions × 30 files of 200 KB (one sftp -b batch each) → files/s
# vsftpd and OpenSSH's sshd (Debian packages) run as private instances on
# 127.0.0.1 with their own configuration in a temp dir; a throwaway local user
# is created for them. cam2drive runs `serve` on its own temp data dir.
# Everything (servers, user, temp files) is removed on exit, even on failure.
#
# Usage: scripts/bench-vs.sh      (as root; needs bin/cam2drive: make build)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/bin/cam2drive
MB=1000000 # MB/s are 10^6 bytes per second

[ "$(id -u)" -eq 0 ] || { echo "run as root: the script creates a local user and runs private vsftpd/sshd instances" >&2; exit 1; }
[ -x "$bin" ] || { echo "bin/cam2drive is missing: run make build first" >&2; exit 1; }

# ---------------------------------------------------------------- packages
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for c in curl sshpass sftp jq ss; do
  command -v "$c" >/dev/null || { scripts/install-deps.sh test; break; }
done
command -v jq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null
need=()
for p in vsftpd openssh-server; do have "$p" || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing ${need[*]} (their system services are not started)"
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # Keep the packages' postinst from starting system daemons on :21/:22.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  inst() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
  inst || { apt-get update -qq && inst; } || { [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
fi

# ---------------------------------------------------------------- cleanup
tmp=$(mktemp -d /tmp/c2d-bench-vs.XXXXXX)
chmod 755 "$tmp"
rand_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
user="c2dbench$(rand_hex 3)"
user_made="" made_run_sshd="" pids=()
cleanup() {
  local rc=$?
  set +e
  for p in $(jobs -p) "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  wait 2>/dev/null
  [ -n "$user_made" ] && userdel -f -r "$user" >/dev/null 2>&1
  [ -n "$made_run_sshd" ] && rmdir /run/sshd 2>/dev/null
  rm -rf "$tmp"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers
used_ports=" "
free_port() { # a port in [$1, $2) that nothing listens on
  local p
  for _ in $(seq 200); do
    p=$(( $1 + RANDOM % ($2 - $1) ))
    case $used_ports in *" $p "*) continue ;; esac
    if [ -z "$(ss -Htan "sport = :$p")" ]; then used_ports+="$p "; echo "$p"; return; fi
  done
  echo "no free port in $1-$2" >&2; return 1
}
free_range() { # a range of $3 ports in [$1, $2) where nothing listens
  local b
  for _ in $(seq 50); do
    b=$(( $1 + RANDOM % ($2 - $1 - $3) ))
    if [ -z "$(ss -Htan "( sport >= :$b and sport <= :$((b + $3 - 1)) )")" ]; then echo "$b $((b + $3 - 1))"; return; fi
  done
  echo "no free port range in $1-$2" >&2; return 1
}
wait_listen() { # port pid name: up to 15 s
  for _ in $(seq 150); do
    [ -n "$(ss -Htln "sport = :$1")" ] && return 0
    kill -0 "$2" 2>/dev/null || { echo "$3 exited at start; its log:" >&2; cat "$tmp/$3.log" >&2; return 1; }
    sleep 0.1
  done
  echo "$3 does not listen on $1; its log:" >&2; cat "$tmp/$3.log" >&2; return 1
}
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# Dahua snapshot path: test T (day 2024-03-0T), camera 1, hour 10, minute M, second S.
snap_path() { printf 'bench/SN/2024-03-0%d/001/jpg/10/%02d/%02d[M][0@0][0].jpg' "$1" "$2" "$3"; }
jpeg() { # file size: SOI + APP0 marker, random bytes, EOI (accepted as a snapshot)
  { printf '\xff\xd8\xff\xe0'; head -c $(( $2 - 6 )) /dev/urandom; printf '\xff\xd9'; } >"$1"
}

real_jpeg() { # file size: a 1280×720 picture made by ffmpeg, padded to the exact size with an APP15 segment
  local src=$tmp/src.jpg n
  command -v ffmpeg >/dev/null || return 1
  ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=1280x720:rate=1 -vf noise=alls=10:allf=t -frames:v 1 -q:v 4 "$src" || return 1
  n=$(( $2 - $(stat -c %s "$src") - 4 )) # payload of the padding segment
  [ "$n" -ge 0 ] && [ "$n" -le 65533 ] || return 1
  { head -c 2 "$src"; printf "\\xff\\xef\\x$(printf %02x $(( (n + 2) >> 8 )))\\x$(printf %02x $(( (n + 2) & 255 )))"
    head -c "$n" /dev/urandom; tail -c +3 "$src"; } >"$1"
  ffmpeg -nostdin -v error -i "$1" -f null - || return 1
}

# ---------------------------------------------------------------- files
big=$tmp/4mib.jpg;  jpeg "$big" $((4 << 20))
snap=$tmp/200kb.jpg
if real_jpeg "$snap" 200000; then snap_kind="a real 1280×720 JPEG (ffmpeg testsrc2 + noise, q 4) padded with an APP15 segment"
else jpeg "$snap" 200000; snap_kind="JPEG markers around random bytes (ffmpeg could not make a real picture)"; fi
BIG_BYTES=$(stat -c %s "$big") SNAP_BYTES=$(stat -c %s "$snap")

# ---------------------------------------------------------------- local user for vsftpd/sshd
pass=$(rand_hex 12)
useradd -m -s /bin/bash "$user"; user_made=1
echo "$user:$pass" | chpasswd
home=$(getent passwd "$user" | cut -d: -f6)
hash_scheme=$(getent shadow "$user" | cut -d: -f2 | cut -d'$' -f2)
case $hash_scheme in y) hash_scheme=yescrypt ;; 6) hash_scheme=sha512crypt ;; 5) hash_scheme=sha256crypt ;; esac

# ---------------------------------------------------------------- vsftpd
vport=$(free_port 23000 30000)
read -r pmin pmax < <(free_range 10000 20000 1000)
mkdir -p "$tmp/vsftpd-empty"
cat >"$tmp/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$vport
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
chroot_local_user=NO
pasv_enable=YES
pasv_min_port=$pmin
pasv_max_port=$pmax
connect_from_port_20=NO
seccomp_sandbox=NO
secure_chroot_dir=$tmp/vsftpd-empty
pam_service_name=vsftpd
xferlog_enable=NO
EOF
vsftpd "$tmp/vsftpd.conf" >"$tmp/vsftpd.log" 2>&1 & vpid=$!; pids+=("$vpid")
wait_listen "$vport" "$vpid" vsftpd

# ---------------------------------------------------------------- sshd
sshd_port=$(free_port 23000 30000)
mkdir -p "$tmp/ssh"
for t in ed25519 ecdsa rsa; do ssh-keygen -q -t "$t" -N '' -f "$tmp/ssh/ssh_host_${t}_key"; done
[ -d /run/sshd ] || { mkdir -m 755 /run/sshd; made_run_sshd=1; }
cat >"$tmp/sshd_config" <<EOF
ListenAddress 127.0.0.1
HostKey $tmp/ssh/ssh_host_ed25519_key
HostKey $tmp/ssh/ssh_host_ecdsa_key
HostKey $tmp/ssh/ssh_host_rsa_key
PidFile $tmp/sshd.pid
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
AuthorizedKeysFile none
UsePAM yes
PermitRootLogin no
AllowUsers $user
UseDNS no
MaxStartups 500
PrintMotd no
LogLevel ERROR
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
/usr/sbin/sshd -t -f "$tmp/sshd_config" -p "$sshd_port"
/usr/sbin/sshd -D -e -f "$tmp/sshd_config" -p "$sshd_port" >"$tmp/sshd.log" 2>&1 & spid=$!; pids+=("$spid")
wait_listen "$sshd_port" "$spid" sshd

# ---------------------------------------------------------------- cam2drive
hport=$(free_port 23000 30000) cftp=$(free_port 23000 30000) csftp=$(free_port 23000 30000)
data=$tmp/c2d
"$bin" admin bootstrap --data-dir "$data" --email bench@example.com --password 'Load-test-passphrase-77' >/dev/null
tok=$("$bin" token create --data-dir "$data" --email bench@example.com 2>/dev/null | tail -1)
"$bin" serve --data-dir "$data" --roles web,ftp,sftp,worker --http-addr "127.0.0.1:$hport" \
  --ftp-addr "127.0.0.1:$cftp" --sftp-addr "127.0.0.1:$csftp" --max-conns-per-ip 500 --log-level warn \
  >"$tmp/cam2drive.log" 2>&1 & cpid=$!; pids+=("$cpid")
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$hport/readyz" >/dev/null && break; kill -0 "$cpid" || break; sleep 0.1; done
curl -sf "http://127.0.0.1:$hport/readyz" >/dev/null || { echo "cam2drive not ready; its log:" >&2; cat "$tmp/cam2drive.log" >&2; exit 1; }
wait_listen "$cftp" "$cpid" cam2drive; wait_listen "$csftp" "$cpid" cam2drive

api() { # method path [json]
  curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "http://127.0.0.1:$hport/api/v1$2"
}
platform=$(api GET /me | jq -r .org.id)
org() { api POST /orgs "$(jq -nc --arg p "$1" --arg k "$2" '{parent_id:$p,kind:$k,name:("Bench "+$k),email:("bench-"+$k+"@example.com")}')" | jq -r .id; }
dist=$(org "$platform" distributor); inst=$(org "$dist" installer); client=$(org "$inst" client)
site=$(api POST "/orgs/$client/sites" '{"name":"Bench site","timezone":"UTC","address":"1 bench street"}' | jq -r .id)
rec=$(api POST "/orgs/$client/recorders" "$(jq -nc --arg s "$site" '{name:"Bench NVR",manufacturer:"dahua",site_id:$s,type:"nvr",camera_count:1,retention_days:0}')" | jq -r .id)
api POST "/orgs/$client/virtual-disks" "$(jq -nc --arg r "$rec" '{capacity_gb:100,camera_limit:1,recorder_id:$r,overwrite:true}')" >/dev/null
cam=$(api GET "/orgs/$client/cameras?recorder_id=$rec" | jq -r '.items[] | select(.number==1) | .id')
api PATCH "/orgs/$client/cameras/$cam" '{"cloud_recording":true}' >/dev/null
conn=$(api GET "/orgs/$client/recorders/$rec/connection")
cuser=$(jq -r .username <<<"$conn") cpass=$(jq -r .password <<<"$conn")

# ---------------------------------------------------------------- clients
# Everything below runs the same commands against both servers; only the
# port and the credentials differ.
CURL=(curl -sS --ftp-create-dirs -g --connect-timeout 10 --max-time 180 -o /dev/null)
SFTP0=(sftp -q -oBatchMode=no -oStrictHostKeyChecking=no -oUserKnownHostsFile=/dev/null
       -oPreferredAuthentications=password -oPubkeyAuthentication=no -oConnectTimeout=10)
SFTP=("${SFTP0[@]}" -oLogLevel=ERROR)

# Files stored by server $1 for test day $2 (server-side count, not the clients' word).
stored() {
  if [ "$1" = ref ]; then
    find "$home/bench/SN/2024-03-0$2" -type f 2>/dev/null | wc -l
  else
    api GET "/orgs/$client/recordings?from=2024-03-0$2T00:00:00Z&to=2024-03-0$2T23:59:59Z&limit=1" | jq -r .total
  fi
}
c2d_cpu() { awk '{print $14 + $15}' "/proc/$cpid/stat" 2>/dev/null || echo 0; }
wait_idle() { # until cam2drive (its worker) used ≤ 10 ms of CPU in each of two 0.5 s windows, at most 90 s → seconds waited
  local a b quiet=0 t0; t0=$(now)
  for _ in $(seq 180); do
    a=$(c2d_cpu); sleep 0.5; b=$(c2d_cpu)
    if [ $((b - a)) -le 1 ]; then quiet=$((quiet + 1)); [ $quiet -ge 2 ] && break; else quiet=0; fi
  done
  calc %.1f "$(now) - $t0 - 1"
}
# Before each timed run: cam2drive idle (no worker backlog from its previous
# run), the previous run's dirty pages flushed.
settle() { wait_idle >/dev/null; sync; sleep 1; }
c2d_states() { # test day → how many of its recordings are ready, failed, processing
  local cur="" out="" page
  for _ in $(seq 10); do
    page=$(api GET "/orgs/$client/recordings?from=2024-03-0$1T00:00:00Z&to=2024-03-0$1T23:59:59Z&limit=500${cur:+&cursor=$(jq -rn --arg c "$cur" '$c|@uri')}")
    out+=$(jq -r '.items[].status' <<<"$page")$'\n'
    cur=$(jq -r '.next_cursor // ""' <<<"$page"); [ -n "$cur" ] || break
  done
  grep . <<<"$out" | sort | uniq -c | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }'
}

ftp_parallel() { # server port user pass → seconds
  local t0 t1 i ps=() fail=0
  settle
  t0=$(now)
  for i in $(seq 0 63); do
    "${CURL[@]}" -u "$3:$4" -T "$big" "ftp://127.0.0.1:$2/$(snap_path 1 $((i / 60)) $((i % 60)))" 2>>"$tmp/$1.t1.err" & ps+=($!)
  done
  for i in "${ps[@]}"; do wait "$i" || fail=$((fail + 1)); done
  t1=$(now)
  echo "$(calc %.3f "$t1 - $t0") $fail"
}
ftp_snapshots() { # server port user pass → seconds
  local t0 t1 i rc=0
  for i in $(seq 0 999); do echo "ftp://127.0.0.1:$2/$(snap_path 2 $((i / 60)) $((i % 60)))"; done >"$tmp/$1.t2.urls"
  settle
  t0=$(now)
  xargs -P 32 -n 1 "${CURL[@]}" -u "$3:$4" -T "$snap" <"$tmp/$1.t2.urls" 2>>"$tmp/$1.t2.err" || rc=$?
  t1=$(now)
  echo "$(calc %.3f "$t1 - $t0") $rc"
}
mkdirs() { # path of a file → "-mkdir" lines for each of its directories
  local d="" part parts
  IFS=/ read -ra parts <<<"${1%/*}"
  for part in "${parts[@]}"; do d=${d:+$d/}$part; echo "-mkdir $d"; done
}
sftp_run() { # server port user pass sessions test → seconds
  local t0 t1 s ps=() fail=0
  settle
  t0=$(now)
  for s in $(seq 0 $(($5 - 1))); do
    SSHPASS=$4 timeout 300 sshpass -e "${SFTP[@]}" -P "$2" -b "$tmp/$1.t$6.b$s" "$3@127.0.0.1" >/dev/null 2>>"$tmp/$1.t$6.err" & ps+=($!)
  done
  for s in "${ps[@]}"; do wait "$s" || fail=$((fail + 1)); done
  t1=$(now)
  echo "$(calc %.3f "$t1 - $t0") $fail"
}
sftp_batches() { # server
  local s j p
  for s in $(seq 0 63); do # test 3: one 4 MiB file per session
    p=$(snap_path 3 $((s / 60)) $((s % 60)))
    { mkdirs "$p"; echo "put $big \"$p\""; } >"$tmp/$1.t3.b$s"
  done
  for s in $(seq 0 31); do # test 4: 30 snapshots per session, minute = session
    { mkdirs "$(snap_path 4 "$s" 0)"; for j in $(seq 0 29); do echo "put $snap \"$(snap_path 4 "$s" "$j")\""; done; } >"$tmp/$1.t4.b$s"
  done
}

# Sanity check before timing: one upload per protocol and server (test day 9),
# the login-to-ready time of one FTP connection, and the negotiated SSH cipher.
probe() { # server ftpport sftpport user pass
  local p; p=$(snap_path 9 0 0)
  ftp_ready=$("${CURL[@]}" -u "$4:$5" -T "$snap" -w '%{time_pretransfer}' "ftp://127.0.0.1:$2/$p") ||
    { echo "FTP upload to $1 failed" >&2; return 1; }
  { mkdirs "$p"; echo "put $snap \"$(snap_path 9 0 1)\""; } >"$tmp/$1.probe"
  SSHPASS=$5 timeout 60 sshpass -e "${SFTP0[@]}" -v -P "$3" -b "$tmp/$1.probe" "$4@127.0.0.1" >/dev/null 2>"$tmp/$1.probe.err" ||
    { echo "SFTP upload to $1 failed:" >&2; grep -v '^debug' "$tmp/$1.probe.err" >&2; return 1; }
  ssh_algos=$(sed -n 's/.*kex: algorithm: \(.*\)/\1/p; s/.*kex: host key algorithm: \(.*\)/\1/p; s/.*kex: client->server cipher: \([^ ]*\).*/\1/p' "$tmp/$1.probe.err" | paste -sd' ')
  [ "$(stored "$1" 9)" = 2 ] || { echo "$1 did not store the probe files (count $(stored "$1" 9))" >&2; return 1; }
}
probe ref "$vport" "$sshd_port" "$user" "$pass"; ref_ready=$ftp_ready ref_algos=$ssh_algos
probe c2d "$cftp" "$csftp" "$cuser" "$cpass"; c2d_ready=$ftp_ready c2d_algos=$ssh_algos
sftp_batches ref; sftp_batches c2d

# ---------------------------------------------------------------- run
load_before=$(uptime)
started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
declare -A res fails cnt drain
for t in 1 2 3 4; do
  for s in ref c2d; do
    if [ $s = ref ]; then fp=$vport sp=$sshd_port u=$user p=$pass; else fp=$cftp sp=$csftp u=$cuser p=$cpass; fi
    case $t in
      1) read -r secs f < <(ftp_parallel $s "$fp" "$u" "$p") ;;
      2) read -r secs f < <(ftp_snapshots $s "$fp" "$u" "$p") ;;
      3) read -r secs f < <(sftp_run $s "$sp" "$u" "$p" 64 3) ;;
      4) read -r secs f < <(sftp_run $s "$sp" "$u" "$p" 32 4) ;;
    esac
    n=$(stored $s $t)
    case $t in
      1|3) res[$t$s]=$(calc %.1f "$n * $BIG_BYTES / $MB / $secs") ;;
      2|4) res[$t$s]=$(calc %.1f "$n / $secs") ;;
    esac
    fails[$t$s]=$f cnt[$t$s]=$n
    [ $s = c2d ] && drain[$t]=$(wait_idle)
    echo "test $t $s: ${secs}s, $n files stored, client failures: $f${drain[$t]:+, worker busy ${drain[$t]} s after}" >&2
  done
done
load_after=$(uptime)

# ---------------------------------------------------------------- report
expect=(x 64 1000 64 960)
unit=(x MB/s files/s MB/s files/s)
name=(x "FTP, 64 parallel uploads × 4 MiB, a connection each"
        "FTP, 1,000 × 200 KB, a new connection each, 32 at a time"
        "SFTP, 64 parallel sessions × 4 MiB"
        "SFTP, 32 sessions × 30 files of 200 KB")
cell() { local c="${res[$1]} ${unit[${1:0:1}]}"; [ "${cnt[$1]}" = "${expect[${1:0:1}]}" ] || c+=" (${cnt[$1]}/${expect[${1:0:1}]} stored)"; echo "$c"; }
echo
echo "## cam2drive vs vsftpd / OpenSSH — $started"
echo
echo "Command: \`bash scripts/bench-vs.sh\` ($("$bin" version 2>/dev/null | sed -n 1p), vsftpd $(dpkg-query -W -f='${Version}' vsftpd), OpenSSH server $(dpkg-query -W -f='${Version}' openssh-server), curl $(curl -V | sed -n 1p | cut -d' ' -f2))"
echo
echo "| test | vsftpd / OpenSSH | cam2drive | ratio (cam2drive ÷ reference) |"
echo "| --- | --- | --- | --- |"
for t in 1 2 3 4; do
  echo "| ${name[$t]} | $(cell ${t}ref) | $(cell ${t}c2d) | $(calc %.2f "${res[${t}c2d]} / (${res[${t}ref]} > 0 ? ${res[${t}ref]} : 1e-9)")× |"
done
echo
echo "- Load before: $load_before"
echo "- Load after:  $load_after"
echo "- $(nproc) CPUs; all traffic on 127.0.0.1; servers and clients share the CPUs. Stored counts are taken on the server side"
echo "  (files in the user's home for vsftpd/OpenSSH, recordings in the API for cam2drive); client-side failures:"
echo "  vsftpd/OpenSSH ${fails[1ref]}/${fails[2ref]}/${fails[3ref]}/${fails[4ref]}, cam2drive ${fails[1c2d]}/${fails[2c2d]}/${fails[3c2d]}/${fails[4c2d]} (tests 1–4; test 2: xargs exit code)."
echo "- Durability differs: vsftpd and sftp-server write into the page cache and fsync nothing; cam2drive answers an upload"
echo "  only once the file is fsynced and indexed (SQLite). Before each timed run: cam2drive idle, \`sync\`, 1 s."
echo "- vsftpd/OpenSSH check the password with PAM against /etc/shadow ($hash_scheme); one FTP login-to-ready:"
echo "  vsftpd $(calc %.0f "$ref_ready * 1000") ms, cam2drive $(calc %.0f "$c2d_ready * 1000") ms (curl time_pretransfer, one sequential upload)."
echo "- SSH negotiated (kex, host key, cipher): OpenSSH: $ref_algos; cam2drive: $c2d_algos"
echo "- Files: 4 MiB = $BIG_BYTES bytes (JPEG markers around random bytes: cam2drive stores it as a snapshot, its worker"
echo "  then marks it failed as undecodable), 200 KB = $SNAP_BYTES bytes, $snap_kind; MB = 10^6 bytes."
echo "- cam2drive acknowledges an upload once stored and indexed; its worker (thumbnails) goes on afterwards, outside the"
echo "  timing: busy for ${drain[1]}/${drain[2]}/${drain[3]}/${drain[4]} s after tests 1–4 (waited for before the next run)."
echo "  Recording states afterwards: test 1: $(c2d_states 1); test 2: $(c2d_states 2); test 3: $(c2d_states 3); test 4: $(c2d_states 4)."
echo "- Clients: \`curl -sS --ftp-create-dirs -g -u U:P -T FILE ftp://127.0.0.1:PORT/bench/SN/2024-03-0T/001/jpg/10/MM/SS[M][0@0][0].jpg\`"
echo "  (64 in the background for test 1; \`xargs -P 32 -n 1 curl …\` over 1,000 URLs for test 2);"
echo "  \`SSHPASS=P sshpass -e sftp -q -oBatchMode=no -oStrictHostKeyChecking=no -oPreferredAuthentications=password -P PORT -b BATCH U@127.0.0.1\`"
echo "  (BATCH: \`-mkdir\` of each directory level, then \`put\` of 1 or 30 files)."
echo "- vsftpd: private instance \`vsftpd CONF\` (listen=YES on 127.0.0.1, background=NO, seccomp_sandbox=NO, pam_service_name=vsftpd,"
echo "  passive ports $pmin-$pmax, Debian defaults otherwise); sshd: \`/usr/sbin/sshd -D -f CONF -p PORT\` with its own host keys,"
echo "  UsePAM yes, MaxStartups 500, Subsystem sftp /usr/lib/openssh/sftp-server."
for s in vsftpd sshd cam2drive; do
  if [ -s "$tmp/$s.log" ]; then echo "- $s log (last lines):"; tail -n 5 "$tmp/$s.log" | sed 's/^/    /'; fi
done
mk=$(cat "$tmp"/ref.t[34].err 2>/dev/null | grep -c 'remote mkdir .*Failure' || true)
echo "- sftp-server refused $mk \`-mkdir\` of existing directories (expected, ignored by the batch); cam2drive accepts them."
for f in "$tmp"/*.err; do
  case $f in *.probe.err) continue ;; esac
  grep -v 'remote mkdir .*Failure' "$f" >"$f.other" || true
  [ -s "$f.other" ] || continue
  echo "- client errors in $(basename "$f") ($(wc -l <"$f.other") lines), first ones:"; sort "$f.other" | uniq -c | sort -rn | sed -n 1,3p | sed 's/^/    /'
done
