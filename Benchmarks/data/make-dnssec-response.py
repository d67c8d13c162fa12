#!/usr/bin/env python3
"""Generate Benchmarks/data/dnssec-response.bin: a DNSSEC-heavy DNS response.

What a validating resolver fetches for `example.com. DNSKEY IN` with the DO bit:

  header:     ID 0x4321, QR RD RA AD, NOERROR
  question:   example.com. DNSKEY IN
  answer:     3 x example.com. 3600 IN DNSKEY (a KSK and a ZSK, RSA/SHA-256 2048-bit;
              a second ZSK, ECDSA P-256), then 2 x RRSIG DNSKEY (one by each algorithm)
  additional: OPT (UDP payload 1232, DO)

The keys and signatures are fixed pseudo-random octets of the right sizes (a parser does
not verify them), so the output is byte-for-byte reproducible.

Requires dnspython. Usage: python3 make-dnssec-response.py [OUTPUT]
"""
import base64
import os
import random
import sys

import dns.flags
import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset

TTL = 3600


def b64(rng: random.Random, length: int) -> str:
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(length))).decode()


def build() -> bytes:
    rng = random.Random(20261130)
    zone = dns.name.from_text("example.com.")
    msg = dns.message.Message(id=0x4321)
    msg.flags = dns.flags.QR | dns.flags.RD | dns.flags.RA | dns.flags.AD
    msg.find_rrset(msg.question, zone, dns.rdataclass.IN, dns.rdatatype.DNSKEY, create=True)
    # RSA public keys: exponent length 3, exponent 65537, then a 256-octet modulus.
    rsa = lambda: base64.b64encode(b"\x03\x01\x00\x01" + bytes(rng.randrange(256) for _ in range(256))).decode()
    msg.answer.append(dns.rrset.from_text_list(zone, TTL, "IN", "DNSKEY", [
        f"257 3 8 {rsa()}", f"256 3 8 {rsa()}", f"256 3 13 {b64(rng, 64)}"]))
    msg.answer.append(dns.rrset.from_text_list(zone, TTL, "IN", "RRSIG", [
        f"DNSKEY 8 2 3600 20261230000000 20261130000000 20326 example.com. {b64(rng, 256)}",
        f"DNSKEY 13 2 3600 20261230000000 20261130000000 38696 example.com. {b64(rng, 64)}"]))
    msg.use_edns(edns=0, payload=1232, ednsflags=dns.flags.DO, options=[])
    wire = msg.to_wire(want_shuffle=False)
    back = dns.message.from_wire(wire)
    assert sum(len(r) for r in back.answer) == 5 and back.ednsflags & dns.flags.DO
    return wire


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "dnssec-response.bin")
    wire = build()
    with open(out, "wb") as f:
        f.write(wire)
    print(f"wrote {out}: {len(wire)} bytes")


if __name__ == "__main__":
    main()
