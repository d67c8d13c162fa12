// SPDX-License-Identifier: Apache-2.0
// Whole messages: parsing, writing, compression, queries and dig-style text.

import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite struct MessageTests {
    let typical = [UInt8](try! Data(contentsOf: fixtureURL("typical-response.bin")))

    @Test func parsesTheTypicalResponse() throws {
        let message = try DNSMessage(wire: typical)
        #expect(message.id == 0x1234)
        #expect(message.header.flags == [.qr, .rd, .ra])
        #expect(message.responseCode == .noError)
        #expect(message.questions == [DNSQuestion(name: try DomainName("www.example.com"), type: .a)])
        #expect(message.answers.count == 10)
        #expect(message.answers.map { $0.data.description } == (1...10).map { "192.0.2.\($0)" })
        #expect(message.answers.allSatisfy { $0.ttl == 300 && $0.name.description == "www.example.com." })
        #expect(message.authorities.map { $0.data.description } == ["ns1.example.com.", "ns2.example.com."])
        #expect(message.additionals.count == 4)
        #expect(message.edns == EDNS(udpPayloadSize: 1232))
    }

    @Test func rewritesTheTypicalResponseOctetForOctet() throws {
        let message = try DNSMessage(wire: typical)
        #expect(try message.serialize() == typical)
    }

    @Test func compressionCompresses() throws {
        let message = try DNSMessage(wire: typical)
        let plain = try message.serialize(compression: false)
        #expect(plain.count > typical.count + 100)
        #expect(try DNSMessage(wire: plain) == message)
        // Every owner is written out in full: the first answer's owner appears once per answer.
        let owner = message.answers[0].name.wire
        let occurrences = (0...(plain.count - owner.count)).filter { plain[$0..<$0 + owner.count].elementsEqual(owner) }.count
        #expect(occurrences == message.questions.count + message.answers.filter { $0.name == message.answers[0].name }.count)
    }

    @Test func compressionNeverUsesOffsetsPastFourteenBits() throws {
        // 400 TXT records of 60 octets push later names past offset 0x4000.
        let owner = try DomainName("t.example")
        var message = DNSMessage.query(name: owner, type: .txt, id: 1)
        let text = try RecordData(type: .txt, RecordData.TXT([String(repeating: "x", count: 60)]))
        message.answers = (0..<400).map { index in
            DNSRecord(name: try! DomainName("r\(index)", origin: owner), ttl: 1, data: text)
        }
        let wire = try message.serialize()
        #expect(wire.count > 0x4000)
        #expect(try DNSMessage(wire: wire) == message)
    }

    @Test func buildsTheRFC8484Query() throws {
        let query = DNSMessage.query(name: try DomainName("www.example.com"), type: .a, id: 0, edns: nil)
        let expected = Data(base64Encoded: "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB")!
        #expect(try query.serialize() == [UInt8](expected))
    }

    @Test func queriesCarryEDNSByDefault() throws {
        let query = DNSMessage.query(name: try DomainName("example.org"), type: .mx, id: 7)
        let wire = try query.serialize()
        #expect(hexString(Array(wire.suffix(11))) == "0000290" + "4d0000000000000")
        #expect(try DNSMessage(wire: wire).edns?.udpPayloadSize == 1232)
    }

    @Test func extendedResponseCodesCombineHeaderAndOPT() throws {
        var message = DNSMessage(header: DNSHeader(id: 9, flags: .qr), responseCode: .badCookie, edns: EDNS())
        let wire = try message.serialize()
        #expect(wire[3] & 0x0F == 23 & 0x0F)
        let parsed = try DNSMessage(wire: wire)
        #expect(parsed.responseCode == .badCookie)
        #expect(parsed.responseCode.description == "BADCOOKIE")
        message.edns = nil
        #expect(throws: WireFormatError(.invalidField)) { try message.serialize() }
    }

    @Test func printsLikeDig() throws {
        let text = try DNSMessage(wire: typical).description
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4660")
        #expect(lines[1] == ";; flags: qr rd ra; QUERY: 1, ANSWER: 10, AUTHORITY: 2, ADDITIONAL: 5")
        #expect(lines.contains("; EDNS: version: 0, flags:; udp: 1232"))
        #expect(lines.contains(";www.example.com.\t\tIN\tA"))
        #expect(lines.contains("www.example.com.\t300\tIN\tA\t192.0.2.1"))
        #expect(lines.contains(";; AUTHORITY SECTION:"))
    }
}

@Suite struct EDNSTests {
    func roundTrip(_ options: [EDNSOption]) throws -> [EDNSOption] {
        var query = DNSMessage.query(name: .root, type: .ns, id: 1)
        query.edns?.options = options
        return try DNSMessage(wire: query.serialize()).edns?.options ?? []
    }

