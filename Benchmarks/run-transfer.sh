#!/usr/bin/env bash
# AXFR of the testbed's 100,000-record zone big.test. from BIND on loopback: ours
# (`dnsbench transfer`, records printed as dig prints them while the rest arrives: through the
# component, "ours", and through DNSClient's transferMessages, "async", read by a task on the
# client's thread as run-query.sh's DNSClient rows run theirs) beside `dig axfr` and
# `kdig axfr`, in one invocation so all share the machine's noise. Each writes the records to
# /dev/null; the wall time is taken around the process (in milliseconds: GNU time's %e counts
# hundredths, 6% of a run this short), GNU time gives the peak RSS.
#
#   Benchmarks/run-transfer.sh [--rounds R] [--tsig]
#
# With --tsig every transfer is signed with the testbed's hmac-sha256 key (each message
# verified). Prints the median wall time and peak RSS of each tool, ours/kdig and async/kdig.
set -euo pipefail
# shellcheck source=Benchmarks/common.sh
. "$(dirname "$0")/common.sh"

rounds=3
tsig=0
while (($#)); do
    case "$1" in
        --rounds) rounds="${2:?}"; shift ;;
        --tsig) tsig=1 ;;
        *) bench_usage ;;
    esac
    shift
done

Scripts/install-deps.sh bind9-dnsutils knot-dnsutils time >/dev/null
# dnsbench built as a Linux command-line tool is shipped, in a scratch path of its own: the Swift
# runtime linked in (--static-swift-stdlib), and with it the C++ runtime it is written against
# (libstdc++.a: the linker finds the archive first in a directory holding only it). The
# runtime linked in brings the first connect from about 7.5 ms to 5; libstdc++ linked in saves
# 0.6–1 ms more, which the dynamic loader would spend binding some 3,000 of its symbols.
# OpenSSL, nghttp2 and libidn2 stay shared libraries, as a distribution ships them.
link_dir=.build/static/link
mkdir -p "$link_dir"
libstdcxx=$(clang -print-file-name=libstdc++.a)
[[ $libstdcxx == /* ]] || { echo "run-transfer: clang finds no libstdc++.a (install libstdc++-12-dev)" >&2; exit 1; }
ln -sfn "$libstdcxx" "$link_dir/libstdc++.a"
bench_prelude --static-swift-stdlib --scratch-path .build/static -Xlinker -L"$PWD/$link_dir"
dnsbench=.build/static/release/dnsbench

key=()
dig_key=()
[ "$tsig" = 1 ] && key=(--tsig "$TESTBED_TSIG_HMAC_SHA256") && dig_key=(-y "$TESTBED_TSIG_HMAC_SHA256")
bench_tmpdir
measure() {  # measure COMMAND...: prints "seconds kilobytes"
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$bench_tmp/rss" "$@" >/dev/null 2>/dev/null
    end=$(date +%s%N)
    echo "$(python3 -c "print(($end - $start) / 1e9)") $(cat "$bench_tmp/rss")"
}
run_ours() { measure "$dnsbench" transfer --server 127.0.0.1 --port "$TESTBED_PORT" --zone big.test "${key[@]}"; }
run_async() { measure "$dnsbench" transfer --server 127.0.0.1 --port "$TESTBED_PORT" --zone big.test --api async --executor client "${key[@]}"; }
run_dig() { measure dig @127.0.0.1 -p "$TESTBED_PORT" "${dig_key[@]}" +noall +answer big.test AXFR; }
run_kdig() { measure kdig @127.0.0.1 -p "$TESTBED_PORT" "${dig_key[@]}" +noall +answer big.test AXFR; }

declare -A times rss
for ((round = 1; round <= rounds; round++)); do
    for tool in kdig dig ours async; do
        read -r seconds kilobytes < <("run_$tool")
        times[$tool]+="$seconds "
        rss[$tool]+="$kilobytes "
        echo "run-transfer: round $round: $tool ${seconds}s ${kilobytes} KiB" >&2
    done
done
printf '%-5s %9s %12s\n' tool "wall s" "peak RSS MiB"
for tool in ours async kdig dig; do
    # shellcheck disable=SC2086
    printf '%-5s %9.3f %12.1f\n' "$tool" "$(median ${times[$tool]})" "$(python3 -c "print($(median ${rss[$tool]}) / 1024)")"
done
for tool in ours async; do
    # shellcheck disable=SC2086
    echo "$tool/kdig wall time: $(ratio "$(median ${times[$tool]})" "$(median ${times[kdig]})")"
done
