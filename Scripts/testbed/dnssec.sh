# shellcheck shell=bash
# Sourced by Scripts/testbed/start.sh: a signed DNSSEC tree for the validation tests
# (RFC 4033-4035, 5155, 8624), served by the testbed's named (authoritative only).
#
# - dnssec.test. is the trust-anchor zone (there is no root on loopback): its DS is in
#   $DIR/dnssec/trust-anchor.ds (TESTBED_DNSSEC_ANCHOR_DS), its KSK's DNSKEY in
#   trust-anchor.key (TESTBED_DNSSEC_ANCHOR_KEY), both in zone-file form.
# - Below it, each delegated with NS and DS: one zone per algorithm of RFC 8624 (alg5, alg7,
#   alg8, alg10, alg13, alg14, alg15, alg16), the proof zones (nsec, nsec3, nsec3-optout,
#   nsec3-150, nsec3-150-optout, nsec3-200) with a wildcard, a CNAME into an unsigned zone,
#   a DNAME, an insecure delegation (insecure.<zone>, no DS) and a signed one (sub.<zone>),
#   and the broken zones (expired, notyet, wrong-ds, no-rrsig, no-ksk, nsec-gap, keytrap).
# - Keys are made at every start with dnssec-keygen into $DIR/dnssec/keys (never committed),
#   in parallel; zones are signed with dnssec-signzone into static files ($DIR/dnssec/zones),
#   nsec3-200 with ldns-signzone (BIND's dnssec-signzone stops at 150 iterations).
# - Differential references: $DIR/dnssec/delv-anchor.conf (delv -a, +root=dnssec.test) and
#   $DIR/dnssec/unbound.conf (unbound-host -C, TESTBED_DNSSEC_UNBOUND_CONF), both pointing
#   at this named only.
# Templates: Scripts/testbed/zones/dnssec/. Zones, names and verdicts: README.md.
# Uses log, fail, DIR, HERE, ADDR4 and PORT from start.sh.

DNSSEC_DIR="$DIR/dnssec"
DNSSEC_ANCHOR=dnssec.test.
DNSSEC_NS=ns.dnssec.test.
DNSSEC_KEYTRAP_KEYS=29   # DNSKEYs added to keytrap.dnssec.test. with its ZSK's key tag
DNSSEC_KEYTRAP_SIGS=7    # invalid RRSIGs added to each of its two A RRsets

# The zone table: NAME ALGORITHM CHAIN TEMPLATE FAULT. CHAIN is nsec, nsec3:ITERATIONS[:optout],
# ldns-nsec3:ITERATIONS (ldns-signzone) or unsigned; parents come before their children.
dnssec_spec() {
  cat <<'SPEC'
dnssec.test.                 ECDSAP256SHA256  nsec          dnssec.test  -
alg5.dnssec.test.            RSASHA1          nsec          leaf         -
alg7.dnssec.test.            NSEC3RSASHA1     nsec3:0       leaf         -
alg8.dnssec.test.            RSASHA256        nsec          leaf         -
alg10.dnssec.test.           RSASHA512        nsec          leaf         -
alg13.dnssec.test.           ECDSAP256SHA256  nsec          leaf         -
alg14.dnssec.test.           ECDSAP384SHA384  nsec          leaf         -
alg15.dnssec.test.           ED25519          nsec          leaf         -
alg16.dnssec.test.           ED448            nsec          leaf         -
expired.dnssec.test.         ECDSAP256SHA256  nsec          broken       expired
notyet.dnssec.test.          ECDSAP256SHA256  nsec          broken       notyet
wrong-ds.dnssec.test.        ECDSAP256SHA256  nsec          broken       wrong-ds
no-rrsig.dnssec.test.        ECDSAP256SHA256  nsec          broken       no-rrsig
no-ksk.dnssec.test.          ECDSAP256SHA256  nsec          broken       no-ksk
nsec-gap.dnssec.test.        ECDSAP256SHA256  nsec          broken       nsec-gap
keytrap.dnssec.test.         RSASHA256        nsec          broken       keytrap
SPEC
  local proof chain
  for proof in nsec:nsec nsec3:nsec3:0 nsec3-optout:nsec3:0:optout nsec3-150:nsec3:150 \
               nsec3-150-optout:nsec3:150:optout nsec3-200:ldns-nsec3:200; do
    chain="${proof#*:}" proof="${proof%%:*}"
    echo "$proof.$DNSSEC_ANCHOR ECDSAP256SHA256 $chain proof -"
    echo "sub.$proof.$DNSSEC_ANCHOR ECDSAP256SHA256 nsec leaf -"
    echo "insecure.$proof.$DNSSEC_ANCHOR - unsigned leaf -"
  done
}