    @Test func typedOptionsSurviveTheWire() throws {
        let subnet = ClientSubnet(address: [192, 0, 2, 77], sourcePrefixLength: 24)
        let options: [EDNSOption] = [
            .nsid([]), .clientSubnet(subnet), .cookie(client: [1, 2, 3, 4, 5, 6, 7, 8], server: []),
            .tcpKeepalive(timeout: nil), .tcpKeepalive(timeout: 300), .padding(17),
            .extendedError(ExtendedDNSError(infoCode: 18, extraText: "blocked by policy")),
            .unknown(code: EDNSOptionCode(rawValue: 65001), data: [0xDE, 0xAD]),
        ]
        #expect(try roundTrip(options) == options)
        #expect(subnet.address == [192, 0, 2])
        #expect(subnet.description == "192.0.2.0/24/0")
        #expect(ClientSubnet(address: IPv6Address("2001:db8:abcd::1")!.bytes, sourcePrefixLength: 36).address == [0x20, 0x01, 0x0d, 0xb8, 0xa0])
    }

    @Test func extendedErrorsAreListedInOrder() throws {
        var message = DNSMessage.query(name: try DomainName("example.org"), type: .a, id: 1)
        #expect(message.extendedErrors.isEmpty)
        message.edns?.options = [
            .extendedError(ExtendedDNSError(infoCode: 15)), .padding(3), .extendedError(ExtendedDNSError(infoCode: 18, extraText: "x")),
        ]
        #expect(try DNSMessage(wire: message.serialize()).extendedErrors.map(\.infoCode) == [15, 18])
        message.edns = nil
        #expect(message.extendedErrors.isEmpty)
    }

    @Test func malformedKnownOptionsAreKeptAsOctets() throws {
        let options: [EDNSOption] = [.unknown(code: .cookie, data: [1, 2, 3])]
        #expect(try roundTrip(options) == options)
        #expect(
            EDNSOption(code: .clientSubnet, data: [0, 1, 33, 0, 1, 2, 3, 4, 5]) == .unknown(code: .clientSubnet, data: [0, 1, 33, 0, 1, 2, 3, 4, 5]))
    }

    @Test func flagsAndVersionRoundTrip() throws {
        var query = DNSMessage.query(name: .root, type: .ns, id: 1, edns: EDNS(udpPayloadSize: 4096, version: 1, dnssecOK: true))
        query.header.flags.insert(.cd)
        let parsed = try DNSMessage(wire: query.serialize())
        #expect(parsed.edns == EDNS(udpPayloadSize: 4096, version: 1, dnssecOK: true))
        #expect(parsed.header.flags == [.rd, .cd])
    }

    @Test func paddingFillsTheBlock() throws {
        for name in ["a", "example.org", "a-much-longer-name.example.org"] {
            var query = DNSMessage.query(name: try DomainName(name), type: .aaaa, id: 1)
            let unpadded = try query.serialize().count
            query.edns?.options = [EDNS.padding(messageLength: unpadded, blockSize: 128)]
            #expect(try query.serialize().count == 128)
        }
    }

    @Test func extendedErrorsHaveTheRegistryTable() {
        #expect(ExtendedDNSError.purposes.count == 30)
        #expect(ExtendedDNSError(infoCode: 6).description == "6 (DNSSEC Bogus)")
        #expect(ExtendedDNSError(infoCode: 999).purpose == nil)
    }
}

@Suite struct RecordCatalogTests {
    @Test func anyTypeNumberWorksAsOpaqueData() throws {
        for code: UInt16 in [0, 263, 511, 512, 32767, 32770, 65280, 65535] {
            let data = try RecordData(type: RecordType(code), wire: [0xC0, 0x00, 0x02, 0x01])
            #expect(data.description == "\\# 4 C0000201" && data.fields.map(\.name) == ["RDATA"], "\(code)")
            #expect(try RecordData(type: RecordType(code), presentation: "\\# 4 C0000201") == data)
            #expect(RecordCatalog.fieldNames(of: RecordType(code)) == ["RDATA"])
        }
    }

    @Test func aPayloadOfTheWrongTypeIsAnErrorNotATrap() throws {
        let address = RecordData.A(address: IPv4Address("192.0.2.1")!)
        #expect(throws: WireFormatError(.invalidField)) { try RecordData(type: .mx, address) }
        #expect(throws: WireFormatError(.invalidField)) { try RecordData(type: RecordType(65280), address) }
        #expect(try RecordData(type: .a, address).description == "192.0.2.1")
    }
}
