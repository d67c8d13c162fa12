// SPDX-License-Identifier: Apache-2.0
// Every record type in the testbed's fixtures zone, over UDP and TCP, against the golden vectors.

import DNSComponent
import Testing

@Suite(.serialized) struct RecordTypeTests {
    @Test func vectorsAreLoaded() {
        #expect(RecordVector.served.count > 100)
    }

    @Test(arguments: [DNSComponent.TransportProtocol.udp, .tcp, .tls])
    func everyTypeMatchesItsVector(_ transport: DNSComponent.TransportProtocol) throws {
        let dns = try Testbed.component(transport)
        for vector in RecordVector.served {
            dns.queryType = DNSComponent.QueryType(rawValue: vector.code)
            try dns.query(vector.owner)
            #expect(dns.statusCode == 0, "\(vector.owner): \(dns.status)")
            try #require(dns.recordCount == 1, "\(vector.owner) \(vector.type): \(dns.recordCount) records")
            #expect(try dns.recordType(0) == vector.code)
            #expect(try dns.recordTypeName(0) == vector.type)
            #expect(try dns.recordDomain(0).lowercased() + "." == vector.owner.lowercased())
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
