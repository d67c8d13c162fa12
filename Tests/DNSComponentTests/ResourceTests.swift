// SPDX-License-Identifier: Apache-2.0
// No descriptor leaks over thousands of queries and reconnects. Each check counts the
// process's open files, so it runs in a child process of its own (an exit test), where no
// other test opens files at the same time.

import CSoakCounters
import DNSComponent
import DTLSTestServer
import Foundation
import Glibc
import Testing

@testable import DNSTestSupport

@Suite struct ResourceTests {
    /// The verdict line the child process printed: "passed", or what failed.
    static func verdict(_ result: ExitTest.Result?) -> String {
        let lines = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self).split(separator: "\n")
        return lines.last { $0.hasPrefix(ResourceChecks.marker) }.map { String($0.dropFirst(ResourceChecks.marker.count)) } ?? "no verdict"
    }

    @Test func noDescriptorLeaksAfterTenThousandQueriesOverUDPAndTCP() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            ResourceChecks.run(ResourceChecks.udpAndTCP)
        }
        #expect(Self.verdict(result) == "passed")
    }

    @Test func noDescriptorLeaksOverTLSAfterTenThousandQueriesAndAHundredReconnects() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            ResourceChecks.run(ResourceChecks.tls)
        }
        #expect(Self.verdict(result) == "passed")
    }

    @Test func noDescriptorOrOpenSSLObjectLeftOverDTLSAfterTenThousandQueries() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            ResourceChecks.run(ResourceChecks.dtls)
        }
        #expect(Self.verdict(result) == "passed")
    }

    @Test func noDescriptorLeaksOverHTTPSAfterThousandsOfQueriesAndReconnects() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            ResourceChecks.run(ResourceChecks.https)
        }
        #expect(Self.verdict(result) == "passed")
    }
}

/// The checks, run in the child process: each throws a description of what went wrong.
enum ResourceChecks {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts the line that carries the verdict on standard output.
    static let marker = "resource check: "

    /// Runs `check` and prints its verdict: "passed", or what failed.
    static func run(_ check: () throws -> Void) {
        do {
            try check()
            print(marker + "passed")
        } catch {
            print(marker + "\(error)")
        }
    }

    static func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1 }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw Failure(description: message()) }
    }

    /// Counts the connections the component opens (its log at level 2).
    static func countingConnections(_ dns: DNSComponent) throws -> () -> Int {
        var opened = 0
        try dns.config("LogLevel=2")
        dns.onLog = { if $0.message.hasPrefix("TCP connection to"), $0.message.hasSuffix("opening") { opened += 1 } }
        return { opened }
    }

    static func udpAndTCP() throws {
        let dns = try Testbed.component()
        try dns.query("www.testbed.test")
        let before = openDescriptors()
        for index in 0..<10_000 {
            dns.protocol = index % 10 == 0 ? .tcp : .udp
            try dns.query("www.testbed.test")
            try require(dns.statusCode == 0, "query \(index): status \(dns.statusCode)")
        }
        // The TCP connection is open (idle), every UDP socket closed.
        try require(openDescriptors() == before + 1, "\(openDescriptors()) descriptors open after the queries, \(before) before")
        try dns.reset()
        try require(openDescriptors() == before, "\(openDescriptors()) descriptors open after reset, \(before) before")
    }

    /// Counts the DTLS sessions the component opens (its status events).
    static func countingSessions(_ dns: DNSComponent) -> () -> Int {
        var opened = 0
        dns.onSSLStatus = { if $0.message.hasPrefix("DTLS handshake with") { opened += 1 } }
        return { opened }
    }

    /// Every 100th query waits for the idle connection to close, so it reconnects.
    /// - Parameter counting: how the connections (or sessions) opened are counted.
    /// - Returns: `SSLSessionResumed` after the last reconnect.
    @discardableResult
    static func reconnecting(
        _ dns: DNSComponent, queries: Int, counting: (DNSComponent) throws -> () -> Int = countingConnections
    ) throws -> String {
        let opened = try counting(dns)
        try dns.query("www.testbed.test")
        let before = openDescriptors()
        for index in 0..<queries {
            if index % 100 == 0 {
                try dns.config("TCPIdleTimeout=0")
                try dns.doEvents()
                try dns.config("TCPIdleTimeout=10000")
            }
            try dns.query("www.testbed.test")
            try require(dns.statusCode == 0, "query \(index): status \(dns.statusCode)")
        }
        try require(opened() == 1 + queries / 100, "\(opened()) connections opened, not \(1 + queries / 100)")
        try require(openDescriptors() == before, "\(openDescriptors()) descriptors open after the queries, \(before) before")
        let resumed = try dns.config("SSLSessionResumed")
        try dns.reset()
        try require(openDescriptors() == before - 1, "\(openDescriptors()) descriptors open after reset, not \(before - 1)")
        return resumed
    }

    static func tls() throws {
        let resumed = try reconnecting(try Testbed.component(.tls), queries: 10_000)
        try require(resumed == "True", "the last reconnect did not resume the TLS session")
    }

    /// 10,000 queries over DTLS to an in-process server, a new session every 100th (resumed);
    /// then, with the component and the server gone, OpenSSL holds no more objects than after
    /// a first, warming round (its one-time tables).
    static func dtls() throws {
        try require(openssl_counter_install() == 1, "OpenSSL allocated before the check could count")
        func round(queries: Int) throws -> String {
            let directory = try testbedTLSDirectory()
            let server = try FakeDTLSServer(
                .init(certificate: directory + "/server.crt", key: directory + "/server.key"),
                answer: FakeDTLSServer.relay(toPort: try Testbed.port()))
            defer { server.stop() }
            return try reconnecting(try dtlsComponent(port: server.port), queries: queries, counting: countingSessions)
        }
        _ = try round(queries: 100)
        let live = openssl_counter_live()
        let resumed = try round(queries: 10_000)
        try require(resumed == "True", "the last new session did not resume")
        try require(openssl_counter_live() == live, "OpenSSL holds \(openssl_counter_live() - live) more objects than before")
    }

    /// 5,000 queries over HTTP/2 (BIND) with 50 reconnects, 500 over HTTP/1.1 (the JSON server) with 5.
    static func https() throws {
        try reconnecting(try Testbed.dohComponent(port: "TESTBED_DOH_PORT", method: 0), queries: 5_000)
        try reconnecting(try Testbed.dohComponent(port: "TESTBED_DOH_JSON_PORT", method: 2), queries: 500)
    }
}
