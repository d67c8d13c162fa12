#!/usr/bin/env bash
# Starts the real-server testbed: a private BIND 9.18 named, authoritative only,
# on 127.0.0.1 and ::1 at an unprivileged port (UDP and TCP), with DoT and DoH
# listeners; a Knot Resolver front (DoT, and plain DNS over UDP and TCP, on
# 127.0.0.1 and ::1); a DNS JSON API (application/dns-json) fixture server
# (Scripts/testbed/doh-json-server.py, dnspython in $DIR/venv); for zone transfers,
# TSIG and UPDATE, TSIG keys, the zones xfr.test. and big.test., and Knot DNS as a second
# primary (Scripts/testbed/transfers.sh); and socat as a DNS-over-DTLS server (RFC 8094)
# and a plain UDP relay in front of named, with BIND's DoT on the DTLS port number over TCP;
# and a signed DNSSEC tree below the trust-anchor zone dnssec.test., fresh keys at every
# start, with delv and unbound-host configs as validating references (Scripts/testbed/dnssec.sh).
#
#   Scripts/testbed/start.sh        # TESTBED_PORT (53530), TESTBED_DIR (<repo>/.testbed),
#                                   # TESTBED_DOT_PORT (8530), TESTBED_DOH_PORT (8443),
#                                   # TESTBED_DOH_PLAIN_PORT (8480), TESTBED_DOH_JSON_PORT (8450);
#                                   # kresd: DoT at TESTBED_DOT_PORT+10, plain DNS at +11;
#                                   # Knot DNS at +12; DTLS (socat, UDP) and BIND DoT (TCP) at
#                                   # +13, the socat UDP relay at +14;
#                                   # when none is set and a default is taken, a free block
#                                   # of 17 ports (10000 up to the ephemeral range) is chosen and logged
#   Scripts/testbed/stop.sh
#
# Everything lives in the run directory: named.conf, zones/, named.pid,
# named.log, tls/, kresd/, doh-json/, socat/, venv/, testbed.env. Tests and scripts read
# testbed.env (KEY=VALUE lines, no quoting). Idempotent: when the named in
# named.pid is alive and answers, prints "already running" (restarting a missing
# kresd, JSON server, knotd or socat relay) and exits 0. Installs bind9, bind9-utils,
# bind9-dnsutils, openssl, knot-resolver, knot, curl, socat, unbound-host and ldnsutils with apt
# when missing (python3-venv too when
# `python3 -m venv` fails), and dnspython (pinned) from PyPI into $DIR/venv.
# Never touches the system named service. No traffic leaves the loopback interface.
# Zones and special names: Scripts/testbed/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${TESTBED_PORT:-53530}"
ADDR4=127.0.0.1
ADDR6=::1
PROBE_ZONE=testbed.test.
START_TIMEOUT=20   # seconds until named must answer

PATH="$PATH:/usr/sbin:/sbin"
log() { printf 'testbed: %s\n' "$*" >&2; }
fail() { printf 'testbed: ERROR: %s\n' "$*" >&2; exit 1; }

check_port() {  # check_port NAME VALUE
  case "$2" in (''|*[!0-9]*) fail "$1 must be a number, got '$2'";; esac
  [ "$2" -ge 1024 ] && [ "$2" -le 65535 ] || fail "$1 must be 1024..65535, got $2"
}
check_port TESTBED_PORT "$PORT"

# ---------------------------------------------------------------- packages
apt_install() {  # apt_install PACKAGE...
  local sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  log "installing $*"
  "${sudo_cmd[@]}" apt-get update -qq
  # The bind9 package may start the system service (port 53); this testbed does
  # not use it and leaves it alone.
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "$@" >/dev/null
}
need=()
for pkg in bind9 bind9-utils bind9-dnsutils openssl knot-resolver knot curl socat unbound-host ldnsutils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
command -v python3 >/dev/null || need+=(python3 python3-venv)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
for tool in named named-checkconf named-checkzone tsig-keygen dig curl python3 knotd knotc socat openssl \
            dnssec-keygen dnssec-signzone dnssec-dsfromkey delv unbound-host ldns-signzone; do
  command -v "$tool" >/dev/null || fail "$tool not found after install"
done

# ---------------------------------------------------------------- run dir
DIR="${TESTBED_DIR:-$ROOT/.testbed}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd -P)"
case "$DIR" in (*[[:space:]]*) fail "TESTBED_DIR must not contain white space: '$DIR'";; esac
PIDFILE="$DIR/named.pid"
ENVFILE="$DIR/testbed.env"
LOGFILE="$DIR/named.log"

# Serialise concurrent start.sh/stop.sh (parallel test processes).
exec 9>"$DIR/.lock"
flock -w 60 9 || fail "could not lock $DIR/.lock"

alive() {  # alive PID: running and not a zombie waiting to be reaped
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
answers() {  # answers PORT ADDRESS
  dig @"$2" -p "$1" +short +tries=1 +time=1 +norecurse SOA "$PROBE_ZONE" 2>/dev/null | grep -q .
}
our_named_pid() {  # prints the pid from named.pid when that process is a live named
  local pid
  [ -s "$PIDFILE" ] || return 1
  pid="$(tr -dc 0-9 <"$PIDFILE")"
  [ -n "$pid" ] && alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = named ] || return 1
  printf '%s\n' "$pid"
}
env_value() {  # env_value KEY  (from testbed.env)
  if [ -f "$ENVFILE" ]; then sed -n "s/^$1=//p" "$ENVFILE" | tail -1; fi
}

