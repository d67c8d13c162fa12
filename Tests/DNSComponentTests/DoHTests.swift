// SPDX-License-Identifier: Apache-2.0
// DNS over HTTPS against real servers: BIND's DoH listeners (HTTP/2, TLS and cleartext) and
// the testbed's JSON server (HTTP/1.1, dnspython).

import DNSComponent
import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct DoHTests {
    @Test(arguments: [(scheme: "https", method: 0), (scheme: "https", method: 1), (scheme: "http", method: 0), (scheme: "http", method: 1)])
    func everyTypeOverBIND(_ variant: (scheme: String, method: Int)) throws {
        let port = variant.scheme == "https" ? "TESTBED_DOH_PORT" : "TESTBED_DOH_PLAIN_PORT"
        let dns = try Testbed.dohComponent(port: port, host: "127.0.0.1", scheme: variant.scheme, method: variant.method)
        try RecordTypeTests.checkEveryVector(dns)
    }

    /// The JSON API through the testbed's dnspython server: every record's data arrives as
    /// presentation text and must parse into the same fields, text and wire data as BIND's
    /// wire answers.
    /// (dnspython has no MB, MG, MR or MINFO: it passes their data on in generic form with
    /// BIND's compression pointers left inside, which cannot parse; those four are left out.
    /// It also refuses three records BIND serves: a GPOS with an empty string and AMTRELAY
    /// relay types 4 and 127, which it answers with 502.)
    @Test func everyTypeOverJSON() throws {
        let dns = try Testbed.dohComponent(port: "TESTBED_DOH_JSON_PORT", method: 2)
        let refusedByDNSPython = ["gpos3.fixtures.test.", "amtrelay5.fixtures.test.", "amtrelay6.fixtures.test."]
        try RecordTypeTests.checkEveryVector(
            dns, skipping: { ["MB", "MG", "MR", "MINFO"].contains($0.type) || refusedByDNSPython.contains($0.owner) })
    }

    @Test func jsonCarriesStatusFlagsAndSections() throws {
        let dns = try Testbed.dohComponent(port: "TESTBED_DOH_JSON_PORT", method: 2)
        try dns.query("nonexistent.testbed.test")
        #expect(dns.statusCode == 3 && dns.status == ResponseCode.nxDomain.text)
        try dns.setRecordSource(1)
        #expect(dns.recordCount == 1)
        #expect(try dns.recordTypeName(0) == "SOA")
        let response = try #require(dns.response)
        #expect(response.header.flags.contains(.qr) && response.header.flags.contains(.rd))
        try dns.setRecordSource(0)
        dns.queryType = .mx
        try dns.query("mx.testbed.test")
        let wire = try Testbed.dohComponent(method: 0)
        wire.queryType = .mx
        try wire.query("mx.testbed.test")
        #expect(dns.recordCount == wire.recordCount && dns.records.map(\.data) == wire.records.map(\.data))
        try dns.setRecordSource(2)
        try wire.setRecordSource(2)
        #expect(Set(dns.records.map(\.data)) == Set(wire.records.map(\.data)) && dns.recordCount > 0)
    }

    /// The JSON server speaks only HTTP/1.1: ALPN falls back, and its 405 for POST is a coded error.
    @Test func http11FallbackAndStatusErrors() throws {
        let dns = try Testbed.dohComponent(port: "TESTBED_DOH_JSON_PORT", method: 2)
        try dns.config("LogLevel=1")
        var lines: [String] = []
        dns.onLog = { lines.append($0.message) }
        for _ in 0..<3 { try dns.query("www.testbed.test") }
        #expect(lines.filter { $0.hasSuffix("HTTP/1.1") && $0.hasPrefix("GET https://localhost:") }.count == 3, "\(lines)")
        try dns.config("DoHMethod=0")
        let failure = componentError { try dns.query("www.testbed.test") }
        #expect(failure?.code == 151)
        #expect(failure?.message.contains("HTTP status 405") == true, "\(String(describing: failure))")
        // A DoH server that speaks no JSON answers 400.
        let bind = try Testbed.dohComponent(method: 2)
        #expect(componentError { try bind.query("www.testbed.test") }?.message.contains("HTTP status 400") == true)
    }

    @Test func certificatesAreVerifiedAsForDoT() throws {
        #expect(errorCode { try Testbed.dohComponent(port: "TESTBED_DOH_SELFSIGNED_PORT").query("www.testbed.test") } == 274)
        let untrusted = try Testbed.dohComponent()
        try untrusted.config("SSLCAFile=")
        #expect(errorCode { try untrusted.query("www.testbed.test") } == 274)
        let accepting = try Testbed.dohComponent(port: "TESTBED_DOH_SELFSIGNED_PORT")
        var subjects: [String] = []
        accepting.onSSLServerAuthentication = { event in
            subjects.append(event.certSubject)
            event.accept = true
        }
        try accepting.query("www.testbed.test")
        #expect(accepting.statusCode == 0 && subjects == ["CN=self"])
        let pinned = try Testbed.dohComponent(host: "127.0.0.1")
        try pinned.config("SSLCAFile=")
        try pinned.config("SSLPinnedKeys=\(try Testbed.value("TESTBED_DOT_PIN"))")
        try pinned.query("www.testbed.test")
        #expect(pinned.statusCode == 0)
    }

    @Test func oneConnectionCarriesManyConcurrentStreams() throws {
        let dns = try Testbed.dohComponent()
        var established: [String] = []
        dns.onSSLStatus = { if $0.message.hasPrefix("TLS established") { established.append($0.message) } }
        try dns.setTimeout(0)
        var answered: [String: String] = [:]
        dns.onResponse = { [unowned dns] event in answered[event.domain] = (try? dns.getFieldValue(0, "ADDRESS")) ?? "" }
        let names = (0..<50).map { "host\($0 % 5).testbed.test" } + ["www.testbed.test"]
        for name in names { try dns.query(name) }
        while !dns.idle { try dns.doEvents() }
        #expect(answered["www.testbed.test"] == "192.0.2.1" && answered.count == Set(names).count)
        #expect(established.count == 1 && established[0].contains("ALPN h2"), "\(established)")
    }

    @Test func logEventsShowHeadersAndBodies() throws {
        let dns = try Testbed.dohComponent()
        try dns.config("LogLevel=3")
        var types: [String: [String]] = [:]
        dns.onLog = { types[$0.logType, default: []].append($0.message) }
        try dns.query("www.testbed.test")
        let requestHeaders = try #require(types["RequestHeaders"]?.first)
        #expect(requestHeaders.hasPrefix("POST /dns-query HTTP/2") && requestHeaders.contains("content-type: application/dns-message"))
        #expect(requestHeaders.contains("user-agent: swift-dns-component/"))
        #expect(types["ResponseHeaders"]?.first?.hasPrefix("HTTP/2 200") == true)
        #expect(types["RequestBody"]?.count == 1 && types["ResponseBody"]?.isEmpty == false)
        try dns.config("LogLevel=1")
        types = [:]
        try dns.query("www.testbed.test")
        #expect(types["RequestHeaders"] == nil && types["Info"]?.contains { $0.hasPrefix("HTTP/2 200") } == true)
    }

    @Test func urlsAndTheBootstrapAddress() throws {
        let dns = try Testbed.dohComponent()
        dns.dnsServer = "ftp://localhost/dns-query"
        #expect(errorCode { try dns.query("www.testbed.test") } == 153)
        dns.dnsServer = "https:///dns-query"
        #expect(errorCode { try dns.query("www.testbed.test") } == 152)
        dns.dnsServer = ""
        #expect(errorCode { try dns.query("www.testbed.test") } == 224)
        // A host the system cannot resolve is reached through the bootstrap address, and
        // still named in TLS (authenticated as SSLServerName) and HTTP.
        dns.dnsServer = "https://doh.testbed.invalid:\(try Testbed.value("TESTBED_DOH_PORT"))/dns-query"
        #expect(errorCode { try dns.query("www.testbed.test") } == 11001)
        try dns.config("DoHBootstrapAddress=::1")
        try dns.config("SSLServerName=localhost")
        try dns.query("www.testbed.test")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.1")
        #expect(errorCode { try dns.config("DoHBootstrapAddress=not-an-address") } == 225)
    }
}