dnssec_env() {  # prints the testbed.env lines (nothing before the first make_dnssec_zones)
  [ -f "$DNSSEC_DIR/trust-anchor.ds" ] || return 0
  echo "TESTBED_DNSSEC_ANCHOR=$DNSSEC_ANCHOR"
  echo "TESTBED_DNSSEC_ANCHOR_DS=$DNSSEC_DIR/trust-anchor.ds"
  echo "TESTBED_DNSSEC_ANCHOR_KEY=$DNSSEC_DIR/trust-anchor.key"
  echo "TESTBED_DNSSEC_DELV_ANCHOR=$DNSSEC_DIR/delv-anchor.conf"
  echo "TESTBED_DNSSEC_UNBOUND_CONF=$DNSSEC_DIR/unbound.conf"
}

# dnssec_keys ZONE ALGORITHM FAULT: a KSK and a ZSK (RSA: 1024 bits) in keys/; their base
# names in keys/ZONE.ksk and ZONE.zsk, the KSK's DS (SHA-256) in keys/ZONE.ds. wrong-ds: a
# third key, never published, in keys/ZONE.other.
dnssec_keys() {
  local k="$DNSSEC_DIR/keys" bits=() name
  case "$2" in (RSA*|NSEC3RSA*) bits=(-b 1024);; esac
  name="$(dnssec-keygen -q -K "$k" -a "$2" "${bits[@]}" -f KSK "$1")" || return 1
  echo "$name" >"$k/$1ksk"
  dnssec-dsfromkey -2 "$k/$name.key" >"$k/$1ds" || return 1
  name="$(dnssec-keygen -q -K "$k" -a "$2" "${bits[@]}" "$1")" || return 1
  echo "$name" >"$k/$1zsk"
  if [ "$3" = wrong-ds ]; then
    name="$(dnssec-keygen -q -K "$k" -a "$2" "${bits[@]}" -f KSK "$1")" || return 1
    echo "$name" >"$k/$1other"
  fi
}

# dnssec_keytrap_keys KEYFILE COUNT: COUNT DNSKEY records whose key tag is that of the key in
# KEYFILE (an RSA key): its modulus with one octet at an even offset raised by one and the one
# two further lowered by one, so the 16-bit sums of RFC 4034 appendix B stay the same. The
# earlier octet is the raised one, so every such key sorts after the real one (RFC 4034 §6.3):
# validators that try a few keys of a tag in the RRset's order all reach the real key first,
# whatever the generated modulus.
dnssec_keytrap_keys() {
  python3 - "$1" "$2" <<'PY'
import base64, sys
line = next(l for l in open(sys.argv[1]) if l.strip() and not l.startswith(";"))
owner, _, _, flags, proto, alg, *key = line.split()
raw = base64.b64decode("".join(key))
def tag(key):
    rdata = int(flags).to_bytes(2, "big") + bytes([int(proto), int(alg)]) + key
    ac = sum(b << 8 if i % 2 == 0 else b for i, b in enumerate(rdata))
    return (ac + (ac >> 16)) & 0xFFFF
want, seen, i = tag(raw), {raw}, 12   # offset 4 on: the modulus (1-octet exponent length)
while len(seen) <= int(sys.argv[2]):
    k = bytearray(raw)
    if k[i] < 255 and k[i + 2] > 0:
        k[i] += 1; k[i + 2] -= 1
    i += 2
    k = bytes(k)
    if k not in seen and tag(k) == want:
        seen.add(k)
        print(f"{owner} 3600 IN DNSKEY {flags} {proto} {alg} {base64.b64encode(k).decode()}")
PY
}

# dnssec_bad_sigs FILE OWNER TYPE COUNT KEEP: adds COUNT invalid copies of OWNER's RRSIG over
# TYPE (the signature with one octet lowered, a different one each, so every copy sorts before
# the valid RRSIG in canonical order, RFC 4034 §6.3, whatever the generated signature: a
# validator trying the RRSIGs in the order BIND serves them meets every invalid one first);
# KEEP=no also breaks the original. Reads and writes the one-record-per-line form of
# dnssec-signzone -O full.
dnssec_bad_sigs() {
  python3 - "$@" <<'PY'
import base64, sys
path, owner, rtype, count, keep = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
out = []
for line in open(path):
    f = line.split()
    if len(f) > 12 and f[0] == owner and f[3] == "RRSIG" and f[4] == rtype:
        sig = base64.b64decode("".join(f[12:]))
        def changed(n, value):
            s = bytearray(sig); s[n] = value
            return " ".join(f[:12] + [base64.b64encode(bytes(s)).decode()]) + "\n"
        if keep != "yes":
            line = changed(len(sig) - 1, sig[-1] ^ 0x5A)
        lowered = [changed(n, sig[n] - 1) for n in range(len(sig) - 1) if sig[n] > 0]
        out += lowered[:count]
    out.append(line)
open(path, "w").writelines(out)
PY
}

