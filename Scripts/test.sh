#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what is missing, starts the
# BIND testbed on loopback (stopping it afterwards if this script started it), runs `swift test`.
# Tests run in parallel; the descriptor-leak checks run in child processes of their own.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh

# Formatting is part of the check (.swift-format; fix with `swift format format -i -r <paths>`).
swift format lint --strict -r Package.swift Sources Tests Samples Benchmarks FuzzTesting/Package.swift FuzzTesting/Sources
Scripts/docs.sh --check

# Stop the testbed afterwards only if it was not already running.
pidfile="${TESTBED_DIR:-$PWD/.testbed}/named.pid"
started_testbed=1
if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then started_testbed=0; fi
Scripts/testbed/start.sh
stop_testbed() { if [ "$started_testbed" = 1 ]; then Scripts/testbed/stop.sh; fi; }
trap stop_testbed EXIT

swift build --build-tests
swift test