write_env() {  # write_env PORT PID -- atomically, KEY=VALUE lines, no quoting
  local tmp="$ENVFILE.tmp.$$"
  {
    echo "TESTBED_PORT=$1"
    echo "TESTBED_ADDRESS4=$ADDR4"
    echo "TESTBED_ADDRESS6=$ADDR6"
    echo "TESTBED_PID=$2"
    echo "TESTBED_DIR=$DIR"
    [ -z "${TLS_ENV:-}" ] || printf '%s\n' "$TLS_ENV"
    [ -z "${TRANSFER_ENV:-}" ] || printf '%s\n' "$TRANSFER_ENV"
    dnssec_env
  } >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$ENVFILE"
}

# ---------------------------------------------------------------- transfers, TSIG, Knot DNS
# shellcheck source=Scripts/testbed/transfers.sh
. "$HERE/transfers.sh"

# ---------------------------------------------------------------- DNSSEC: the signed tree
# shellcheck source=Scripts/testbed/dnssec.sh
. "$HERE/dnssec.sh"

# ---------------------------------------------------------------- Knot Resolver
# kresd 5.6 as a second, independent server, forwarding to this named (policy.STUB, no
# network): DoT on TESTBED_KRESD_DOT_PORT with the CA-signed certificate (it pads responses,
# RFC 8467, and issues session tickets), and plain DNS over UDP and TCP on TESTBED_KRESD_PORT
# (a second plain server for failover tests; RA set, it recurses via named). Both on
# 127.0.0.1 and ::1. Its pid is in $DIR/kresd.pid.
KRESD_PIDFILE="$DIR/kresd.pid"
kresd_pid() {
  local pid=""
  [ -s "$KRESD_PIDFILE" ] && pid="$(tr -dc 0-9 <"$KRESD_PIDFILE")"
  [ -n "$pid" ] && alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = kresd ] && echo "$pid"
}
start_kresd() {  # start_kresd NAMED_PORT DOT_PORT PLAIN_PORT CERT_DIR (PLAIN_PORT empty: DoT only)
  [ -n "$(kresd_pid || true)" ] && return 0
  local dir="$DIR/kresd" plain="" tls_ok="" plain_ok=""
  rm -rf "$dir"
  mkdir -p "$dir"
  [ -z "$3" ] || plain="net.listen('$ADDR4', $3, { kind = 'dns' })
net.listen('$ADDR6', $3, { kind = 'dns' })"
  cat >"$dir/config" <<KRESD
-- Generated by Scripts/testbed/start.sh: a DoT and plain DNS (UDP+TCP) front for the testbed named.
net.listen('$ADDR4', $2, { kind = 'tls' })
net.listen('$ADDR6', $2, { kind = 'tls' })
$plain
net.tls('$4/server.crt', '$4/server.key')
modules.load('policy')
trust_anchors.remove('.')
policy.add(policy.all(policy.STUB({'$ADDR4@$1'})))
cache.size = 10 * MB
KRESD
  (cd "$dir" && exec kresd -n -q -c "$dir/config" "$dir" </dev/null >"$dir/kresd.log" 2>&1 9>&-) &
  echo $! >"$KRESD_PIDFILE"
  [ -n "$3" ] || plain_ok=1
  for _ in $(seq 100); do
    if [ -z "$tls_ok" ] && dig +tls +tls-ca="$4/ca.crt" +tls-hostname=localhost @"$ADDR4" -p "$2" +short +time=1 +tries=1 \
         A www.testbed.test 2>/dev/null | grep -q .; then
      tls_ok=1
    fi
    if [ -z "$plain_ok" ] && dig @"$ADDR4" -p "$3" +short +time=1 +tries=1 A www.testbed.test 2>/dev/null | grep -q .; then
      plain_ok=1
    fi
    [ -z "$tls_ok" ] || [ -z "$plain_ok" ] || return 0
    sleep 0.1
  done
  tail -20 "$dir/kresd.log" >&2
  [ -n "$tls_ok" ] || fail "kresd did not answer over TLS on $ADDR4#$2"
  fail "kresd did not answer plain DNS on $ADDR4#$3"
}