# dnssec_sign ZONE CHAIN FAULT: zones/ZONE.zone -> zones/ZONE.signed, then the FAULT applied.
dnssec_sign() {
  local zone="$1" chain="$2" fault="$3" k="$DNSSEC_DIR/keys" in out ksk zsk args=()
  in="$DNSSEC_DIR/zones/${zone}zone" out="$DNSSEC_DIR/zones/${zone}signed"
  ksk="$k/$(<"$k/${zone}ksk")" zsk="$k/$(<"$k/${zone}zsk")"
  if [ "${chain%%:*}" = ldns-nsec3 ]; then
    ldns-signzone -n -t "${chain#*:}" -f "$out" -o "$zone" "$in" "$ksk" "$zsk" || return 1
    return 0
  fi
  case "$chain" in
    (nsec3:*:optout) args+=(-3 - -H "$(cut -d: -f2 <<<"$chain")" -A);;
    (nsec3:*) args+=(-3 - -H "${chain#*:}");;
  esac
  [ "$fault" = - ] || args+=(-P)   # no post-signing verification of the broken zones
  case "$fault" in
    # A week out either way: validators allow some clock skew (unbound up to a day).
    (expired) args+=(-s "$(date -u -d '60 days ago' +%Y%m%d%H%M%S)" -e "$(date -u -d '7 days ago' +%Y%m%d%H%M%S)");;
    (notyet) args+=(-s +604800 -e +2592000);;   # valid from a week on, for 30 days
    (keytrap) args+=(-x);;                       # DNSKEY signed by the KSK only
  esac
  # From zones/, which holds no key files: DNSKEYs in the zone without a key given here (the
  # keytrap zone's extra keys) stay unsigning, public only.
  (cd "$DNSSEC_DIR/zones" && exec dnssec-signzone -q -O full -T 3600 "${args[@]}" -o "$zone" -f "$out" "$in" "$ksk" "$zsk") \
    >/dev/null || return 1
  case "$fault" in
    (no-rrsig)   # www A without its RRSIG
      awk -v o="www.$zone" '!($1 == o && $4 == "RRSIG" && $5 == "A")' "$out" >"$out.tmp" && mv "$out.tmp" "$out";;
    (no-ksk)     # the KSK the parent's DS names is gone from the DNSKEY RRset
      awk -v o="$zone" '!($1 == o && $4 == "DNSKEY" && $5 == 257)' "$out" >"$out.tmp" && mv "$out.tmp" "$out";;
    (nsec-gap)   # b's NSEC (b -> c) and its RRSIG removed: nothing covers bb
      awk -v o="b.$zone" '!($1 == o && ($4 == "NSEC" || ($4 == "RRSIG" && $5 == "NSEC")))' "$out" >"$out.tmp" \
        && mv "$out.tmp" "$out";;
    (keytrap)    # www A: the valid RRSIG and invalid ones; trap A: only invalid ones
      dnssec_bad_sigs "$out" "www.$zone" A "$DNSSEC_KEYTRAP_SIGS" yes \
        && dnssec_bad_sigs "$out" "trap.$zone" A "$DNSSEC_KEYTRAP_SIGS" no;;
  esac
}

