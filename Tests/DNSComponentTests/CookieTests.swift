// SPDX-License-Identifier: Apache-2.0
// DNS cookies (RFC 7873) against BIND (answer-cookie yes): the client cookie per server, and
// BIND's server cookie echoed on the next query.

import DNSComponent
import DNSWire
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct CookieTests {
    /// The COOKIE options of the queries the component sent (from its request log).
    func sentCookies(_ dns: DNSComponent, _ queries: () throws -> Void) throws -> [(client: [UInt8], server: [UInt8])] {
        try dns.config("LogLevel=3")
        var requests: [[UInt8]] = []
        dns.onLog = { entry in
            if entry.logType == "RequestBody", let octets = entry.message.split(separator: " ").last { requests.append(hex(String(octets))) }
        }
        try queries()
        return try requests.map { wire in
            let options = try DNSMessage(wire: wire).edns?.options ?? []
            let cookie = options.compactMap { option -> ([UInt8], [UInt8])? in
                if case .cookie(let client, let server) = option { (client, server) } else { nil }
            }
            return try #require(cookie.first)
        }
    }

    @Test(arguments: [DNSComponent.TransportProtocol.udp, .tcp])
    func bindsServerCookieIsEchoed(_ transport: DNSComponent.TransportProtocol) throws {
        let dns = try Testbed.component(transport)
        var answered: [UInt8] = []
        let cookies = try sentCookies(dns) {
            try dns.query("www.testbed.test")
            for case .cookie(_, let server) in dns.response?.edns?.options ?? [] { answered = server }
            try dns.query("www.testbed.test")
        }
        try #require(cookies.count == 2)
        #expect(cookies[0].client.count == 8 && cookies[0].server.isEmpty)
        #expect(cookies[1].client == cookies[0].client)
        #expect(answered.count >= 8 && cookies[1].server == answered)  // BIND's cookie, as it sent it
    }

    /// Each server gets a client cookie of its own; `DNSCookies=False` sends none.
    @Test func aClientCookiePerServerAndOff() throws {
        let dns = try Testbed.component(.udp)
        let cookies = try sentCookies(dns) {
            try dns.query("www.testbed.test")
            dns.dnsServer = "::1"
            try dns.query("www.testbed.test")
        }
        try #require(cookies.count == 2)
        #expect(cookies[0].client != cookies[1].client)
        try dns.config("DNSCookies=False")
        try dns.query("www.testbed.test")
        #expect(dns.statusCode == 0)
        #expect(try DNSComponent().config("DNSCookies") == "True")
    }
}

extension CookieTests {
    /// The testbed's BIND requires a server cookie for UDP queries to ::1
    /// (`require-server-cookie yes`): the first query gets BADCOOKIE and is retried once with
    /// BIND's cookie; the next one carries it and is answered at once.
    @Test func bindRequiringServerCookiesIsAnsweredAfterOneRetry() throws {
        let dns = try Testbed.component(.udp, address: "::1")
        try dns.config("LogLevel=2")
        var lines: [String] = []
        dns.onLog = { lines.append($0.message) }
        try dns.query("www.testbed.test")
        #expect(try dns.statusCode == 0 && dns.getFieldValue(0, "ADDRESS") == "192.0.2.1")
        #expect(lines.filter { $0.contains("BADCOOKIE; retrying with the server's new cookie") }.count == 1, "\(lines)")
        lines = []
        try dns.query("www.testbed.test")
        #expect(dns.statusCode == 0)
        #expect(!lines.contains { $0.contains("BADCOOKIE") }, "\(lines)")
        try dns.config("DNSCookies=False")  // no cookie at all: BIND answers a client that does not speak cookies
        try dns.query("www.testbed.test")
        #expect(dns.statusCode == 0)
    }
}
