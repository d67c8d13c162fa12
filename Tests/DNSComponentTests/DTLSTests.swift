// SPDX-License-Identifier: Apache-2.0
// DNS over DTLS (RFC 8094): through socat to BIND, the DNS-over-TLS fallback to BIND, and an
// in-process OpenSSL server for pre-shared keys, lost flights, alerts and restarts.

import DNSComponent
import DNSWire
import DTLSTestServer
import Foundation
import Synchronization
import Testing

@testable import DNSTestSupport

/// The testbed's TLS directory (certificates and keys).
func testbedTLSDirectory() throws -> String {
    URL(fileURLWithPath: try Testbed.value("TESTBED_CA_FILE")).deletingLastPathComponent().path
}

/// A DTLS component aimed at 127.0.0.1:`port`, trusting the test CA, synchronous with a 5 s timeout.
func dtlsComponent(port: UInt16) throws -> DNSComponent {
    let dns = try Testbed.component(.dtls)
    try dns.setDNSPort(Int(port))
    try dns.config("SSLCAFile=\(try Testbed.value("TESTBED_CA_FILE"))")
    return dns
}

@Suite(.serialized) struct DTLSTests {
    /// A socat DTLS server of its own (a child process per session) relaying to the testbed's BIND.
    func socat() throws -> SocatRelay {
        let directory = try testbedTLSDirectory()
        return try SocatRelay(.dtls(certificate: directory + "/server.crt", key: directory + "/server.key"), upstreamPort: try Testbed.port())
    }

    @Test func queriesShareOneSessionThroughSocat() throws {
        let relay = try socat()
        defer { relay.stop() }
        let dns = try dtlsComponent(port: relay.port)
        var statuses: [String] = []
        dns.onSSLStatus = { statuses.append($0.message) }
        try dns.query("www.testbed.test")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.1")
        // Asynchronous queries in flight together on the same session: one handshake.
        let (answered, failed) = try dns.queryAll(["mail.testbed.test", "chain3.testbed.test", "ns.testbed.test", "www.testbed.test"])
        #expect(answered.count == 4 && failed.isEmpty)
        #expect(statuses.filter { $0.hasPrefix("DTLS established") }.count == 1, "\(statuses)")
        #expect(statuses.contains { $0.contains("DTLSv1.2") })
    }

    @Test func everyRecordTypeMatchesItsVectorOverDTLS() throws {
        let relay = try socat()
        defer { relay.stop() }
        try RecordTypeTests.checkEveryVector(try dtlsComponent(port: relay.port))
    }

    @Test func truncatedAnswersMoveToDNSOverTLSOnTheSamePort() throws {
        let dns = try dtlsComponent(port: UInt16(try Testbed.value("TESTBED_DTLS_PORT"))!)
        try dns.config("DTLSPayloadSize=600")  // bigtxt's answer (about 850 octets) no longer fits
        try dns.config("LogLevel=2")
        var lines: [String] = []
        dns.onLog = { lines.append($0.message) }
        dns.queryType = DNSComponent.QueryType(.txt)
        try dns.query("bigtxt.testbed.test")
        #expect(dns.recordCount == 4)
        #expect(try dns.config("ResponseTruncated") == "False")
        #expect(lines.contains { $0.contains("truncated DTLS response; retrying over DNS over TLS") }, "\(lines)")
        try dns.config("DTLSFallbackToTLS=False")
        try dns.query("bigtxt.testbed.test")
        #expect(try dns.config("ResponseTruncated") == "True")
    }

    @Test func zoneTransfersFromADTLSServerRunOverTLS() throws {
        let dns = try dtlsComponent(port: UInt16(try Testbed.value("TESTBED_DTLS_PORT"))!)
        try dns.config("TSIGKey=\(try Testbed.value("TESTBED_TSIG_HMAC_SHA256"))")
        dns.queryType = DNSComponent.QueryType(.axfr)
        try dns.query("xfr.test")
        #expect(dns.statusCode == 0 && dns.recordCount > 3)
        #expect(dns.records.first?.type == .soa && dns.records.last?.type == .soa)
    }

    @Test func resolveAddressPrefersIPv6() throws {
        let relay = try socat()
        defer { relay.stop() }
        let dns = try dtlsComponent(port: relay.port)
        #expect(try dns.resolveAddress("www.testbed.test") == "2001:db8::1")
        #expect(try dns.resolveAddress("www.testbed.test", family: .ipv4) == "192.0.2.1")
        #expect(try dns.resolveAddress("www.testbed.test", family: .ipv6) == "2001:db8::1")
        #expect(errorCode { _ = try dns.resolveAddress("nonexistent.testbed.test") } == 11001)
        #expect(dns.recordCount == 0)  // the records of queries are left alone
    }

