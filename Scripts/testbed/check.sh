#!/usr/bin/env bash
# Checks a running testbed (Scripts/testbed/start.sh) against what
# Scripts/testbed/README.md promises: every special name, over UDP and TCP, on
# 127.0.0.1 and ::1, plus the truncation behaviour and the fixtures.test zone.
#
#   Scripts/testbed/check.sh            # reads $TESTBED_DIR/testbed.env
#
# Prints one line per failed check and a summary; exit 1 if anything failed.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIR="${TESTBED_DIR:-$ROOT/.testbed}"
ENVFILE="$DIR/testbed.env"
[ -f "$ENVFILE" ] || { echo "check: no $ENVFILE; run Scripts/testbed/start.sh" >&2; exit 1; }
val() { sed -n "s/^$1=//p" "$ENVFILE" | tail -1; }
PORT="$(val TESTBED_PORT)"; A4="$(val TESTBED_ADDRESS4)"; A6="$(val TESTBED_ADDRESS6)"

pass=0; failed=0
# check LABEL "DIG ARGS" REGEX...   (dig output with runs of blanks squeezed to one space)
check() {
  local label="$1" args="$2" out re; shift 2
  # shellcheck disable=SC2086
  out="$(dig @"$SERVER" -p "$PORT" +norecurse +nocookie +time=2 +tries=1 $XPORT $args 2>&1 | tr -s ' \t' '  ')"
  for re in "$@"; do
    if ! grep -Eq -- "$re" <<<"$out"; then
      echo "FAIL [$SERVER $XPORT] $label: no match for /$re/"
      failed=$((failed + 1)); return
    fi
  done
  pass=$((pass + 1))
}
AA='flags: qr aa[ ;]'
NOAA='flags: qr;'
OK='status: NOERROR'
T=testbed.test.

