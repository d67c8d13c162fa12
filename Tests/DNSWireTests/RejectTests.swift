// SPDX-License-Identifier: Apache-2.0
// Malformed messages, each rejected with its own error and never a trap.

import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

struct RejectCase: CustomTestStringConvertible, Sendable {
    let name: String
    let wire: [UInt8]
    let expected: WireFormatError.Code
    var testDescription: String { name }
}

private func svcb(_ params: String) -> String { record(64, "0001 00 " + params) }

let rejectCases: [RejectCase] = [
    RejectCase(name: "empty message", wire: [], expected: .truncated),
    RejectCase(name: "header of 11 octets", wire: hex("1234 8180 0001 0000 0000 00"), expected: .truncated),
    RejectCase(name: "question count larger than content", wire: hex(header(1, 0, 0, 0)), expected: .truncated),
    RejectCase(name: "answer count larger than content", wire: hex(header(1, 1, 0, 0) + questionA), expected: .truncated),
    RejectCase(name: "additional count larger than content", wire: message(ar: [record(1, "c0000201")]), expected: .truncated)
        .withCount(arcount: 2),
    RejectCase(name: "label runs past the end", wire: hex(header(1, 0, 0, 0) + "03 61 62"), expected: .truncated),
    RejectCase(name: "question without type and class", wire: hex(header(1, 0, 0, 0) + "01 61 00 0001"), expected: .truncated),
    RejectCase(name: "pointer to itself", wire: hex(header(1, 0, 0, 0) + "c0 0c 0001 0001"), expected: .badPointer),
    RejectCase(name: "forward pointer", wire: hex(header(1, 0, 0, 0) + "c0 10 0001 0001 01 61 00"), expected: .badPointer),
    RejectCase(name: "pointer into its own name", wire: hex(header(1, 0, 0, 0) + "01 61 c0 0c 0001 0001"), expected: .badPointer),
    RejectCase(
        name: "pointer loop of two", wire: hex(header(1, 1, 0, 0) + questionA + " 01 62 c0 15 0001 0001 00000e10 0000"),
        expected: .badPointer),
    RejectCase(name: "pointer past the end", wire: hex(header(1, 0, 0, 0) + "c0 ff 0001 0001"), expected: .badPointer),
    RejectCase(name: "pointer cut after one octet", wire: hex(header(1, 0, 0, 0) + "01 61 c0"), expected: .truncated),
    RejectCase(name: "pointer into the header flags", wire: hex(header(1, 0, 0, 0) + "c0 02 0001 0001"), expected: .badLabelType),
    RejectCase(name: "label type 01", wire: hex(header(1, 0, 0, 0) + "41 61 00 0001 0001"), expected: .badLabelType),
    RejectCase(name: "label type 10", wire: hex(header(1, 0, 0, 0) + "81 61 00 0001 0001"), expected: .badLabelType),
    RejectCase(
        name: "name of 256 octets",
        wire: hex(header(1, 0, 0, 0) + String(repeating: "3f" + String(repeating: "61", count: 63), count: 4) + "00 0001 0001"),
        expected: .nameTooLong),
    RejectCase(
        name: "name over 255 through a pointer",
        wire: hex(
            header(2, 0, 0, 0) + " 3e" + String(repeating: "61", count: 62) + "00 0001 0001"
                + String(repeating: "3f" + String(repeating: "62", count: 63), count: 3) + "c0 0c 0001 0001"),
        expected: .nameTooLong),
    RejectCase(name: "RDLENGTH past the end", wire: message(an: [record(1, "c0000201", rdlength: 9)]), expected: .truncated),
    RejectCase(name: "A with trailing RDATA", wire: message(an: [record(1, "c000020100")]), expected: .trailingData),
    RejectCase(name: "A of 3 octets", wire: message(an: [record(1, "c00002")]), expected: .truncated),
    RejectCase(name: "AAAA of 15 octets", wire: message(an: [record(28, String(repeating: "20", count: 15))]), expected: .truncated),
    RejectCase(name: "MX without exchange", wire: message(an: [record(15, "000a")]), expected: .truncated),
    RejectCase(name: "MX exchange past RDLENGTH", wire: message(an: [record(15, "000a 01 62 00", rdlength: 4)]) + hex("00"), expected: .truncated),
    RejectCase(name: "TXT string past RDATA", wire: message(an: [record(16, "05 6162")]), expected: .truncated),
    RejectCase(name: "TXT with empty RDATA", wire: message(an: [record(16, "")]), expected: .truncated),
    RejectCase(name: "SOA without counters", wire: message(an: [record(6, "00 00 00000001")]), expected: .truncated),
    RejectCase(name: "octets after the last section", wire: message(an: [record(1, "c0000201")]) + [0], expected: .trailingMessageData),
    RejectCase(name: "SVCB keys out of order", wire: message(an: [svcb("0003 0002 0035 0001 0003 026832")]), expected: .invalidField),
    RejectCase(name: "SVCB key repeated", wire: message(an: [svcb("0003 0002 0035 0003 0002 0036")]), expected: .invalidField),
    RejectCase(name: "SVCB port of 3 octets", wire: message(an: [svcb("0003 0003 003500")]), expected: .invalidField),
    RejectCase(name: "SVCB alpn with an empty id", wire: message(an: [svcb("0001 0003 00 0168")]), expected: .invalidField),
    RejectCase(name: "SVCB alpn id past its value", wire: message(an: [svcb("0001 0002 05 68")]), expected: .invalidField),
    RejectCase(name: "SVCB no-default-alpn with a value", wire: message(an: [svcb("0002 0001 00")]), expected: .invalidField),
    RejectCase(name: "SVCB ipv4hint of 5 octets", wire: message(an: [svcb("0004 0005 c000020100")]), expected: .invalidField),
    RejectCase(name: "SVCB ipv6hint of 4 octets", wire: message(an: [svcb("0006 0004 20010db8")]), expected: .invalidField),
    RejectCase(name: "SVCB mandatory of odd length", wire: message(an: [svcb("0000 0001 01")]), expected: .invalidField),
    RejectCase(name: "SVCB mandatory keys out of order", wire: message(an: [svcb("0000 0004 0004 0001")]), expected: .invalidField),
    RejectCase(name: "SVCB mandatory listing itself", wire: message(an: [svcb("0000 0002 0000")]), expected: .invalidField),
    RejectCase(name: "SVCB value past RDATA", wire: message(an: [svcb("0003 0004 0035")]), expected: .truncated),
    RejectCase(name: "NSEC windows out of order", wire: message(an: [record(47, "00 01 01 40 00 01 40")]), expected: .invalidField),
    RejectCase(name: "NSEC window of length 0", wire: message(an: [record(47, "00 00 00")]), expected: .invalidField),
    RejectCase(
        name: "NSEC window of length 33", wire: message(an: [record(47, "00 00 21" + String(repeating: "ff", count: 33))]),
        expected: .invalidField),
    RejectCase(name: "NSEC3 salt past RDATA", wire: message(an: [record(50, "01 00 000a 08 aabb")]), expected: .truncated),
    RejectCase(name: "LOC version 1", wire: message(an: [record(29, "01 12 16 13 80000000 80000000 00989680")]), expected: .invalidField),
    RejectCase(name: "LOC precision mantissa 10", wire: message(an: [record(29, "00 a2 16 13 80000000 80000000 00989680")]), expected: .invalidField),
    RejectCase(name: "LOC latitude past 90", wire: message(an: [record(29, "00 12 16 13 ffffffff 80000000 00989680")]), expected: .invalidField),
    RejectCase(name: "APL unknown family", wire: message(an: [record(42, "0003 08 01 0a")]), expected: .invalidField),
    RejectCase(name: "APL IPv4 address of 5 octets", wire: message(an: [record(42, "0001 20 05 0a00000001")]), expected: .invalidField),
    RejectCase(name: "APL address with trailing zero", wire: message(an: [record(42, "0001 10 02 0a00")]), expected: .invalidField),
    RejectCase(name: "IPSECKEY gateway type 4", wire: message(an: [record(45, "0a 04 02 c0000201")]), expected: .invalidField),
    RejectCase(name: "OPT in the answer section", wire: message(an: [" 00 0029 04d0 00000000 0000"]), expected: .badOPT),
    RejectCase(
        name: "two OPT records", wire: message(ar: [" 00 0029 04d0 00000000 0000", " 00 0029 04d0 00000000 0000"]),
        expected: .badOPT),
    RejectCase(name: "OPT not owned by the root", wire: message(ar: [" c00c 0029 04d0 00000000 0000"]), expected: .badOPT),
    RejectCase(
        name: "TSIG not last",
        wire: message(ar: [
            record(250, "00 000000000000 012c 0000 1234 0000 0000"), record(1, "c0000201"),
        ]), expected: .invalidField),
    RejectCase(name: "TSIG MAC past RDATA", wire: message(ar: [record(250, "00 000000000000 012c 0020 00")]), expected: .truncated),
    RejectCase(name: "pointer in RDATA pointing forward", wire: message(an: [record(2, "c0 30")]), expected: .badPointer),
    RejectCase(name: "CAA tag past RDATA", wire: message(an: [record(257, "00 09 6973")]), expected: .truncated),
    RejectCase(name: "EUI48 of 7 octets", wire: message(an: [record(108, "00005e0053 2a 00")]), expected: .trailingData),
    RejectCase(name: "DS of 3 octets", wire: message(an: [record(43, "0001 08")]), expected: .truncated),
    RejectCase(name: "WKS without protocol", wire: message(an: [record(11, "c0000201")]), expected: .truncated),
    RejectCase(name: "HINFO with one string", wire: message(an: [record(13, "01 61")]), expected: .truncated),
]

