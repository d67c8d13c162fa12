// SPDX-License-Identifier: Apache-2.0
// RDATA of the types BIND knows by name, malformed on the wire or in text: each refused
// with its own error (as BIND refuses it), never a trap.

import DNSWire
import Testing

@testable import DNSTestSupport

struct RecordRejectCase: CustomTestStringConvertible, Sendable {
    let name: String
    let type: RecordType
    let rdata: String
    let expected: WireFormatError.Code
    var testDescription: String { name }

    init(_ name: String, _ type: RecordType, _ rdata: String, _ expected: WireFormatError.Code) {
        (self.name, self.type, self.rdata, self.expected) = (name, type, rdata, expected)
    }
}

struct TextRejectCase: CustomTestStringConvertible, Sendable {
    let type: RecordType
    let text: String
    let expected: TextFormatError.Code
    var testDescription: String { "\(type) \(text)" }

    init(_ type: RecordType, _ text: String, _ expected: TextFormatError.Code) {
        (self.type, self.text, self.expected) = (type, text, expected)
    }
}

let recordRejectCases: [RecordRejectCase] = [
    RecordRejectCase("NSAP without octets", .nsap, "", .truncated),
    RecordRejectCase("SIG without signer", .sig, "0001 05 02 00000e10 65badf00 65920080 3039", .truncated),
    RecordRejectCase("KEY of 3 octets", .key, "0100 03", .truncated),
    RecordRejectCase("PX without MAPX400", .px, "000a 00", .truncated),
    RecordRejectCase("GPOS with two strings", .gpos, "01 31 01 32", .truncated),
    RecordRejectCase("NXT map with type 0", .nxt, "00 80", .invalidField),
    RecordRejectCase("NXT map ending in a zero octet", .nxt, "00 40 00", .invalidField),
    RecordRejectCase("NXT map of 17 octets", .nxt, "00 40" + String(repeating: "01", count: 16), .invalidField),
    RecordRejectCase("EID without octets", .eid, "", .invalidField),
    RecordRejectCase("NIMLOC without octets", .nimloc, "", .invalidField),
    RecordRejectCase("ATMA of one octet", .atma, "00", .invalidField),
    RecordRejectCase("ATMA E.164 with a letter", .atma, "01 3341", .invalidField),
    RecordRejectCase("A6 prefix length 129", .a6, "81 00", .invalidField),
    RecordRejectCase("A6 suffix with a prefix bit", .a6, "41 80 00000000 00000001 00", .invalidField),
    RecordRejectCase("A6 suffix cut short", .a6, "40 0001", .truncated),
    RecordRejectCase("A6 without prefix name", .a6, "78 01", .truncated),
    RecordRejectCase("SINK of 2 octets", .sink, "01 02", .truncated),
    RecordRejectCase("HIP with an empty HIT", .hip, "00 02 0001 01", .invalidField),
    RecordRejectCase("HIP with an empty key", .hip, "01 02 0000 01", .invalidField),
    RecordRejectCase("HIP key past RDATA", .hip, "01 02 0005 aa 01", .truncated),
    RecordRejectCase("HIP server cut short", .hip, "01 02 0001 aa 01 03 61", .truncated),
    RecordRejectCase("TALINK with one name", .talink, "00", .truncated),
    RecordRejectCase("DSYNC without target", .dsync, "003b 01 14eb", .truncated),
    RecordRejectCase("HHIT without octets", .hhit, "", .invalidField),
    RecordRejectCase("BRID without octets", .brid, "", .invalidField),
    RecordRejectCase("NID of 9 octets", .nid, "000a 0014 4fff ff20 ee", .truncated),
    RecordRejectCase("L32 with a trailing octet", .l32, "000a 0a010200 00", .trailingData),
    RecordRejectCase("L64 of 11 octets", .l64, "000a 20010db8 11401000 00", .trailingData),
    RecordRejectCase("LP without FQDN", .lp, "000a", .truncated),
    RecordRejectCase("TKEY key past RDATA", .tkey, "00 00000001 00000002 0003 0000 0004 0102", .truncated),
    RecordRejectCase("TKEY without other size", .tkey, "00 00000001 00000002 0003 0000 0000", .truncated),
    RecordRejectCase("DOA media type past RDATA", .doa, "00000000 00000001 02 05 6162", .truncated),
    RecordRejectCase("AMTRELAY without relay type", .amtrelay, "00", .truncated),
    RecordRejectCase("AMTRELAY type 0 with a relay", .amtrelay, "00 00 01", .trailingData),
    RecordRejectCase("AMTRELAY IPv4 of 3 octets", .amtrelay, "00 01 c00002", .truncated),
    RecordRejectCase("AMTRELAY IPv6 of 17 octets", .amtrelay, "00 02 20010db8000000000000000000000015 00", .trailingData),
    RecordRejectCase("AMTRELAY name cut short", .amtrelay, "00 83 03 616d74", .truncated),
    RecordRejectCase("TA of 3 octets", .ta, "0001 08", .truncated),
    // 8192 octets hold every port; a longer map trapped before (a port past 65535).
    RecordRejectCase("WKS map over 8192 octets", .wks, "c0000201 06" + String(repeating: "00", count: 8192) + "01", .invalidField),
]

