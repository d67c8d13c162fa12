// SPDX-License-Identifier: Apache-2.0
// Every record type in the testbed's fixtures zone, over UDP and TCP, against the golden vectors.

import DNSComponent
import DNSWire
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct RecordTypeTests {
    @Test func vectorsAreLoaded() {
        #expect(RecordVector.served.count > 100)
    }

    @Test(arguments: [DNSComponent.TransportProtocol.udp, .tcp, .tls])
    func everyTypeMatchesItsVector(_ transport: DNSComponent.TransportProtocol) throws {
        try Self.checkEveryVector(try Testbed.component(transport))
    }

    /// The same records through Knot Resolver's DoT front (forwarding to BIND). A resolver
    /// may change the case of names (kresd lowercases them), so names compare case-blind;
    /// libknot refuses an empty NULL record, which the zone holds (null2), and kresd refuses
    /// SIG records outside a signed answer, so those are left out.
    @Test func everyTypeThroughKnotResolver() throws {
        let dns = try Testbed.component(.tls)
        try dns.setDNSPort(Int(try Testbed.value("TESTBED_KRESD_DOT_PORT"))!)
        try Self.checkEveryVector(dns, exactCase: false, skipping: { ($0.type == "NULL" && $0.wire.isEmpty) || $0.source == "bind-direct" })
    }

    /// Queries every served vector's owner for its type and compares fields, text and data
    /// (with `exactCase` false: the same RDATA, names compared without regard to case).
    static func checkEveryVector(
        _ dns: DNSComponent, exactCase: Bool = true, skipping skip: (RecordVector) -> Bool = { _ in false }
    ) throws {
        for vector in RecordVector.served where !skip(vector) {
            dns.queryType = DNSComponent.QueryType(rawValue: Int(vector.code))
            try dns.query(vector.owner)
            #expect(dns.statusCode == 0, "\(vector.owner): \(dns.status)")
            try #require(dns.recordCount == 1, "\(vector.owner) \(vector.type): \(dns.recordCount) records")
            #expect(try dns.recordType(0) == vector.code)
            #expect(try dns.recordTypeName(0) == vector.type)
            #expect(try dns.recordDomain(0).lowercased() + "." == vector.owner.lowercased())
            guard exactCase else {
                #expect(dns.records[0].data == (try RecordData(type: RecordType(UInt16(vector.code)), wire: hex(vector.wire))), "\(vector.owner)")
                continue
            }
            #expect(hexString(try dns.recordData(0)) == vector.wire, "\(vector.owner)")
            #expect(dns.records[0].data.description == vector.text, "\(vector.owner)")
            var fields: [[String]] = []
            for index in 0..<(try dns.recordFieldCount(0)) {
                try dns.setRecordFieldIndex(0, index)
                fields.append([try dns.recordFieldName(0), try dns.recordFieldValue(0)])
            }
            #expect(fields == vector.fields, "\(vector.owner)")
            for field in vector.fields { #expect(try dns.getFieldValue(0, field[0]) == field[1]) }
        }
    }

    /// Every served type can be asked for by its mnemonic; UINFO cannot, its number is RevLookup.
    @Test func queryTypesByName() throws {
        for vector in RecordVector.served {
            #expect(DNSComponent.QueryType(mnemonic: vector.type)?.rawValue == Int(vector.code), "\(vector.type)")
        }
        #expect(DNSComponent.QueryType(mnemonic: "nsap-ptr")?.rawValue == 23)
        #expect(DNSComponent.QueryType(mnemonic: "DLV")?.rawValue == 32769)
        #expect(DNSComponent.QueryType(mnemonic: "RevLookup") == .revLookup)
        #expect(DNSComponent.QueryType(mnemonic: "100") == .revLookup)
        #expect(DNSComponent.QueryType(mnemonic: "UINFO") == nil)
        #expect(DNSComponent.QueryType(mnemonic: "TYPE100") == nil)
        #expect(DNSComponent.QueryType(mnemonic: "NOSUCHTYPE") == nil)
        let dns = try Testbed.component(.udp)
        dns.queryType = try #require(DNSComponent.QueryType(mnemonic: "PX"))
        try dns.query("px1.fixtures.test")
        #expect(try dns.recordTypeName(0) == "PX")
    }

    @Test func ipv6ServerAddressWorks() throws {
        let dns = try Testbed.component(.udp, address: "::1")
        try dns.query("www.testbed.test")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.1")
        dns.protocol = .tcp
        dns.queryType = .aaaa
        try dns.query("www.testbed.test")
        #expect(try dns.getFieldValue(0, "address") == "2001:db8::1")
    }
}
