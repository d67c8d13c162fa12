// SPDX-License-Identifier: Apache-2.0
// TSIG-signed queries through the component, against BIND and Knot DNS and misbehaving servers.

import DNSComponent
import DNSWire
import Foundation
import Glibc
import Testing

@testable import DNSTestSupport

@Suite struct TSIGComponentTests {
    static let algorithms = ["HMAC_MD5", "HMAC_SHA1", "HMAC_SHA224", "HMAC_SHA256", "HMAC_SHA384", "HMAC_SHA512"]

    /// A synchronous component aimed at the testbed's BIND (or `port`), signing with `key`.
    func component(key: String, port: Int? = nil, protocol transport: DNSComponent.TransportProtocol = .udp) throws -> DNSComponent {
        let dns = try Testbed.component(transport)
        if let port { try dns.setDNSPort(port) }
        try dns.config("TSIGKey=\(key)")
        dns.queryType = .soa
        return dns
    }

    /// Every algorithm signs and verifies against BIND, over UDP and TCP.
    @Test(arguments: algorithms)
    func everyAlgorithmAgainstBIND(_ algorithm: String) throws {
        for transport in [DNSComponent.TransportProtocol.udp, .tcp] {
            let dns = try component(key: try Testbed.value("TESTBED_TSIG_\(algorithm)"), protocol: transport)
            try dns.query("xfr.test")
            #expect(dns.statusCode == 0 && dns.recordCount == 1, "\(algorithm) \(transport)")
            #expect(dns.response?.additionals.last?.type == .tsig)
        }
    }

    /// Signed queries over DNS over TLS and DNS over HTTPS verify too.
    @Test func overTLSAndHTTPS() throws {
        let key = try Testbed.value("TESTBED_TSIG_HMAC_SHA224")
        let tls = try Testbed.component(.tls)
        tls.dnsServer = "localhost"
        try tls.config("UseIPv6=False")
        let https = try Testbed.dohComponent()
        for dns in [tls, https] {
            try dns.config("TSIGKey=\(key)")
            dns.queryType = .soa
            try dns.query("xfr.test")
            #expect(dns.statusCode == 0 && dns.response?.additionals.last?.type == .tsig, "\(dns.protocol)")
        }
    }

    @Test func knotDNSVerifiesToo() throws {
        let dns = try component(key: try Testbed.value("TESTBED_TSIG_HMAC_SHA256"), port: Int(try Testbed.value("TESTBED_KNOT_PORT"))!)
        try dns.query("xfr.test")
        #expect(dns.statusCode == 0 && dns.recordCount == 1)
    }

    /// The server's TSIG errors surface as the status: a wrong secret is BADSIG (16), an
    /// unknown key BADKEY (17).
    @Test func theServersTSIGErrorsAreTheStatus() throws {
        let good = try TSIGKey(parsing: try Testbed.value("TESTBED_TSIG_HMAC_SHA256"))
        let wrongSecret = "hmac-sha256:\(good.name):\(BaseEncoding.base64.encode(Array(repeating: 7, count: 32)))"
        let dns = try component(key: wrongSecret)
        try dns.query("xfr.test")
        #expect(dns.statusCode == 16)
        try dns.config("TSIGKey=hmac-sha256:nobody.testbed.:\(BaseEncoding.base64.encode(good.secret))")
        try dns.query("xfr.test")
        #expect(dns.statusCode == 17)
    }

    /// A response whose MAC does not verify, or that is not signed, fails with 226 at once:
    /// never an answer, never a timeout.
    @Test(arguments: [true, false])
    func aResponseThatDoesNotVerifyIs226(_ signed: Bool) throws {
        let server = try FakeServer { query, _ in
            var reply = FakeServer.reply(to: query)  // keeps the query's TSIG: the wrong MAC
            if !signed, var message = try? DNSMessage(wire: reply) {
                message.additionals.removeAll { $0.type == .tsig }
                reply = (try? message.serialize()) ?? []
            }
            return [.send(reply)]
        }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(server.port))
        try dns.setTimeout(5)
        try dns.config("TSIGKey=hmac-sha256:key.example.:\(BaseEncoding.base64.encode(Array(repeating: 1, count: 32)))")
        let (code, elapsed) = outcome { try dns.query("www.example") }
        #expect(code == 226)
        #expect(elapsed < .seconds(2))
        #expect(dns.statusCode == 226 && dns.status.contains(signed ? "MAC" : "sign"))
    }

    /// A query signed with a clock an hour off: BIND answers BADTIME (18), and the session
    /// reports it as the server's error, not as a verification failure.
    @Test func aSkewedClockIsBADTIME() throws {
        let key = try TSIGKey(parsing: try Testbed.value("TESTBED_TSIG_HMAC_SHA256"))
        var session = TSIGSession(key: key)
        let query = try DNSMessage.query(name: try DomainName("xfr.test"), type: .soa, id: 0x5151).serialize()
        let signed = try session.sign(query, now: UInt64(Date().timeIntervalSince1970) - 3600)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(try Testbed.port()).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0 && send(fd, signed, signed.count, 0) == signed.count)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        try #require(count > 0)
        #expect(session.verify(Array(buffer[0..<count]), now: UInt64(Date().timeIntervalSince1970)) == .serverError(18))
    }

    /// TSIGKeyFile takes BIND's key file; the key reads back masked while MaskSensitive is on.
    @Test func keyFileAndMasking() throws {
        let dns = try Testbed.component()
        try dns.config("TSIGKeyFile=\(try Testbed.value("TESTBED_TSIG_KEYFILE"))")
        let shown = try dns.config("TSIGKey")
        #expect(shown.hasPrefix("hmac-md5:hmac-md5.testbed.") && shown.hasSuffix(":****"))
        dns.queryType = .soa
        try dns.query("xfr.test")
        #expect(dns.statusCode == 0)
        try dns.config("MaskSensitive=False")
        #expect(try dns.config("TSIGKey") == (try Testbed.value("TESTBED_TSIG_HMAC_MD5")))
        #expect(throws: DNSComponentError.self) { try dns.config("TSIGKey=hmac-sha999:k.:AAAA") }
        #expect(throws: DNSComponentError.self) { try dns.config("TSIGKeyFile=/nonexistent") }
        try dns.config("TSIGKey=")
        #expect(try dns.config("TSIGKey") == "")
    }
}
