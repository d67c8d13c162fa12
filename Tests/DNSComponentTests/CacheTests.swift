// SPDX-License-Identifier: Apache-2.0
// The component's response cache against BIND (zone cache.test., TTLs of seconds) behind a
// relay that counts the queries reaching BIND and can drop them: TTLs counting down, negative
// answers for the SOA minimum, identical queries sharing one exchange, serve-stale.

import DNSComponent
import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite struct CacheTests {
    /// A relay in front of the testbed's BIND (UDP and TCP).
    func relay() throws -> ControlledRelay {
        try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()))
    }

    /// A synchronous component through `relay` with a cache of 100 entries and `settings`; one
    /// datagram per query however loaded the machine (no retransmission within its 5 s), so the
    /// relay's count is the number of queries that reached the server.
    func component(_ relay: ControlledRelay, _ settings: [String] = []) throws -> DNSComponent {
        let dns = try Testbed.component()
        dns.dnsServer = relay.address
        try dns.setDNSPort(Int(relay.port))
        for setting in ["CacheSize=100", "RetransmitInterval=5000"] + settings { try dns.config(setting) }
        return dns
    }

    /// A name of this test's own under cache.test.
    func fresh(_ label: String) -> String { "\(label)-\(UInt32.random(in: 0...UInt32.max)).cache.test" }

    @Test func aTTLCountsDownAcrossHits() throws {
        let relay = try relay()
        defer { relay.stop() }
        let dns = try component(relay)
        try dns.query("ttl5.cache.test")
        #expect(try dns.recordTTL(0) == 5 && relay.queriesReceived == 1)
        Thread.sleep(forTimeInterval: 1.2)
        var responses = 0
        dns.onResponse = { _ in responses += 1 }
        try dns.query("TTL5.Cache.Test")
        #expect(try dns.recordTTL(0) == 4 && relay.queriesReceived == 1)  // from the cache
        #expect(responses == 1 && dns.response?.questions.first?.name.description == "TTL5.Cache.Test.")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.81")
        let statistics = try dns.config("CacheStatistics")
        #expect(statistics.hasPrefix("hits=1,misses=1,staleHits=0,evictions=0,entries=1,bytes="))
        #expect((Int(statistics.split(separator: "=").last ?? "") ?? 0) > 512, "\(statistics)")  // the message and the entry's overhead
        try dns.config("CacheSize=0")  // off: the server is asked every time
        try dns.query("ttl5.cache.test")
        #expect(relay.queriesReceived == 2)
    }

    @Test func negativeAnswersLiveForTheSOAMinimum() throws {
        let relay = try relay()
        defer { relay.stop() }
        let dns = try component(relay)
        let missing = fresh("nx")
        try dns.query(missing)
        #expect(dns.statusCode == 3)
        dns.queryType = DNSComponent.QueryType(.txt)
        try dns.query("ttl2.cache.test")  // NODATA
        #expect(relay.queriesReceived == 2)
        dns.queryType = .address
        try dns.query(missing)
        dns.queryType = DNSComponent.QueryType(.txt)
        try dns.query("ttl2.cache.test")
        #expect(relay.queriesReceived == 2 && dns.statusCode == 100)  // both from the cache
        Thread.sleep(forTimeInterval: 2.2)  // the SOA MINIMUM (2 s) passed; the SOA's own TTL is 60
        try dns.query("ttl2.cache.test")
        dns.queryType = .address
        try dns.query(missing)
        #expect(relay.queriesReceived == 4 && dns.statusCode == 3)
    }

    @Test func identicalQueriesShareOneExchange() throws {
        let relay = try relay()
        defer { relay.stop() }
        let dns = try component(relay)
        let name = fresh("shared")  // NXDOMAIN, the same for every query
        let (answered, failed) = try dns.queryAll(Array(repeating: name, count: 100))
        #expect(answered.count == 100 && failed.isEmpty)
        #expect(relay.queriesReceived == 1)
        // Asynchronous hits fire their events from doEvents, as answers from the server do.
        let (hits, _) = try dns.queryAll([name, name])
        #expect(hits == [name, name] && relay.queriesReceived == 1)
    }

    @Test func aChangedAnswerIsSeenAfterItsTTL() throws {
        let relay = try relay()
        defer { relay.stop() }
        let dns = try component(relay, ["TSIGKey=\(try Testbed.value("TESTBED_TSIG_HMAC_SHA256"))"])
        let name = fresh("changing")
        let updates = try Testbed.component()
        try updates.config("TSIGKey=\(try Testbed.value("TESTBED_TSIG_HMAC_SHA256"))")
        try updates.update("cache.test", ["add \(name). 2 A 192.0.2.90"])
        try dns.query(name)
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.90")
        try updates.update("cache.test", ["delete \(name). A", "add \(name). 2 A 192.0.2.91"])
        try dns.query(name)
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.90")  // still cached
        Thread.sleep(forTimeInterval: 2.2)
        try dns.query(name)
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.91" && relay.queriesReceived == 2)
    }

    @Test func flushingEmptiesTheCache() throws {
        let relay = try relay()
        defer { relay.stop() }
        let dns = try component(relay)
        try dns.query("ttl5.cache.test")
        try dns.query("ns.cache.test")
        try dns.flushCache("TTL5.cache.test")
        try dns.query("ns.cache.test")
        #expect(relay.queriesReceived == 2)
        try dns.query("ttl5.cache.test")
        #expect(relay.queriesReceived == 3)
        dns.flushCache()
        try dns.query("ns.cache.test")
        #expect(relay.queriesReceived == 4)
        #expect(errorCode { try dns.config("CacheSize=-1") } == 10022)
        #expect(errorCode { try dns.config("CacheStatistics=x") } == 10022)
    }
}

