#!/usr/bin/env bash
# Checks a running testbed (Scripts/testbed/start.sh) against what
# Scripts/testbed/README.md promises: every special name, over UDP and TCP, on
# 127.0.0.1 and ::1, plus the truncation behaviour and the fixtures.test zone;
# BIND's DoH listeners (dig +https/+https-get/+http-plain), kresd's plain DNS
# (UDP, TCP) and DoT listeners, socat's DNS-over-DTLS server (openssl s_client) with
# BIND's DoT on the same port number, socat's UDP relay, the JSON DoH fixture
# server (curl), and the signed DNSSEC tree (dig +dnssec; verdicts of delv and unbound-host).
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

# ---------------------------------------------------------------- DoH (BIND, HTTP/2)
DOH="$(val TESTBED_DOH_PORT)"; DOH_SELF="$(val TESTBED_DOH_SELFSIGNED_PORT)"
DOH_PLAIN="$(val TESTBED_DOH_PLAIN_PORT)"; CA="$(val TESTBED_CA_FILE)"
if [ -n "$DOH" ]; then
  DNS_PORT="$PORT"
  VERIFY="+tls-ca=$CA +tls-hostname=localhost"
  for SERVER in "$A4" "$A6"; do
    SRV="SERVER: ${SERVER//./\\.}#"
    # everything above over DoH POST; no truncation over HTTP
    PORT="$DOH"; XPORT="+https $VERIFY"; behaviour
    check "DoH POST server line" "www.$T A" "$OK" "${SRV}$DOH\\(.*\\) \\(HTTPS\\)$"
    check "DoH hugetxt" "hugetxt.$T TXT" "flags: qr aa;" "ANSWER: 24, AUTHORITY: 1, ADDITIONAL: 3" "MSG SIZE rcvd: 6422$"
    XPORT="+https-get $VERIFY"
    check "DoH GET www A" "www.$T A" "$OK" "$AA" "^www\\.testbed\\.test\\. 3600 IN A 192\\.0\\.2\\.1$" "\\(HTTPS-GET\\)$"
    check "DoH GET NXDOMAIN" "doesnotexist.$T A" "status: NXDOMAIN" "$AA"
    check "DoH GET bigtxt" "bigtxt.$T TXT" "flags: qr aa;" "ANSWER: 4,"
    XPORT="+https"
    check "DoH wrong hostname refused" "+tls-ca=$CA +tls-hostname=wrong.example www.$T A" "verification .* failed: hostname mismatch"
    PORT="$DOH_SELF"; XPORT="+https"
    check "DoH self-signed (unverified)" "www.$T A" "$OK" "^www\\.testbed\\.test\\. 3600 IN A 192\\.0\\.2\\.1$" "${SRV}$DOH_SELF\\("
    check "DoH self-signed rejected with CA" "$VERIFY www.$T A" "verification .* failed: self-signed certificate"
    PORT="$DOH_PLAIN"; XPORT="+http-plain"
    check "h2c POST www A" "www.$T A" "$OK" "$AA" "^www\\.testbed\\.test\\. 3600 IN A 192\\.0\\.2\\.1$" "${SRV}$DOH_PLAIN\\(.*\\) \\(HTTP\\)$"
    check "h2c POST mx MX" "mx.$T MX" "$OK" "^mx\\.testbed\\.test\\. 3600 IN MX 10 mail\\.testbed\\.test\\.$"
    XPORT="+http-plain-get"
    check "h2c GET www AAAA" "www.$T AAAA" "$OK" "^www\\.testbed\\.test\\. 3600 IN AAAA 2001:db8::1$" "\\(HTTP-GET\\)$"
  done
  PORT="$DNS_PORT"
else
  echo "FAIL no TESTBED_DOH_PORT in $ENVFILE"; failed=$((failed + 1))
fi

