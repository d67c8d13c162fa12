// SPDX-License-Identifier: Apache-2.0
// `dnsbench query --api async`: the same measurements through DNSClient's async/await API.

import CAllocCounter
import DNSClient
import DNSTransport
import DNSWire

/// Sequential: one task awaiting one query after another. Pipelined: `--concurrency` tasks,
/// each awaiting its share of the queries in turn, so that many are in flight. The tasks run
/// on the global executor, or with `--executor client` on the client's own thread.
func asyncQueryBenchmark(_ options: Options) async throws {
    guard options.values["log"] == nil else { throw BenchError("--log is a component setting; --api async does not take it") }
    var query = QueryOptions()
    var udpMaxQueries = 1
    // The two settings that have a DNSClient counterpart, so runs can be like for like.
    for setting in options.configs {
        let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
        let (key, value) = (parts[0], parts.count == 2 ? parts[1] : "")
        switch key.lowercased() {
        case "dnscookies": query.cookies = value.lowercased() == "true"
        case "udpmaxqueries":
            guard let count = Int(value), count >= 0 else { throw BenchError("UDPMaxQueries must be a count, not \(value)") }
            udpMaxQueries = count
        default: throw BenchError("--api async takes --config DNSCookies and UDPMaxQueries only, not \(key)")
        }
    }
    let host = try options.required("server")
    let port = UInt16(try options.integer("port", default: 53))
    query.timeout = .seconds(try options.integer("timeout", default: 5))
    var tls = TLSSettings()
    if let ca = options.values["ca"] { tls.caFile = ca }
    switch options.values["protocol"] ?? "udp" {
    case "udp": query.transport = .udp()
    case "tcp": query.transport = .tcp
    case "tls": query.transport = .tls(tls.authenticating(host))
    case "dtls":
        var settings = DTLSSettings()
        settings.tls = tls
        query.transport = .dtls(settings.authenticating(host))
    case "https":
        let bracketed = host.contains(":") ? "[\(host)]" : host
        var settings = DoHSettings(url: try DoHURL("https://\(bracketed):\(port)/dns-query"), tls: tls)
        settings.method = DoHMethod(rawValue: Int(options.values["method"] ?? "0") ?? -1) ?? .post
        query.transport = .https(settings)
    case let other: throw BenchError("unsupported protocol \(other)")
    }
    let names = try NameEntry.load(try options.required("names")).map { (try DomainName($0.name), RecordType(UInt16($0.type.rawValue))) }
    let total = try options.integer("queries", default: 100_000)
    let concurrency = (options.values["mode"] ?? "sequential") == "pipelined" ? try options.integer("concurrency", default: 100) : 1
    let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: host, port: port))], udpMaxQueries: udpMaxQueries)
    /// `--executor client` runs the query tasks on the client's thread (`DNSClient.executor`).
    let onClientThread = try {
        switch options.values["executor"] ?? "default" {
        case "default": return false
        case "client": return true
        case let other: throw BenchError("--executor is default or client, not \(other)")
        }
    }()
    let settings = query

    /// Worker `worker` asks queries worker, worker + concurrency, …; returns its latencies and errors.
    @Sendable func work(_ worker: Int) async -> ([Duration], Int) {
        var latencies: [Duration] = []
        var errors = 0
        for index in stride(from: worker, to: total, by: concurrency) {
            let (name, type) = names[index % names.count]
            let start = ContinuousClock.now
            do {
                _ = try await client.query(name, type: type, options: settings)
                latencies.append(start.duration(to: .now))
            } catch {
                if errors == 0 { printError("first error: \(error)\n") }
                errors += 1
            }
        }
        return (latencies, errors)
    }

    let cpuBefore = cpuSeconds()
    let allocationsBefore = alloc_counter_value()
    let clock = ContinuousClock.now
    let (latencies, errors) = await withTaskGroup(of: ([Duration], Int).self) { group in
        for worker in 0..<concurrency {
            if onClientThread {
                group.addTask(executorPreference: client.executor) { await work(worker) }
            } else {
                group.addTask { await work(worker) }
            }
        }
        var all: ([Duration], Int) = ([], 0)
        for await (latencies, errors) in group {
            all.0 += latencies
            all.1 += errors
        }
        return all
    }
    QueryReport(
        latencies: latencies, errors: errors, elapsed: clock.duration(to: .now), cpuBefore: cpuBefore,
        allocations: Double(alloc_counter_value() - allocationsBefore) / Double(max(1, total))
    ).print(json: options.flags.contains("json"))
}