behaviour() {
  check "SOA" "$T SOA" "$OK" "$AA" "^testbed\.test\. 3600 IN SOA ns\.testbed\.test\. hostmaster\.testbed\.test\. 2024010101 7200 3600 1209600 300$"
  check "NS" "$T NS" "$OK" "$AA" "^testbed\.test\. 3600 IN NS ns\.testbed\.test\.$" "^ns\.testbed\.test\. 3600 IN A 127\.0\.0\.1$" "^ns\.testbed\.test\. 3600 IN AAAA ::1$"
  check "www A" "www.$T A" "$OK" "$AA" "ANSWER: 1," "^www\.testbed\.test\. 3600 IN A 192\.0\.2\.1$" "AUTHORITY: 1, ADDITIONAL: 3"
  check "www AAAA" "www.$T AAAA" "$OK" "$AA" "ANSWER: 1," "^www\.testbed\.test\. 3600 IN AAAA 2001:db8::1$"
  check "multi A" "multi.$T A" "$OK" "$AA" "ANSWER: 10," $(for i in 1 2 3 4 5 6 7 8 9 10; do echo "^multi\.testbed\.test\. 3600 IN A 192\.0\.2\.$i$"; done)
  check "chain1 A" "chain1.$T A" "$OK" "$AA" "ANSWER: 3," "^chain1\.testbed\.test\. 3600 IN CNAME chain2\.testbed\.test\.$" "^chain2\.testbed\.test\. 3600 IN CNAME chain3\.testbed\.test\.$" "^chain3\.testbed\.test\. 3600 IN A 192\.0\.2\.33$"
  check "chain1 CNAME" "chain1.$T CNAME" "$OK" "$AA" "ANSWER: 1," "^chain1\.testbed\.test\. 3600 IN CNAME chain2\.testbed\.test\.$"
  check "wildcard A" "anything.wild.$T A" "$OK" "$AA" "ANSWER: 1," "^anything\.wild\.testbed\.test\. 3600 IN A 192\.0\.2\.42$"
  check "wildcard TXT" "x.y.wild.$T TXT" "$OK" "$AA" "ANSWER: 1," '^x\.y\.wild\.testbed\.test\. 3600 IN TXT "wildcard"$'
  check "wildcard NODATA" "foo.wild.$T MX" "$OK" "$AA" "ANSWER: 0," "^testbed\.test\. 300 IN SOA "
  check "wild ENT" "wild.$T A" "$OK" "$AA" "ANSWER: 0," "^testbed\.test\. 300 IN SOA "
  check "nodata A" "nodata.$T A" "$OK" "$AA" "ANSWER: 0, AUTHORITY: 1," "^testbed\.test\. 300 IN SOA ns\.testbed\.test\. "
  check "nodata TXT" "nodata.$T TXT" "$OK" "$AA" "ANSWER: 1," '^nodata\.testbed\.test\. 3600 IN TXT "nodata: only a TXT record here"$'
  check "NXDOMAIN" "doesnotexist.$T A" "status: NXDOMAIN" "$AA" "ANSWER: 0, AUTHORITY: 1," "^testbed\.test\. 300 IN SOA ns\.testbed\.test\. "
  check "mx MX" "mx.$T MX" "$OK" "$AA" "^mx\.testbed\.test\. 3600 IN MX 10 mail\.testbed\.test\.$" "ADDITIONAL: 5" "^mail\.testbed\.test\. 3600 IN A 192\.0\.2\.25$" "^mail\.testbed\.test\. 3600 IN AAAA 2001:db8::25$"
  check "SRV" "_sip._tcp.$T SRV" "$OK" "$AA" "^_sip\._tcp\.testbed\.test\. 3600 IN SRV 10 60 5060 sipserver\.testbed\.test\.$" "^sipserver\.testbed\.test\. 3600 IN A 192\.0\.2\.50$"
  check "referral below cut" "host.delegated.$T A" "$OK" "$NOAA" "ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 2" "^delegated\.testbed\.test\. 3600 IN NS ns\.delegated\.testbed\.test\.$" "^ns\.delegated\.testbed\.test\. 3600 IN A 127\.0\.0\.1$"
  check "referral at cut" "delegated.$T NS" "$OK" "$NOAA" "ANSWER: 0, AUTHORITY: 1," "^delegated\.testbed\.test\. 3600 IN NS "
  check "referral glue name" "ns.delegated.$T A" "$OK" "$NOAA" "ANSWER: 0, AUTHORITY: 1,"
  check "everything A" "everything.$T A" "$OK" "$AA" "^everything\.testbed\.test\. 3600 IN A 192\.0\.2\.99$"
  check "everything AAAA" "everything.$T AAAA" "$OK" "$AA" "^everything\.testbed\.test\. 3600 IN AAAA 2001:db8::99$"
  check "everything MX" "everything.$T MX" "$OK" "$AA" "^everything\.testbed\.test\. 3600 IN MX 10 mail\.testbed\.test\.$"
  check "everything TXT" "everything.$T TXT" "$OK" "$AA" '^everything\.testbed\.test\. 3600 IN TXT "everything"$'
  check "everything SSHFP" "everything.$T SSHFP" "$OK" "$AA" "^everything\.testbed\.test\. 3600 IN SSHFP 4 2 0123456789ABCDEF"
  check "everything CAA" "everything.$T CAA" "$OK" "$AA" '^everything\.testbed\.test\. 3600 IN CAA 0 issue "ca\.example\.net"$'
  check "everything NODATA" "everything.$T SRV" "$OK" "$AA" "ANSWER: 0,"
  check "localhost A" "localhost.$T A" "$OK" "$AA" "^localhost\.testbed\.test\. 3600 IN A 127\.0\.0\.1$"
  check "PTR 192.0.2.1" "-x 192.0.2.1" "$OK" "$AA" "^1\.2\.0\.192\.in-addr\.arpa\. 3600 IN PTR www\.testbed\.test\.$"
  check "PTR 192.0.2.33" "-x 192.0.2.33" "$OK" "$AA" "^33\.2\.0\.192\.in-addr\.arpa\. 3600 IN PTR chain3\.testbed\.test\.$"
  check "PTR 192.0.2.2 NXDOMAIN" "-x 192.0.2.2" "status: NXDOMAIN" "$AA"
  check "PTR 2001:db8::1" "-x 2001:db8::1" "$OK" "$AA" "^1(\.0){23}\.8\.b\.d\.0\.1\.0\.0\.2\.ip6\.arpa\. 3600 IN PTR www\.testbed\.test\.$"
  check "PTR 127.0.0.1" "-x 127.0.0.1" "$OK" "$AA" "^1\.0\.0\.127\.in-addr\.arpa\. 3600 IN PTR localhost\.testbed\.test\.$"
  check "PTR ::1" "-x ::1" "$OK" "$AA" "^1(\.0){31}\.ip6\.arpa\. 3600 IN PTR localhost\.testbed\.test\.$"
  check "IDN apex A" "xn--mnchen-3ya.test. A" "$OK" "$AA" "^xn--mnchen-3ya\.test\. 3600 IN A 192\.0\.2\.80$"
  check "IDN cafe A" "xn--caf-dma.xn--mnchen-3ya.test. A" "$OK" "$AA" "^xn--caf-dma\.xn--mnchen-3ya\.test\. 3600 IN A 192\.0\.2\.81$"
  check "IDN cafe TXT" "xn--caf-dma.xn--mnchen-3ya.test. TXT" "$OK" "$AA" '^xn--caf-dma\.xn--mnchen-3ya\.test\. 3600 IN TXT "caf\\195\\169"$'
  check "IDN www CNAME" "www.xn--mnchen-3ya.test. A" "$OK" "$AA" "ANSWER: 2," "^www\.xn--mnchen-3ya\.test\. 3600 IN CNAME xn--caf-dma\.xn--mnchen-3ya\.test\.$" "^xn--caf-dma\.xn--mnchen-3ya\.test\. 3600 IN A 192\.0\.2\.81$"
  check "fixtures SOA" "fixtures.test. SOA" "$OK" "$AA" "^fixtures\.test\. 3600 IN SOA ns\.fixtures\.test\. hostmaster\.fixtures\.test\. 2024010101 "
  check "NSID" "+nsid $T SOA" "$OK" 'NSID: .*\("testbed-bind"\)'
  check "REFUSED outside" "example.com. A" "status: REFUSED"
}