# ---------------------------------------------------------------- Knot Resolver (kresd)
# Its plain DNS listener over UDP and TCP and its DoT listener, on both addresses; it
# recurses (RD, RA) by asking named.
KRESD="$(val TESTBED_KRESD_PORT)"; KRESD_DOT="$(val TESTBED_KRESD_DOT_PORT)"; CA="$(val TESTBED_CA_FILE)"
kcheck() {  # kcheck LABEL SERVER PORT "DIG OPTIONS"
  local out
  # shellcheck disable=SC2086
  out="$(dig @"$2" -p "$3" +time=2 +tries=1 $4 www.testbed.test A 2>&1 | tr -s ' \t' '  ')"
  if grep -q 'flags: qr rd ra;' <<<"$out" && grep -q '^www\.testbed\.test\. [0-9]* IN A 192\.0\.2\.1$' <<<"$out"; then
    pass=$((pass + 1))
  else
    echo "FAIL [kresd $2#$3 $4] $1: no 'qr rd ra' answer www.testbed.test A 192.0.2.1"; failed=$((failed + 1))
  fi
}
if [ -n "$KRESD" ] && [ -n "$KRESD_DOT" ]; then
  for SERVER in "$A4" "$A6"; do
    kcheck "plain UDP" "$SERVER" "$KRESD" +notcp
    kcheck "plain TCP" "$SERVER" "$KRESD" +tcp
    kcheck "DoT" "$SERVER" "$KRESD_DOT" "+tls +tls-ca=$CA +tls-hostname=localhost"
  done
else
  echo "FAIL no TESTBED_KRESD_PORT or TESTBED_KRESD_DOT_PORT in $ENVFILE"; failed=$((failed + 1))
fi

