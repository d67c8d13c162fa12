#!/usr/bin/env bash
# CPU per query, ours and dnsperf's, and what each costs BIND, with 100 queries in flight
# against the testbed: where a pipelined throughput ratio comes from.
#
#   Benchmarks/cpu-per-query.sh [--protocol udp|tcp|tls] [--queries N] [--rounds R] [--config Key=Value]...
#
# Each round runs dnsperf (-c 1 -q 100 -e, 3 s; -e puts an EDNS OPT record in every query,
# as ours does) and then `dnsbench query --mode pipelined` (N queries, default 200000; each
# --config is passed on, e.g. UDPMaxQueries=1000), and
# prints for each: queries/s, the client's CPU per query (user + system, and user alone for
# ours), and BIND's CPU per query (read from /proc/<named pid>/stat before and after). With
# one socket or connection BIND serves a client from one worker thread, so BIND's CPU per
# query bounds both clients alike. Expects the testbed (Scripts/testbed/start.sh) and a
# release dnsbench (swift build -c release --product dnsbench).
set -euo pipefail
# shellcheck source=Benchmarks/common.sh
. "$(dirname "$0")/common.sh"

protocol=udp
queries=200000
rounds=3
configs=()
while (($#)); do
    case "$1" in
        --protocol) protocol="${2:?}"; shift ;;
        --queries) queries="${2:?}"; shift ;;
        --rounds) rounds="${2:?}"; shift ;;
        --config) configs+=(--config "${2:?}"); shift ;;
        *) bench_usage ;;
    esac
    shift
done

# shellcheck source=/dev/null
. .testbed/testbed.env
named=$(cat .testbed/named.pid)
case "$protocol" in
    udp) port=$TESTBED_PORT mode=udp ;;
    tcp) port=$TESTBED_PORT mode=tcp ;;
    tls) port=$TESTBED_DOT12_PORT mode=dot ;;
    *) echo "cpu-per-query: protocol $protocol is not udp, tcp or tls" >&2; exit 2 ;;
esac
names=Benchmarks/data/testbed-names.txt
ticks_per_second=$(getconf CLK_TCK)
bind_ticks() { awk '{ print $14 + $15 }' "/proc/$named/stat"; }

for ((round = 1; round <= rounds; round++)); do
    before=$(bind_ticks)
    out=$(/usr/bin/time -f "time %U %S" dnsperf -s 127.0.0.1 -p "$port" -m "$mode" -d "$names" -c 1 -q 100 -l 3 -e 2>&1)
    after=$(bind_ticks)
    echo "$out" | awk -v bind=$((after - before)) -v hz="$ticks_per_second" '
        /Queries completed/ { done = $3 } /Queries per second/ { qps = $4 } /^time / { cpu = $2 + $3 }
        END { printf "dnsperf  %7.0f q/s  client %5.2f µs/query              BIND %5.2f µs/query\n", qps, cpu * 1e6 / done, bind / hz * 1e6 / done }'
    before=$(bind_ticks)
    json=$(.build/release/dnsbench query --server 127.0.0.1 --port "$port" --protocol "$protocol" --mode pipelined \
        --queries "$queries" --concurrency 100 --names "$names" --ca "$TESTBED_CA_FILE" "${configs[@]}" --json)
    after=$(bind_ticks)
    echo "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
queries, bind, hz = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
user, system = d["cpu_user_s"], d["cpu_sys_s"]
print("ours     %7.0f q/s  client %5.2f µs/query (user %4.2f)  BIND %5.2f µs/query"
      % (d["qps"], (user + system) * 1e6 / queries, user * 1e6 / queries, bind / hz * 1e6 / queries))' \
        "$queries" $((after - before)) "$ticks_per_second"
done