# Builds the tree in $DIR/dnssec; sets DNSSEC_ZONES and DNSSEC_ZONE_REFS (named.conf clauses
# for the first view and references from the second) and DNSSEC_ZONE_NAMES.
make_dnssec_zones() {
  local d="$DNSSEC_DIR" k="$DNSSEC_DIR/keys" z="$DNSSEC_DIR/zones" spec row name alg chain tmpl fault
  local parent pids=() p bad="" tag digest_type digest file
  rm -rf "$d"
  mkdir -p "$k" "$z"
  mapfile -t spec < <(dnssec_spec)

  # Keys and DS records, all zones at once.
  for row in "${spec[@]}"; do
    read -r name alg chain tmpl fault <<<"$row"
    [ "$chain" = unsigned ] && continue
    dnssec_keys "$name" "$alg" "$fault" 2>>"$d/keygen.log" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || bad=1; done
  [ -z "$bad" ] || { tail -20 "$d/keygen.log" >&2; fail "dnssec-keygen failed (see $d/keygen.log)"; }

  # Unsigned zone files: the template, the zone's own DNSKEYs, the children's NS and DS.
  for row in "${spec[@]}"; do
    read -r name alg chain tmpl fault <<<"$row"
    cp "$HERE/zones/dnssec/$tmpl.zone" "$z/${name}zone"
    [ "$chain" = unsigned ] || cat "$k/$(<"$k/${name}ksk").key" "$k/$(<"$k/${name}zsk").key" >>"$z/${name}zone"
    [ "$fault" != keytrap ] \
      || dnssec_keytrap_keys "$k/$(<"$k/${name}zsk").key" "$DNSSEC_KEYTRAP_KEYS" >>"$z/${name}zone"
    [ "$name" != "$DNSSEC_ANCHOR" ] || continue
    parent="${name#*.}"
    echo "$name NS $DNSSEC_NS" >>"$z/${parent}zone"
    [ "$chain" != unsigned ] || continue
    if [ "$fault" = wrong-ds ]; then   # the KSK's tag and algorithm, another key's digest
      tag="$(awk '{print $4}' "$k/${name}ds")"
      dnssec-dsfromkey -2 "$k/$(<"$k/${name}other").key" | awk -v t="$tag" '{ $4 = t; print }' >>"$z/${parent}zone"
    else
      cat "$k/${name}ds" >>"$z/${parent}zone"
    fi
  done

  # Signing, all zones at once.
  pids=()
  for row in "${spec[@]}"; do
    read -r name alg chain tmpl fault <<<"$row"
    [ "$chain" = unsigned ] && continue
    dnssec_sign "$name" "$chain" "$fault" >>"$d/sign.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || bad=1; done
  [ -z "$bad" ] || { tail -20 "$d/sign.log" >&2; fail "signing the DNSSEC zones failed (see $d/sign.log)"; }

  # Trust anchor (zone-file form), delv's trust-anchors file, unbound-host's config.
  cp "$k/${DNSSEC_ANCHOR}ds" "$d/trust-anchor.ds"
  grep -v '^;' "$k/$(<"$k/${DNSSEC_ANCHOR}ksk").key" >"$d/trust-anchor.key"
  read -r _ _ _ tag alg digest_type digest <"$d/trust-anchor.ds"
  cat >"$d/delv-anchor.conf" <<DELV
// Generated by Scripts/testbed/dnssec.sh: the DS of $DNSSEC_ANCHOR as delv's trust anchor.
//   delv @$ADDR4 -p $PORT -a $d/delv-anchor.conf +root=${DNSSEC_ANCHOR%.} NAME TYPE
trust-anchors {
    "$DNSSEC_ANCHOR" static-ds $tag $alg $digest_type "$digest";
};
DELV
  cat >"$d/unbound.conf" <<UNBOUND
# Generated by Scripts/testbed/dnssec.sh: a validating libunbound that asks only the testbed
# named ($ADDR4@$PORT) for everything, with the DS of $DNSSEC_ANCHOR as its trust anchor.
#   unbound-host -C $d/unbound.conf -v -t TYPE NAME
server:
    verbosity: 0
    use-syslog: no
    chroot: ""
    username: ""
    directory: "$d"
    pidfile: ""
    do-ip6: no
    do-not-query-localhost: no
    module-config: "validator iterator"
    trust-anchor-file: "$d/trust-anchor.ds"
    val-log-level: 2                  # why an answer is bogus, in unbound-host -v
    local-zone: "test." nodefault     # unbound answers test. (RFC 6761) itself by default
forward-zone:
    name: "."
    forward-addr: $ADDR4@$PORT
UNBOUND

  DNSSEC_ZONES="" DNSSEC_ZONE_REFS="" DNSSEC_ZONE_NAMES=()
  for row in "${spec[@]}"; do
    read -r name alg chain tmpl fault <<<"$row"
    file="$z/${name}signed"
    [ "$chain" != unsigned ] || file="$z/${name}zone"
    DNSSEC_ZONE_NAMES+=("$name")
    DNSSEC_ZONES+="
zone \"$name\" {
    type primary;
    file \"$file\";
};"
    DNSSEC_ZONE_REFS+="
zone \"$name\" { in-view \"cookies-required\"; };"
  done
  chmod -R a+rX "$d"
}

check_dnssec_zones() {  # after named is up: every zone of the tree answers SOA with AA
  local args=() name n
  for name in "${DNSSEC_ZONE_NAMES[@]}"; do args+=("$name" SOA); done
  n="$(dig @"$ADDR4" -p "$PORT" +norecurse +tries=2 +time=1 "${args[@]}" 2>/dev/null | grep -c 'flags: qr aa')"
  [ "$n" -eq "${#DNSSEC_ZONE_NAMES[@]}" ] || { log "only $n of the ${#DNSSEC_ZONE_NAMES[@]} DNSSEC zones are served"; return 1; }
}
