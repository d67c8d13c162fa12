#!/usr/bin/env bash
# Builds one fuzz target, fuzzes it for N seconds from a copy of its corpus, then replays
# every FailCases/<target>-* input (they must not crash once their bugs are fixed).
#
# Usage: FuzzTesting/run.sh <target> [seconds=60] [extra libFuzzer flags...]
#   targets: FuzzMessage FuzzPresentation FuzzName FuzzTransfer (DNSWire),
#            FuzzHTTP1 FuzzHTTP2 FuzzStreamFraming FuzzDoHJSON FuzzExchange (DNSTransport)
# Environment: CONFIG=debug|release (default debug); FUZZ_STRICT_TEXT=1|log; FUZZ_SKIP=bug,bug…;
#              KEEP_CORPUS=dir to keep the grown corpus there; SKIP_BUILD=1.
# Exits non-zero if the fuzzing run or any replay crashed.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: run.sh <target> [seconds] [libFuzzer flags...]}"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
config="${CONFIG:-debug}"
# Swift's own crash backtracer reads the stack in a way ASan reports as an error and hides
# the real failure; let libFuzzer/ASan print the stack instead.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"

case "$target" in
    FuzzMessage | FuzzPresentation | FuzzName | FuzzTransfer) dict="$here/dns.dict" ;;
    FuzzHTTP1 | FuzzHTTP2 | FuzzStreamFraming | FuzzDoHJSON | FuzzExchange) dict="$here/transport.dict" ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
esac

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    # --sanitize=fuzzer lets SwiftPM link libFuzzer's main; the -Xswiftc flag is needed because
    # two separate -sanitize= options make swiftc keep only the last one (no coverage).
    # -enable-testing lets the transport targets `@testable import DNSTransport`.
    swift build --package-path "$here" --scratch-path "$here/.build" -c "$config" -j 1 \
        --product "$target" --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing \
        2>&1 | grep -v "Cannot export local symbol" || true
fi
binary="$here/.build/$config/$target"
[ -x "$binary" ] || { echo "no binary at $binary" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/$target.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
cp -R "$here/Corpus/$target/." "$work/corpus/" 2>/dev/null || true

status=0
echo "== fuzzing $target for ${seconds}s (corpus copy in $work/corpus)"
(cd "$work" && "$binary" -max_total_time="$seconds" -print_final_stats=1 -dict="$dict" \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus") || status=$?
if ls "$work/artifacts/"* >/dev/null 2>&1; then
    mkdir -p "$here/artifacts"
    cp "$work/artifacts/"* "$here/artifacts/"
    echo "== crash inputs copied to $here/artifacts/ (move them to FailCases/$target-<description>)"
fi
[ -n "${KEEP_CORPUS:-}" ] && { mkdir -p "$KEEP_CORPUS"; cp -R "$work/corpus/." "$KEEP_CORPUS/"; }

echo "== replaying FailCases/$target-*"
for case in "$here"/FailCases/"$target"-*; do
    [ -e "$case" ] || continue
    if "$binary" "$case" >"$work/replay.log" 2>&1; then
        echo "ok    $(basename "$case")"
    else
        echo "CRASH $(basename "$case")"
        grep -E "Fatal error|ERROR: AddressSanitizer|SUMMARY" "$work/replay.log" | head -3
        status=1
    fi
done
exit "$status"
