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