# ---------------------------------------------------------------- DNS over DTLS (socat), UDP relay
# socat's DTLS server on TESTBED_DTLS_PORT (127.0.0.1, UDP) relays each DTLS record to named as
# a datagram: checked with openssl s_client (one DNS message per record, RFC 8094), by several
# clients one after another, one of them vanishing without close_notify. BIND's DoT listener on
# the same port number over TCP (the RFC 8094 fallback), and socat's UDP relay on
# TESTBED_UDP_RELAY_PORT (127.0.0.1): dig, and one socket carrying many queries.
DTLS="$(val TESTBED_DTLS_PORT)"; UDP_RELAY="$(val TESTBED_UDP_RELAY_PORT)"
wire() {  # wire ID NAME TYPE [EDNS-SIZE]: a DNS query (no RD) as printf escapes
  local w label
  w="$(printf '\\x%02x\\x%02x\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x%02x' $(($1 >> 8)) $(($1 & 255)) $((${4:-0} > 0)))"
  for label in ${2//./ }; do w+="$(printf '\\x%02x' ${#label})$label"; done
  w+="$(printf '\\x00\\x%02x\\x%02x\\x00\\x01' $(($3 >> 8)) $(($3 & 255)))"
  [ -z "${4:-}" ] || w+="$(printf '\\x00\\x00\\x29\\x%02x\\x%02x\\x00\\x00\\x00\\x00\\x00\\x00' $(($4 >> 8)) $(($4 & 255)))"
  printf '%s' "$w"
}
dtls_session() {  # dtls_session [--vanish] QUERY...: one DTLS session, the answers as one hex string
  local vanish="" q
  [ "$1" != --vanish ] || { vanish=1; shift; }
  if [ -n "$vanish" ]; then
    # -quiet ignores the end of input; SIGKILL after 1.5 s: no close_notify, the relay's
    # child for this client is left waiting (until its -T idle timeout)
    { for q in "$@"; do printf '%b' "$q"; sleep 0.2; done; } |
      timeout -s KILL 1.5 openssl s_client -dtls1_2 -connect "$A4:$DTLS" -CAfile "$CA" -verify_return_error \
        -verify_ip "$A4" -quiet 2>/dev/null | od -An -tx1 -v | tr -d ' \n'
  else
    { for q in "$@"; do printf '%b' "$q"; sleep 0.2; done; sleep 0.5; } |
      timeout 10 openssl s_client -dtls1_2 -connect "$A4:$DTLS" -CAfile "$CA" -verify_return_error \
        -verify_ip "$A4" -quiet -no_ign_eof 2>/dev/null | od -An -tx1 -v | tr -d ' \n'
  fi
}
hcheck() {  # hcheck LABEL HEX REGEX...
  local label="$1" hex="$2" re; shift 2
  for re in "$@"; do
    if ! grep -Eq -- "$re" <<<"$hex"; then
      echo "FAIL [dtls $A4#$DTLS] $label: no match for /$re/ in ${hex:0:120}…"
      failed=$((failed + 1)); return
    fi
  done
  pass=$((pass + 1))
}
if [ -n "$DTLS" ] && [ -n "$UDP_RELAY" ] && command -v openssl >/dev/null; then
  # ID, flags (QR AA; 86: TC too), counts; 192.0.2.1 = c0000201, 2001:db8::1 as 16 octets
  hcheck "www A" "$(dtls_session "$(wire 0x4401 www.testbed.test 1)")" '^44018400000100010001000203777777' 'c0000201'
  out="$(dtls_session "$(wire 0x4402 mx.testbed.test 15)" "$(wire 0x4403 www.testbed.test 28)" "$(wire 0x4404 doesnotexist.testbed.test 1)")"
  hcheck "three queries in one session" "$out" '440284000001000100010004026d78' '440384000001000100010002' '20010db8000000000000000000000001' '44048403'
  out="$(dtls_session "$(wire 0x4405 bigtxt.testbed.test 16 1232)")"
  hcheck "bigtxt, EDNS 1232: 961 octets in one record" "$out" '^44058400000100040001000306626967747874077465737462656404'
  [ "${#out}" -eq $((961 * 2)) ] || { echo "FAIL [dtls $A4#$DTLS] bigtxt: ${#out} hex digits, want $((961 * 2))"; failed=$((failed + 1)); }
  hcheck "hugetxt, EDNS 1232: TC" "$(dtls_session "$(wire 0x4406 hugetxt.testbed.test 16 1232)")" '^44068600000100000000000107687567657478740774657374626564'
  # clients one after another (each a new session from a new port), one vanishing in between
  hcheck "client 1 of 4" "$(dtls_session "$(wire 0x4411 www.testbed.test 1)")" '^44118400' 'c0000201'
  hcheck "client 2 of 4 (vanishes without close_notify)" "$(dtls_session --vanish "$(wire 0x4412 www.testbed.test 1)")" '^44128400' 'c0000201'
  hcheck "client 3 of 4, after one vanished" "$(dtls_session "$(wire 0x4413 www.testbed.test 1)")" '^44138400' 'c0000201'
  hcheck "client 4 of 4" "$(dtls_session "$(wire 0x4414 chain3.testbed.test 1)")" '^44148400' 'c0000221'
  # BIND's DoT on the DTLS port number over TCP: a truncated DTLS answer comes back whole here
  DNS_PORT="$PORT"; PORT="$DTLS"
  for SERVER in "$A4" "$A6"; do
    XPORT="+tls +tls-ca=$CA +tls-hostname=localhost"
    check "DoT on the DTLS port: www A" "www.$T A" "$OK" "$AA" "^www\\.testbed\\.test\\. 3600 IN A 192\\.0\\.2\\.1$" "\\(TLS\\)$"
    check "DoT on the DTLS port: hugetxt" "hugetxt.$T TXT" "flags: qr aa;" "ANSWER: 24, AUTHORITY: 1, ADDITIONAL: 3" "MSG SIZE rcvd: 6422$"
  done
  # socat's UDP relay (127.0.0.1): whole datagrams both ways, then one socket, many queries
  SERVER="$A4"; PORT="$UDP_RELAY"; XPORT=+notcp
  check "UDP relay: www A" "www.$T A" "$OK" "$AA" "^www\\.testbed\\.test\\. 3600 IN A 192\\.0\\.2\\.1$" "AUTHORITY: 1, ADDITIONAL: 3"
  check "UDP relay: NXDOMAIN" "doesnotexist.$T A" "status: NXDOMAIN" "$AA"
  check "UDP relay: bigtxt EDNS 1232" "+ignore +bufsize=1232 bigtxt.$T TXT" "flags: qr aa;" "ANSWER: 4," "MSG SIZE rcvd: 961$"
  check "UDP relay: hugetxt TC" "+ignore +bufsize=1232 hugetxt.$T TXT" "flags: qr aa tc;" "MSG SIZE rcvd: 49$"
  PORT="$DNS_PORT"
  if command -v python3 >/dev/null; then
    out="$(python3 - "$A4" "$UDP_RELAY" <<'PY' 2>&1
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect((sys.argv[1], int(sys.argv[2])))
name = b"".join(bytes([len(l)]) + l for l in b"www.testbed.test".split(b".")) + b"\0"
good = 0
for i in range(2000):
    s.send(struct.pack(">HHHHHH", i, 0, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1))
    try:
        r = s.recv(2048)
    except OSError:  # timeout, or ICMP port unreachable
        continue
    good += struct.unpack(">H", r[:2])[0] == i and r[2] & 0x80 != 0
print(good)
PY
)"
    if [ "$out" = 2000 ]; then pass=$((pass + 1)); else
      echo "FAIL [udp relay $A4#$UDP_RELAY] one socket, 2000 queries: $out answered"; failed=$((failed + 1)); fi
  fi
