// SPDX-License-Identifier: Apache-2.0
// DNS over HTTPS against an in-process HTTP/2 server for what real servers will not do on
// demand: GOAWAY mid-flight, stream resets, error statuses, bodies that are not DNS,
// stream limits, closed connections and a server that stops reading.

import DNSComponent
import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct DoHFaultTests {
    /// A component querying `server` (cleartext HTTP/2, or TLS with the testbed's certificate).
    func component(_ server: FakeHTTP2Server, tls: Bool = false, method: Int = 0) throws -> DNSComponent {
        let dns = try Testbed.component(.https)
        dns.dnsServer = tls ? "https://localhost:\(server.port)/dns-query" : "http://127.0.0.1:\(server.port)/dns-query"
        try dns.config("DoHMethod=\(method)")
        try dns.setTimeout(2)
        return dns
    }

    func tlsServer(_ script: @escaping @Sendable (FakeHTTP2Server.Request) -> FakeHTTP2Server.Action) throws -> FakeHTTP2Server {
        let directory = URL(fileURLWithPath: try Testbed.value("TESTBED_CA_FILE")).deletingLastPathComponent().path
        return try FakeHTTP2Server(certificate: directory + "/server.crt", key: directory + "/server.key", script: script)
    }

    static func answer(_ request: FakeHTTP2Server.Request) -> FakeHTTP2Server.Action {
        .respond(status: 200, body: FakeServer.reply(to: request.dnsQuery ?? []))
    }

    @Test func requestsArePaddedAndGETUsesIDZero() throws {
        let server = try tlsServer(Self.answer)
        defer { server.stop() }
        let dns = try component(server, tls: true)
        try dns.config("DoHUserAgent=fault-test/1")
        try dns.query("a.example")
        try dns.config("DoHMethod=1")
        try dns.query("www.example.org")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.99")
        let requests = server.received.withLock { $0 }
        try #require(requests.count == 2)
        let post = requests[0]
        #expect(post.method == "POST" && post.header("content-type") == "application/dns-message")
        #expect(post.header("accept") == "application/dns-message" && post.header("user-agent") == "fault-test/1")
        #expect(post.body.count == 128 && post.header("content-length") == "128")
        let get = try #require(requests[1].dnsQuery)
        #expect(requests[1].method == "GET" && get.count == 128 && get[0] == 0 && get[1] == 0)  // RFC 8484 §4.1
        #expect(requests.allSatisfy { $0.connection == 1 })
    }

    @Test func errorStatusesAreCode151WithTheStatus() throws {
        for status in [404, 503] {
            let server = try FakeHTTP2Server { _ in .respond(status: status, headers: [("content-type", "text/plain")], body: Array("no".utf8)) }
            defer { server.stop() }
            let error = componentError { try component(server).query("a.example") }
            #expect(error?.code == 151 && error?.message.contains("HTTP status \(status): no") == true, "\(String(describing: error))")
        }
    }

    @Test(arguments: [
        ("text/html", "<html>", "content type"), ("application/dns-message", "", "empty"),
        ("application/dns-message", "not a DNS message at all", "rejected"), ("application/dns-message", "70000 octets", "larger than"),
    ])
    func bodiesThatAreNotAnswersAreCode151(_ type: String, _ text: String, _ reason: String) throws {
        let body = text == "70000 octets" ? [UInt8](repeating: 0, count: 70_000) : Array(text.utf8)
        let server = try FakeHTTP2Server { _ in .respond(status: 200, headers: [("content-type", type)], body: body) }
        defer { server.stop() }
        let error = componentError { try component(server).query("a.example") }
        #expect(error?.code == 151, "\(String(describing: error))")
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func aResetStreamFailsThatQueryOnly() throws {
        let server = try FakeHTTP2Server { request in
            request.dnsQuery.flatMap { try? DNSMessage(wire: $0) }?.questions.first?.name.description == "reset.example."
                ? .reset(errorCode: 2) : Self.answer(request)
        }
        defer { server.stop() }
        let dns = try component(server)
        let error = componentError { try dns.query("reset.example") }
        #expect(error?.code == 151 && error?.message.contains("reset") == true, "\(String(describing: error))")
        try dns.query("fine.example")
        #expect(dns.statusCode == 0 && server.acceptedConnections == 1)
    }

    @Test func aRefusedStreamIsRetried() throws {
        let server = try FakeHTTP2Server { request in request.index == 0 ? .reset(errorCode: 7) : Self.answer(request) }
        defer { server.stop() }
        let dns = try component(server)
        try dns.query("a.example")
        #expect(dns.statusCode == 0 && server.received.withLock { $0.count } == 2)
    }

    /// GOAWAY with three streams in flight: the two it names are answered, the third is
    /// retried on a new connection, and nothing is lost.
    @Test func goawayMidFlightRetriesTheRestOnANewConnection() throws {
        let server = try FakeHTTP2Server { request in
            guard request.connection == 1 else { return Self.answer(request) }
            return request.index == 0
                ? .delay(seconds: 0.2, .goaway(lastStreamID: 3, then: Self.answer(request))) : .delay(seconds: 0.3, Self.answer(request))
        }
        defer { server.stop() }
        let (answered, failed) = try component(server).queryAll(["a.example", "b.example", "c.example"])
        #expect(failed.isEmpty && Set(answered) == ["a.example", "b.example", "c.example"])
        #expect(server.acceptedConnections == 2)
    }

    @Test func theServersStreamLimitIsRespected() throws {
        let server = try FakeHTTP2Server(maxConcurrentStreams: 2) { .delay(seconds: 0.02, Self.answer($0)) }
        defer { server.stop() }
        let dns = try component(server)
        try dns.query("first.example")  // learns the limit
        try dns.setTimeout(0)
        var answered = 0
        dns.onResponse = { _ in answered += 1 }
        for index in 0..<10 { try dns.query("q\(index).example") }
        while !dns.idle { try dns.doEvents() }
        #expect(answered == 10 && server.maxStreamsInFlight.withLock { $0 } == 2)
    }

    @Test func aServerClosingTheConnectionIs10054AfterOneRetry() throws {
        let server = try FakeHTTP2Server { _ in .close }
        defer { server.stop() }
        #expect(componentError { try component(server).query("a.example") }?.code == 10054)
        #expect(server.acceptedConnections == 2)
    }

    @Test func silentAndStoppedServersTimeOut() throws {
        for action in [FakeHTTP2Server.Action.none, .stopReading] {
            let server = try FakeHTTP2Server { request in request.index == 0 ? action : Self.answer(request) }
            defer { server.stop() }
            let dns = try component(server)
            try dns.setTimeout(1)
            let (code, elapsed) = outcome { try dns.query("a.example") }
            #expect(code == 10060 && elapsed >= .seconds(1) && elapsed < .seconds(2))
            // An unanswered stream is cancelled; the connection goes on serving.
            if case .none = action {
                try dns.query("b.example")
                #expect(dns.statusCode == 0 && server.acceptedConnections == 1)
            }
        }
    }
}
