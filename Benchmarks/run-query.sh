#!/usr/bin/env bash
# Query throughput of DNSComponent (`dnsbench query`) beside dnsperf 2.10, against the BIND
# testbed on loopback, in one invocation so both share the machine's noise.
#
#   Benchmarks/run-query.sh [--seconds S] [--rounds R] [--protocols "udp tcp tls https"] [--async] [--json]
#
# For UDP, TCP, DoT (the TLS 1.2 listener, which avoids BIND's 40 ms first-answer stall
# on TLS 1.3) and DoH (POST over HTTP/2), sequential (one query in flight; dnsperf -q 1) and pipelined (100 in flight;
# dnsperf -q 100). Prints queries/s of each and the ratio ours/reference. The reference is
# dnsperf, except for sequential DoH, where dnsperf with one query in flight stalls on BIND
# (about 23 q/s): there it is Go's miekg/dns over net/http ("miekg-doh": Benchmarks/reference/miekg-query -net https).
# Sequential UDP, TCP and DoT also run Go's miekg/dns on one reused socket or connection
# (Benchmarks/reference/miekg-query), the reference the sequential targets are set against;
# pipelined UDP also runs its fan-out (100 goroutines, a fresh socket per query, as ours by
# default), and a third UDP row, pipelined_shared, runs ours with UDPMaxQueries=1000.
# Like for like, every client sends the same query: an EDNS OPT record without options (ours by
# default, Go's with SetEdns0, dnsperf's with -e) and no cookie (ours with DNSCookies=False; see
# cpu-per-query.sh for what cookies cost BIND). Without -e, dnsperf would send no OPT, and BIND
# spends about 0.3 µs per query less on such a query (8.8 against 9.1 µs, 2026-12-01). This 2-core machine is shared and noisy: with --rounds R (default 3) each pair runs R times,
# reference first, and the table shows the median of each side and the median of the ratios.
# With --async, each round also runs DNSClient (`dnsbench query --api async --executor client`, tasks
# on the client's thread) right after ours, and the table adds its q/s, its ratio to the component
# and, where Go runs, to Go.
set -euo pipefail
# shellcheck source=Benchmarks/common.sh
. "$(dirname "$0")/common.sh"

seconds=5
rounds=3
json=0
async=0
protocols=(udp tcp tls https)
while (($#)); do
    case "$1" in
        --seconds) seconds="${2:?}"; shift ;;
        --rounds) rounds="${2:?}"; shift ;;
        --json) json=1 ;;
        --async) async=1 ;;
        --protocols) read -r -a protocols <<<"${2:?}"; shift ;;
        *) bench_usage ;;
    esac
    shift
done

Benchmarks/reference/build-references.sh >&2
bench_prelude
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
    [ "$mode" = tls ] && mode="dot"
    [ "$mode" = https ] && mode=doh && extra=(-O "doh-uri=https://127.0.0.1:$(port_of https)/dns-query" -O doh-method=POST)
    dnsperf -s 127.0.0.1 -p "$(port_of "$1")" -d "$names" -c 1 -q "$2" -l "$seconds" -m "$mode" -e "${extra[@]}" 2>&1 |
        awk '/Queries per second/ { print $4 }'
}
go_reference_qps() {  # protocol queries [concurrency]: miekg/dns, one query at a time on a reused socket or
    # connection; with a concurrency, that many goroutines on a fresh socket per query (UDP)
    local target=(-server "127.0.0.1:$(port_of "$1")" -net "$1" -concurrency "${3:-1}")
    [ "$1" = tls ] && target=(-server "127.0.0.1:$(port_of tls)" -net tcp-tls)
    [ "$1" = https ] && target=(-net https -url "https://127.0.0.1:$(port_of https)/dns-query")
    Benchmarks/.bin/miekg-query "${target[@]}" -ca "$TESTBED_CA_FILE" -names "$names" -queries "$2" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["qps"])'
}
ours_qps() {  # protocol mode queries [dnsbench options...] (mode pipelined_shared: pipelined with UDPMaxQueries=1000)
    # Like for like: dnsperf and Go send no DNS cookie, and BIND spends CPU on the server
    # cookie of every query that carries one, so ours sends none here either.
    local mode=$2 extra=(--config DNSCookies=False "${@:4}")
    [ "$mode" = pipelined_shared ] && mode=pipelined && extra+=(--config UDPMaxQueries=1000)
    .build/release/dnsbench query --server 127.0.0.1 --port "$(port_of "$1")" --protocol "$1" --mode "$mode" \
        --queries "$3" --concurrency 100 --names "$names" --ca "$TESTBED_CA_FILE" "${extra[@]}" --json |
        python3 -c 'import json,sys; print(round(json.load(sys.stdin)["qps"]))'
}
median_ratio() { ratio "$(median "$@")"; }  # X...: their median with two decimals, as ratios are shown