# ---------------------------------------------------------------- JSON DoH fixture server
# Scripts/testbed/doh-json-server.py on TESTBED_DOH_JSON_PORT (127.0.0.1 only): the DNS
# JSON API (application/dns-json) over HTTPS/1.1 with the CA-signed certificate, asking
# this named over UDP/TCP. dnspython, pinned, from PyPI into the venv $DIR/venv.
# Its pid is in $DIR/doh-json.pid, its log in $DIR/doh-json/server.log.
DNSPYTHON_VERSION=2.9.2
VENV="$DIR/venv"
DOH_JSON_PIDFILE="$DIR/doh-json.pid"
venv_ok() {  # the venv's python runs and has the pinned dnspython
  "$VENV/bin/python" -c 'import importlib.metadata as m, sys
sys.exit(m.version("dnspython") != sys.argv[1])' "$DNSPYTHON_VERSION" 2>/dev/null
}
ensure_venv() {
  venv_ok && return 0
  if ! "$VENV/bin/python" -c '' 2>/dev/null; then
    log "creating the Python venv $VENV"
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
      rm -rf "$VENV"
      apt_install python3-venv
      python3 -m venv "$VENV" || { rm -rf "$VENV"; /usr/bin/python3 -m venv "$VENV"; } \
        || fail "python3 -m venv $VENV failed"
    fi
  fi
  log "installing dnspython==$DNSPYTHON_VERSION into $VENV (PyPI)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "dnspython==$DNSPYTHON_VERSION" >&2 \
    || fail "could not install dnspython==$DNSPYTHON_VERSION into $VENV"
  venv_ok || fail "$VENV does not have dnspython $DNSPYTHON_VERSION after pip install"
}
doh_json_pid() {
  local pid=""
  [ -s "$DOH_JSON_PIDFILE" ] && pid="$(tr -dc 0-9 <"$DOH_JSON_PIDFILE")"
  [ -n "$pid" ] && alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'doh-json-server\.py' \
    && echo "$pid"
}
doh_json_answers() {  # doh_json_answers PORT CERT_DIR
  curl -s --max-time 2 --cacert "$2/ca.crt" "https://$ADDR4:$1/dns-query?name=www.testbed.test&type=A" 2>/dev/null \
    | grep -q '"Status":0'
}
start_doh_json() {  # start_doh_json NAMED_PORT JSON_PORT CERT_DIR
  [ -n "$(doh_json_pid || true)" ] && return 0
  ensure_venv
  local dir="$DIR/doh-json" pid
  mkdir -p "$dir"
  [ ! -f "$dir/server.log" ] || mv -f "$dir/server.log" "$dir/server.log.prev"
  (exec "$VENV/bin/python" "$HERE/doh-json-server.py" --listen "$ADDR4" --port "$2" \
     --upstream "$ADDR4" --upstream-port "$1" --cert "$3/server.crt" --key "$3/server.key" \
     --log "$dir/server.log" </dev/null >"$dir/stderr.log" 2>&1 9>&-) &
  pid=$!
  echo "$pid" >"$DOH_JSON_PIDFILE"
  for _ in $(seq 100); do
    doh_json_answers "$2" "$3" && return 0
    alive "$pid" || break
    sleep 0.1
  done
  tail -20 "$dir/stderr.log" "$dir/server.log" >&2 2>/dev/null || true
  fail "the JSON DoH server did not answer on https://$ADDR4:$2/dns-query"
}
stop_leftover() {  # stop_leftover PID NAME: SIGTERM, up to 5 s, then SIGKILL
  [ -n "$1" ] || return 0
  log "stopping leftover $2 (pid $1)"
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 50); do alive "$1" || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------- socat: DNS over DTLS, UDP relay
# socat 1.7.4 as an independent DNS-over-DTLS server (RFC 8094: one DNS message per DTLS 1.2
# record, no length prefix) on TESTBED_DTLS_PORT, UDP, 127.0.0.1 only, with the CA-signed
# certificate, passing each record on to this named as one UDP datagram; BIND serves DoT on the
# same port number over TCP (the RFC 8094 section 5 fallback). And a plain UDP relay on
# TESTBED_UDP_RELAY_PORT (127.0.0.1) to named, the baseline for DTLS benchmarks. Both use `fork`:
# the first datagram from a new client address and port gets a child socat of its own (its
# socket connected to that client), which ends on close_notify (DTLS) or after an idle spell
# (-T). Pids in $DIR/dtls-relay.pid and udp-relay.pid, logs in $DIR/socat/.
DTLS_PIDFILE="$DIR/dtls-relay.pid"
UDP_RELAY_PIDFILE="$DIR/udp-relay.pid"
DTLS_IDLE=30       # seconds a DTLS session may stay silent before socat ends it (close_notify)
UDP_RELAY_IDLE=5   # seconds a UDP client's child lives after its last datagram
# www.testbed.test A, message ID 0x4454, no RD; the answer must come back with QR AA and 192.0.2.1.
DTLS_PROBE='\x44\x54\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07testbed\x04test\x00\x00\x01\x00\x01'
relay_pid() {  # relay_pid PIDFILE ADDRESS-TYPE: the pid when it is a live socat serving that address type
  local pid=""
  [ -s "$1" ] && pid="$(tr -dc 0-9 <"$1")"
  [ -n "$pid" ] && alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = socat ] \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q " $2:" && echo "$pid"
}
stop_leftover_relay() {  # stop_leftover_relay PID NAME: the socat and its children (one per client)
  [ -n "$1" ] || return 0
  local left still p
  log "stopping leftover $2 (pid $1)"
  kill -STOP "$1" 2>/dev/null || true   # it forks no more while its children are listed
  left="$1 $(pgrep -P "$1" -x socat | tr '\n' ' ' || true)"
  for p in $left; do kill -TERM "$p" 2>/dev/null || true; kill -CONT "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    still=""
    for p in $left; do alive "$p" && still+=" $p"; done
    left="$still"
    [ -n "$left" ] || return 0
    sleep 0.1
  done
  for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
}
dtls_answers() {  # dtls_answers PORT CERT_DIR: a DNS query over DTLS (openssl s_client) gets its answer
  # shellcheck disable=SC2059
  { printf "$DTLS_PROBE"; sleep 0.5; } |
    timeout 5 openssl s_client -dtls1_2 -connect "$ADDR4:$1" -CAfile "$2/ca.crt" -verify_return_error \
      -verify_ip "$ADDR4" -quiet -no_ign_eof 2>/dev/null | od -An -tx1 | tr -d ' \n' | grep -q '^44548400.*c0000201'
}
start_dtls_relay() {  # start_dtls_relay NAMED_PORT DTLS_PORT CERT_DIR
  [ -n "$(relay_pid "$DTLS_PIDFILE" OPENSSL-DTLS-SERVER || true)" ] && return 0
  local dir="$DIR/socat" pid
  mkdir -p "$dir"
  [ ! -f "$dir/dtls-relay.log" ] || mv -f "$dir/dtls-relay.log" "$dir/dtls-relay.log.prev"
  (exec socat -d -d -T "$DTLS_IDLE" \
     "OPENSSL-DTLS-SERVER:$2,bind=$ADDR4,fork,cert=$3/server.crt,key=$3/server.key,verify=0" \
     "UDP:$ADDR4:$1" </dev/null >"$dir/dtls-relay.log" 2>&1 9>&-) &
  pid=$!
  echo "$pid" >"$DTLS_PIDFILE"
  for _ in $(seq 20); do
    dtls_answers "$2" "$3" && return 0
    alive "$pid" || break
    sleep 0.1
  done
  tail -20 "$dir/dtls-relay.log" >&2 2>/dev/null || true
  fail "the socat DTLS relay did not answer a DNS query over DTLS on $ADDR4#$2"
}
start_udp_relay() {  # start_udp_relay NAMED_PORT RELAY_PORT
  [ -n "$(relay_pid "$UDP_RELAY_PIDFILE" UDP-LISTEN || true)" ] && return 0
  local dir="$DIR/socat" pid
  mkdir -p "$dir"
  [ ! -f "$dir/udp-relay.log" ] || mv -f "$dir/udp-relay.log" "$dir/udp-relay.log.prev"
  (exec socat -d -T "$UDP_RELAY_IDLE" "UDP-LISTEN:$2,bind=$ADDR4,fork" "UDP:$ADDR4:$1" \
     </dev/null >"$dir/udp-relay.log" 2>&1 9>&-) &
  pid=$!
  echo "$pid" >"$UDP_RELAY_PIDFILE"
  for _ in $(seq 100); do
    dig @"$ADDR4" -p "$2" +short +time=1 +tries=1 +norecurse A www.testbed.test 2>/dev/null | grep -qx 192.0.2.1 && return 0
    alive "$pid" || break
    sleep 0.1
  done
  tail -20 "$dir/udp-relay.log" >&2 2>/dev/null || true
  fail "the socat UDP relay did not answer on $ADDR4#$2"
}

