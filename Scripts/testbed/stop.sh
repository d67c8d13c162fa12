#!/usr/bin/env bash
# Stops the testbed started by Scripts/testbed/start.sh: only the processes whose
# pids are in $TESTBED_DIR/dtls-relay.pid, udp-relay.pid, doh-json.pid, knot.pid, kresd.pid
# and named.pid (default <repo>/.testbed), and only if they are the socat DTLS server, the
# socat UDP relay (with the children each forked, one per client), the JSON DoH server
# (doh-json-server.py), a knotd, a kresd and a named. SIGTERM, up to 5 s (named 10 s), then
# SIGKILL. Removes the pid files and testbed.env. Exit 0 when it was not running. Keeps the
# run directory (logs, tls/, venv/).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIR="${TESTBED_DIR:-$ROOT/.testbed}"

if [ ! -d "$DIR" ]; then
  echo "testbed: not running (no $DIR)"
  exit 0
fi
DIR="$(cd "$DIR" && pwd -P)"
PIDFILE="$DIR/named.pid"

exec 9>"$DIR/.lock"
flock -w 60 9 || { echo "testbed: ERROR: could not lock $DIR/.lock" >&2; exit 1; }

alive() {  # alive PID: running and not a zombie waiting to be reaped
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# stop_helper FILE NAME IS_IT: the pid in $DIR/FILE, only if IS_IT PID says it is ours;
# SIGTERM, up to 5 s, then SIGKILL; the pid file goes either way.
stop_helper() {
  local pid=""
  [ -s "$DIR/$1" ] && pid="$(tr -dc 0-9 <"$DIR/$1")"
  if [ -n "$pid" ] && alive "$pid" && "$3" "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    echo "testbed: stopped $2 pid $pid"
  fi
  rm -f "$DIR/$1"
}
# stop_relay FILE NAME IS_IT: as stop_helper, for a socat with `fork`: first stopped (SIGSTOP,
# so it forks no more), then SIGTERM to it and to the socat children it forked (one per
# client; they outlive it otherwise), up to 5 s, then SIGKILL.
stop_relay() {
  local pid="" left still p n
  [ -s "$DIR/$1" ] && pid="$(tr -dc 0-9 <"$DIR/$1")"
  if [ -n "$pid" ] && alive "$pid" && "$3" "$pid"; then
    kill -STOP "$pid" 2>/dev/null || true
    left="$pid" n=0
    for p in $(pgrep -P "$pid" -x socat || true); do alive "$p" && left+=" $p" && n=$((n + 1)); done
    for p in $left; do kill -TERM "$p" 2>/dev/null || true; kill -CONT "$p" 2>/dev/null || true; done
    for _ in $(seq 50); do
      still=""
      for p in $left; do alive "$p" && still+=" $p"; done
      left="$still"
      [ -n "$left" ] || break
      sleep 0.1
    done
    for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
    echo "testbed: stopped $2 pid $pid and the $n children it forked"
  fi
  rm -f "$DIR/$1"
}
is_socat() {  # is_socat PID ADDRESS-TYPE
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = socat ] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q " $2:"
}
is_dtls_relay() { is_socat "$1" OPENSSL-DTLS-SERVER; }
is_udp_relay() { is_socat "$1" UDP-LISTEN; }
runs_json_server() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'doh-json-server\.py'; }
is_knotd() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = knotd ]; }
is_kresd() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = kresd ]; }

# The helpers first (the socat relays, the JSON DoH server, Knot DNS, kresd), then named.
stop_relay dtls-relay.pid "socat DTLS relay" is_dtls_relay
stop_relay udp-relay.pid "socat UDP relay" is_udp_relay
stop_helper doh-json.pid "JSON DoH server" runs_json_server
stop_helper knot.pid knotd is_knotd
stop_helper kresd.pid kresd is_kresd

pid=""
[ -s "$PIDFILE" ] && pid="$(tr -dc 0-9 <"$PIDFILE")"
if [ -z "$pid" ] || ! alive "$pid" \
   || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != named ]; then
  rm -f "$PIDFILE" "$DIR/testbed.env"
  echo "testbed: not running"
  exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 100); do
  alive "$pid" || break
  sleep 0.1
done
if alive "$pid"; then
  echo "testbed: named pid $pid ignored SIGTERM for 10 s; sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 20); do alive "$pid" || break; sleep 0.1; done
fi
rm -f "$PIDFILE" "$DIR/testbed.env"
echo "testbed: stopped named pid $pid"
