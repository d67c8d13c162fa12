// SPDX-License-Identifier: Apache-2.0
// What an attacker found: a hang on a connection reset between queries, a crash on a huge
// timeout, a dead HTTP/2 session kept alive, header injection, raw TTLs. Each stays fixed.

import DNSComponent
import DNSWire
import Foundation
import Glibc
import Synchronization
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct HardeningTests {
    func tcpComponent(port: UInt16, timeout: Int = 2) throws -> DNSComponent {
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(port))
        try dns.setTimeout(timeout)
        dns.protocol = .tcp
        return dns
    }

    /// The server resets the idle connection between two queries: the second query's write
    /// fails before the loop waits. It used to fail there and leave `query` waiting forever;
    /// now the reset is retried on a new connection, like a close.
    @Test func aConnectionResetBetweenQueriesIsRetriedNotAHang() throws {
        let server = try ResettingTCPServer { _ in .answerThenReset }
        defer { server.stop() }
        let dns = try tcpComponent(port: server.port)
        try dns.config("LogLevel=3")
        var lines: [String] = []
        dns.onLog = { lines.append($0.message) }
        try dns.query("first.example")
        usleep(300_000)  // the reset arrives while nobody runs the loop
        let (code, elapsed) = outcome { try dns.query("second.example") }
        #expect(code == nil && elapsed < .seconds(1), "\(lines)")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.99")
        #expect(server.accepted.load(ordering: .relaxed) == 2)
    }

    /// The same, but the retry is reset too: the query fails with 10054 at once, and returns.
    @Test func aFailedRetryAfterAResetEndsTheQueryAtOnce() throws {
        let server = try ResettingTCPServer { $0 == 1 ? .answerThenReset : .resetAtAccept }
        defer { server.stop() }
        let dns = try tcpComponent(port: server.port)
        try dns.query("first.example")
        usleep(300_000)
        let (code, elapsed) = outcome { try dns.query("second.example") }
        #expect(code == 10054 && elapsed < .seconds(1))
    }

    /// Any timeout a user can set works: no overflow in the loop's millisecond conversion.
    @Test func theLargestTimeoutWorks() throws {
        let server = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(server.port))
        try dns.setTimeout(Int.max)
        try dns.query("www.example")
        #expect(dns.statusCode == 0)
        dns.protocol = .tcp
        try dns.query("www.example")
        #expect(dns.statusCode == 0)
    }

    /// A cleartext HTTP/2 "server" that answers in HTTP/1.1: 151 at once, every time, not a
    /// timeout on a session that is dead but kept.
    @Test func anHTTP1AnswerToHTTP2Is151AtOnce() throws {
        let reply = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        let server = try FakeServer(tcpGreeting: reply) { _, _ in [] }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.protocol = .https
        dns.dnsServer = "http://127.0.0.1:\(server.port)/dns-query"
        try dns.setTimeout(5)
        for _ in 0..<2 {
            let (code, elapsed) = outcome { try dns.query("www.example") }
            #expect(code == 151 && elapsed < .seconds(1))
        }
    }

    /// CR or LF in the user-agent or the URL would add header lines to HTTP/1.1 requests.
    @Test func controlCharactersCannotReachHTTPHeaders() throws {
        let dns = try DNSComponent()
        #expect(outcome { try dns.config("DoHUserAgent=agent\r\nX-Injected: 1") }.code == 10022)
        #expect(try dns.config("DoHUserAgent") == "swift-dns-component/0.1.0")
        dns.protocol = .https
        // A property's setter cannot throw: the query that uses it does, before any I/O.
        dns.dnsServer = "https://127.0.0.1:1/dns-query?x=1\r\nX-Injected: 1"
        let (code, elapsed) = outcome { try dns.query("www.example") }
        #expect(code == 10022 && elapsed < .seconds(1))
    }

    @Test func ttlsWithTheTopBitSetAreZero() throws {
        let server = try FakeServer { query, _ in
            guard var message = try? DNSMessage(wire: FakeServer.reply(to: query)) else { return [] }
            message.answers[0].ttl = 0xFFFF_FFFF
            return [.send((try? message.serialize()) ?? [])]
        }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(server.port))
        try dns.query("www.example")
        #expect(try dns.recordTTL(0) == 0)
    }
}