else
  echo "FAIL no TESTBED_DTLS_PORT or TESTBED_UDP_RELAY_PORT in $ENVFILE (or no openssl)"; failed=$((failed + 1))
fi

# ---------------------------------------------------------------- JSON DoH fixture server
# jcheck LABEL "URL-SUFFIX" "CURL ARGS" HTTP-CODE STRING...  (fixed strings in
# "BODY\nCODE CONTENT-TYPE HTTP-VERSION")
JSON_PORT="$(val TESTBED_DOH_JSON_PORT)"
jcheck() {
  local label="$1" url="https://localhost:$JSON_PORT$2" args="$3" code="$4" out s; shift 4
  # shellcheck disable=SC2086
  out="$(curl -sS --max-time 5 --cacert "$CA" $args -w '\n%{http_code} %{content_type} %{http_version}' "$url" 2>&1)"
  for s in "
$code " "$@"; do
    if ! grep -qF -- "$s" <<<"$out"; then
      echo "FAIL [json $JSON_PORT] $label: no '$s' in: $(tail -c 300 <<<"$out" | tr '\n' ' ')"
      failed=$((failed + 1)); return
    fi
  done
  pass=$((pass + 1))
}
if [ -n "$JSON_PORT" ] && command -v curl >/dev/null; then
  J=/dns-query?name=; JT='application/dns-json'
  jcheck "www A" "${J}www.testbed.test&type=A" "" 200 "$JT 1.1" \
    '{"Status":0,"TC":false,"RD":true,"RA":false,"AD":false,"CD":false,"Question":[{"name":"www.testbed.test.","type":1}],"Answer":[{"name":"www.testbed.test.","type":1,"TTL":3600,"data":"192.0.2.1"}],"Authority":[{"name":"testbed.test.","type":2,"TTL":3600,"data":"ns.testbed.test."}],"Additional":[' \
    '{"name":"ns.testbed.test.","type":1,"TTL":3600,"data":"127.0.0.1"}' '{"name":"ns.testbed.test.","type":28,"TTL":3600,"data":"::1"}'
  jcheck "default type A" "${J}www.testbed.test." "" 200 '"Question":[{"name":"www.testbed.test.","type":1}]' '"data":"192.0.2.1"'
  jcheck "type aaaa" "${J}www.testbed.test&type=aaaa" "" 200 '"Answer":[{"name":"www.testbed.test.","type":28,"TTL":3600,"data":"2001:db8::1"}]'
  jcheck "type 28" "${J}www.testbed.test&type=28" "" 200 '"Answer":[{"name":"www.testbed.test.","type":28,"TTL":3600,"data":"2001:db8::1"}]'
  jcheck "multi A" "${J}multi.testbed.test&type=A" "" 200 '"data":"192.0.2.1"}' '"data":"192.0.2.10"}'
  jcheck "chain1 A" "${J}chain1.testbed.test&type=A" "" 200 \
    '"Answer":[{"name":"chain1.testbed.test.","type":5,"TTL":3600,"data":"chain2.testbed.test."},{"name":"chain2.testbed.test.","type":5,"TTL":3600,"data":"chain3.testbed.test."},{"name":"chain3.testbed.test.","type":1,"TTL":3600,"data":"192.0.2.33"}]'
  jcheck "MX" "${J}mx.testbed.test&type=MX" "" 200 '"Answer":[{"name":"mx.testbed.test.","type":15,"TTL":3600,"data":"10 mail.testbed.test."}]' '{"name":"mail.testbed.test.","type":28,"TTL":3600,"data":"2001:db8::25"}'
  jcheck "TXT" "${J}nodata.testbed.test&type=TXT" "" 200 '"data":"\"nodata: only a TXT record here\""'
  jcheck "SRV" "${J}_sip._tcp.testbed.test&type=SRV" "" 200 '"type":33,"TTL":3600,"data":"10 60 5060 sipserver.testbed.test."'
  jcheck "CAA" "${J}everything.testbed.test&type=CAA" "" 200 '"type":257,"TTL":3600,"data":"0 issue \"ca.example.net\""'
  jcheck "wildcard" "${J}x.y.wild.testbed.test&type=TXT" "" 200 '"Answer":[{"name":"x.y.wild.testbed.test.","type":16,"TTL":3600,"data":"\"wildcard\""}]'
  jcheck "NODATA" "${J}nodata.testbed.test&type=A" "" 200 '"Status":0,' '"Authority":[{"name":"testbed.test.","type":6,"TTL":300,"data":"ns.testbed.test. hostmaster.testbed.test. 2024010101 7200 3600 1209600 300"}]'
  jcheck "NXDOMAIN" "${J}doesnotexist.testbed.test&type=A" "" 200 \
    '{"Status":3,"TC":false,"RD":true,"RA":false,"AD":false,"CD":false,"Question":[{"name":"doesnotexist.testbed.test.","type":1}],"Authority":[{"name":"testbed.test.","type":6,"TTL":300,'
  jcheck "REFUSED" "${J}example.com&type=A" "" 200 '{"Status":5,'
  jcheck "referral" "${J}host.delegated.testbed.test&type=A" "" 200 '"Authority":[{"name":"delegated.testbed.test.","type":2,"TTL":3600,"data":"ns.delegated.testbed.test."}]'
  jcheck "PTR" "${J}1.2.0.192.in-addr.arpa&type=PTR" "" 200 '"type":12,"TTL":3600,"data":"www.testbed.test."'
  jcheck "hugetxt via TCP" "${J}hugetxt.testbed.test&type=TXT" "" 200 '"TC":false' '"data":"\"hugetxt-01-' '"data":"\"hugetxt-24-'
  jcheck "cd and do" "${J}www.testbed.test&type=A&cd=1&do=true" "" 200 '"CD":true' '"data":"192.0.2.1"'
  jcheck "IDN" "${J}caf%C3%A9.m%C3%BCnchen.test&type=TXT" "" 200 '"name":"xn--caf-dma.xn--mnchen-3ya.test.","type":16,"TTL":3600,"data":"\"caf\\195\\169\""'
  jcheck "SVCB" "${J}svcb3.fixtures.test&type=SVCB" "" 200 '"type":64,"TTL":3600,"data":"2 svc.example.org. alpn=\"h3\" dohpath=\"/dns-query{?dns}\""'
  jcheck "HTTPS" "${J}https2.fixtures.test&type=HTTPS" "" 200 '"type":65,"TTL":3600,"data":"1 . alpn=\"h2,h3\" ipv4hint=\"192.0.2.1\" ipv6hint=\"2001:db8::1\""'
  jcheck "NAPTR" "${J}naptr2.fixtures.test&type=NAPTR" "" 200 '"type":35,"TTL":3600,"data":"100 50 \"s\" \"http+I2R\" \"\" _http._tcp.example.org."'
  jcheck "Accept header ignored" "${J}www.testbed.test" "-H Accept:application/dns-message" 200 "$JT" '"data":"192.0.2.1"'
  jcheck "no name" "/dns-query?type=A" "" 400 '{"error":"missing name parameter"}'
  jcheck "bad name" "${J}a..b" "" 400 '{"error":"invalid name'
  jcheck "bad type" "${J}www.testbed.test&type=BOGUS" "" 400 '{"error":"unknown type'
  jcheck "bad do" "${J}www.testbed.test&do=maybe" "" 400 '{"error":"do must be'
  jcheck "other path" "/resolve?name=www.testbed.test" "" 404 '{"error":'
  jcheck "POST" "/dns-query" "-X POST --data-binary x" 405 '{"error":"method POST not allowed'
  jcheck "h2 client falls back to HTTP/1.1" "${J}www.testbed.test" "--http2" 200 "$JT 1.1"
  # keep-alive: the second request reuses the first connection
  out="$(curl -sS --max-time 5 --cacert "$CA" -o /dev/null -o /dev/null -w '%{num_connects} ' \
    "https://localhost:$JSON_PORT${J}www.testbed.test" "https://localhost:$JSON_PORT${J}mx.testbed.test&type=MX" 2>&1)"
  if [ "$out" = "1 0 " ]; then pass=$((pass + 1)); else
    echo "FAIL [json $JSON_PORT] keep-alive: connects per request '$out', want '1 0 '"; failed=$((failed + 1)); fi
