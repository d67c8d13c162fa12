#!/usr/bin/env bash
# The demo: on a fresh Debian machine, installs what is missing, starts the bundled BIND
# testbed on loopback, and queries it with the dnsquery sample over every protocol this
# build supports, then shows asynchronous queries with the async-events sample and
# concurrent ones through DNSClient with async-client, the first address of a name over
# DNS over DTLS with dodtls-psk, and a TSIG-signed zone transfer with zone-transfer after a
# signed update with dns-update.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/testbed/start.sh
. .testbed/testbed.env
products=(--product dnsquery --product async-events --product dot-pinning --product interrupt --product async-client --product zone-transfer --product dns-update --product dodtls-psk --product dnssec-check)
swift build "${products[@]}" >/dev/null 2>&1 || swift build "${products[@]}"

query() {  # [--protocol P] ARGS…: the testbed's server and port for P (TLS and HTTPS trust the testbed's CA)
    local server=127.0.0.1 port=$TESTBED_PORT extra=()
    case "${1:-} ${2:-}" in
        "--protocol tls") port=$TESTBED_DOT_PORT; extra=(--config "SSLCAFile=$TESTBED_CA_FILE") ;;
        "--protocol https") server=https://localhost:$TESTBED_DOH_PORT/dns-query; extra=(--config "SSLCAFile=$TESTBED_CA_FILE") ;;
        "--protocol dtls") port=$TESTBED_DTLS_PORT; extra=(--config "SSLCAFile=$TESTBED_CA_FILE") ;;
    esac
    echo "\$ dnsquery --server $server --port $port $*"
    .build/debug/dnsquery --server "$server" --port "$port" --timeout 5 "${extra[@]}" "$@"
    echo
}
for transport in udp tcp tls https dtls; do
    query --protocol "$transport" --type A --type AAAA --type MX www.testbed.test
    query --protocol "$transport" --type MX --source all mx.testbed.test
done
# DNS over HTTPS: GET (wire format), then the JSON API of the testbed's JSON server (HTTP/1.1).
query --protocol https --config DoHMethod=1 --type TXT txt2.fixtures.test
echo "\$ dnsquery --protocol https --server https://localhost:$TESTBED_DOH_JSON_PORT/dns-query --config DoHMethod=2 --type CAA everything.testbed.test"
.build/debug/dnsquery --protocol https --server "https://localhost:$TESTBED_DOH_JSON_PORT/dns-query" --config DoHMethod=2 \
    --config "SSLCAFile=$TESTBED_CA_FILE" --type CAA everything.testbed.test
echo
query --type SRV _sip._tcp.testbed.test
query --type RevLookup 192.0.2.1
query --type LOC loc1.fixtures.test
query --type TLSA _443._tcp.tlsa1.fixtures.test
query --type HTTPS --json https1.fixtures.test
query --config UseIDNs=True café.münchen.test
echo "\$ dot-pinning --pin <the testbed server's SPKI pin>"
.build/debug/dot-pinning --server 127.0.0.1 --port "$TESTBED_DOT_PORT" --pin "$TESTBED_DOT_PIN" www.testbed.test
echo
# DNS over DTLS through socat: the answer too large for a 600-octet DTLS payload comes over DoT.
query --protocol dtls --config DTLSPayloadSize=600 --type TXT bigtxt.testbed.test
echo "\$ dodtls-psk --server 127.0.0.1 --port $TESTBED_DTLS_PORT --ca <the testbed's CA> www.testbed.test"
.build/debug/dodtls-psk --server 127.0.0.1 --port "$TESTBED_DTLS_PORT" --ca "$TESTBED_CA_FILE" www.testbed.test
echo
echo "\$ dnssec-check --anchors <the testbed's dnssec.test. DS> www.sub.nsec3.dnssec.test"
.build/debug/dnssec-check --port "$TESTBED_PORT" --anchors "$TESTBED_DNSSEC_ANCHOR_DS" www.sub.nsec3.dnssec.test || true
echo
echo "\$ async-events"
.build/debug/async-events --server 127.0.0.1 --port "$TESTBED_PORT"
echo
echo "\$ async-client --server 127.0.0.1:1 --server 127.0.0.1:$TESTBED_PORT --json www.testbed.test chain1.testbed.test nodata.testbed.test"
.build/debug/async-client --server 127.0.0.1:1 --server "127.0.0.1:$TESTBED_PORT" --timeout 5 --json \
    www.testbed.test chain1.testbed.test nodata.testbed.test
echo
echo "\$ echo 'add demo.xfr.test. 300 A 192.0.2.201' | dns-update --server 127.0.0.1 --port $TESTBED_PORT --tsig <the key> xfr.test"
echo 'add demo.xfr.test. 300 A 192.0.2.201' |
    .build/debug/dns-update --server 127.0.0.1 --port "$TESTBED_PORT" --tsig "$TESTBED_TSIG_HMAC_SHA256" xfr.test
echo
echo "\$ zone-transfer --server 127.0.0.1 --port $TESTBED_PORT --tsig <the testbed's hmac-sha256 key> xfr.test"
.build/debug/zone-transfer --server 127.0.0.1 --port "$TESTBED_PORT" --tsig "$TESTBED_TSIG_HMAC_SHA256" xfr.test
echo
echo "\$ interrupt --after 1"
.build/debug/interrupt --after 1
echo
echo "The testbed keeps running (stop it with Scripts/testbed/stop.sh)."