# ---------------------------------------------------------------- already running?
if pid="$(our_named_pid)"; then
  running_port="$(env_value TESTBED_PORT)"
  [ -n "$running_port" ] || running_port="$(sed -n 's/^ *listen-on port \([0-9]*\) .*/\1/p' "$DIR/named.conf" 2>/dev/null | head -1)"
  running_port="${running_port:-$PORT}"
  if [ -n "${TESTBED_PORT:-}" ] && [ "$TESTBED_PORT" != "$running_port" ]; then
    fail "already running (pid $pid) on port $running_port, not $TESTBED_PORT; run Scripts/testbed/stop.sh first"
  fi
  for _ in $(seq 10); do
    if answers "$running_port" "$ADDR4"; then
      kresd_port="$(env_value TESTBED_KRESD_DOT_PORT)" kresd_plain_port="$(env_value TESTBED_KRESD_PORT)"
      if [ -n "$kresd_port" ] && [ -z "$kresd_plain_port" ] && [ -z "$(kresd_pid || true)" ]; then
        log "no TESTBED_KRESD_PORT in $ENVFILE (an older start.sh): kresd restarts with DoT only; stop and start for its plain DNS port"
      fi
      [ -z "$kresd_port" ] || start_kresd "$running_port" "$kresd_port" "$kresd_plain_port" "$DIR/tls"
      json_port="$(env_value TESTBED_DOH_JSON_PORT)"
      [ -z "$json_port" ] || start_doh_json "$running_port" "$json_port" "$DIR/tls"
      knot_port="$(env_value TESTBED_KNOT_PORT)"
      TSIG_ENV="$(grep '^TESTBED_TSIG_' "$ENVFILE" 2>/dev/null || true)"
      [ -z "$knot_port" ] || start_knot "$knot_port"
      dtls_port="$(env_value TESTBED_DTLS_PORT)"
      if [ -z "$dtls_port" ] && [ -n "$(env_value TESTBED_DOT_PORT)" ]; then
        log "no TESTBED_DTLS_PORT in $ENVFILE (an older start.sh): stop and start for DTLS and the UDP relay"
      fi
      [ -z "$dtls_port" ] || start_dtls_relay "$running_port" "$dtls_port" "$DIR/tls"
      udp_relay_port="$(env_value TESTBED_UDP_RELAY_PORT)"
      [ -z "$udp_relay_port" ] || start_udp_relay "$running_port" "$udp_relay_port"
      [ -f "$ENVFILE" ] || write_env "$running_port" "$pid"
      echo "testbed: already running (pid $pid, port $running_port, dir $DIR)"
      exit 0
    fi
    sleep 0.5
  done
  log "named pid $pid does not answer on $ADDR4#$running_port; restarting it"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$PIDFILE" "$ENVFILE"