else
  echo "FAIL no TESTBED_DOH_JSON_PORT in $ENVFILE (or no curl)"; failed=$((failed + 1))
fi

# ---------------------------------------------------------------- DNSSEC tree (dnssec.sh)
# Every signed zone answers with RRSIGs of its algorithm, its DNSKEYs and denial records; every
# signed child has a signed DS in its parent; then delv's and unbound-host's verdicts for a
# handful of names (README.md: "DNSSEC"), classified as secure, insecure, bogus or error,
# with "-neg" for NXDOMAIN and NODATA.
DELV_ANCHOR="$(val TESTBED_DNSSEC_DELV_ANCHOR)"
UNBOUND_CONF="$(val TESTBED_DNSSEC_UNBOUND_CONF)"
delv_verdict() {  # delv_verdict NAME TYPE
  local out neg=""
  out="$(delv @"$A4" -p "$PORT" -a "$DELV_ANCHOR" +root=dnssec.test "$1" "$2" 2>&1)"
  grep -q '^; negative response' <<<"$out" && neg=-neg
  if grep 'resolution failed: ' <<<"$out" | grep -Evq 'resolution failed: ncache nx(domain|rrset)$'; then echo bogus
  elif grep -Eq '^; (negative response, )?unsigned answer$|^; authoritative$' <<<"$out"; then echo "insecure$neg"
  elif grep -Eq '^; (negative response, )?fully validated$' <<<"$out"; then echo "secure$neg"
  else echo unknown; fi
}
unbound_verdict() {  # unbound_verdict NAME TYPE
  local out neg=""
  out="$(timeout 20 unbound-host -C "$UNBOUND_CONF" -v -t "$2" "$1" 2>&1)"
  grep -Eq 'not found: 3\(NXDOMAIN\)| has no ' <<<"$out" && neg=-neg   # "has no address", "has no TXT record", …
  case "$out" in
    (*"(BOGUS"*) echo bogus;;
    (*"(insecure)"*) echo "insecure$neg";;
    (*"(secure)"*) echo "secure$neg";;
    (*"(error)"*) echo error;;
    (*) echo unknown;;
  esac
}
if [ -n "$DELV_ANCHOR" ] && [ -n "$UNBOUND_CONF" ] && command -v delv >/dev/null && command -v unbound-host >/dev/null; then
  SERVER="$A4"; XPORT=+notcp
  # zone, algorithm, denial (nsec, nsec3 ITERATIONS FLAGS)
  while read -r zone alg denial; do
    zre="$(sed 's/\./\\./g' <<<"$zone")"
    check "DNSSEC $zone SOA" "+dnssec $zone SOA" "$OK" "$AA" "^$zre 3600 IN SOA " "^$zre 3600 IN RRSIG SOA $alg [0-9] 3600 [0-9]{14} [0-9]{14} [0-9]+ $zre "
    if [ "$zone" = no-ksk.dnssec.test. ]; then
      check "DNSSEC $zone DNSKEY: no KSK" "+dnssec $zone DNSKEY" "$OK" "ANSWER: 3," "^$zre 3600 IN DNSKEY 256 3 $alg "
    elif [ "$zone" = keytrap.dnssec.test. ]; then
      check "DNSSEC $zone DNSKEY: 30 ZSKs with one key tag" "+tcp +dnssec $zone DNSKEY" "$OK" "ANSWER: 32," "^$zre 3600 IN DNSKEY 257 3 $alg " "^$zre 3600 IN DNSKEY 256 3 $alg "
    else
      check "DNSSEC $zone DNSKEY" "+dnssec $zone DNSKEY" "$OK" "^$zre 3600 IN DNSKEY 257 3 $alg " "^$zre 3600 IN DNSKEY 256 3 $alg " "^$zre 3600 IN RRSIG DNSKEY $alg "
    fi
    if [ "$denial" = nsec ]; then
      check "DNSSEC $zone NXDOMAIN (NSEC)" "+dnssec nx-check.$zone A" "status: NXDOMAIN" "$AA" "^$zre 300 IN RRSIG SOA $alg " " 300 IN NSEC [^ ]+ " " 300 IN RRSIG NSEC $alg "
    else
      check "DNSSEC $zone NXDOMAIN (NSEC3 $denial)" "+dnssec nx-check.$zone A" "status: NXDOMAIN" "$AA" "^$zre 300 IN RRSIG SOA $alg " \
        "^[0-9A-Va-v]{32}\.$zre 300 IN NSEC3 1 $(cut -d' ' -f3 <<<"$denial") $(cut -d' ' -f2 <<<"$denial") - [0-9A-Va-v]{32}" " 300 IN RRSIG NSEC3 $alg "
      check "DNSSEC $zone NSEC3PARAM" "$zone NSEC3PARAM" "$OK" "^$zre [0-9]+ IN NSEC3PARAM 1 0 $(cut -d' ' -f2 <<<"$denial") -$"
    fi
    if [ "$zone" != dnssec.test. ]; then
      parent="${zone#*.}"
      check "DNSSEC $zone DS in $parent" "+dnssec $zone DS" "$OK" "$AA" "^$zre 3600 IN DS [0-9]+ $alg 2 [0-9A-F]{56} ?[0-9A-F]{8}$" \
        "^$zre 3600 IN RRSIG DS 13 [0-9] 3600 [0-9]{14} [0-9]{14} [0-9]+ $(sed 's/\./\\./g' <<<"$parent") "
    fi
  done <<'ZONES'