let textRejectCases: [TextRejectCase] = [
    TextRejectCase(.nsap, "47000580", .badValue),
    TextRejectCase(.nsap, "0x123", .badValue),
    TextRejectCase(.nsap, "0x..", .badValue),
    TextRejectCase(.sig, "A 5 3 86400 20030322173103 20030220173103 2642", .missingValue),
    TextRejectCase(.sig, "BOGUS 5 3 86400 20030322173103 20030220173103 2642 example. AQID", .unknownType),
    TextRejectCase(.nxt, "a.example. A TYPE128", .badValue),
    TextRejectCase(.nxt, "a.example. A 0", .badValue),
    TextRejectCase(.nxt, "a.example. A BOGUS", .unknownType),
    TextRejectCase(.eid, "", .badValue),
    TextRejectCase(.eid, "ABC", .badValue),
    TextRejectCase(.atma, "+", .badValue),
    TextRejectCase(.atma, "+1a", .badValue),
    TextRejectCase(.atma, "+1..2", .badValue),
    TextRejectCase(.atma, ".47", .badValue),
    TextRejectCase(.atma, "47.", .badValue),
    TextRejectCase(.atma, "475", .badValue),
    TextRejectCase(.a6, "129 ::1 a.example.", .badValue),
    TextRejectCase(.a6, "64 ::1", .missingValue),
    TextRejectCase(.a6, "0 ::1 a.example.", .extraValue),
    TextRejectCase(.a6, "64 1.2.3.4 a.example.", .badValue),
    TextRejectCase(.hip, "2 ZZ AQ==", .badValue),
    TextRejectCase(.hip, "2 0102", .missingValue),
    TextRejectCase(.hip, #"2 "" AQ=="#, .badValue),
    TextRejectCase(.hip, "256 01 AQ==", .badValue),
    TextRejectCase(.dsync, "CDS BOGUS 1 a.example.", .badValue),
    TextRejectCase(.nid, "10 1:2:3", .badValue),
    TextRejectCase(.nid, "10 12345:0:0:0", .badValue),
    TextRejectCase(.nid, "10 1::2:3", .badValue),
    TextRejectCase(.l64, "10 2001:db8:1140:1000:0", .badValue),
    TextRejectCase(.doa, "0 1 2 \"\" !!", .badValue),
    TextRejectCase(.amtrelay, "0 0 4 .", .badValue),
    TextRejectCase(.amtrelay, "0 2 1 192.0.2.1", .badValue),
    TextRejectCase(.amtrelay, "0 0 128 .", .badValue),
    TextRejectCase(.amtrelay, "0 0 1 2001:db8::1", .badValue),
    TextRejectCase(.amtrelay, "0 0 0 a.example.", .badValue),
    TextRejectCase(.hhit, "", .badValue),
    TextRejectCase(.tkey, "gss-tsig. 1 2 3 NOERROR 2 AQID 0", .badValue),
]

@Suite struct RecordRejectTests {
    @Test(arguments: recordRejectCases)
    func wireRejected(_ reject: RecordRejectCase) {
        #expect(throws: WireFormatError(reject.expected)) { try RecordData(type: reject.type, wire: hex(reject.rdata)) }
        // The same RDATA inside a message is refused the same way.
        #expect(throws: WireFormatError(reject.expected)) { try DNSMessage(wire: message(an: [record(reject.type.rawValue, reject.rdata)])) }
    }

    @Test(arguments: textRejectCases)
    func textRejected(_ reject: TextRejectCase) {
        #expect(throws: TextFormatError(reject.expected)) { try RecordData(type: reject.type, presentation: reject.text) }
    }

    /// Text BIND reads only in the generic form (relay type 4, ATMA format 2) is read from it,
    /// and printed in it again.
    @Test func unknownFormsUseTheGenericText() throws {
        let relay = try RecordData(type: .amtrelay, presentation: ##"\# 6 0a 84 01020304"##)
        #expect(relay.description == ##"\# 6 0A8401020304"##)
        #expect(
            relay.fields.map { [$0.name, $0.value] } == [
                ["PRECEDENCE", "10"], ["DISCOVERYOPTIONAL", "1"], ["RELAYTYPE", "4"], ["RELAY", "01020304"],
            ])
        let atma = try RecordData(type: .atma, presentation: ##"\# 2 ff 01"##)
        #expect(atma.description == ##"\# 2 FF01"##)
        #expect(atma.fields.map(\.value) == ["255", "01"])
    }
}
