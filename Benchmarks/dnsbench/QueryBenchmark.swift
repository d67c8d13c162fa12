// SPDX-License-Identifier: Apache-2.0
// `dnsbench query`: queries per second, latency and CPU through DNSComponent against a real server.

import CAllocCounter
import DNSComponent
import DNSWire
import DTLSTestServer
import Glibc

/// One line of a dnsperf data file: `name TYPE`.
struct NameEntry {
    let name: String
    let type: DNSComponent.QueryType

    static func load(_ path: String) throws -> [NameEntry] {
        guard let text = try? readTextFile(path) else { throw BenchError("cannot read \(path)") }
        let entries = try text.split(whereSeparator: \.isNewline).compactMap { line -> NameEntry? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let name = fields.first, !name.hasPrefix("#") else { return nil }
            let typeName = fields.count > 1 ? String(fields[1]) : "A"
            guard let type = RecordType(mnemonic: typeName) else { throw BenchError("unknown type \(typeName) in \(path)") }
            return NameEntry(name: String(name), type: DNSComponent.QueryType(type))
        }
        guard !entries.isEmpty else { throw BenchError("\(path) holds no names") }
        return entries
    }
}

func cpuSeconds() -> (user: Double, system: Double) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return (seconds(usage.ru_utime), seconds(usage.ru_stime))
}

/// `dnsbench query …`: sequential (one query at a time, synchronous) or pipelined
/// (`--concurrency` asynchronous queries kept outstanding) through the component.
func queryBenchmark(_ options: Options) throws {
    let dns = try DNSComponent()
    dns.dnsServer = try options.required("server")
    try dns.setDNSPort(try options.integer("port", default: 53))
    switch options.values["protocol"] ?? "udp" {
    case "udp": dns.protocol = .udp
    case "tcp": dns.protocol = .tcp
    case "tls": dns.protocol = .tls
    case "dtls": dns.protocol = .dtls
    case "https":
        dns.protocol = .https
        if !dns.dnsServer.contains("://") {
            let host = dns.dnsServer.contains(":") ? "[\(dns.dnsServer)]" : dns.dnsServer
            dns.dnsServer = "https://\(host):\(dns.dnsPort)/dns-query"
        }
        try dns.config("DoHMethod=\(options.values["method"] ?? "0")")
    case let other: throw BenchError("unsupported protocol \(other)")
    }
    if let ca = options.values["ca"] { try dns.config("SSLCAFile=\(ca)") }
    if let level = options.values["log"] {
        try dns.config("LogLevel=\(level)")
        dns.onLog = { printError("[\($0.logType)] \($0.message)\n") }
    }
    for setting in options.configs { try dns.config(setting) }
    let names = try NameEntry.load(try options.required("names"))
    let total = try options.integer("queries", default: 100_000)
    let concurrency = try options.integer("concurrency", default: 100)
    let timeout = try options.integer("timeout", default: 5)
    let pipelined = (options.values["mode"] ?? "sequential") == "pipelined"

    let tally = Tally(total: total)
    var issued = 0

    /// Numbers each query itself (1-32767, as IPWorks allows), so its start is known by the
    /// ID its response event carries.
    func issue() throws {
        let entry = names[issued % names.count]
        dns.queryType = entry.type
        let id = issued % 32_767 + 1
        dns.requestId = id
        tally.started[id] = .now
        issued += 1
        try dns.query(entry.name)
    }
    dns.onResponse = { event in
        if (1...32_767).contains(event.requestId), let start = tally.started[event.requestId].take() {
            tally.latencies.append(start.duration(to: .now))
        }
    }

    let cpuBefore = cpuSeconds()
    let allocationsBefore = alloc_counter_value()
    let clock = ContinuousClock.now
    if pipelined {
        try dns.setTimeout(0)
        try dns.config("AsyncQueryTimeout=\(timeout)")
        dns.onError = { event in
            if tally.errors == 0 { printError("first error: \(event.errorCode) \(event.description)\n") }
            tally.errors += 1
        }
        while issued < min(concurrency, total) { try issue() }
        while !dns.idle {
            try dns.doEvents()
            while issued < total, issued - tally.latencies.count - tally.errors < concurrency { try issue() }
        }
    } else {
        try dns.setTimeout(timeout)
        while issued < total {
            do { try issue() } catch { tally.errors += 1 }
        }
    }
    QueryReport(
        latencies: tally.latencies, errors: tally.errors, elapsed: clock.duration(to: .now), cpuBefore: cpuBefore,
        allocations: Double(alloc_counter_value() - allocationsBefore) / Double(max(1, issued))
    ).print(json: options.flags.contains("json"))
}

