// SPDX-License-Identifier: Apache-2.0
// IPWorks code ported as written: settable properties, request IDs, field indexes, results
// cleared per query, failures that stay visible, interrupt from another thread, DoEvents.

import DNSComponent
import DNSTransport
import DNSWire
import Foundation
import Glibc
import Testing

@testable import DNSTestSupport

@Suite struct FidelityTests {
    /// The snippet of the fidelity issue, as written (against the testbed's DoT listener).
    @Test func ipworksCodeCompilesAndRunsAsWritten() throws {
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        dns.dnsPort = Int(try Testbed.value("TESTBED_DOT_PORT"))!
        dns.timeout = 10
        dns.requestId = 7
        dns.recordSource = .answer
        dns.protocol = .tls
        dns.queryType = .mx
        try dns.config("SSLCAFile=\(try Testbed.value("TESTBED_CA_FILE"))")
        try dns.query("mx.testbed.test")
        #expect(dns.requestId == 7 && dns.statusCode == 0 && dns.recordCount == 1)
    }

    @Test func propertiesOutOfRangeFailTheNextQueryBeforeAnyIO() throws {
        let server = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        for (set, undo) in [
            ({ dns.dnsPort = 0 }, { dns.dnsPort = Int(server.port) }), ({ dns.dnsPort = 70_000 }, { dns.dnsPort = Int(server.port) }),
            ({ dns.timeout = -1 }, { dns.timeout = 5 }), ({ dns.requestId = 0 }, { dns.requestId = 9 }),
            ({ dns.requestId = 32_768 }, { dns.requestId = 9 }),
        ] as [(() -> Void, () -> Void)] {
            undo()
            set()
            #expect(errorCode { try dns.query("www.example") } == 10022)
            undo()
        }
        #expect(server.received.withLock { $0.count } == 0)  // no query ever left
        try dns.query("www.example")
        #expect(dns.statusCode == 0 && dns.requestId == 9)
    }

    @Test func requestIdIsTheCurrentQuerysAndAdvancesOnlyForUnnumberedQueries() throws {
        let server = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        dns.dnsPort = Int(server.port)
        var events: [Int] = []
        dns.onResponse = { events.append($0.requestId) }
        try dns.query("a.example")
        #expect(dns.requestId == 1)
        try dns.query("b.example")
        #expect(dns.requestId == 2)
        dns.requestId = 100
        try dns.query("c.example")
        #expect(dns.requestId == 100)
        try dns.query("d.example")
        #expect(dns.requestId == 101 && events == [1, 2, 100, 101])
    }

    @Test func theSelectedFieldIsPerRecordAndResetWhenTheRecordSetChanges() throws {
        let dns = try Testbed.component()
        dns.queryType = .mx
        try dns.query("mx.testbed.test")
        try dns.setRecordFieldIndex(0, 1)
        #expect(try dns.recordFieldIndex(0) == 1 && dns.recordFieldName(0) == "EXCHANGE")
        dns.recordSource = .additional  // A records have one field: a kept index 1 would be 221
        #expect(try dns.recordFieldIndex(0) == 0 && dns.recordFieldName(0) == "ADDRESS")
        dns.recordSource = .answer
        #expect(try dns.recordFieldIndex(0) == 0)
        try dns.setRecordFieldIndex(0, 1)
        try dns.query("mx.testbed.test")  // a new response
        #expect(try dns.recordFieldIndex(0) == 0 && dns.recordFieldName(0) == "PREFERENCE")
    }

    @Test func aFailedQueryClearsTheLastAnswerAndDescribesTheFailure() throws {
        let dns = try Testbed.component()
        try dns.query("www.testbed.test")
        #expect(dns.recordCount == 1 && dns.statusCode == 0)
        let refusing = try ReservedPort()
        dns.dnsPort = Int(refusing.port)
        #expect(errorCode { try dns.query("www.testbed.test") } == 10061)
        #expect(dns.recordCount == 0 && dns.statusCode == 10061 && dns.status.contains("Connection refused"))
    }

