#!/usr/bin/env bash
# The demo: on a fresh Debian machine, installs what is missing, starts the bundled BIND
# testbed on loopback, and queries it with the dnsquery sample over every protocol this
# build supports, then shows asynchronous queries with the async-events sample.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/testbed/start.sh
. .testbed/testbed.env
swift build --product dnsquery --product async-events --product dot-pinning >/dev/null 2>&1 || swift build --product dnsquery --product async-events --product dot-pinning

query() {  # [--protocol P] ARGS…: the testbed's port for P (DoT trusts the testbed's CA)
    local port=$TESTBED_PORT extra=()
    if [ "${1:-}" = --protocol ] && [ "$2" = tls ]; then port=$TESTBED_DOT_PORT; extra=(--config "SSLCAFile=$TESTBED_CA_FILE"); fi
    echo "\$ dnsquery --port $port $*"
    .build/debug/dnsquery --server 127.0.0.1 --port "$port" --timeout 5 "${extra[@]}" "$@"
    echo
}
for transport in udp tcp tls; do
    query --protocol "$transport" --type A --type AAAA --type MX www.testbed.test
    query --protocol "$transport" --type MX --source all mx.testbed.test
done
query --type SRV _sip._tcp.testbed.test
query --type RevLookup 192.0.2.1
query --type LOC loc1.fixtures.test
query --type TLSA _443._tcp.tlsa1.fixtures.test
query --type HTTPS --json https1.fixtures.test
query --config UseIDNs=True café.münchen.test
echo "\$ dot-pinning --pin <the testbed server's SPKI pin>"
.build/debug/dot-pinning --server 127.0.0.1 --port "$TESTBED_DOT_PORT" --pin "$TESTBED_DOT_PIN" www.testbed.test
echo
echo "\$ async-events"
.build/debug/async-events --server 127.0.0.1 --port "$TESTBED_PORT"
echo
echo "The testbed keeps running (stop it with Scripts/testbed/stop.sh)."