    @Test func settingsAreValidatedAndTheKeyMasked() throws {
        let dns = try DNSComponent()
        try dns.config("SSLPSKKey=00112233445566778899aabbccddeeff")
        #expect(try dns.config("SSLPSKKey") == "****")
        try dns.config("MaskSensitive=False")
        #expect(try dns.config("SSLPSKKey") == "00112233445566778899AABBCCDDEEFF")
        #expect(errorCode { try dns.config("SSLPSKKey=xyz") } == 10022)
        #expect(errorCode { try dns.config("DTLSPayloadSize=100") } == 10022)
        #expect(try dns.config("DTLSPayloadSize") == "1232")
        #expect(try dns.config("DTLSFallbackToTLS") == "True")
        #expect(DNSComponent.TransportProtocol(rawValue: 4) == .dtls)
    }
}

@Suite(.serialized) struct DTLSFaultTests {
    func server(_ behaviour: FakeDTLSServer.Behaviour = .init(), certificate name: String? = "server", drop: Int = 0) throws -> FakeDTLSServer {
        var behaviour = behaviour
        if let name, behaviour.psk == nil {
            let directory = try testbedTLSDirectory()
            behaviour.certificate = directory + "/\(name).crt"
            behaviour.key = directory + "/\(name).key"
        }
        return try FakeDTLSServer(behaviour, answer: FakeDTLSServer.relay(toPort: try Testbed.port()))
    }

    @Test func preSharedKeysNeedNoCertificate() throws {
        var behaviour = FakeDTLSServer.Behaviour()
        behaviour.psk = .init(identity: "client1", key: Array(0..<32))
        let server = try server(behaviour, certificate: nil)
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        try dns.config("SSLCAFile=")
        try dns.config("SSLPSKIdentity=client1")
        try dns.config("SSLPSKKey=" + Array(0..<32).map { String(format: "%02x", $0) }.joined())
        var statuses: [String] = []
        dns.onSSLStatus = { statuses.append($0.message) }
        dns.onSSLServerAuthentication = { _ in Issue.record("a PSK session has no certificate to decide on") }
        try dns.query("www.testbed.test")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.1")
        #expect(statuses.contains { $0.contains("pre-shared key") }, "\(statuses)")
        // An unknown identity is refused with an alert; a wrong key is not: DTLS drops the
        // records it cannot authenticate (RFC 6347 §4.1.2.7), so the handshake runs out of time.
        let stranger = try dtlsComponent(port: server.port)
        try stranger.config("SSLPSKIdentity=client2")
        try stranger.config("SSLPSKKey=" + Array(0..<32).map { String(format: "%02x", $0) }.joined())
        #expect(errorCode { try stranger.query("www.testbed.test") } == 276)
        let wrong = try dtlsComponent(port: server.port)
        try wrong.config("SSLPSKIdentity=client1")
        try wrong.config("SSLPSKKey=" + String(repeating: "ab", count: 32))
        try wrong.setTimeout(1)
        #expect(errorCode { try wrong.query("www.testbed.test") } == 10060)
    }

    @Test func certificatesAreCheckedAsForDoT() throws {
        let selfSigned = try server(certificate: "self")
        defer { selfSigned.stop() }
        #expect(errorCode { try dtlsComponent(port: selfSigned.port).query("www.testbed.test") } == 274)
        let accepting = try dtlsComponent(port: selfSigned.port)
        accepting.onSSLServerAuthentication = { $0.accept = true }
        try accepting.query("www.testbed.test")
        #expect(accepting.statusCode == 0)
        let wrongName = try server(certificate: "wrong")
        defer { wrongName.stop() }
        #expect(errorCode { try dtlsComponent(port: wrongName.port).query("www.testbed.test") } == 280)
    }

    @Test func lostHandshakeFlightsAreRetransmittedAndCookiesAnswered() throws {
        var behaviour = FakeDTLSServer.Behaviour()
        behaviour.dropFirstDatagrams = 1
        behaviour.cookieExchange = true
        let server = try server(behaviour)
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        try dns.query("www.testbed.test")
        #expect(dns.statusCode == 0 && server.handshakes == 1)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        var behaviour = FakeDTLSServer.Behaviour()
        behaviour.silent = true
        let server = try server(behaviour)
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        try dns.setTimeout(1)
        let (code, elapsed) = outcome { try dns.query("www.testbed.test") }
        #expect(code == 10060 && elapsed >= .seconds(1) && elapsed < .seconds(2))
    }

