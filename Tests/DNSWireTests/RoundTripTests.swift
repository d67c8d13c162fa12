// SPDX-License-Identifier: Apache-2.0
// Property checks: random messages built from the fixture records survive write and read.

import DNSWire
import Testing

@testable import DNSTestSupport

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RoundTripTests {
    static let data: [RecordData] = RecordVector.all
        .filter { $0.code != RecordType.opt.rawValue && $0.code != RecordType.tsig.rawValue }
        .map { try! RecordData(type: RecordType($0.code), wire: hex($0.wire)) }

    func randomMessage(_ random: inout SeededGenerator) throws -> DNSMessage {
        let owners = try ["example.org", "www.example.org", "a.b.example.org", "Example.ORG", "x.test", "."].map { try DomainName($0) }
        func records(_ count: Int) -> [DNSRecord] {
            (0..<count).map { _ in
                DNSRecord(
                    name: owners.randomElement(using: &random)!, ttl: UInt32.random(in: 0...86400, using: &random),
                    data: Self.data.randomElement(using: &random)!)
            }
        }
        var message = DNSMessage.query(name: owners.randomElement(using: &random)!, type: .any, id: UInt16.random(in: 0...UInt16.max, using: &random))
        message.header.flags = HeaderFlags(rawValue: UInt16.random(in: 0...UInt16.max, using: &random))
        message.answers = records(Int.random(in: 0...12, using: &random))
        message.authorities = records(Int.random(in: 0...4, using: &random))
        message.additionals = records(Int.random(in: 0...4, using: &random))
        if Bool.random(using: &random) { message.edns = nil }
        return message
    }

    @Test func randomMessagesSurviveWriteAndRead() throws {
        var random = SeededGenerator(state: 2026)
        for _ in 0..<500 {
            let message = try randomMessage(&random)
            let compressed = try message.serialize()
            let plain = try message.serialize(compression: false)
            #expect(try DNSMessage(wire: compressed) == message)
            #expect(try DNSMessage(wire: plain) == message)
            #expect(compressed.count <= plain.count)
            #expect(try message.wireLength() == compressed.count)
            #expect(try message.wireLength(compression: false) == plain.count)
            #expect(try DNSMessage(wire: compressed).serialize() == compressed)
        }
    }

    @Test func everyVectorSurvivesTextAndBack() throws {
        for data in Self.data {
            #expect(try RecordData(type: data.type, presentation: data.description) == data, "\(data.type) \(data)")
        }
    }
}
