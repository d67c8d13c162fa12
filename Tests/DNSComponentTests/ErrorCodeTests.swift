// SPDX-License-Identifier: Apache-2.0
// The seed's error codes: every row of the transport-to-IPWorks table, and each SSL code
// produced for real against the testbed and in-process servers.

import Foundation
import Testing

@testable import DNSComponent
@testable import DNSTestSupport
@testable import DNSTransport

@Suite struct ErrorCodeTests {
    /// Every row of TransportErrorCode, the one table.
    @Test(arguments: [
        (TransportError.Code.timedOut, 10060), (.hostNotFound, 11001), (.hostLookupTemporary, 11002), (.hostLookupFailed, 11003),
        (.hostHasNoAddress, 11004), (.connectionClosed, 10054), (.streamRefused, 10054), (.malformedResponse, 10053),
        (.badAddress, 225), (.tlsHandshakeFailed, 276), (.tlsCertificateUntrusted, 274), (.tlsCertificateInvalid, 275),
        (.tlsCertificateRejected, 280), (.tlsCertificateStore, 271), (.tlsWriteFailed, 283), (.tlsReadFailed, 284),
        (.invalidQuery, 10022), (.httpStatus, 151), (.httpStreamReset, 151), (.httpProtocol, 151), (.httpBody, 151),
    ])
    func transportErrorsMapToTheSeedsCodes(_ code: TransportError.Code, _ expected: Int) {
        #expect(TransportErrorCode.of(TransportError(code, "")).code == expected)
    }

    /// Other front ends (DNSClient's samples) get the component's code and words for a failure.
    @Test func aTransportErrorAsTheComponentReportsIt() {
        let timeout = DNSComponentError(TransportError(.timedOut, "no response within 5 seconds"))
        #expect(timeout.code == 10060 && timeout.message.contains("no response within 5 seconds"))
        #expect(DNSComponentError(TransportError(.cancelled, "stop")).code == 10004)
        #expect(DNSComponentError(TransportError(.truncated, "TC")).code == 10040)  // DNSClient's raiseOnTruncation
    }

    @Test func systemErrorsMapToWinsockNumbers() {
        #expect(TransportErrorCode.of(TransportError(.system, errno: ECONNREFUSED, "")).code == 10061)
        #expect(TransportErrorCode.of(TransportError(.system, errno: ENETUNREACH, "")).code == 10051)
        #expect(TransportErrorCode.of(TransportError(.system, errno: EADDRINUSE, "")).code == 10048)
    }

    @Test func resolverFailuresKeepTheirKind() {
        #expect(SocketAddress.lookupFailure(EAI_NONAME) == .hostNotFound)
        #expect(SocketAddress.lookupFailure(EAI_AGAIN) == .hostLookupTemporary)
        #expect(SocketAddress.lookupFailure(EAI_FAIL) == .hostLookupFailed)
        #expect(SocketAddress.lookupFailure(-5) == .hostHasNoAddress)  // EAI_NODATA
        #expect(errorCode { try Self.component("no-such-host.invalid", port: 53).query("www.example") } == 11001)
    }

    static func component(_ server: String, port: Int) throws -> DNSComponent {
        let dns = try DNSComponent()
        dns.dnsServer = server
        dns.dnsPort = port
        dns.timeout = 5
        return dns
    }

    /// A TLS component aimed at `port` on 127.0.0.1, trusting the testbed's CA.
    func tls(_ port: Int) throws -> DNSComponent {
        let dns = try Self.component("127.0.0.1", port: port)
        dns.protocol = .tls
        try dns.config("SSLCAFile=\(try Testbed.value("TESTBED_CA_FILE"))")
        return dns
    }

    @Test func sslCodesForRealCertificates() throws {
        let port = { (key: String) in Int(try Testbed.value(key))! }
        // 274: no chain to a trusted root (self-signed; a CA the client does not know).
        #expect(errorCode { try tls(try port("TESTBED_DOT_SELFSIGNED_PORT")).query("www.testbed.test") } == 274)
        let unknownCA = try Self.component("127.0.0.1", port: try port("TESTBED_DOT_PORT"))
        unknownCA.protocol = .tls
        #expect(errorCode { try unknownCA.query("www.testbed.test") } == 274)
        // 280: a certificate for another name; a pin that matches nothing.
        #expect(errorCode { try tls(try port("TESTBED_DOT_WRONGNAME_PORT")).query("www.testbed.test") } == 280)
        let pinned = try tls(try port("TESTBED_DOT_PORT"))
        try pinned.config("SSLPinnedKeys=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        #expect(errorCode { try pinned.query("www.testbed.test") } == 280)
        // 276: no shared protocol version.
        let strict = try tls(try port("TESTBED_DOT12_PORT"))
        try strict.config("SSLMinVersion=1.3")
        #expect(errorCode { try strict.query("www.testbed.test") } == 276)
        // 271: trust anchors that cannot be read.
        let missing = try tls(try port("TESTBED_DOT_PORT"))
        try missing.config("SSLCAFile=/nonexistent/ca.pem")
        #expect(errorCode { try missing.query("www.testbed.test") } == 271)
    }

    /// 275: a chain that does not verify (an expired certificate from the testbed's CA), and
    /// the certificate event accepting it anyway.
    @Test func anExpiredCertificateIs275() throws {
        let directory = URL(fileURLWithPath: try Testbed.value("TESTBED_CA_FILE")).deletingLastPathComponent().path
        let server = try FakeTLSServer(certificate: directory + "/expired.crt", key: directory + "/expired.key") { query, _, _ in
            ([FakeServer.reply(to: query)], false)
        }
        defer { server.stop() }
        let dns = try tls(Int(server.port))
        let failure = componentError { try dns.query("www.example") }
        #expect(failure?.code == 275 && failure?.message.contains("expired") == true, "\(String(describing: failure))")
        var statuses: [String] = []
        var base64 = ""
        dns.onSSLServerAuthentication = { event in
            statuses.append(event.status)
            base64 = event.certEncodedBase64
            event.accept = true
        }
        try dns.query("www.example")
        #expect(dns.statusCode == 0 && statuses == ["certificate has expired"])
        let der = try #require(Data(base64Encoded: base64))
        #expect(!der.isEmpty && der.first == 0x30)  // a DER SEQUENCE
    }
}