# A kresd, JSON server or socat relay left over from a named that died would keep serving the
# previous certificates (and forward to the previous port): stop them.
stop_leftover "$(kresd_pid || true)" kresd
stop_leftover "$(doh_json_pid || true)" "JSON DoH server"
stop_leftover "$(knot_pid || true)" knotd
stop_leftover_relay "$(relay_pid "$DTLS_PIDFILE" OPENSSL-DTLS-SERVER || true)" "socat DTLS relay"
stop_leftover_relay "$(relay_pid "$UDP_RELAY_PIDFILE" UDP-LISTEN || true)" "socat UDP relay"
rm -f "$KRESD_PIDFILE" "$DOH_JSON_PIDFILE" "$KNOT_PIDFILE" "$DTLS_PIDFILE" "$UDP_RELAY_PIDFILE"

# ---------------------------------------------------------------- ports
# Someone else on a port would answer our probes (or make named fail to bind). Ports the
# caller chose must be free; when the defaults are taken, a free block is found instead.
listening() {  # listening PORT...: prints the listeners on any of them (UDP or TCP)
  local filter
  filter="$(printf 'sport = :%s or ' "$@")"
  ss -Hlnut "( ${filter% or } )" 2>/dev/null || true
}
derive_ports() {  # derive_ports PORT DOT_PORT DOH_PORT DOH_PLAIN_PORT DOH_JSON_PORT
  PORT=$1 DOT_PORT=$2 DOH_PORT=$3 DOH_PLAIN_PORT=$4 DOH_JSON_PORT=$5
  DOT12_PORT=$((DOT_PORT + 1)) DOT_SELF_PORT=$((DOT_PORT + 2)) DOT_WRONG_PORT=$((DOT_PORT + 3))
  KRESD_DOT_PORT=$((DOT_PORT + 10)) KRESD_PORT=$((DOT_PORT + 11)) KNOT_PORT=$((DOT_PORT + 12)) DOH_SELF_PORT=$((DOH_PORT + 1))
  DTLS_PORT=$((DOT_PORT + 13)) UDP_RELAY_PORT=$((DOT_PORT + 14))
  # Listeners on UDP (plain DNS on UDP and TCP; DTLS on UDP with BIND's DoT on the same port
  # over TCP; the UDP relay) and TCP-only ones; `listening` checks both protocols for every
  # port either way, so DTLS_PORT must be free for both.
  UDP_PORTS=("$PORT" "$KRESD_PORT" "$KNOT_PORT" "$DTLS_PORT" "$UDP_RELAY_PORT")
  TCP_PORTS=("$DOT_PORT" "$DOT12_PORT" "$DOT_SELF_PORT" "$DOT_WRONG_PORT" "$KRESD_DOT_PORT"
             "$DOH_PORT" "$DOH_SELF_PORT" "$DOH_PLAIN_PORT" "$DOH_JSON_PORT")
}
DOT_DEFAULT=8530 DOH_DEFAULT=8443 DOH_PLAIN_DEFAULT=8480 DOH_JSON_DEFAULT=8450
derive_ports "$PORT" "${TESTBED_DOT_PORT:-$DOT_DEFAULT}" "${TESTBED_DOH_PORT:-$DOH_DEFAULT}" \
  "${TESTBED_DOH_PLAIN_PORT:-$DOH_PLAIN_DEFAULT}" "${TESTBED_DOH_JSON_PORT:-$DOH_JSON_DEFAULT}"
for name in TESTBED_DOT_PORT TESTBED_DOH_PORT TESTBED_DOH_PLAIN_PORT TESTBED_DOH_JSON_PORT; do
  [ -z "${!name:-}" ] || check_port "$name" "${!name}"
done
for p in "${UDP_PORTS[@]}" "${TCP_PORTS[@]}"; do check_port "a derived port" "$p"; done
dup="$(printf '%s\n' "${UDP_PORTS[@]}" "${TCP_PORTS[@]}" | sort | uniq -d | tr '\n' ' ')"
[ -z "$dup" ] || fail "port(s) $dup used twice: choose TESTBED_PORT, TESTBED_DOT_PORT (+0..3, +10..14), TESTBED_DOH_PORT (+0..1), TESTBED_DOH_PLAIN_PORT and TESTBED_DOH_JSON_PORT apart"
busy="$(listening "${UDP_PORTS[@]}" "${TCP_PORTS[@]}")"
if [ -n "$busy" ]; then
  chosen="${TESTBED_PORT:-}${TESTBED_DOT_PORT:-}${TESTBED_DOH_PORT:-}${TESTBED_DOH_PLAIN_PORT:-}${TESTBED_DOH_JSON_PORT:-}"
  [ -z "$chosen" ] || fail "port(s) already in use (not by this testbed):