extension RejectCase {
    /// The same message with the additional count replaced.
    func withCount(arcount: Int) -> RejectCase {
        var wire = self.wire
        wire[10] = UInt8(arcount >> 8)
        wire[11] = UInt8(arcount & 0xFF)
        return RejectCase(name: name, wire: wire, expected: expected)
    }
}

@Suite struct RejectTests {
    @Test func tableIsLargeEnough() {
        #expect(rejectCases.count == 62)
    }

    @Test(arguments: rejectCases)
    func rejected(_ reject: RejectCase) {
        #expect(throws: WireFormatError(reject.expected)) { try DNSMessage(wire: reject.wire) }
    }

    @Test func nameOf255OctetsIsAccepted() throws {
        // 3 labels of 63, one of 61, root: 3*64 + 62 + 1 = 255.
        let name = String(repeating: "3f" + String(repeating: "61", count: 63), count: 3) + "3d" + String(repeating: "61", count: 61) + "00"
        let message = try DNSMessage(wire: hex(header(1, 0, 0, 0) + name + "0001 0001"))
        #expect(message.questions[0].name.wire.count == 255)
    }

    @Test func everyPrefixOfAValidMessageFailsCleanly() throws {
        let wire = try Data(contentsOf: fixtureURL("typical-response.bin"))
        for length in 0..<wire.count {
            #expect(throws: WireFormatError.self) { try DNSMessage(wire: [UInt8](wire.prefix(length))) }
        }
    }
}