dnssec.test.                      13 nsec
alg5.dnssec.test.                 5  nsec
alg7.dnssec.test.                 7  nsec3 0 0
alg8.dnssec.test.                 8  nsec
alg10.dnssec.test.                10 nsec
alg13.dnssec.test.                13 nsec
alg14.dnssec.test.                14 nsec
alg15.dnssec.test.                15 nsec
alg16.dnssec.test.                16 nsec
nsec.dnssec.test.                 13 nsec
nsec3.dnssec.test.                13 nsec3 0 0
nsec3-optout.dnssec.test.         13 nsec3 0 1
nsec3-150.dnssec.test.            13 nsec3 150 0
nsec3-150-optout.dnssec.test.     13 nsec3 150 1
nsec3-200.dnssec.test.            13 nsec3 200 0
sub.nsec.dnssec.test.             13 nsec
sub.nsec3-optout.dnssec.test.     13 nsec
sub.nsec3-200.dnssec.test.        13 nsec
expired.dnssec.test.              13 nsec
notyet.dnssec.test.               13 nsec
wrong-ds.dnssec.test.             13 nsec
no-rrsig.dnssec.test.             13 nsec
no-ksk.dnssec.test.               13 nsec
nsec-gap.dnssec.test.             13 nsec
keytrap.dnssec.test.              8  nsec
ZONES
  # insecure delegations: no DS, proven by NSEC, NSEC3 or an opt-out NSEC3 span
  check "DNSSEC insecure.nsec: no DS (NSEC)" "+dnssec insecure.nsec.dnssec.test. DS" "$OK" "$AA" "ANSWER: 0," "^insecure\.nsec\.dnssec\.test\. 300 IN NSEC [^ ]+ NS RRSIG NSEC$"
  check "DNSSEC insecure.nsec3: no DS (NSEC3)" "+dnssec insecure.nsec3.dnssec.test. DS" "$OK" "$AA" "ANSWER: 0," " 300 IN NSEC3 1 0 0 - [0-9A-Va-v]{32} NS$"
  check "DNSSEC insecure.nsec3-optout: no DS (opt-out)" "+dnssec insecure.nsec3-optout.dnssec.test. DS" "$OK" "$AA" "ANSWER: 0," " 300 IN NSEC3 1 1 0 - [0-9A-Va-v]{32}"
  check "DNSSEC insecure.nsec: unsigned" "+dnssec www.insecure.nsec.dnssec.test. A" "$OK" "$AA" "ANSWER: 1," "^www\.insecure\.nsec\.dnssec\.test\. 3600 IN A 192\.0\.2\.1$"
  # the faults, as served
  check "DNSSEC no-rrsig: www A without RRSIG" "+dnssec www.no-rrsig.dnssec.test. A" "$OK" "$AA" "ANSWER: 1,"
  check "DNSSEC no-rrsig: www AAAA with RRSIG" "+dnssec www.no-rrsig.dnssec.test. AAAA" "$OK" "ANSWER: 2," " IN RRSIG AAAA 13 "
  check "DNSSEC nsec-gap: b has no NSEC" "+dnssec b.nsec-gap.dnssec.test. NSEC" "$NOAA" "ANSWER: 0,"
  check "DNSSEC keytrap: www A with 8 RRSIGs" "+tcp +dnssec www.keytrap.dnssec.test. A" "$OK" "$AA" "ANSWER: 9,"
  check "DNSSEC DNAME" "+dnssec www.dname.nsec.dnssec.test. A" "$OK" "$AA" "^dname\.nsec\.dnssec\.test\. 3600 IN DNAME sub\.nsec\.dnssec\.test\.$" " IN RRSIG DNAME 13 " "^www\.dname\.nsec\.dnssec\.test\. 3600 IN CNAME www\.sub\.nsec\.dnssec\.test\.$"
  check "DNSSEC wildcard (RRSIG labels 4: from *.wild)" "+dnssec x.y.wild.nsec3.dnssec.test. A" "$OK" "$AA" "^x\.y\.wild\.nsec3\.dnssec\.test\. 3600 IN A 192\.0\.2\.42$" "^x\.y\.wild\.nsec3\.dnssec\.test\. 3600 IN RRSIG A 13 4 "
  # verdicts: NAME TYPE DELV UNBOUND-HOST
  while read -r name type want_delv want_unbound; do
    got_delv="$(delv_verdict "$name" "$type")" got_unbound="$(unbound_verdict "$name" "$type")"
    if [ "$got_delv" = "$want_delv" ] && [ "$got_unbound" = "$want_unbound" ]; then pass=$((pass + 1)); else
      echo "FAIL [dnssec] $name $type: delv $got_delv, unbound-host $got_unbound; want $want_delv, $want_unbound"; failed=$((failed + 1)); fi
  done <<'VERDICTS'