for SERVER in "$A4" "$A6"; do
  for XPORT in +notcp +tcp; do behaviour; done
  # truncation (sizes in README.md); the client cookie is off so sizes are stable
  XPORT=+notcp
  check "bigtxt no EDNS" "+ignore +noedns +noadflag bigtxt.$T TXT" "flags: qr aa tc;" "ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 0" "MSG SIZE rcvd: 463$"
  check "bigtxt EDNS 512" "+ignore +bufsize=512 bigtxt.$T TXT" "flags: qr aa tc;" "ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1" "MSG SIZE rcvd: 48$"
  check "bigtxt EDNS 1232" "+ignore +bufsize=1232 bigtxt.$T TXT" "flags: qr aa;" "ANSWER: 4, AUTHORITY: 1, ADDITIONAL: 3" "MSG SIZE rcvd: 961$"
  check "bigtxt EDNS 4096" "+ignore +bufsize=4096 bigtxt.$T TXT" "flags: qr aa;" "ANSWER: 4," "MSG SIZE rcvd: 961$"
  check "hugetxt no EDNS" "+ignore +noedns +noadflag hugetxt.$T TXT" "flags: qr aa tc;" "ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0" "MSG SIZE rcvd: 301$"
  check "hugetxt EDNS 1232" "+ignore +bufsize=1232 hugetxt.$T TXT" "flags: qr aa tc;" "ANSWER: 0," "MSG SIZE rcvd: 49$"
  check "hugetxt EDNS 4096" "+ignore +bufsize=4096 hugetxt.$T TXT" "flags: qr aa tc;" "ANSWER: 0," "MSG SIZE rcvd: 49$"
  XPORT=+tcp
  check "bigtxt TCP no EDNS" "+noedns bigtxt.$T TXT" "flags: qr aa;" "ANSWER: 4, AUTHORITY: 1, ADDITIONAL: 2" "MSG SIZE rcvd: 950$"
  check "hugetxt TCP" "hugetxt.$T TXT" "flags: qr aa;" "ANSWER: 24, AUTHORITY: 1, ADDITIONAL: 3" "MSG SIZE rcvd: 6422$"
  check "hugetxt TCP no EDNS" "+noedns hugetxt.$T TXT" "flags: qr aa;" "ANSWER: 24, AUTHORITY: 1, ADDITIONAL: 2" "MSG SIZE rcvd: 6411$"
  check "AXFR testbed.test (65 RRs + closing SOA)" "AXFR $T" "XFR size: 66 records"
done

# fixtures.test: every owner/type that records.json took from BIND answers over
# UDP (NSEC3 only by AXFR, TSIG is not zone data).
JSON="$ROOT/Tests/DNSWireTests/Fixtures/records.json"
if [ -f "$JSON" ] && command -v python3 >/dev/null; then
  SERVER="$A4"; XPORT=+notcp
  while read -r owner type; do
    check "fixtures $owner $type" "$owner $type" "$OK" "$AA" "^$(sed 's/[.[\*^$()+?{|\\]/\\&/g' <<<"$owner") [0-9]+ IN $type( |$)"
  done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    if r.get("source") == "bind" and r["type"] not in ("NSEC3", "TSIG"):
        print(r["owner"], r["type"])' "$JSON" | sort -u)
  check "fixtures AXFR NSEC3" "AXFR fixtures.test." " IN NSEC3 1 1 12 AABBCCDD 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S A RRSIG"
fi

echo "check: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
