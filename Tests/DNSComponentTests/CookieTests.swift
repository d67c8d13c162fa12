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
