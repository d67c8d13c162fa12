#!/usr/bin/env bash
# Query throughput of DNSComponent (`dnsbench query`) beside dnsperf 2.10, against the BIND
# testbed on loopback, in one invocation so both share the machine's noise.
#
#   Benchmarks/run-query.sh [--seconds S] [--protocols "udp tcp tls https"] [--json]
#
# For UDP, TCP, DoT (the TLS 1.2 listener, which avoids BIND's 40 ms first-answer stall
# on TLS 1.3) and DoH (POST over HTTP/2), sequential (one query in flight; dnsperf -q 1) and pipelined (100 in flight;
# dnsperf -q 100). Prints queries/s of each and the ratio ours/reference. The reference is
# dnsperf, except for sequential DoH, where dnsperf with one query in flight stalls on BIND
# (about 23 q/s): there it is Go's miekg/dns over net/http (Benchmarks/reference/miekg-doh).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=5
json=0
protocols=(udp tcp tls https)
while (($#)); do
    case "$1" in
        --seconds) seconds="${2:?}"; shift ;;
        --json) json=1 ;;
        --protocols) read -r -a protocols <<<"${2:?}"; shift ;;
        *) echo "usage: $0 [--seconds S] [--protocols \"udp tcp tls https\"] [--json]" >&2; exit 2 ;;
    esac
    shift
done

Benchmarks/reference/build-references.sh >&2
Scripts/testbed/start.sh >&2
. .testbed/testbed.env
swift build -c release --product dnsbench >&2
names=Benchmarks/data/testbed-names.txt

port_of() {
    case "$1" in
        tls) echo "$TESTBED_DOT12_PORT" ;;
        https) echo "$TESTBED_DOH_PORT" ;;
        *) echo "$TESTBED_PORT" ;;
    esac
}
dnsperf_qps() {  # protocol in-flight
    local mode=$1 extra=()
    [ "$mode" = tls ] && mode=dot
    [ "$mode" = https ] && mode=doh && extra=(-O "doh-uri=https://127.0.0.1:$(port_of https)/dns-query" -O doh-method=POST)
    dnsperf -s 127.0.0.1 -p "$(port_of "$1")" -d "$names" -c 1 -q "$2" -l "$seconds" -m "$mode" "${extra[@]}" 2>&1 |
        awk '/Queries per second/ { print $4 }'
}
go_doh_qps() {
    Benchmarks/.bin/miekg-doh -url "https://127.0.0.1:$TESTBED_DOH_PORT/dns-query" -ca "$TESTBED_CA_FILE" \
        -names "$names" -queries "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["qps"])'
}
ours_qps() {  # protocol mode queries
    .build/release/dnsbench query --server 127.0.0.1 --port "$(port_of "$1")" --protocol "$1" --mode "$2" \
        --queries "$3" --concurrency 100 --names "$names" --ca "$TESTBED_CA_FILE" --json |
        python3 -c 'import json,sys; print(round(json.load(sys.stdin)["qps"]))'
}

results=()
for protocol in "${protocols[@]}"; do
    for mode in sequential pipelined; do
        inflight=$([ "$mode" = sequential ] && echo 1 || echo 100)
        if [ "$protocol $mode" = "https sequential" ]; then
            reference=miekg-doh
            theirs=$(go_doh_qps 20000)
        else
            reference=dnsperf
            theirs=$(dnsperf_qps "$protocol" "$inflight")
        fi
        # Size our run to take about as long as dnsperf's.
        queries=$(python3 -c "print(max(1000, int(float('$theirs') * $seconds)))")
        ours=$(ours_qps "$protocol" "$mode" "$queries")
        ratio=$(python3 -c "print(f'{$ours / float(\"$theirs\"):.2f}')")
        results+=("$protocol $mode $ours $theirs $ratio $reference")
        echo "run-query: $protocol $mode: ours $ours q/s, $reference $theirs q/s" >&2
    done
done

if [ "$json" = 1 ]; then
    printf '%s\n' "${results[@]}" | python3 -c '
import json, sys
rows = [line.split() for line in sys.stdin if line.strip()]
def row(o, t, r, ref):
    fields = {"ours_qps": int(o), "reference": ref, "reference_qps": float(t), "ratio": float(r)}
    if ref == "dnsperf":
        fields["dnsperf_qps"] = float(t)
    return fields
print(json.dumps({f"{p}_{m}": row(o, t, r, ref) for p, m, o, t, r, ref in rows}))'
else
    printf '%-5s %-11s %12s %-10s %14s %7s\n' protocol mode "ours q/s" reference "reference q/s" ratio
    for row in "${results[@]}"; do
        read -r protocol mode ours theirs ratio reference <<<"$row"
        printf '%-5s %-11s %12s %-10s %14.0f %7s\n' "$protocol" "$mode" "$ours" "$reference" "$theirs" "$ratio"
    done
fi
