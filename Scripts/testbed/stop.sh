#!/usr/bin/env bash
# Stops the testbed started by Scripts/testbed/start.sh: only the processes whose
# pids are in $TESTBED_DIR/doh-json.pid, knot.pid, kresd.pid and named.pid (default
# <repo>/.testbed), and only if they are the JSON DoH server (doh-json-server.py),
# a knotd, a kresd and a named. SIGTERM, up to 5 s (named 10 s), then SIGKILL. Removes the
# pid files and testbed.env. Exit 0 when it was not running. Keeps the run
# directory (logs, tls/, venv/).
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

# The JSON DoH server first: only the pid in doh-json.pid, and only if it runs doh-json-server.py.
jpid=""
[ -s "$DIR/doh-json.pid" ] && jpid="$(tr -dc 0-9 <"$DIR/doh-json.pid")"
if [ -n "$jpid" ] && alive "$jpid" \
   && tr '\0' ' ' <"/proc/$jpid/cmdline" 2>/dev/null | grep -q 'doh-json-server\.py'; then
  kill -TERM "$jpid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$jpid" || break; sleep 0.1; done
  alive "$jpid" && kill -KILL "$jpid" 2>/dev/null || true
  echo "testbed: stopped JSON DoH server pid $jpid"
fi
rm -f "$DIR/doh-json.pid"

# Then Knot DNS: only the pid in knot.pid, and only if it is a knotd.
npid=""
[ -s "$DIR/knot.pid" ] && npid="$(tr -dc 0-9 <"$DIR/knot.pid")"
if [ -n "$npid" ] && alive "$npid" && [ "$(cat "/proc/$npid/comm" 2>/dev/null)" = knotd ]; then
  kill -TERM "$npid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$npid" || break; sleep 0.1; done
  alive "$npid" && kill -KILL "$npid" 2>/dev/null || true
  echo "testbed: stopped knotd pid $npid"
fi
rm -f "$DIR/knot.pid"

# Then kresd: only the pid in kresd.pid, and only if it is a kresd.
kpid=""
[ -s "$DIR/kresd.pid" ] && kpid="$(tr -dc 0-9 <"$DIR/kresd.pid")"
if [ -n "$kpid" ] && alive "$kpid" && [ "$(cat "/proc/$kpid/comm" 2>/dev/null)" = kresd ]; then
  kill -TERM "$kpid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$kpid" || break; sleep 0.1; done
  alive "$kpid" && kill -KILL "$kpid" 2>/dev/null || true
  echo "testbed: stopped kresd pid $kpid"
fi
rm -f "$DIR/kresd.pid"

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
