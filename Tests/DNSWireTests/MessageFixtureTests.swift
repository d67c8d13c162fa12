// SPDX-License-Identifier: Apache-2.0
// Whole responses captured from BIND 9.18, checked against dig's section output.

import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite struct MessageFixtureTests {
    static let names = ["soa", "mx-additional", "nxdomain", "nodata", "txt-multi", "cname-chain"]

    func load(_ file: String) throws -> String {
        try String(contentsOf: fixtureURL("messages/\(file)"), encoding: .utf8)
    }

    @Test(arguments: names)
    func sectionsPrintAsDigDoes(_ name: String) throws {
        let response = try DNSMessage(wire: hex(load("\(name).hex")))
        let expected = try load("\(name).dig").split(separator: "\n").map(String.init)
        let printed = (response.answers + response.authorities + response.additionals).map(\.description)
        #expect(printed == expected)
    }

    @Test(arguments: names)
    func responsesAnswerTheirQueries(_ name: String) throws {
        let query = try DNSMessage(wire: hex(load("\(name).query.hex")))
        let response = try DNSMessage(wire: hex(load("\(name).hex")))
        #expect(response.id == query.id)
        #expect(response.questions == query.questions)
        #expect(response.header.flags.contains(.qr) && !query.header.flags.contains(.qr))
        #expect(response.edns?.udpPayloadSize != nil)
    }

    @Test(arguments: names)
    func responsesRoundTrip(_ name: String) throws {
        let wire = hex(try load("\(name).hex"))
        let response = try DNSMessage(wire: wire)
        let written = try response.serialize()
        #expect(try DNSMessage(wire: written) == response)
        #expect(written.count <= wire.count)
    }

    @Test func responseCodesComeThrough() throws {
        #expect(try DNSMessage(wire: hex(load("nxdomain.hex"))).responseCode == .nxDomain)
        let nodata = try DNSMessage(wire: hex(load("nodata.hex")))
        #expect(nodata.responseCode == .noError && nodata.answers.isEmpty && nodata.authorities.first?.type == .soa)
    }
}
