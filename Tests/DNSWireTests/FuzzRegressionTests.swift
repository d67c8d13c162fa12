// SPDX-License-Identifier: Apache-2.0
// Inputs the fuzzers found (FuzzTesting/FailCases), kept as regression tests.

import DNSWire
import Testing

@testable import DNSTestSupport

@Suite struct FuzzRegressionTests {
    /// FuzzMessage-edns-option-ffff-empty: OPT with option 65535 of length 0 survives a round trip.
    @Test func optionCode65535RoundTrips() throws {
        let wire = hex("0000 0000 0000 0000 0000 0001 00 0029 04d0 00000000 0004 ffff 0000")
        let message = try DNSMessage(wire: wire)
        #expect(message.edns?.options == [.unknown(code: EDNSOptionCode(rawValue: 0xFFFF), data: [])])
        #expect(try message.serialize() == wire)
        // An option cut short is an error, not data.
        #expect(throws: WireFormatError(.badOPT)) { try DNSMessage(wire: hex("0000 0000 0000 0000 0000 0001 00 0029 04d0 00000000 0003 ffff 00")) }
    }

    /// FuzzMessage/FuzzPresentation-loc-zero-mantissa: a size of 0 × 10^5 is refused, as BIND does.
    @Test func locZeroMantissaWithExponentIsRefused() throws {
        #expect(throws: WireFormatError(.invalidField)) { try RecordData(type: .loc, wire: hex("00 05 16 13 80000000 80000000 00989680")) }
        let zero = try RecordData(type: .loc, wire: hex("00 00 16 13 80000000 80000000 00989680"))
        #expect(try RecordData(type: .loc, presentation: zero.description) == zero)
    }

    /// FuzzMessage/FuzzPresentation-nsec3-empty-hash: the next hashed owner name may not be empty.
    @Test func nsec3EmptyHashIsRefused() {
        #expect(throws: WireFormatError(.invalidField)) { try RecordData(type: .nsec3, wire: hex("01 00 0000 00 00 0006 40 00000000 10")) }
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .nsec3, presentation: #"1 0 0 - "" A"#) }
    }

    /// FuzzPresentation-nsec3-salt-over-255: text cannot make a salt longer than its length octet allows.
    @Test func nsec3SaltOver255IsRefused() {
        let salt = String(repeating: "AB", count: 256)
        #expect(throws: TextFormatError(.tooLong)) { try RecordData(type: .nsec3param, presentation: "1 0 0 \(salt)") }
    }

    /// FuzzPresentation-caa-empty-tag: CAA tags are 1+ letters and digits (RFC 8659 §4.1).
    @Test func caaTagMustBeAlphanumeric() {
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .caa, presentation: #"50 "" "x""#) }
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .caa, presentation: #"0 is-sue "x""#) }
        #expect(throws: WireFormatError(.invalidField)) { try RecordData(type: .caa, wire: hex("00 00 78")) }
    }

    /// FuzzPresentation-svcb-empty-ech: an empty ech value is refused both ways.
    @Test func svcbEmptyECHIsRefused() {
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .svcb, presentation: #"1 . ech="""#) }
        #expect(throws: WireFormatError(.invalidField)) { try RecordData(type: .svcb, wire: hex("0001 00 0005 0000")) }
    }

    /// FuzzMessage-svcb-alpn-backslash: an alpn id holding a backslash prints and parses back.
    @Test func svcbALPNWithBackslashRoundTrips() throws {
        let data = try RecordData(type: .svcb, wire: hex("0001 00 0001 0004 03 615c62"))
        let text = data.description
        #expect(text == #"1 . alpn="a\\\\b""#)
        #expect(try RecordData(type: .svcb, presentation: text) == data)
        let comma = try RecordData(type: .svcb, wire: hex("0001 00 0001 0004 03 612c62"))
        #expect(try RecordData(type: .svcb, presentation: comma.description) == comma)
    }
}