results=()
for protocol in "${protocols[@]}"; do
    modes=(sequential pipelined)
    [ "$protocol" = udp ] && modes+=(pipelined_shared)
    for mode in "${modes[@]}"; do
        inflight=$([ "$mode" = sequential ] && echo 1 || echo 100)
        reference=dnsperf
        [ "$protocol $mode" = "https sequential" ] && reference=miekg-doh
        all_ours=() all_theirs=() all_ratios=() all_go=() all_go_ratios=() all_async=() all_async_ratios=() all_async_go=()
        # Go's miekg/dns: sequential on a reused socket; for UDP pipelined, 100 goroutines
        # each on a fresh socket per query (the default's per-query-socket peer).
        go=$({ [ "$mode" = sequential ] && [ "$reference" = dnsperf ]; } || [ "$protocol $mode" = "udp pipelined" ] && echo 1 || echo 0)
        go_concurrency=$([ "$mode" = sequential ] && echo 1 || echo 100)
        for ((round = 1; round <= rounds; round++)); do
            if [ "$reference" = miekg-doh ]; then
                theirs=$(go_reference_qps https 20000)
            else
                theirs=$(dnsperf_qps "$protocol" "$inflight")
            fi
            # Size our run to take about as long as the reference's.
            queries=$(python3 -c "print(max(5000, int(float('$theirs') * $seconds)))")
            ours=$(ours_qps "$protocol" "$mode" "$queries")
            all_ours+=("$ours") all_theirs+=("$theirs")
            all_ratios+=("$(ratio "$ours" "$theirs")")
            with_async=$([ "$async" = 1 ] && [ "$mode" != pipelined_shared ] && echo 1 || echo 0)
            if [ "$with_async" = 1 ]; then
                async_qps=$(ours_qps "$protocol" "$mode" "$queries" --api async --executor client)
                all_async+=("$async_qps")
                all_async_ratios+=("$(ratio "$async_qps" "$ours")")
                echo "run-query: $protocol $mode round $round: DNSClient $async_qps q/s" >&2
            fi
            if [ "$go" = 1 ]; then
                go_qps=$(go_reference_qps "$protocol" "$queries" "$go_concurrency")
                all_go+=("$go_qps")
                all_go_ratios+=("$(ratio "$ours" "$go_qps")")
                [ "$with_async" = 1 ] && all_async_go+=("$(ratio "$async_qps" "$go_qps")")
                echo "run-query: $protocol $mode round $round: Go miekg/dns $go_qps q/s" >&2
            fi
            echo "run-query: $protocol $mode round $round: ours $ours q/s, $reference $theirs q/s" >&2
        done
        ours=$(median "${all_ours[@]}")
        theirs=$(median "${all_theirs[@]}")
        ratio=$(median_ratio "${all_ratios[@]}")
        go_qps=- go_ratio=-
        if [ "$go" = 1 ]; then
            go_qps=$(median "${all_go[@]}")
            go_ratio=$(median_ratio "${all_go_ratios[@]}")
        fi
        async_qps=- async_ratio=- async_go=-
        if ((${#all_async[@]})); then
            async_qps=$(median "${all_async[@]}")
            async_ratio=$(median_ratio "${all_async_ratios[@]}")
            ((${#all_async_go[@]})) && async_go=$(median_ratio "${all_async_go[@]}")
        fi
        results+=("$protocol $mode ${ours%.*} $theirs $ratio $reference $go_qps $go_ratio $async_qps $async_ratio $async_go ${all_ratios[*]}")
    done
done

if [ "$json" = 1 ]; then
    printf '%s\n' "${results[@]}" | python3 -c '
import json, sys
rows = [line.split() for line in sys.stdin if line.strip()]
def row(o, t, r, ref, go, go_ratio, a, a_ratio, a_go, ratios):
    fields = {"ours_qps": int(o), "reference": ref, "reference_qps": float(t), "ratio": float(r),
              "round_ratios": [float(x) for x in ratios]}
    if ref == "dnsperf":
        fields["dnsperf_qps"] = float(t)
    if go != "-":
        fields["go_qps"], fields["go_ratio"] = float(go), float(go_ratio)
    if a != "-":
        fields["async_qps"], fields["async_ratio_component"] = float(a), float(a_ratio)
    if a_go != "-":
        fields["async_go_ratio"] = float(a_go)
    return fields
print(json.dumps({f"{x[0]}_{x[1]}": row(*x[2:11], x[11:]) for x in rows}))'
else
    printf '%-5s %-11s %9s %-10s %13s %6s %9s %6s %9s %7s %8s  %s\n' protocol mode "ours q/s" reference "reference q/s" ratio "Go q/s" "vs Go" \
        "async q/s" "a/comp" "async/Go" "ratio each round"
    for row in "${results[@]}"; do
        read -r protocol mode ours theirs ratio reference go_qps go_ratio async_qps async_ratio async_go ratios <<<"$row"
        [ "$go_qps" != - ] && go_qps=$(printf '%.0f' "$go_qps")
        [ "$async_qps" != - ] && async_qps=$(printf '%.0f' "$async_qps")
        printf '%-5s %-11s %9s %-10s %13.0f %6s %9s %6s %9s %7s %8s  %s\n' "$protocol" "$mode" "$ours" "$reference" "$theirs" "$ratio" \
            "$go_qps" "$go_ratio" "$async_qps" "$async_ratio" "$async_go" "$ratios"
    done
fi
