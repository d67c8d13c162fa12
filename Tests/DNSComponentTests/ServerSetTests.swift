// SPDX-License-Identifier: Apache-2.0
// DNSServer with several servers: failover within the timeout, over every protocol.

import DNSComponent
import DNSTransport
import Foundation
import Testing

@testable import DNSTestSupport

@Suite struct ServerSetTests {
    /// Runs a synchronous query and returns the server the log says answered.
    func answeringServer(_ dns: DNSComponent, _ name: String = "www.testbed.test") throws -> String? {
        var from: String?
        dns.onLog = { event in
            if event.message.hasPrefix("Response "), let range = event.message.range(of: " from ") {
                from = event.message[range.upperBound...].split(separator: " ").first.map(String.init)
            }
        }
        try dns.query(name)
        #expect(dns.statusCode == 0 && dns.recordCount >= 1)
        return from
    }

    /// BIND behind a relay that drops everything, then Knot Resolver over IPv6 with a port
    /// of its own: Knot Resolver answers within the timeout.
    @Test func theNextServerAnswersWhenTheFirstIsDown() throws {
        let down = try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()), mode: .drop)
        defer { down.stop() }
        let dns = try Testbed.component()
        dns.dnsServer = "127.0.0.1:\(down.port), [::1]:\(try Testbed.kresdPort())"
        try dns.setTimeout(3)
        let start = ContinuousClock.now
        #expect(try answeringServer(dns) == "[::1]:\(try Testbed.kresdPort())")
        #expect(start.duration(to: .now) < .seconds(3))
        #expect(down.queriesReceived >= 1)
        // The second server's port comes from the entry; the first's from DNSPort.
        dns.dnsServer = "127.0.0.1, [::1]:\(try Testbed.kresdPort())"
        #expect(try answeringServer(dns) == "127.0.0.1:\(try Testbed.port())")
    }

    /// Every TLS server of the set is authenticated by its own name.
    @Test func severalTLSServers() throws {
        let refusing = try ReservedPort()
        let dns = try Testbed.component(.tls)
        dns.dnsServer = "localhost:\(refusing.port),localhost:\(try Testbed.value("TESTBED_KRESD_DOT_PORT"))"
        try dns.config("UseIPv6=False")
        let answered = try answeringServer(dns)
        #expect(answered?.hasSuffix(":\(try Testbed.value("TESTBED_KRESD_DOT_PORT"))") == true)
    }

    /// Several DNS-over-HTTPS URLs.
    @Test func severalHTTPSServers() throws {
        let refusing = try ReservedPort()
        let dns = try Testbed.dohComponent()
        let doh = try Testbed.value("TESTBED_DOH_PORT")
        dns.dnsServer = "https://localhost:\(refusing.port)/dns-query, https://localhost:\(doh)/dns-query"
        let answered = try answeringServer(dns)
        #expect(answered?.hasSuffix(":\(doh)") == true)
    }

    @Test func aBadEntryIsRefusedBeforeAnyIO() throws {
        let dns = try Testbed.component()
        for bad in ["127.0.0.1,", "127.0.0.1,,::1", "[::1", "127.0.0.1:0", "127.0.0.1:65536"] {
            dns.dnsServer = bad
            let error = #expect(throws: DNSComponentError.self, "\(bad)") { try dns.query("www.testbed.test") }
            #expect(error?.code == 10022, "\(bad)")
        }
    }

    /// The default is every nameserver of /etc/resolv.conf.
    @Test func theDefaultIsEveryResolvConfNameserver() throws {
        let system = ResolverConfiguration.system().nameservers.map { $0.contains(":") ? "[\($0)]" : $0 }
        #expect(try DNSComponent().dnsServer == system.joined(separator: ","))
    }
}
