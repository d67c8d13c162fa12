# shellcheck shell=bash
# What the benchmark scripts in Benchmarks/ share. Each sources it right after
# `set -euo pipefail`:
#
#   . "$(dirname "$0")/common.sh"
#
# Sourcing it changes to the repository root, so a script runs from any directory and names
# every file from the root. It defines:
#   bench_usage              the script's usage line on stderr, exit 2 (for an unknown flag)
#   bench_build [ARG]...     a release dnsbench
#   bench_prelude [ARG]...   the testbed started and its testbed.env read, then bench_build
#   bench_tmpdir             $bench_tmp, a private directory removed when the script exits
#   median X...              the median of the numbers
#   ratio A [B]              A / B with two decimals
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

# bench_usage: prints "usage: $0 OPTIONS" on stderr, OPTIONS from the script's header comment
# line "#   Benchmarks/<script> OPTIONS" (so the two cannot disagree), and exits 2.
bench_usage() {
    local script=${0##*/} line
    while IFS= read -r line && [[ $line == '#'* ]]; do
        if [[ $line == "#   Benchmarks/$script "* ]]; then
            echo "usage: $0 ${line#"#   Benchmarks/$script "}" >&2
            exit 2
        fi
    done <"Benchmarks/$script"
    echo "usage: $0 (see the header of Benchmarks/$script)" >&2
    exit 2
}

# bench_build [ARG]...: `swift build -c release --product dnsbench ARG...`, its output on
# stderr; the binary is .build/release/dnsbench (with --scratch-path P: P/release/dnsbench).
bench_build() {
    swift build -c release --product dnsbench "$@" >&2
}

# bench_prelude [ARG]...: starts this checkout's testbed (Scripts/testbed/start.sh, which
# leaves a running one alone), reads its ports and files (TESTBED_PORT, TESTBED_CA_FILE...)
# from .testbed/testbed.env, then bench_build ARG.... Progress on stderr.
# shellcheck disable=SC2120  # most callers pass no build arguments
bench_prelude() {
    Scripts/testbed/start.sh >&2
    # shellcheck source=/dev/null
    . .testbed/testbed.env
    bench_build "$@"
}

# bench_tmpdir: sets bench_tmp to a new directory that only this user can enter (mktemp -d),
# removed when the script exits.
bench_tmpdir() {
    bench_tmp=$(mktemp -d)
    trap 'rm -rf "$bench_tmp"' EXIT
}

# median X...: the median of the numbers, as Python prints a float (1234.0, 0.875).
median() { python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

# ratio A [B]: A / B (B defaults to 1) with two decimals (0.88), as the tables show ratios.
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$1" "${2-1}"; }