$busy
set TESTBED_PORT / TESTBED_DOT_PORT / TESTBED_DOH_PORT / TESTBED_DOH_PLAIN_PORT / TESTBED_DOH_JSON_PORT to free ports, or unset them all"
  # A block of 17 ports: plain DNS, DoT (+2..+5, kresd +12), DoH (+6, +7), h2c +8, JSON +9,
  # kresd plain DNS +13, Knot DNS +14, DTLS (and BIND DoT over TCP) +15, UDP relay +16.
  # Below the kernel's ephemeral range, so no client socket can hold one of them when
  # named binds (a connected socket is not a listener: the check above would miss it).
  ephemeral_low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  span=$((ephemeral_low - 20 - 10000))
  [ "$span" -ge 1000 ] || span=1000
  found=""
  for _ in $(seq 200); do
    base=$((10000 + (RANDOM * 32768 + RANDOM) % span))
    derive_ports "$base" $((base + 2)) $((base + 6)) $((base + 8)) $((base + 9))
    if [ -z "$(listening "${UDP_PORTS[@]}" "${TCP_PORTS[@]}")" ]; then found=1; break; fi
  done
  [ -n "$found" ] || fail "the default ports are in use and no free block of ports was found"
  log "default ports in use ($(printf '%s\n' "$busy" | awk '{print $5}' | sed 's/.*://' | sort -un | tr '\n' ' ' | sed 's/ $//')); using port $PORT (DoT $DOT_PORT, DoH $DOH_PORT, h2c $DOH_PLAIN_PORT, JSON $DOH_JSON_PORT, kresd $KRESD_DOT_PORT and $KRESD_PORT, Knot DNS $KNOT_PORT, DTLS $DTLS_PORT, UDP relay $UDP_RELAY_PORT)"
fi

