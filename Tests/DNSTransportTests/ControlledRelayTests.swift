// SPDX-License-Identifier: Apache-2.0
// The test relay (DNSTestSupport's ControlledRelay) in front of the testbed's BIND, in each mode over
// UDP and TCP with raw sockets; and kresd's plain DNS port, the testbed's second plain server.

import DNSWire
import Foundation
import Glibc
import Testing

@testable import DNSTestSupport

@Suite struct ControlledRelayTests {
    enum Over: Sendable, CaseIterable { case udp, tcp }

    /// `www.testbed.test A` with EDNS, as wire octets.
    static func query(id: UInt16, recursionDesired: Bool = true) throws -> [UInt8] {
        try DNSMessage.query(name: try DomainName("www.testbed.test"), type: .a, id: id, recursionDesired: recursionDesired).serialize()
    }

    /// A relay in front of the testbed's BIND (127.0.0.1).
    static func relay(_ mode: ControlledRelay.Mode, address: String = "127.0.0.1") throws -> ControlledRelay {
        try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()), address: address, mode: mode)
    }

    /// BIND's answer to ``query(id:recursionDesired:)``: authoritative, the one A record.
    static func expectBINDAnswer(_ wire: [UInt8]?, id: UInt16) throws {
        let answer = try DNSMessage(wire: try #require(wire, "no answer"))
        #expect(answer.id == id)
        #expect(answer.header.flags.isSuperset(of: [.qr, .aa]))
        #expect(answer.responseCode == .noError)
        #expect(answer.answers.map(\.data.description) == ["192.0.2.1"])
    }

    @Test(arguments: Over.allCases) func passRelaysTheServersAnswer(over: Over) throws {
        let relay = try Self.relay(.pass)
        defer { relay.stop() }
        let client = try RawClient(relay.address, relay.port, over: over)
        client.send(try Self.query(id: 0x1001))
        try Self.expectBINDAnswer(client.receive(within: .seconds(2)), id: 0x1001)
        #expect(relay.queriesReceived == 1)
    }

    @Test func passWorksOnIPv6Loopback() throws {
        let relay = try Self.relay(.pass, address: "::1")
        defer { relay.stop() }
        #expect(relay.address == "::1")
        for over in Over.allCases {
            let client = try RawClient(relay.address, relay.port, over: over)
            client.send(try Self.query(id: 0x1002))
            try Self.expectBINDAnswer(client.receive(within: .seconds(2)), id: 0x1002)
        }
        #expect(relay.queriesReceived == 2)
    }

    @Test(arguments: Over.allCases) func dropAnswersNothing(over: Over) throws {
        let relay = try Self.relay(.drop)
        defer { relay.stop() }
        let client = try RawClient(relay.address, relay.port, over: over)  // TCP: accepted
        client.send(try Self.query(id: 0x2001))
        #expect(client.receive(within: .seconds(1)) == nil)
        #expect(relay.queriesReceived == 1)
    }

    @Test(arguments: Over.allCases) func delayHoldsTheAnswer(over: Over) throws {
        let relay = try Self.relay(.delay(.milliseconds(300)))
        defer { relay.stop() }
        let client = try RawClient(relay.address, relay.port, over: over)
        let start = ContinuousClock.now
        client.send(try Self.query(id: 0x3001))
        let answer = client.receive(within: .seconds(2))
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        try Self.expectBINDAnswer(answer, id: 0x3001)
        #expect(relay.queriesReceived == 1)
    }

    /// A held answer holds up nothing else: over UDP from another socket, over TCP on the same
    /// connection (the later query's answer comes first).
    @Test(arguments: Over.allCases) func aDelayedAnswerHoldsUpNoOtherQuery(over: Over) throws {
        let relay = try Self.relay(.delay(.milliseconds(300)))
        defer { relay.stop() }
        let slow = try RawClient(relay.address, relay.port, over: over)
        slow.send(try Self.query(id: 0x3101))
        while relay.queriesReceived < 1 { usleep(1_000) }
        relay.mode = .pass
        let fast = try over == .tcp ? slow : RawClient(relay.address, relay.port, over: over)
        let start = ContinuousClock.now
        fast.send(try Self.query(id: 0x3102))
        try Self.expectBINDAnswer(fast.receive(within: .seconds(2)), id: 0x3102)
        #expect(ContinuousClock.now - start < .milliseconds(250))
        try Self.expectBINDAnswer(slow.receive(within: .seconds(2)), id: 0x3101)
        #expect(relay.queriesReceived == 2)
    }

    @Test(arguments: Over.allCases) func servfailAnswersItselfWithTheQuestion(over: Over) throws {
        let relay = try Self.relay(.servfail)
        defer { relay.stop() }
        let client = try RawClient(relay.address, relay.port, over: over)
        let query = try Self.query(id: 0x4001)
        client.send(query)
        let wire = try #require(client.receive(within: .seconds(2)))
        let reply = try DNSMessage(wire: wire)
        #expect(reply.id == 0x4001)
        #expect(reply.header.flags == [.qr, .rd, .ra])
        #expect(reply.header.opcode == .query)
        #expect(reply.responseCode == .servFail)
        #expect(reply.questions == (try DNSMessage(wire: query)).questions)
        #expect(reply.answers.isEmpty && reply.authorities.isEmpty && reply.additionals.isEmpty && reply.edns == nil)
        #expect(wire == [0x40, 0x01, 0x81, 0x82, 0, 1, 0, 0, 0, 0, 0, 0] + query[12..<(12 + 18 + 4)])  // www.testbed.test: 18 octets
        #expect(relay.queriesReceived == 1)
    }

    @Test func servfailCopiesRDAndCDAndIgnoresMalformedQueries() throws {
        var query = try Self.query(id: 0x4101, recursionDesired: false)
        #expect(Array(try #require(ControlledRelay.servfail(to: query)).prefix(4)) == [0x41, 0x01, 0x80, 0x82])
        query[3] |= 0x10  // CD
        #expect(Array(try #require(ControlledRelay.servfail(to: query)).prefix(4)) == [0x41, 0x01, 0x80, 0x92])
        #expect(ControlledRelay.servfail(to: Array(query.prefix(11))) == nil)  // short header
        #expect(ControlledRelay.servfail(to: Array(query.prefix(20))) == nil)  // cut in the name
        #expect(ControlledRelay.servfail(to: Array(query.prefix(31))) == nil)  // cut in QTYPE/QCLASS
    }

    @Test func theCounterCountsEveryQueryInEveryMode() throws {
        let relay = try Self.relay(.servfail)
        defer { relay.stop() }
        let udp = try RawClient(relay.address, relay.port, over: .udp)
        let tcp = try RawClient(relay.address, relay.port, over: .tcp)
        #expect(relay.queriesReceived == 0)
        for (index, client) in [udp, tcp, udp, tcp].enumerated() {
            client.send(try Self.query(id: UInt16(0x5000 + index)))
            #expect(client.receive(within: .seconds(2)) != nil)
        }
        #expect(relay.queriesReceived == 4)
        relay.mode = .drop
        udp.send(try Self.query(id: 0x5010))
        tcp.send(try Self.query(id: 0x5011))
        let limit = ContinuousClock.now + .seconds(1)
        while relay.queriesReceived < 6, ContinuousClock.now < limit { usleep(1_000) }
        #expect(relay.queriesReceived == 6)
        #expect(relay.mode == .drop)
    }

    @Test func stopEndsEveryThreadAndClosesThePort() throws {
        let relay = try Self.relay(.delay(.seconds(30)))
        let client = try RawClient(relay.address, relay.port, over: .tcp)
        client.send(try Self.query(id: 0x6001))
        while relay.queriesReceived < 1 { usleep(1_000) }
        let start = ContinuousClock.now
        #expect(relay.stop())
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(client.receive(within: .milliseconds(500)) == nil)  // closed, never answered
        #expect(throws: POSIXError.self) { try RawClient(relay.address, relay.port, over: .tcp) }
    }

    @Test func kresdAnswersPlainDNSOverUDP() throws {
        let client = try RawClient("127.0.0.1", UInt16(try Testbed.kresdPort()), over: .udp)
        client.send(try Self.query(id: 0x7001))
        let answer = try DNSMessage(wire: try #require(client.receive(within: .seconds(2)), "kresd did not answer"))
        #expect(answer.id == 0x7001)
        #expect(answer.header.flags.isSuperset(of: [.qr, .rd, .ra]))
        #expect(answer.responseCode == .noError)
        #expect(answer.answers.map(\.data.description) == ["192.0.2.1"])
    }
}

/// A raw UDP socket connected to a server, or a TCP connection to it (messages length-prefixed).
private final class RawClient {
    private let fd: Int32
    private let over: ControlledRelayTests.Over
    private var inbox: [UInt8] = []

    init(_ host: String, _ port: UInt16, over: ControlledRelayTests.Over) throws {
        fd = try Self.connected(to: try #require(RawSocketAddress(host: host, port: port, numeric: true)), over: over)
        self.over = over
    }

    /// A socket connected to `server` (its own: once `init` has set `fd`, deinit closes it even
    /// when `init` throws, so closing it there too could close another test's socket).
    private static func connected(to server: RawSocketAddress, over: ControlledRelayTests.Over) throws -> Int32 {
        let fd = socket(server.family, Int32(over == .udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        guard server.withSockAddr({ connect(fd, $0, $1) }) == 0 else {
            let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            close(fd)
            throw error
        }
        return fd
    }

    deinit { close(fd) }

    func send(_ message: [UInt8]) {
        let octets = over == .udp ? message : [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
        _ = Glibc.send(fd, octets, octets.count, Int32(MSG_NOSIGNAL))
    }

    /// The next message, or nil when none arrives within `timeout` (or the server closed).
    func receive(within timeout: Duration) -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if over == .tcp, inbox.count >= 2, inbox.count >= 2 + (Int(inbox[0]) << 8 | Int(inbox[1])) {
                let length = Int(inbox[0]) << 8 | Int(inbox[1])
                defer { inbox.removeFirst(2 + length) }
                return Array(inbox[2..<2 + length])
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, Int32(left / .milliseconds(1)) + 1) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 || (over == .udp && count == 0) else { return nil }
            if over == .udp { return Array(buffer[0..<count]) }
            inbox += buffer[0..<count]
        }
    }
}
