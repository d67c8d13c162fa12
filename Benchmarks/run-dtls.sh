#!/usr/bin/env bash
# DNS over DTLS throughput beside plain UDP through the same kind of relay, and the DTLS
# handshake time, in one invocation so both sides share the machine's noise.
#
#   Benchmarks/run-dtls.sh [--queries N] [--rounds R] [--json]
#
# Both sides query the testbed's BIND through socat on loopback: DTLS through the testbed's
# DTLS relay (TESTBED_DTLS_PORT, socat OPENSSL-DTLS-SERVER), plain UDP through its UDP relay
# (TESTBED_UDP_RELAY_PORT, socat UDP), our UDP client on one socket (UDPMaxQueries=0) as the
# DTLS session is one. Sequential (one query in flight) and pipelined (100 in flight), N
# queries each (default 20000), R rounds (default 3), the UDP run first in each round; the
# table shows the median q/s of each side and the median of the ratios DTLS/UDP. Then the
# time of a query on a new DTLS session, full and resumed handshake (`dnsbench handshake
# --protocol dtls`), against the in-process DTLS server relaying to BIND (a socat process
# starts each session with new ticket keys, so it never resumes).
set -euo pipefail
# shellcheck source=Benchmarks/common.sh
. "$(dirname "$0")/common.sh"

queries=20000
rounds=3
json=0
while (($#)); do
    case "$1" in
        --queries) queries="${2:?}"; shift ;;
        --rounds) rounds="${2:?}"; shift ;;
        --json) json=1 ;;
        *) bench_usage ;;
    esac
    shift
done

bench_prelude
names=Benchmarks/data/testbed-names.txt
tls=$(dirname "$TESTBED_CA_FILE")

qps() {  # protocol mode
    local port=$TESTBED_UDP_RELAY_PORT extra=(--config UDPMaxQueries=0)
    [ "$1" = dtls ] && port=$TESTBED_DTLS_PORT extra=()
    .build/release/dnsbench query --server 127.0.0.1 --port "$port" --protocol "$1" --mode "$2" --queries "$queries" \
        --concurrency 100 --names "$names" --ca "$TESTBED_CA_FILE" --config DNSCookies=False "${extra[@]}" --json |
        python3 -c 'import json,sys; print(round(json.load(sys.stdin)["qps"]))'
}

results=()
for mode in sequential pipelined; do
    all_udp=() all_dtls=() all_ratios=()
    for ((round = 1; round <= rounds; round++)); do
        udp=$(qps udp "$mode")
        dtls=$(qps dtls "$mode")
        all_udp+=("$udp") all_dtls+=("$dtls")
        all_ratios+=("$(ratio "$dtls" "$udp")")
        echo "run-dtls: $mode round $round: DTLS $dtls q/s, relayed UDP $udp q/s" >&2
    done
    results+=("$mode $(median "${all_dtls[@]}") $(median "${all_udp[@]}") $(median "${all_ratios[@]}") ${all_ratios[*]}")
done
handshake=$(.build/release/dnsbench handshake --protocol dtls --cert "$tls/server.crt" --key "$tls/server.key" \
    --upstream "$TESTBED_PORT" --ca "$TESTBED_CA_FILE" --count 200 --json)

if [ "$json" = 1 ]; then
    printf '%s\n' "${results[@]}" | HANDSHAKE="$handshake" python3 -c '
import json, os, sys
rows = [line.split() for line in sys.stdin if line.strip()]
out = {f"{r[0]}": {"dtls_qps": float(r[1]), "udp_relay_qps": float(r[2]), "ratio": float(r[3]),
                   "round_ratios": [float(x) for x in r[4:]]} for r in rows}
out["handshake"] = json.loads(os.environ["HANDSHAKE"])
print(json.dumps(out))'
else
    printf '%-11s %9s %13s %6s  %s\n' mode "DTLS q/s" "UDP relay q/s" ratio "ratio each round"
    for row in "${results[@]}"; do
        read -r mode dtls udp ratio ratios <<<"$row"
        printf '%-11s %9.0f %13.0f %6.2f  %s\n' "$mode" "$dtls" "$udp" "$ratio" "$ratios"
    done
    echo "$handshake" | python3 -c '
import json, sys
h = json.load(sys.stdin)
print("query on a new DTLS session: full handshake {:.0f} µs, resumed {:.0f} µs (medians of 200)".format(
    h["full_handshake_query_us"], h["resumed_handshake_query_us"]))'
fi