www.dnssec.test                     A    secure       secure
doesnotexist.dnssec.test            A    secure-neg   secure-neg
www.alg5.dnssec.test                A    secure       secure
www.alg7.dnssec.test                A    secure       secure
www.alg8.dnssec.test                A    secure       secure
www.alg10.dnssec.test               A    secure       secure
www.alg13.dnssec.test               A    secure       secure
www.alg14.dnssec.test               A    secure       secure
www.alg15.dnssec.test               A    secure       secure
www.alg16.dnssec.test               A    secure       insecure
doesnotexist.nsec.dnssec.test       A    secure-neg   secure-neg
www.nsec3-150.dnssec.test           TXT  secure-neg   secure-neg
x.wild.nsec3.dnssec.test            A    secure       secure
x.wild.nsec3-optout.dnssec.test     A    insecure     insecure
doesnotexist.nsec3-optout.dnssec.test A  secure-neg   insecure-neg
doesnotexist.nsec3-200.dnssec.test  A    insecure-neg insecure-neg
www.sub.nsec3-150-optout.dnssec.test A   secure       secure
www.dname.nsec.dnssec.test          A    secure       secure
www.insecure.nsec3.dnssec.test      A    insecure     insecure
cname-insecure.nsec.dnssec.test     A    insecure     insecure
cname-out.nsec.dnssec.test          A    insecure     insecure
www.expired.dnssec.test             A    bogus        bogus
www.notyet.dnssec.test              A    bogus        bogus
www.wrong-ds.dnssec.test            A    bogus        bogus
www.no-rrsig.dnssec.test            A    bogus        bogus
www.no-ksk.dnssec.test              A    bogus        bogus
bb.nsec-gap.dnssec.test             A    bogus        bogus
b.nsec-gap.dnssec.test              A    bogus        error
www.keytrap.dnssec.test             A    bogus        bogus
trap.keytrap.dnssec.test            A    bogus        bogus
a.keytrap.dnssec.test               TXT  secure       secure
VERDICTS
else
  echo "FAIL no TESTBED_DNSSEC_DELV_ANCHOR or TESTBED_DNSSEC_UNBOUND_CONF in $ENVFILE (or no delv, unbound-host)"; failed=$((failed + 1))
fi

echo "check: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