    /// Without an error handler, an asynchronous failure is still seen: `statusCode`, `status`
    /// and an Info log line.
    @Test func anAsynchronousFailureWithoutAnErrorHandlerIsNotLost() throws {
        let refusing = try ReservedPort()
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        dns.dnsPort = Int(refusing.port)
        dns.timeout = 0
        var lines: [String] = []
        dns.onLog = { lines.append($0.message) }
        try dns.query("www.example")
        while !dns.idle { try dns.doEvents() }
        #expect(dns.statusCode == 10061 && lines.contains { $0.contains("failed") && $0.contains("10061") })
    }

    @Test func resetRestoresEveryPropertyAndSetting() throws {
        let dns = try DNSComponent()
        let defaults = DNSComponent.configSettings.map { (try? dns.config($0.name)) ?? "?" }
        dns.localHost = "127.0.0.1"
        dns.dnsPort = 853
        dns.timeout = 3
        dns.requestId = 77
        dns.protocol = .tls
        dns.recursive = false
        try dns.config("LogLevel=3")
        try dns.config("SSLServerName=x.example")
        try dns.config("TCPIdleTimeout=5")
        try dns.reset()
        #expect(dns.localHost == "" && dns.dnsPort == 53 && dns.timeout == 60 && dns.requestId == 1)
        #expect(dns.protocol == .udp && dns.recursive && dns.queryType == .address && dns.recordSource == .answer)
        #expect(DNSComponent.configSettings.map { (try? dns.config($0.name)) ?? "?" } == defaults)
    }

    /// A UI thread cancelling a slow lookup: the query on this thread ends with 10004 soon
    /// after, and the component works afterwards.
    @Test func interruptFromAnotherThreadEndsASynchronousQuery() throws {
        let silent = try ReservedPort(shared: true)  // holds a port nobody answers on
        let answering = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { answering.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        dns.dnsPort = Int(silent.port)
        dns.timeout = 30
        // The interrupter waits 200 ms, then interrupts until the query has ended: under load
        // this thread may begin its query late, after a first interrupt found nothing to end.
        let finished = Locked(false)
        let interrupter = Thread { [dns] in
            usleep(200_000)
            while !finished.withLock({ $0 }) {
                try? dns.interrupt()
                usleep(50_000)
            }
        }
        let start = ContinuousClock.now
        interrupter.start()
        let (code, elapsed) = outcome { try dns.query("www.example") }
        finished.withLock { $0 = true }
        #expect(code == 10004 && start.duration(to: .now) >= .milliseconds(200) && elapsed < .seconds(5), "\(code) after \(elapsed)")
        #expect(dns.idle)
        dns.dnsPort = Int(answering.port)
        try dns.query("www.example")
        #expect(dns.statusCode == 0)
    }

    /// At LogLevel 3 the log event shows each query's octets (RequestBody) and each
    /// response's (ResponseBody) over UDP, TCP and TLS, as for DoH's bodies.
    @Test func debugLogShowsRequestAndResponseOctetsOnEveryTransport() throws {
        for transport in [DNSComponent.TransportProtocol.udp, .tcp, .tls] {
            let dns = try Testbed.component(transport)
            try dns.config("LogLevel=3")
            var entries: [(type: String, message: String)] = []
            dns.onLog = { entries.append(($0.logType, $0.message)) }
            try dns.query("www.testbed.test")
            let request = try #require(entries.first { $0.type == "RequestBody" }, "\(transport)")
            let wire = hex(String(request.message.dropFirst("Request octets: ".count)).lowercased())
            #expect(wire.count > 12 && wire[12...].starts(with: [3] + Array("www".utf8)), "\(transport)")
            #expect(entries.contains { $0.type == "ResponseBody" }, "\(transport)")
        }
    }

    /// The seed's `while true { dns.doEvents() }` with nothing outstanding sleeps in the wait.
    @Test func doEventsWithNothingOutstandingDoesNotSpin() throws {
        let dns = try DNSComponent()
        try dns.config("SelectWaitMillis=20")
        func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD: this thread only (other tests run beside)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        let (cpu, start) = (cpuSeconds(), ContinuousClock.now)
        for _ in 0..<25 { try dns.doEvents() }
        let elapsed = start.duration(to: .now)
        #expect(elapsed >= .milliseconds(500))  // 25 waits of 20 ms
        #expect(cpuSeconds() - cpu < 0.1)  // a spinning loop would use about 0.5 s
    }
}