    @Test func aLostQueryIsRetransmittedOnTheUDPSchedule() throws {
        let directory = try testbedTLSDirectory()
        var behaviour = FakeDTLSServer.Behaviour()
        (behaviour.certificate, behaviour.key) = (directory + "/server.crt", directory + "/server.key")
        let relay = FakeDTLSServer.relay(toPort: try Testbed.port())
        let seen = Counter()
        let server = try FakeDTLSServer(behaviour) { query in seen.next() == 0 ? [] : relay(query) }
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        try dns.config("RetransmitInterval=200")
        try dns.query("www.testbed.test")
        // Resent on the same session: one lost datagram is no reason for a new handshake.
        #expect(dns.statusCode == 0 && server.queries.count == 2 && server.handshakes == 1)
    }

    @Test func anAlertIsAnsweredByOneNewHandshake() throws {
        var behaviour = FakeDTLSServer.Behaviour()
        behaviour.alertAfterQueries = 1
        let server = try server(behaviour)
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        try dns.config("RetransmitInterval=300")
        for name in ["www", "mail", "ns"] {
            try dns.query("\(name).testbed.test")
            #expect(dns.statusCode == 0, "\(name)")
        }
        #expect(server.handshakes >= 3)
    }

    @Test func aSessionThatDiesAgainFailsWithACode() throws {
        let directory = try testbedTLSDirectory()
        var behaviour = FakeDTLSServer.Behaviour(certificate: directory + "/server.crt", key: directory + "/server.key")
        behaviour.alertAfterQueries = 1
        let server = try FakeDTLSServer(behaviour) { _ in [] }  // ends every session at its first query, unanswered
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        let (code, elapsed) = outcome { try dns.query("www.testbed.test") }
        #expect(code == 10054 && elapsed < .seconds(4))
        #expect(server.handshakes == 2)
    }

    @Test func aRestartedServerGetsANewSession() throws {
        let server = try server()
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        try dns.config("RetransmitInterval=300")
        var statuses: [String] = []
        dns.onSSLStatus = { statuses.append($0.message) }
        try dns.query("www.testbed.test")
        server.restart()
        try dns.query("mail.testbed.test")
        #expect(dns.statusCode == 0 && server.handshakes == 2)
        #expect(statuses.filter { $0.hasPrefix("DTLS established") }.count == 2, "\(statuses)")
    }

    @Test func sessionsResumeAfterTheIdleClose() throws {
        let server = try server()
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        try dns.config("TCPIdleTimeout=0")
        try dns.query("www.testbed.test")
        #expect(try dns.config("SSLSessionResumed") == "False")
        try dns.doEvents()  // the idle session closes with close_notify
        try dns.query("mail.testbed.test")
        #expect(try dns.config("SSLSessionResumed") == "True")
        #expect(server.handshakes == 2 && server.resumedHandshakes == 1)
    }
}

extension DTLSFaultTests {
    /// The dodtls-psk sample's contract: the DTLS steps (`dtls: …`), then
    /// `NAME has address ADDRESS`; or `Error: <code> [<description>]` on stderr and exit 1.
    @Test func theDoDTLSPSKSample() throws {
        var behaviour = FakeDTLSServer.Behaviour()
        behaviour.psk = .init(identity: "sensor-17", key: Array(repeating: 0x5A, count: 16))
        let server = try server(behaviour, certificate: nil)
        defer { server.stop() }
        func run(identity: String = "sensor-17", key: String, _ extra: [String]) throws -> SampleRun {
            try runSample(
                "dodtls-psk", ["--server", "127.0.0.1", "--port", String(server.port), "--psk-identity", identity, "--psk-key", key] + extra)
        }
        let key = String(repeating: "5a", count: 16)
        let any = try run(key: key, ["www.testbed.test"])
        #expect(any.status == 0 && any.output.hasSuffix("www.testbed.test has address 2001:db8::1\n"), "\(any)")
        #expect(any.output.contains("dtls: DTLS established") && any.output.contains("pre-shared key"))
        let v4 = try run(key: key, ["--family", "ipv4", "www.testbed.test"])
        #expect(v4.status == 0 && v4.output.hasSuffix("www.testbed.test has address 192.0.2.1\n"))
        let wrong = try run(identity: "sensor-18", key: key, ["www.testbed.test"])
        #expect(wrong.status == 1 && wrong.error.hasPrefix("Error: 276 [") && !wrong.output.contains("has address"))
    }
}

/// A thread-safe counter for server scripts.
final class Counter: Sendable {
    private let value = Mutex(0)
    /// The count before this call.
    func next() -> Int {
        value.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}