# ---------------------------------------------------------------- zones
rm -rf "$DIR/zones"
mkdir -p "$DIR/zones"
cp "$ROOT/Scripts/fixtures/records.zone" "$DIR/zones/fixtures.test.zone"
cp "$HERE"/zones/*.zone "$DIR/zones/"

# name  file  (relaxed checks: fixtures.test holds deliberately odd names)
ZONES=(
  "fixtures.test.                 fixtures.test.zone             relaxed"
  "testbed.test.                  testbed.test.zone              strict"
  "2.0.192.in-addr.arpa.          2.0.192.in-addr.arpa.zone      strict"
  "8.b.d.0.1.0.0.2.ip6.arpa.      8.b.d.0.1.0.0.2.ip6.arpa.zone  strict"
  "1.0.0.127.in-addr.arpa.        1.0.0.127.in-addr.arpa.zone    strict"
  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa. ip6-loopback.zone strict"
  "xn--mnchen-3ya.test.           xn--mnchen-3ya.test.zone       strict"
)

zone_conf=""
for entry in "${ZONES[@]}"; do
  read -r name file mode <<<"$entry"
  if [ "$mode" = relaxed ]; then
    named-checkzone -q -i none -k ignore "$name" "$DIR/zones/$file" \
      || { named-checkzone -i none -k ignore "$name" "$DIR/zones/$file" >&2 || true; fail "zone $name ($file) does not load"; }
    checks='
    check-names ignore;
    check-integrity no;
    check-mx ignore;
    check-mx-cname ignore;
    check-srv-cname ignore;
    check-wildcard no;
    check-sibling no;
    check-dup-records ignore;'
  else
    named-checkzone -q -i local "$name" "$DIR/zones/$file" \
      || { named-checkzone -i local "$name" "$DIR/zones/$file" >&2 || true; fail "zone $name ($file) does not load"; }
    checks=''
  fi
  zone_conf+="
zone \"$name\" {
    type primary;
    file \"$DIR/zones/$file\";$checks
};
"
done

make_tsig_keys
transfer_zone_conf
TRANSFER_ENV="$TSIG_ENV
TESTBED_KNOT_PORT=$KNOT_PORT"
make_dnssec_zones

# ---------------------------------------------------------------- TLS (DoT, DoH)
# A fresh test CA and certificates in "$DIR/tls/" at every start (never committed):
#   server.crt   CA-signed, SAN localhost, 127.0.0.1, ::1   -> DoT on TESTBED_DOT_PORT (TLS 1.2 and 1.3)
#                                                              and TESTBED_DOT12_PORT (TLS 1.2 only),
#                                                              DoH on TESTBED_DOH_PORT, kresd DoT,
#                                                              the JSON server on TESTBED_DOH_JSON_PORT,
#                                                              socat DTLS and BIND DoT on TESTBED_DTLS_PORT
#   self.crt     self-signed, same SANs                      -> TESTBED_DOT_SELFSIGNED_PORT,
#                                                              TESTBED_DOH_SELFSIGNED_PORT
#   wrong.crt    CA-signed for wrong.example only            -> TESTBED_DOT_WRONGNAME_PORT
#   expired.crt  CA-signed, same SANs, expired               -> in-process test servers
# DoH (BIND, HTTP/2 only, GET and POST, path /dns-query): TESTBED_DOH_PORT (CA-signed),
# TESTBED_DOH_SELFSIGNED_PORT = TESTBED_DOH_PORT + 1, TESTBED_DOH_PLAIN_PORT (cleartext h2c,
# prior knowledge only).
TLS_DIR="$DIR/tls"
rm -rf "$TLS_DIR"
mkdir -p "$TLS_DIR"
(
  cd "$TLS_DIR"
  ec() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }
  ec ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 30 -subj "/CN=Testbed CA" -out ca.crt \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  leaf() {  # name subject-alt-names signer(ca|self)
    ec "$1.key"
    printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$2" >"$1.ext"
    if [ "$3" = self ]; then
      openssl req -x509 -new -key "$1.key" -sha256 -days 30 -subj "/CN=$1" -out "$1.crt" \
        -addext "extendedKeyUsage=serverAuth" -addext "subjectAltName=$2" 2>/dev/null
    else
      openssl req -new -key "$1.key" -subj "/CN=$1" -out "$1.csr" 2>/dev/null
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 30 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
    fi
  }
  leaf server "DNS:localhost,IP:127.0.0.1,IP:::1" ca
  leaf self "DNS:localhost,IP:127.0.0.1,IP:::1" self
  leaf wrong "DNS:wrong.example" ca
  # Expired a day ago (notAfter before notBefore), for the "cannot verify" case.
  ec expired.key
  openssl req -new -key expired.key -subj "/CN=expired" -out expired.csr 2>/dev/null
  printf 'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n' >expired.ext
  openssl x509 -req -in expired.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days -1 \
    -extfile expired.ext -out expired.crt 2>/dev/null
) || fail "could not generate the test certificates"
chmod -R a+rX "$TLS_DIR"
DOT_PIN=$(openssl x509 -in "$TLS_DIR/server.crt" -pubkey -noout | openssl pkey -pubin -outform der |
  openssl dgst -sha256 -binary | base64)
TLS_CONF="
tls testbed-ca { cert-file \"$TLS_DIR/server.crt\"; key-file \"$TLS_DIR/server.key\"; };
tls testbed-tls12 { cert-file \"$TLS_DIR/server.crt\"; key-file \"$TLS_DIR/server.key\"; protocols { TLSv1.2; }; };
tls testbed-self { cert-file \"$TLS_DIR/self.crt\"; key-file \"$TLS_DIR/self.key\"; };
tls testbed-wrong { cert-file \"$TLS_DIR/wrong.crt\"; key-file \"$TLS_DIR/wrong.key\"; };
http testbed-doh { endpoints { \"/dns-query\"; }; };
"
TLS_LISTEN=""
for pair in "$DOT_PORT testbed-ca" "$DOT12_PORT testbed-tls12" "$DOT_SELF_PORT testbed-self" "$DOT_WRONG_PORT testbed-wrong" \
            "$DTLS_PORT testbed-ca" \
            "$DOH_PORT testbed-ca http testbed-doh" "$DOH_SELF_PORT testbed-self http testbed-doh" \
            "$DOH_PLAIN_PORT none http testbed-doh"; do
  set -- $pair
  port=$1; shift
  TLS_LISTEN+="    listen-on port $port tls $* { $ADDR4; };
    listen-on-v6 port $port tls $* { $ADDR6; };
"
done
TLS_ENV="TESTBED_DOT_PORT=$DOT_PORT
TESTBED_DOT12_PORT=$DOT12_PORT
TESTBED_DOT_SELFSIGNED_PORT=$DOT_SELF_PORT
TESTBED_DOT_WRONGNAME_PORT=$DOT_WRONG_PORT
TESTBED_CA_FILE=$TLS_DIR/ca.crt
TESTBED_DOT_PIN=$DOT_PIN
TESTBED_KRESD_DOT_PORT=$KRESD_DOT_PORT
TESTBED_KRESD_PORT=$KRESD_PORT
TESTBED_DOH_PORT=$DOH_PORT
TESTBED_DOH_SELFSIGNED_PORT=$DOH_SELF_PORT
TESTBED_DOH_PLAIN_PORT=$DOH_PLAIN_PORT
TESTBED_DOH_JSON_PORT=$DOH_JSON_PORT
TESTBED_DTLS_PORT=$DTLS_PORT
TESTBED_UDP_RELAY_PORT=$UDP_RELAY_PORT"

# The JSON server's venv (before named starts: a PyPI failure leaves nothing running).
ensure_venv

# ---------------------------------------------------------------- named.conf
cat >"$DIR/named.conf" <<EOF
// Generated by Scripts/testbed/start.sh -- do not edit; rewritten at every start.
options {
    directory "$DIR";
    pid-file "$PIDFILE";
    lock-file "$DIR/named.lock";
    session-keyfile "$DIR/session.key";
    managed-keys-directory "$DIR";
    dump-file "$DIR/named.dump";
    statistics-file "$DIR/named.stats";
    memstatistics-file "$DIR/named.memstats";
    secroots-file "$DIR/named.secroots";
    recursing-file "$DIR/named.recursing";

    // ---- plain DNS (UDP + TCP), loopback only
    listen-on port $PORT { $ADDR4; };
    listen-on-v6 port $PORT { $ADDR6; };
$TLS_LISTEN
    // ---- authoritative only, full sections, identifiable
    recursion no;
    minimal-responses no;
    server-id "testbed-bind";
    answer-cookie yes;
    rrset-order { order none; };
    allow-query { any; };
    allow-transfer { 127.0.0.1; ::1; };
    allow-update { none; };

    // ---- quiet and offline
    notify no;
    dnssec-validation no;
    empty-zones-enable no;
    trust-anchor-telemetry no;
    interface-interval 0;
    querylog no;
};

controls { };   // no rndc channel

include "$DIR/tsig/keys.conf";   // the TSIG keys (transfers.sh)

logging {
    channel testbed_log {
        file "$LOGFILE" versions 2 size 5m;
        severity info;
        print-time yes;
        print-category yes;
        print-severity yes;
    };
    category default { testbed_log; };
    category lame-servers { null; };
};

// ---- TLS / HTTP (DoT, DoH): reserved, generated by the TLS section of start.sh
$TLS_CONF
// ---- zones, in two views: queries to ::1 must carry a valid server cookie over UDP
// (require-server-cookie: a cookie client without one gets BADCOOKIE first), those to
// 127.0.0.1 need none.
view "cookies-required" {
    match-destinations { $ADDR6; };
    require-server-cookie yes;
$zone_conf$TRANSFER_ZONES$DNSSEC_ZONES
};
view "default" {
    match-clients { any; };
$zone_conf$TRANSFER_ZONE_REFS$DNSSEC_ZONE_REFS
};
EOF
named-checkconf "$DIR/named.conf" || fail "generated $DIR/named.conf is invalid"

# ---------------------------------------------------------------- named
USER_OPT=()
if [ "$(id -u)" -eq 0 ]; then
  # Do not serve as root when the bind user can reach the run directory. When it cannot (a
  # clone under /root, mode 0700), named runs as root; it drops the capability to override
  # file permissions, so the directory must then belong to root, not to bind.
  if id bind >/dev/null 2>&1 && runuser -u bind -- test -d "$DIR" 2>/dev/null; then
    chown -R bind:bind "$DIR"
    USER_OPT=(-u bind)
  else
    log "user bind cannot reach $DIR; named runs as root"
    chown -R 0:0 "$DIR"
  fi
fi

[ -f "$LOGFILE" ] && mv -f "$LOGFILE" "$LOGFILE.prev"
show_log() {
  echo "---- $LOGFILE (last 40 lines) ----" >&2
  tail -40 "$LOGFILE" >&2 2>/dev/null || true
  if [ -s "$DIR/named.stderr" ]; then
    echo "---- named stderr ----" >&2
    tail -20 "$DIR/named.stderr" >&2
  fi
}

# Without -f/-g named daemonises; the parent exits once the child is up.
if ! named -c "$DIR/named.conf" -n 2 "${USER_OPT[@]}" </dev/null >"$DIR/named.stderr" 2>&1 9>&-; then
  show_log
  fail "named failed to start"
fi

deadline=$((SECONDS + START_TIMEOUT))
pid=""
while :; do
  [ -n "$pid" ] || pid="$(our_named_pid || true)"
  if [ -n "$pid" ] && answers "$PORT" "$ADDR4"; then break; fi
  if [ $SECONDS -ge $deadline ]; then
    show_log
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
    fail "named did not answer SOA $PROBE_ZONE on $ADDR4#$PORT within ${START_TIMEOUT}s"
  fi
  if [ -n "$pid" ] && ! alive "$pid"; then
    show_log
    fail "named (pid $pid) exited during startup"
  fi
  sleep 0.1
done

# Every zone must have loaded, and both addresses must answer.
for entry in "${ZONES[@]}"; do
  read -r name _ <<<"$entry"
  dig @"$ADDR4" -p "$PORT" +tries=2 +time=1 +norecurse SOA "$name" 2>/dev/null | grep -q 'flags: qr aa' \
    || { show_log; fail "zone $name is not served"; }
done
for name in xfr.test. upd.test. big.test.; do
  dig @"$ADDR4" -p "$PORT" +tries=2 +time=1 +norecurse SOA "$name" 2>/dev/null | grep -q 'flags: qr aa' \
    || { show_log; fail "zone $name is not served"; }
done
check_dnssec_zones || { show_log; fail "not every zone of the DNSSEC tree is served"; }
answers "$PORT" "$ADDR6" || { show_log; fail "named does not answer on [$ADDR6]#$PORT"; }

# DoT and DoH (named logs a listener it cannot open and goes on without it).
await_listener() {  # await_listener "DIG OPTIONS": up to 2 s for named to answer them on both addresses
  local addr
  for addr in "$ADDR4" "$ADDR6"; do
    for _ in $(seq 20); do
      # shellcheck disable=SC2086
      dig @"$addr" $1 +short +tries=1 +time=1 +norecurse SOA "$PROBE_ZONE" 2>/dev/null | grep -q . && continue 2
      sleep 0.1
    done
    show_log
    fail "named does not answer ($1) on $addr"
  done
}
for dot_port in "$DOT_PORT" "$DOT12_PORT" "$DOT_SELF_PORT" "$DOT_WRONG_PORT" "$DTLS_PORT"; do
  await_listener "+tls -p $dot_port"
done
await_listener "+https +tls-ca=$TLS_DIR/ca.crt +tls-hostname=localhost -p $DOH_PORT"
await_listener "+https -p $DOH_SELF_PORT"
await_listener "+http-plain -p $DOH_PLAIN_PORT"

start_kresd "$PORT" "$KRESD_DOT_PORT" "$KRESD_PORT" "$TLS_DIR"
start_doh_json "$PORT" "$DOH_JSON_PORT" "$TLS_DIR"
start_knot "$KNOT_PORT"
start_dtls_relay "$PORT" "$DTLS_PORT" "$TLS_DIR"
start_udp_relay "$PORT" "$UDP_RELAY_PORT"

# ---------------------------------------------------------------- testbed.env
write_env "$PORT" "$pid"

echo "testbed: named pid $pid on $ADDR4#$PORT and [$ADDR6]#$PORT (udp+tcp), DoT $DOT_PORT-$DOT_WRONG_PORT," \
  "DoH $DOH_PORT/$DOH_SELF_PORT/$DOH_PLAIN_PORT (h2c), kresd DoT $KRESD_DOT_PORT and plain $KRESD_PORT (udp+tcp), JSON DoH $DOH_JSON_PORT, Knot DNS $KNOT_PORT," \
  "DTLS $DTLS_PORT (socat; BIND DoT on tcp), UDP relay $UDP_RELAY_PORT (socat), dir $DIR"