@Suite(.serialized) struct ServeStaleTests {
    /// A warm cache for `name` behind `relay`, which then drops everything once the TTL passed.
    func staleSetUp(_ relay: ControlledRelay, _ name: String, settings: [String] = []) throws -> DNSComponent {
        let dns = try Testbed.component()
        dns.dnsServer = relay.address
        try dns.setDNSPort(Int(relay.port))
        // A cache setting changed later would start an empty cache: all of them first.
        for setting in ["CacheSize=100", "ServeStale=True"] + settings { try dns.config(setting) }
        try dns.query(name)
        Thread.sleep(forTimeInterval: 2.2)
        relay.mode = .drop
        return dns
    }

    @Test func aStaleAnswerComesWithin1800MillisecondsWithEDE3() throws {
        let relay = try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()))
        defer { relay.stop() }
        let dns = try staleSetUp(relay, "ttl2.cache.test")
        try dns.config("LogLevel=2")
        var lines: [String] = []
        dns.onLog = { lines.append($0.message) }
        let start = ContinuousClock.now
        try dns.query("ttl2.cache.test")
        let elapsed = start.duration(to: .now)
        #expect(elapsed >= .milliseconds(1700) && elapsed < .milliseconds(2600), "\(elapsed)")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.80" && dns.recordTTL(0) == 30)
        #expect(dns.response?.extendedErrors.map(\.infoCode) == [3])
        #expect(lines.contains { $0.contains("stale answer") }, "\(lines)")
        // The server returns: the refresh still going on (its next retransmission) is answered
        // and replaces the entry, so the next query gets a fresh answer.
        relay.mode = .pass
        Thread.sleep(forTimeInterval: 1.5)
        try dns.query("ttl2.cache.test")
        #expect(try dns.response?.extendedErrors.isEmpty == true && dns.recordTTL(0) <= 2)
        #expect(try dns.config("CacheStatistics").contains("staleHits=1,"))
    }

    @Test func aStaleNXDOMAINCarriesEDE19() throws {
        let relay = try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()))
        defer { relay.stop() }
        let name = "gone-\(UInt32.random(in: 0...UInt32.max)).cache.test"
        let dns = try staleSetUp(relay, name, settings: ["StaleAnswerTimeout=300"])
        let start = ContinuousClock.now
        try dns.query(name)
        #expect(start.duration(to: .now) < .milliseconds(1200))
        #expect(dns.statusCode == 3 && dns.response?.extendedErrors.map(\.infoCode) == [19])
    }
}
