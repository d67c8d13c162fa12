// SPDX-License-Identifier: Apache-2.0
// DNS over TLS against BIND's DoT listeners: verification, the certificate event, pins,
// versions, failures and session resumption.

import DNSComponent
import Foundation
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct TLSTests {
    /// A TLS component aimed at one of the testbed's DoT ports.
    func component(port key: String, address: String = "127.0.0.1", trustCA: Bool = true) throws -> DNSComponent {
        let dns = try Testbed.component(.tls, address: address)
        try dns.setDNSPort(Int(try Testbed.value(key))!)
        if !trustCA { try dns.config("SSLCAFile=") }
        return dns
    }

    @Test func verifiesByIPAddressAndHostName() throws {
        for address in ["127.0.0.1", "::1", "localhost"] {
            let dns = try component(port: "TESTBED_DOT_PORT", address: address)
            try dns.query("www.testbed.test")
            #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.1", "\(address)")
        }
    }

    @Test func untrustedCertificatesFailWith274AndWrongNamesWith280() throws {
        #expect(errorCode { try component(port: "TESTBED_DOT_PORT", trustCA: false).query("www.testbed.test") } == 274)
        #expect(errorCode { try component(port: "TESTBED_DOT_SELFSIGNED_PORT").query("www.testbed.test") } == 274)
        #expect(errorCode { try component(port: "TESTBED_DOT_WRONGNAME_PORT").query("www.testbed.test") } == 280)
        let named = try component(port: "TESTBED_DOT_WRONGNAME_PORT")
        try named.config("SSLServerName=wrong.example")
        try named.query("www.testbed.test")
        #expect(named.statusCode == 0)
    }

    /// The route worked out for a query is reused by the next only while nothing it depends
    /// on changed: a setting changed between queries applies to the next one.
    @Test func aSettingChangedBetweenQueriesApplies() throws {
        let dns = try component(port: "TESTBED_DOT_WRONGNAME_PORT")
        #expect(errorCode { try dns.query("www.testbed.test") } == 280)
        try dns.config("SSLServerName=wrong.example")
        try dns.query("www.testbed.test")
        #expect(dns.statusCode == 0)
        try dns.config("SSLServerName=")
        #expect(errorCode { try dns.query("www.testbed.test") } == 280)
    }

    @Test func theCertificateEventShowsTheCertificateAndCanAccept() throws {
        let dns = try component(port: "TESTBED_DOT_SELFSIGNED_PORT")
        var seen: [DNSComponent.SSLServerAuthenticationEvent] = []
        dns.onSSLServerAuthentication = { event in
            seen.append(event)
            event.accept = true
        }
        try dns.query("www.testbed.test")
        #expect(dns.statusCode == 0 && seen.count == 1)
        let event = try #require(seen.first)
        let port = Int(try Testbed.value("TESTBED_DOT_SELFSIGNED_PORT"))
        #expect(event.remoteAddress == "127.0.0.1" && event.remotePort == port)
        #expect(event.certSubject == "CN=self" && event.certIssuer == "CN=self")
        #expect(event.status.contains("self-signed") && event.certEncoded.first == 0x30)
        // A trusted certificate arrives with accept already true; the handler may refuse it.
        let strict = try component(port: "TESTBED_DOT_PORT")
        var statuses: [String] = []
        strict.onSSLServerAuthentication = { event in
            statuses.append(event.status)
            event.accept = false
        }
        #expect(errorCode { try strict.query("www.testbed.test") } == 280)
        #expect(statuses == ["OK"])
    }

    @Test func pinsAuthenticateAndRejectOnTheirOwn() throws {
        let pin = try Testbed.value("TESTBED_DOT_PIN")
        let pinned = try component(port: "TESTBED_DOT_PORT", trustCA: false)
        try pinned.config("SSLPinnedKeys=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=, \(pin)")
        try pinned.query("www.testbed.test")
        #expect(pinned.statusCode == 0)
        let mismatch = try component(port: "TESTBED_DOT_PORT")
        try mismatch.config("SSLPinnedKeys=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        #expect(errorCode { try mismatch.query("www.testbed.test") } == 280)
        let other = try component(port: "TESTBED_DOT_SELFSIGNED_PORT")
        try other.config("SSLPinnedKeys=\(pin)")
        #expect(errorCode { try other.query("www.testbed.test") } == 280)
    }

    @Test func protocolVersionsAndStatusEvents() throws {
        let dns = try component(port: "TESTBED_DOT12_PORT")
        var messages: [String] = []
        dns.onSSLStatus = { messages.append($0.message) }
        try dns.query("www.testbed.test")
        // Started, the certificate and its verdict, established (version, cipher, resumption).
        #expect(messages.count == 3, "\(messages)")
        #expect(messages[0].contains("started") && messages[1].contains("certificate") && messages[1].hasSuffix(": OK"))
        #expect(messages[2].contains("TLSv1.2") && messages[2].contains("new session"))
        try dns.config("SSLMinVersion=1.3")
        try dns.reset()
        let strict = try component(port: "TESTBED_DOT12_PORT")
        try strict.config("SSLMinVersion=1.3")
        #expect(errorCode { try strict.query("www.testbed.test") } == 276)
        #expect(throws: DNSComponentError.self) { try strict.config("SSLMinVersion=1.1") }
    }

    @Test(arguments: ["TESTBED_DOT12_PORT", "TESTBED_DOT_PORT"])
    func sessionsResumeOnReconnect(_ port: String) throws {
        let dns = try component(port: port)
        try dns.config("TCPIdleTimeout=0")  // close as soon as the connection is idle
        var steps: [String] = []
        dns.onSSLStatus = { steps.append($0.message) }
        try dns.query("www.testbed.test")
        #expect(try dns.config("SSLSessionResumed") == "False")
        for name in ["mail", "chain3"] {
            try dns.doEvents()  // runs the idle close
            try dns.query("\(name).testbed.test")
            #expect(try dns.config("SSLSessionResumed") == "True", "\(steps)")
        }
        #expect(steps.filter { $0.hasPrefix("TLS established") }.count == 3)
    }

    @Test func connectionsAreReusedAndPipelined() throws {
        let dns = try component(port: "TESTBED_DOT_PORT")
        var handshakes = 0
        dns.onSSLStatus = { if $0.message.hasPrefix("TLS established") { handshakes += 1 } }
        try dns.setTimeout(0)
        var answered = 0
        dns.onResponse = { _ in answered += 1 }
        for name in ["www", "mail", "chain3", "sipserver", "ns", "multi", "localhost", "x.wild"] {
            try dns.query("\(name).testbed.test")
        }
        while !dns.idle { try dns.doEvents() }
        try dns.query("www.testbed.test")
        while !dns.idle { try dns.doEvents() }
        #expect(answered == 9 && handshakes == 1)
    }

    @Test func knotResolverPadsResponsesAndResumesSessions() throws {
        let dns = try component(port: "TESTBED_KRESD_DOT_PORT")
        try dns.config("TCPIdleTimeout=0")
        try dns.query("www.testbed.test")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.1")
        let padding = dns.response?.edns?.options.contains { if case .padding = $0 { true } else { false } }
        #expect(padding == true && dns.responseWire.count % 468 == 0)  // kresd's default block size
        try dns.doEvents()
        try dns.query("mail.testbed.test")
        #expect(try dns.config("SSLSessionResumed") == "True")
    }

    @Test func theServersTCPKeepaliveIsHonoured() throws {
        let dns = try component(port: "TESTBED_DOT_PORT")
        try dns.config("LogLevel=2")
        var lines: [String] = []
        dns.onLog = { lines.append($0.message) }
        try dns.query("www.testbed.test")
        // BIND answers the keepalive option with its tcp-idle-timeout (30 s by default).
        #expect(lines.contains { $0.contains("keeps idle connections for 30.0 s") }, "\(lines)")
    }

    @Test func aPlainServerOnTheTLSPortIsAHandshakeFailure() throws {
        let server = try FakeServer(tcpGreeting: Array("HTTP/1.0 400 Bad Request\r\n\r\n".utf8)) { _, _ in [] }
        defer { server.stop() }
        let dns = try Testbed.component(.tls)
        try dns.setDNSPort(Int(server.port))
        #expect(errorCode { try dns.query("www.testbed.test") } == 276)
    }

    @Test func aSilentHandshakeTimesOut() throws {
        let server = try FakeServer { _, _ in [] }  // accepts, never answers
        defer { server.stop() }
        let dns = try Testbed.component(.tls)
        try dns.setDNSPort(Int(server.port))
        try dns.setTimeout(1)
        let (code, elapsed) = outcome { try dns.query("www.testbed.test") }
        #expect(code == 10060 && elapsed >= .seconds(1) && elapsed < .seconds(2))
    }
}

@Suite(.serialized) struct TLSFaultTests {
    func fakeServer(_ script: @escaping @Sendable ([UInt8], Int, Int) -> (replies: [[UInt8]], close: Bool)) throws -> FakeTLSServer {
        let directory = URL(fileURLWithPath: try Testbed.value("TESTBED_CA_FILE")).deletingLastPathComponent().path
        return try FakeTLSServer(certificate: directory + "/server.crt", key: directory + "/server.key", script: script)
    }

    func component(for server: FakeTLSServer) throws -> DNSComponent {
        let dns = try Testbed.component(.tls)
        try dns.setDNSPort(Int(server.port))
        return dns
    }

    @Test func queriesOnTheWireArePaddedToTheBlockSize() throws {
        let server = try fakeServer { query, _, _ in ([FakeServer.reply(to: query)], false) }
        defer { server.stop() }
        let dns = try component(for: server)
        for name in ["a.example", "www.example.org", "a.rather.longer.name.in.the.example.org"] { try dns.query(name) }
        try dns.config("PaddingBlockSize=0")
        try dns.query("unpadded.example")
        let lengths = server.received.withLock { $0.map(\.query.count) }
        #expect(lengths.count == 4 && lengths.prefix(3).allSatisfy { $0 == 128 })
        #expect(lengths[3] % 128 != 0)
    }

    @Test func aServerClosingMidPipelineFailsOnlyTheUnansweredQueries() throws {
        // Answers the first query of each connection, then closes it.
        let server = try fakeServer { query, _, index in (index == 0 ? [FakeServer.reply(to: query)] : [], index == 2) }
        defer { server.stop() }
        let start = ContinuousClock.now
        let (answered, failed) = try component(for: server).queryAll(["a.example", "b.example", "c.example"])
        // a is answered; b and c die with the connection, are retried once on a new one,
        // where one of them is answered and the other dies again.
        #expect(answered.count + failed.count == 3)
        #expect(answered.first == "a.example" && answered.count == 2)
        #expect(failed == [10054])
        #expect(start.duration(to: .now) < .seconds(5))
    }
}
