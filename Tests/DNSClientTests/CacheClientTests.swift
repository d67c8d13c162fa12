// SPDX-License-Identifier: Apache-2.0
// DNSClient's response cache against BIND (zone cache.test.) behind a counting relay: hits on
// the caller's thread, identical queries sharing one exchange, cancellation of one of them,
// stale answers.

import DNSTransport
import DNSWire
import Foundation
import Testing

@testable import DNSClient
@testable import DNSTestSupport

@Suite struct CacheClientTests {
    /// One datagram per query however loaded the machine (no retransmission for 5 s), so the
    /// relay's count is the number of queries that reached the server.
    var patient: QueryOptions {
        var options = QueryOptions()
        (options.timeout, options.retransmitInterval) = (.seconds(10), .seconds(5))
        return options
    }

    func client(_ relay: ControlledRelay, _ settings: CacheSettings = CacheSettings(maxEntries: 100)) throws -> DNSClient {
        try DNSClient(servers: [Nameserver(ServerEndpoint(host: relay.address, port: relay.port))], defaults: patient, cache: settings)
    }

    func relay() throws -> ControlledRelay {
        try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()))
    }

    @Test func hitsAreAnsweredWithoutAServer() async throws {
        let relay = try relay()
        defer { relay.stop() }
        let client = try client(relay)
        let first = try await client.query("ns.cache.test")  // TTL 60
        #expect(!first.cached && first.message.answers.first?.ttl == 60)
        let second = try await client.query("NS.cache.test")
        #expect(second.cached && relay.queriesReceived == 1)
        #expect(second.message.questions.first?.name.description == "NS.cache.test.")
        #expect(second.message.answers.map(\.data.description) == ["127.0.0.1"])
        #expect(client.cacheStatistics.hits == 1 && client.cacheStatistics.misses == 1)
        client.flushCache(try DomainName("ns.cache.test"))
        #expect(try await !client.query("ns.cache.test").cached && relay.queriesReceived == 2)
        // Without a cache every query asks the server.
        let uncached = try DNSClient(servers: client.servers, defaults: patient)
        _ = try await uncached.query("ns.cache.test")
        #expect(try await !uncached.query("ns.cache.test").cached && relay.queriesReceived == 4)
    }

    @Test func identicalQueriesShareOneExchangeAndCancellingOneLeavesTheOthers() async throws {
        let relay = try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()), mode: .hold)
        defer { relay.stop() }
        // However long a loaded machine takes to start the 101 callers, the shared query waits.
        var held = patient
        (held.timeout, held.retransmitInterval) = (.seconds(60), .seconds(30))
        let client = try DNSClient(
            servers: [Nameserver(ServerEndpoint(host: relay.address, port: relay.port))], defaults: held, cache: CacheSettings(maxEntries: 100))
        let name = "shared-\(UInt32.random(in: 0...UInt32.max)).cache.test"
        let cancelled = Task { try await client.query(name) }
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<100 { group.addTask { Int(try await client.query(name).message.responseCode.rawValue) } }
            // The shared query reached the relay, which holds its answer: cancel one caller, which
            // ends at once, then let the answer through to the others.
            while relay.queriesReceived == 0 { try await Task.sleep(for: .milliseconds(5)) }
            cancelled.cancel()
            let error = await #expect(throws: TransportError.self) { try await cancelled.value }
            #expect(error?.code == .cancelled)
            relay.mode = .pass
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(answers.count == 100 && answers.allSatisfy { $0 == 3 })  // NXDOMAIN for each
        #expect(relay.queriesReceived == 1)
    }

    @Test func aStaleAnswerWhenTheServerIsDown() async throws {
        let relay = try relay()
        defer { relay.stop() }
        let client = try client(relay, CacheSettings(maxEntries: 100, serveStale: true, staleAnswerTimeout: .milliseconds(300)))
        _ = try await client.query("ttl2.cache.test")
        try await Task.sleep(for: .milliseconds(2200))
        relay.mode = .drop
        // On the client's thread: the time is the query's, not a wait for the cooperative pool.
        let (stale, elapsed) = try await withTaskExecutorPreference(client.executor) {
            let start = ContinuousClock.now
            return (try await client.query("ttl2.cache.test"), start.duration(to: .now))
        }
        #expect(elapsed < .milliseconds(1200))
        #expect(stale.cached && stale.message.extendedErrors.map(\.infoCode) == [3])
        #expect(stale.message.answers.first?.ttl == 30 && client.cacheStatistics.staleHits == 1)
    }

    /// The async-client sample's cache contract: `--repeat N --interval S` resolves the names
    /// N times with one client, one JSON object per name per round, and `cached` says which
    /// answers came from the cache.
    @Test func theAsyncClientSampleRepeatsWithItsCache() throws {
        let sample = Testbed.root.appendingPathComponent(".build/debug/async-client")
        try #require(FileManager.default.isExecutableFile(atPath: sample.path), "build the samples first (swift build --build-tests)")
        let process = Process()
        process.executableURL = sample
        process.arguments = [
            "--server", "127.0.0.1:\(try Testbed.port())", "--config", "CacheSize=10", "--repeat", "3", "--interval", "0.2", "--json",
            "ttl5.cache.test", "nothere.cache.test",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(process.terminationStatus == 0 && lines.count == 6)
        #expect(lines.map { $0["name"] as? String } == Array(repeating: ["ttl5.cache.test", "nothere.cache.test"], count: 3).flatMap { $0 })
        #expect(lines.map { $0["cached"] as? Bool } == [false, false, true, true, true, true])
        #expect(lines.map { $0["statusCode"] as? Int } == [0, 3, 0, 3, 0, 3])
    }
}
