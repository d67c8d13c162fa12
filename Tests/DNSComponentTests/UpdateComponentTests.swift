// SPDX-License-Identifier: Apache-2.0
// Dynamic updates through the component, signed, against BIND and Knot DNS.

import DNSComponent
import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct UpdateComponentTests {
    func component(port: Int? = nil, signed: Bool = true) throws -> DNSComponent {
        let dns = try Testbed.component(.udp)
        if let port { try dns.setDNSPort(port) }
        if signed { try dns.config("TSIGKey=\(try Testbed.value("TESTBED_TSIG_HMAC_SHA256"))") }
        return dns
    }

    /// An add, then the record answers; prerequisites that fail give their response codes.
    @Test(arguments: [false, true])
    func addThenQuery(_ knot: Bool) throws {
        let port = knot ? Int(try Testbed.value("TESTBED_KNOT_PORT"))! : try Testbed.port()
        let dns = try component(port: port)
        let name = "upd-\(UInt32.random(in: 0...UInt32.max)).upd.test"
        try dns.update("upd.test", ["prereq nxdomain \(name)", "add \(name) 300 A 192.0.2.123", "add \(name) 300 TXT \"added by us\""])
        #expect(dns.statusCode == 0)
        dns.queryType = .address
        try dns.query(name)
        #expect(dns.statusCode == 0)
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.123")
        try dns.update("upd.test", ["prereq nxdomain \(name)", "add \(name) 300 A 192.0.2.124"])
        #expect(dns.statusCode == 6)  // YXDOMAIN: the name is in use
        try dns.update("upd.test", ["prereq yxrrset \(name) A 192.0.2.99", "delete \(name)"])
        #expect(dns.statusCode == 8)  // NXRRSET: no such record
        try dns.update("upd.test", ["delete \(name) A 192.0.2.123", "delete \(name) TXT"])
        #expect(dns.statusCode == 0)
        try dns.query(name)
        #expect(dns.statusCode == 3)  // gone: NXDOMAIN
    }

    /// Unsigned updates are refused; a command that does not parse fails before any I/O.
    @Test func refusalsAndBadCommands() throws {
        let unsigned = try component(signed: false)
        try unsigned.update("upd.test", ["add refused.upd.test 300 A 192.0.2.1"])
        #expect(unsigned.statusCode == 5)
        let dns = try component()
        let error = #expect(throws: DNSComponentError.self) { try dns.update("upd.test", ["add broken.upd.test A"]) }
        #expect(error?.code == 10022 && error?.message.contains("line 1") == true)
    }
}
