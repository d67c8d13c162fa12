// SPDX-License-Identifier: Apache-2.0
// Every record type against vectors produced by BIND 9.18's dig and by dnspython
// (Scripts/fixtures/generate-record-fixtures.sh writes Fixtures/records.json).

import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite struct RecordFixtureTests {
    @Test(arguments: RecordVector.all)
    func wireToTextAndFields(_ vector: RecordVector) throws {
        let type = RecordType(vector.code)
        let data = try RecordData(type: type, wire: hex(vector.wire))
        #expect(data.description == vector.text)
        #expect(data.fields.map { [$0.name, $0.value] } == vector.fields)
        #expect(try data.serialize() == hex(vector.wire))
    }

    @Test(arguments: RecordVector.all)
    func textToWire(_ vector: RecordVector) throws {
        let type = RecordType(vector.code)
        #expect(try RecordData(type: type, presentation: vector.text).serialize() == hex(vector.wire))
        #expect(try RecordData(type: type, presentation: vector.zone).serialize() == hex(vector.wire))
        let generic = "\\# \(vector.wire.count / 2) \(vector.wire)"
        #expect(try RecordData(type: type, presentation: generic) == RecordData(type: type, wire: hex(vector.wire)))
    }

    @Test func everyCatalogTypeHasAVector() {
        let covered = Set(RecordVector.all.map(\.code))
        let missing = RecordCatalog.knownTypes.filter { !covered.contains($0.rawValue) }
        #expect(missing.isEmpty, "no fixture for \(missing)")
        #expect(RecordVector.all.contains { RecordCatalog.fieldNames(of: RecordType($0.code)) == ["RDATA"] })
    }

    @Test func fieldNamesFollowTheSeed() {
        let expected: [RecordType: [String]] = [
            .a: ["ADDRESS"], .ns: ["DNAME"], .md: ["MADNAME"], .mf: ["MADNAME"], .cname: ["CNAME"],
            .soa: ["MNAME", "RNAME", "SERIAL", "REFRESH", "RETRY", "EXPIRE", "MINIMUM"], .mb: ["MADNAME"],
            .mg: ["MGMNAME"], .mr: ["NEWNAME"], .null: ["NULL"], .wks: ["ADDRESS", "PROTOCOL", "SERVICEMAP"],
            .ptr: ["PTRDNAME"], .hinfo: ["CPU", "OS"], .minfo: ["RMAILBX", "EMAILBX"], .mx: ["PREFERENCE", "EXCHANGE"],
            .txt: ["TXT"], .rp: ["MBOXDNAME", "TXTDNAME"], .afsdb: ["SUBTYPE", "HOSTNAME"], .x25: ["PSDNADDRESS"],
            .isdn: ["ISDNADDRESS", "SA"], .rt: ["PREFERENCE", "INTERMEDIATE"], .aaaa: ["ADDRESS"],
            .srv: ["PRIORITY", "WEIGHT", "PORT", "TARGET"],
            .naptr: ["ORDER", "PRIORITY", "FLAGS", "SERVICES", "REGEXP", "REPLACEMENT"],
            .cert: ["TYPE", "KEYTAG", "ALGORITHM", "CERTIFICATE"],
        ]
        for (type, names) in expected { #expect(RecordCatalog.fieldNames(of: type) == names, "\(type)") }
    }

    /// Every type BIND 9.18 knows by name (`named-rrchecker -T`, and the meta types), by mnemonic
    /// both ways; every one but the meta-only ones has a description in the catalog.
    @Test func everyBINDTypeIsKnownByName() {
        let bind: [(String, UInt16)] = [
            ("A", 1), ("NS", 2), ("MD", 3), ("MF", 4), ("CNAME", 5), ("SOA", 6), ("MB", 7), ("MG", 8), ("MR", 9), ("NULL", 10),
            ("WKS", 11), ("PTR", 12), ("HINFO", 13), ("MINFO", 14), ("MX", 15), ("TXT", 16), ("RP", 17), ("AFSDB", 18), ("X25", 19),
            ("ISDN", 20), ("RT", 21), ("NSAP", 22), ("NSAP-PTR", 23), ("SIG", 24), ("KEY", 25), ("PX", 26), ("GPOS", 27),
            ("AAAA", 28), ("LOC", 29), ("NXT", 30), ("EID", 31), ("NIMLOC", 32), ("SRV", 33), ("ATMA", 34), ("NAPTR", 35),
            ("KX", 36), ("CERT", 37), ("A6", 38), ("DNAME", 39), ("SINK", 40), ("OPT", 41), ("APL", 42), ("DS", 43), ("SSHFP", 44),
            ("IPSECKEY", 45), ("RRSIG", 46), ("NSEC", 47), ("DNSKEY", 48), ("DHCID", 49), ("NSEC3", 50), ("NSEC3PARAM", 51),
            ("TLSA", 52), ("SMIMEA", 53), ("HIP", 55), ("NINFO", 56), ("RKEY", 57), ("TALINK", 58), ("CDS", 59), ("CDNSKEY", 60),
            ("OPENPGPKEY", 61), ("CSYNC", 62), ("ZONEMD", 63), ("SVCB", 64), ("HTTPS", 65), ("DSYNC", 66), ("HHIT", 67),
            ("BRID", 68), ("SPF", 99), ("UINFO", 100), ("UID", 101), ("GID", 102), ("UNSPEC", 103), ("NID", 104), ("L32", 105),
            ("L64", 106), ("LP", 107), ("EUI48", 108), ("EUI64", 109), ("TKEY", 249), ("TSIG", 250), ("IXFR", 251),
            ("AXFR", 252), ("MAILB", 253), ("MAILA", 254), ("ANY", 255), ("URI", 256), ("CAA", 257), ("AVC", 258), ("DOA", 259),
            ("AMTRELAY", 260), ("RESINFO", 261), ("WALLET", 262), ("TA", 32768), ("DLV", 32769),
        ]
        let questionOnly: Set<UInt16> = [251, 252, 253, 254, 255]
        for (name, code) in bind {
            #expect(RecordType(mnemonic: name) == RecordType(code), "\(name)")
            #expect(RecordType(mnemonic: name.lowercased()) == RecordType(code), "\(name)")
            #expect(RecordType(code).description == name)
            #expect(RecordCatalog.knownTypes.contains(RecordType(code)) != questionOnly.contains(code), "\(name)")
        }
        #expect(RecordType(mnemonic: "TYPE100") == .uinfo)
        #expect(RecordType(65533).description == "TYPE65533")  // BIND's private KEYDATA has no public name
    }

    @Test func newTypesHaveTheirFieldNames() {
        let expected: [RecordType: [String]] = [
            .nsap: ["ADDRESS"], .nsapPtr: ["PTRDNAME"], .px: ["PREFERENCE", "MAP822", "MAPX400"],
            .gpos: ["LONGITUDE", "LATITUDE", "ALTITUDE"], .nxt: ["NEXTDOMAINNAME", "TYPEBITMAP"], .atma: ["FORMAT", "ADDRESS"],
            .a6: ["PREFIXLENGTH", "ADDRESSSUFFIX", "PREFIXNAME"], .sink: ["MEANING", "CODING", "SUBCODING", "DATA"],
            .hip: ["PKALGORITHM", "HIT", "PUBLICKEY", "RENDEZVOUSSERVERS"], .talink: ["PREVIOUSNAME", "NEXTNAME"],
            .dsync: ["RRTYPE", "SCHEME", "PORT", "TARGET"], .uinfo: ["RDATA"], .nid: ["PREFERENCE", "NODEID"],
            .l32: ["PREFERENCE", "LOCATOR32"], .l64: ["PREFERENCE", "LOCATOR64"], .lp: ["PREFERENCE", "FQDN"],
            .tkey: ["ALGORITHM", "INCEPTION", "EXPIRATION", "MODE", "ERROR", "KEYDATA", "OTHERDATA"],
            .doa: ["ENTERPRISE", "TYPE", "LOCATION", "MEDIATYPE", "DATA"],
            .amtrelay: ["PRECEDENCE", "DISCOVERYOPTIONAL", "RELAYTYPE", "RELAY"],
        ]
        for (type, names) in expected { #expect(RecordCatalog.fieldNames(of: type) == names, "\(type)") }
        for type in [RecordType.sig, .rrsig] { #expect(RecordCatalog.fieldNames(of: type) == RecordCatalog.fieldNames(of: .rrsig)) }
        for type in [RecordType.key, .rkey] { #expect(RecordCatalog.fieldNames(of: type) == RecordCatalog.fieldNames(of: .dnskey)) }
        for type in [RecordType.ta, .dlv] { #expect(RecordCatalog.fieldNames(of: type) == RecordCatalog.fieldNames(of: .ds)) }
        for type in [RecordType.ninfo, .avc, .resinfo, .wallet] { #expect(RecordCatalog.fieldNames(of: type) == ["TXT"]) }
    }

    /// SIG(0) covers type 0, which BIND prints as a bare number, as it prints any type without a name.
    @Test func sigCoveringTypeZeroPrintsANumber() throws {
        let wire = hex("0000 08 00 00000000 65badf00 65920080 3039 00 010203")
        let data = try RecordData(type: .sig, wire: wire)
        #expect(data.description == "0 8 0 0 20240201000000 20240101000000 12345 . AQID")
        #expect(try RecordData(type: .sig, presentation: data.description).serialize() == wire)
        #expect(try RecordData(type: .sig, presentation: "TYPE0 8 0 0 20240201000000 20240101000000 12345 . AQID") == data)
        #expect(try RecordData(type: .rrsig, wire: wire).description.hasPrefix("TYPE0 8 0 0 "))
    }

    /// A6: no suffix at prefix length 128, no prefix name at 0; text keeps the suffix bits only.
    @Test func a6FieldsFollowThePrefixLength() throws {
        let full = try RecordData(type: .a6, presentation: "128 pre.example.")
        #expect(full.description == "128  pre.example.")
        #expect(full.fields.map(\.name) == ["PREFIXLENGTH", "PREFIXNAME"])
        #expect(try full.serialize() == hex("80 03707265 076578616d706c65 00"))
        let none = try RecordData(type: .a6, presentation: "0 2001:db8::1")
        #expect(none.fields.map(\.name) == ["PREFIXLENGTH", "ADDRESSSUFFIX"])
        let masked = try RecordData(type: .a6, presentation: "12 ffff:ffff::1 pre.example.")
        #expect(masked.description == "12 f:ffff::1 pre.example.")
        #expect(try masked.serialize().prefix(3) == [12, 0x0F, 0xFF])
    }

    /// TKEY never comes from a zone, but its text parses back, the empty key included.
    @Test func tkeyTextParsesBack() throws {
        let data = try RecordData(type: .tkey, presentation: "hmac-sha256. 1 2 2 BADKEY 0  0")
        #expect(data.as(RecordData.TKEY.self)?.error == 17)
        #expect(data.description == "hmac-sha256. 1 2 2 BADKEY 0  0")
        #expect(data.fields.map(\.value) == ["hmac-sha256", "1", "2", "2", "BADKEY", "", ""])
        #expect(try RecordData(type: .tkey, presentation: "gss-tsig. 1 2 3 23 1 AQ== 1 Ag==").description == "gss-tsig. 1 2 3 23 1 AQ== 1 Ag==")
    }

    /// Type mnemonics and numbers both parse where BIND takes a type (RRSIG, SIG, DSYNC, NXT).
    @Test func typeFieldsTakeNumbers() throws {
        #expect(try RecordData(type: .dsync, presentation: "59 NOTIFY 53 a.example.").description == "CDS NOTIFY 53 a.example.")
        #expect(try RecordData(type: .dsync, presentation: "65280 3 53 a.example.").description == "TYPE65280 3 53 a.example.")
        #expect(try RecordData(type: .nxt, presentation: "a.example. 1 ns TYPE99 100").description == "a.example. A NS SPF UINFO")
        #expect(
            try RecordData(type: .rrsig, presentation: "28 13 2 300 20240201000000 20240101000000 1 a.example. AQID").description
                == "AAAA 13 2 300 20240201000000 20240101000000 1 a.example. AQID")
    }

    @Test func isdnWithoutSubaddressHasOneField() throws {
        let data = try RecordData(type: .isdn, presentation: "\"150862028003217\"")
        #expect(data.fields.map(\.name) == ["ISDNADDRESS"])
        #expect(try RecordData(type: .isdn, presentation: "\"1\" \"2\"").fields.map(\.value) == ["1", "2"])
    }

    @Test func unknownTypesUseTheGenericForm() throws {
        let data = try RecordData(type: RecordType(65280), presentation: "\\# 4 c0000201")
        #expect(data.description == "\\# 4 C0000201")
        #expect(data.fields.map { [$0.name, $0.value] } == [["RDATA", "C0000201"]])
        #expect(data.fields[0].bytes == [0xC0, 0, 2, 1])
        #expect(RecordType(65280).description == "TYPE65280")
        #expect(RecordType(mnemonic: "type65280") == RecordType(65280))
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: RecordType(65280), presentation: "c0000201") }
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .a, presentation: "\\# 4 c00002") }
    }

    @Test func textErrorsAreTyped() {
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .a, presentation: "192.0.2.256") }
        #expect(throws: TextFormatError(.missingValue)) { try RecordData(type: .mx, presentation: "10") }
        #expect(throws: TextFormatError(.extraValue)) { try RecordData(type: .a, presentation: "192.0.2.1 extra") }
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .mx, presentation: "65536 mail.example.") }
        #expect(throws: TextFormatError(.unknownType)) { try RecordData(type: .nsec, presentation: "a. A BOGUS") }
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .svcb, presentation: "1 . port=99999") }
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .svcb, presentation: "1 . alpn=h2 alpn=h3") }
        #expect(throws: TextFormatError(.badValue)) { try RecordData(type: .ds, presentation: "1 8 2 XYZ") }
    }
}
