// SPDX-License-Identifier: Apache-2.0
// Helpers for building wire-format test messages from hex.

import DNSWire
import Foundation

@testable import DNSTestSupport

/// A response header (ID 0x1234, QR RD RA) with the given section counts.
func header(_ qd: Int, _ an: Int, _ ns: Int, _ ar: Int) -> String {
    "1234 8180" + [qd, an, ns, ar].map { String(format: " %04x", $0) }.joined()
}

/// The question `a. A IN` at offset 12 (its name can be pointed at with `c00c`).
let questionA = " 01 61 00 0001 0001"

/// A record owned by `a.` (pointer to offset 12), class IN, TTL 3600; RDLENGTH from the data unless given.
func record(_ type: UInt16, _ rdata: String, rdlength: Int? = nil) -> String {
    let length = rdlength ?? hex(rdata).count
    return String(format: " c00c %04x 0001 00000e10 %04x ", type, length) + rdata
}

/// A whole message: header, the `a. A IN` question, then the given records.
func message(an: [String] = [], ns: [String] = [], ar: [String] = []) -> [UInt8] {
    hex(header(1, an.count, ns.count, ar.count) + questionA + (an + ns + ar).joined())
}

func fixtureURL(_ name: String) -> URL {
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!
}