/// What the component's event handlers record. A class whose fields are used on one thread
/// only, without run-time exclusivity checks: closure-captured variables would each be checked
/// at every access, which the harness would add to every query it measures.
private final class Tally {
    @exclusivity(unchecked) var latencies: [Duration] = []
    @exclusivity(unchecked) var errors = 0
    /// Each query's start, by its request ID (1-32767): an array, as dnsperf keeps its query
    /// slots, so the harness hashes nothing per query.
    @exclusivity(unchecked) var started = [ContinuousClock.Instant?](repeating: nil, count: 32_768)

    init(total: Int) {
        latencies.reserveCapacity(total)
    }
}

/// What a query run measured, printed as `dnsbench query` prints it (`--json`: `qps`,
/// `p50_us`, `p99_us`, `cpu_user_s`, `cpu_sys_s`, `errors`, `allocs_per_query`).
struct QueryReport {
    let latencies: [Duration]
    let errors: Int
    let elapsed: Duration
    /// The process's CPU time when the run started (the end is read now).
    let cpuBefore: (user: Double, system: Double)
    let allocations: Double

    func print(json: Bool) {
        let cpuAfter = cpuSeconds()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let sorted = latencies.sorted()
        func percentile(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
            return Double(value.components.seconds) * 1e6 + Double(value.components.attoseconds) / 1e12
        }
        let qps = Double(latencies.count) / seconds
        let (user, system) = (cpuAfter.user - cpuBefore.user, cpuAfter.system - cpuBefore.system)
        if json {
            Swift.print(
                "{\"qps\": \(qps), \"p50_us\": \(percentile(0.5)), \"p99_us\": \(percentile(0.99)), "
                    + "\"cpu_user_s\": \(user), \"cpu_sys_s\": \(system), \"errors\": \(errors), \"allocs_per_query\": \(allocations)}")
        } else {
            Swift.print(
                "\(fixed(qps)) queries/s, p50 \(fixed(percentile(0.5))) µs, p99 \(fixed(percentile(0.99))) µs, CPU \(fixed(user, 2)) s user + "
                    + "\(fixed(system, 2)) s sys, \(errors) errors (\(latencies.count) answered in \(fixed(seconds, 2)) s, \(fixed(allocations, 1)) allocations each)"
            )
        }
    }
}

/// `dnsbench handshake --server S --port N --ca FILE [--protocol tls|dtls] [--config K=V]… [--count N] [--json]`:
/// the time of a query that needs a new TLS connection (or DTLS session), with a full handshake (`SSLResumeSessions=False`)
/// and with a resumed one. With `--protocol dtls --cert F --key F --upstream N` the server is an in-process DTLS server
/// (one that keeps sessions to resume, unlike a socat process per session) relaying to 127.0.0.1:N.
/// and with a resumed one. Both components are warmed first, so neither time includes
/// building the TLS context.
func handshakeBenchmark(_ options: Options) throws {
    let count = try options.integer("count", default: 200)
    let datagram = options.values["protocol"] == "dtls"
    var server: FakeDTLSServer?
    if datagram, let certificate = options.values["cert"] {
        server = try FakeDTLSServer(
            .init(certificate: certificate, key: try options.required("key")),
            answer: FakeDTLSServer.relay(toPort: try options.integer("upstream", default: 53)))
    }
    defer { server?.stop() }
    func measure(resume: Bool) throws -> Double {
        let dns = try DNSComponent()
        dns.protocol = datagram ? .dtls : .tls
        dns.dnsServer = server == nil ? try options.required("server") : "127.0.0.1"
        try dns.setDNSPort(server.map { Int($0.port) } ?? (try options.integer("port", default: 853)))
        if let ca = options.values["ca"] { try dns.config("SSLCAFile=\(ca)") }
        try dns.config("TCPIdleTimeout=0")
        try dns.config("SSLResumeSessions=\(resume)")
        for setting in options.configs { try dns.config(setting) }
        try dns.query("www.testbed.test")
        var times: [Double] = []
        for _ in 0..<count {
            try dns.doEvents()  // the idle connection closes
            let start = ContinuousClock.now
            try dns.query("www.testbed.test")
            guard try dns.config("SSLSessionResumed") == (resume ? "True" : "False") else {
                throw BenchError("resumption was \(resume ? "expected" : "not expected")")
            }
            let elapsed = start.duration(to: .now)
            times.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
        }
        return times.sorted()[times.count / 2]
    }
    let (full, resumed) = (try measure(resume: false), try measure(resume: true))
    if options.flags.contains("json") {
        print("{\"full_handshake_query_us\": \(full), \"resumed_handshake_query_us\": \(resumed)}")
    } else {
        print(
            "query on a new \(datagram ? "DTLS session" : "TLS connection"): full handshake \(fixed(full)) µs, resumed \(fixed(resumed)) µs (medians of \(count))"
        )
    }
}
