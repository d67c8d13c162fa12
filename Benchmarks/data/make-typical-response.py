#!/usr/bin/env python3
"""Generate Benchmarks/data/typical-response.bin: a typical DNS response.

The message is what a recursive resolver might send back for
`www.example.com. A IN`, with name compression as real servers use it:

  header:     ID 0x1234, QR RD RA, NOERROR
  question:   www.example.com. A IN
  answer:     10 x www.example.com. 300 IN A 192.0.2.1 .. 192.0.2.10
  authority:  example.com. 300 IN NS ns1.example.com. / ns2.example.com.
  additional: A + AAAA glue for ns1 and ns2, then OPT (UDP payload 1232,
              no options)

Requires dnspython (`pip install dnspython`), which compresses names.
Usage: python3 make-typical-response.py [OUTPUT]   (default: next to this file)
"""
import os
import sys

import dns.flags
import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset

TTL = 300


def build() -> bytes:
    qname = dns.name.from_text("www.example.com.")
    zone = dns.name.from_text("example.com.")
    ns1 = dns.name.from_text("ns1.example.com.")
    ns2 = dns.name.from_text("ns2.example.com.")

    msg = dns.message.Message(id=0x1234)
    msg.flags = dns.flags.QR | dns.flags.RD | dns.flags.RA
    msg.find_rrset(msg.question, qname, dns.rdataclass.IN, dns.rdatatype.A,
                   create=True)

    msg.answer.append(dns.rrset.from_text_list(
        qname, TTL, "IN", "A", [f"192.0.2.{i}" for i in range(1, 11)]))
    msg.authority.append(dns.rrset.from_text_list(
        zone, TTL, "IN", "NS", [ns1.to_text(), ns2.to_text()]))
    msg.additional.append(dns.rrset.from_text(ns1, TTL, "IN", "A", "192.0.2.53"))
    msg.additional.append(dns.rrset.from_text(ns1, TTL, "IN", "AAAA", "2001:db8::53"))
    msg.additional.append(dns.rrset.from_text(ns2, TTL, "IN", "A", "198.51.100.53"))
    msg.additional.append(dns.rrset.from_text(ns2, TTL, "IN", "AAAA", "2001:db8:1::53"))
    # EDNS(0): OPT record last in the additional section, payload 1232.
    msg.use_edns(edns=0, payload=1232, options=[])

    # dnspython compresses names by default; want_shuffle=False keeps the
    # records in order so the output is byte-for-byte reproducible.
    wire = msg.to_wire(want_shuffle=False)

    # Sanity: round-trip and check counts.
    back = dns.message.from_wire(wire)
    assert back.id == 0x1234
    assert sum(len(r) for r in back.answer) == 10
    assert sum(len(r) for r in back.authority) == 2
    assert sum(len(r) for r in back.additional) == 4  # OPT is held apart
    assert back.edns == 0 and back.payload == 1232
    return wire


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "typical-response.bin")
    wire = build()
    with open(out, "wb") as f:
        f.write(wire)
    print(f"wrote {out}: {len(wire)} bytes")


if __name__ == "__main__":
    main()
