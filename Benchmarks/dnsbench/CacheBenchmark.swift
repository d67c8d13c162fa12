// SPDX-License-Identifier: Apache-2.0
// `dnsbench cache`: what a cache hit costs (the lookup alone, and a query through the component
// and through DNSClient), and the memory of a bounded cache under a flood of distinct names.

import DNSClient
import DNSComponent
import DNSTransport
import DNSWire

/// `dnsbench cache --server S --port N [--name NAME] [--iterations N] [--flood N] [--json]`.
func cacheBenchmark(_ options: Options) async throws {
    let host = try options.required("server")
    let port = try options.integer("port", default: 53)
    let name = options.values["name"] ?? "www.testbed.test"
    let iterations = try options.integer("iterations", default: 200_000)
    let settings = CacheSettings(maxEntries: 10_000)

    // The lookup alone, on an answer from the server.
    let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: host, port: UInt16(port)))], cache: settings)
    let first = try await client.query(name)
    let cache = ResponseCache(settings: settings)
    let key = try requireKey(CacheKey(query: DNSMessage.query(name: try DomainName(name), type: .a, id: 0)))
    cache.store(first.message, for: key, now: .now)
    let question = first.message.questions[0]
    let lookup = timings(iterations) { blackHole(cache.lookup(key, question: question, id: 7, now: .now)) }

    // A query through the component, answered from its cache.
    let dns = try DNSComponent()
    dns.dnsServer = host
    try dns.setDNSPort(port)
    try dns.config("CacheSize=10000")
    try dns.query(name)
    let component = try timingsThrowing(iterations) { try dns.query(name) }

    // A query through DNSClient, answered from its cache on the caller's thread.
    var async: [Double] = []
    async.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let start = ContinuousClock.now
        blackHole(try await client.query(name))
        async.append(microseconds(start.duration(to: .now)))
    }

    // A flood of distinct names through a cache of 10,000 entries.
    let flood = try options.integer("flood", default: 1_000_000)
    let bounded = ResponseCache(settings: settings)
    var samples: [(names: Int, entries: Int, rssKB: Int)] = []
    let template = first.message
    for index in 0..<flood {
        let floodName = try DomainName("n\(index).flood.test")
        var message = template
        message.questions = [DNSQuestion(name: floodName, type: .a)]
        for record in message.answers.indices { message.answers[record].name = floodName }
        bounded.store(message, for: CacheKey(question: message.questions[0]), now: .now)
        if (index + 1) % (flood / 10) == 0 { samples.append((index + 1, bounded.statistics.entries, SoakSample.now(queries: 0).rssKB)) }
    }

    let rows = [("lookup", lookup), ("component", component), ("dnsclient", async.sorted())]
    if options.flags.contains("json") {
        let fields = rows.map { "\"\($0.0)_p50_us\": \(percentile($0.1, 0.5)), \"\($0.0)_p99_us\": \(percentile($0.1, 0.99))" }
        let memory = samples.map { "{\"names\": \($0.names), \"entries\": \($0.entries), \"rss_kb\": \($0.rssKB)}" }
        print("{" + fields.joined(separator: ", ") + ", \"flood\": [" + memory.joined(separator: ", ") + "]}")
    } else {
        for (label, values) in rows {
            print(
                "\(padded(label, 10)) hit p50 \(fixed(percentile(values, 0.5), 2)) µs, p99 \(fixed(percentile(values, 0.99), 2)) µs (\(iterations))")
        }
        for sample in samples { print("flood: \(sample.names) names, \(sample.entries) entries, RSS \(sample.rssKB) kB") }
    }
}

private func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

/// Each run of `body` timed on its own, sorted.
private func timings(_ count: Int, _ body: () -> Void) -> [Double] {
    var values: [Double] = []
    values.reserveCapacity(count)
    for _ in 0..<count {
        let start = ContinuousClock.now
        body()
        values.append(microseconds(start.duration(to: .now)))
    }
    return values.sorted()
}

private func timingsThrowing(_ count: Int, _ body: () throws -> Void) throws -> [Double] {
    var failure: (any Error)?
    let values = timings(count) {
        do { try body() } catch { failure = error }
    }
    if let failure { throw failure }
    return values
}

private func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

private func requireKey(_ key: CacheKey?) throws -> CacheKey {
    guard let key else { throw BenchError("no cache key") }
    return key
}
