// SPDX-License-Identifier: Apache-2.0
// dnsbench: benchmarks of the DNS wire layer and, later, of queries against real servers.

import CAllocCounter
import DNSComponent
import DNSWire
import Glibc

/// Reads `--name value` options and flags from the command line; an option the subcommand
/// does not know is an error, so a mistyped one never silently measures something else.
struct Options {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    /// Every `--config Key=Value`, in order (the option may repeat).
    var configs: [String] = []

    /// - Parameter known: the option names the subcommand takes (`json` is always allowed).
    init(_ arguments: ArraySlice<String>, known: Set<String>) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { throw BenchError("unexpected argument \(argument)") }
            let name = String(argument.dropFirst(2))
            guard name == "json" || known.contains(name) else {
                throw BenchError("unknown option --\(name) (this subcommand takes: \(known.sorted().map { "--" + $0 }.joined(separator: " ")))")
            }
            if name == "json" {
                flags.insert(name)
            } else {
                guard let value = rest.popFirst() else { throw BenchError("--\(name) needs a value") }
                if name == "config" { configs.append(value) } else { values[name] = value }
            }
        }
    }

    func required(_ name: String) throws -> String {
        guard let value = values[name] else { throw BenchError("--\(name) is required") }
        return value
    }

    func integer(_ name: String, default fallback: Int) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), value > 0 else { throw BenchError("--\(name) needs a positive integer") }
        return value
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Keeps a result alive so the optimizer cannot drop the work that made it.
@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Runs `body` `iterations` times after a warm-up and prints messages per second, time per
/// message and heap allocations per message (`--json`: `msgs_per_s`, `ns_per_msg`, `allocs_per_msg`).
func measure(_ what: String, iterations: Int, json: Bool, _ body: (Int) throws -> Void) throws {
    for index in 0..<max(1000, iterations / 10) { try body(index) }
    let allocationsBefore = alloc_counter_value()
    let start = ContinuousClock.now
    for index in 0..<iterations { try body(index) }
    let elapsed = start.duration(to: .now)
    let allocations = Double(alloc_counter_value() - allocationsBefore) / Double(iterations)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let (rate, nanoseconds) = (Double(iterations) / seconds, seconds / Double(iterations) * 1e9)
    if json {
        print("{\"msgs_per_s\": \(rate), \"ns_per_msg\": \(nanoseconds), \"allocs_per_msg\": \(allocations)}")
    } else {
        print("\(fixed(rate)) \(what)/s, \(fixed(nanoseconds)) ns each, \(fixed(allocations, 1)) allocations each")
    }
}

/// `dnsbench parse --file F --iterations N [--json]`: parses the message in F N times.
func parseBenchmark(_ options: Options) throws {
    let path = try options.required("file")
    let bytes: [UInt8]
    do { bytes = try readFile(path) } catch { throw BenchError("cannot read \(error)") }
    try measure(
        "\(bytes.count)-octet messages parsed", iterations: try options.integer("iterations", default: 1_000_000),
        json: options.flags.contains("json")
    ) { _ in blackHole(try DNSMessage(wire: bytes)) }
}

/// `dnsbench build --iterations N [--json]`: builds and writes a query (name, type, random
/// ID, EDNS) N times, as a client does for every query.
func buildBenchmark(_ options: Options) throws {
    let names = try ["www.example.com", "mail.example.org", "a.long.subdomain.example.net"].map { try DomainName($0) }
    var random = SystemRandomNumberGenerator()
    try measure(
        "queries built and written", iterations: try options.integer("iterations", default: 1_000_000),
        json: options.flags.contains("json")
    ) { index in
        let id = UInt16.random(in: 0...UInt16.max, using: &random)
        blackHole(try DNSMessage.query(name: names[index % names.count], type: .aaaa, id: id).serialize())
    }
}

let usage = """
    usage: dnsbench parse --file F [--iterations N] [--json]
           dnsbench build [--iterations N] [--json]
           dnsbench query --server S --port N --protocol udp|tcp|tls|https|dtls --mode sequential|pipelined
                          --queries N [--concurrency C] --names FILE [--timeout S] [--ca FILE]
                          [--method 0|1|2 (https: DoHMethod)] [--log LEVEL (log events to stderr)]
                          [--config Key=Value (a component setting; repeatable)] [--api component|async] [--executor default|client (async)] [--json]
                          (https: S is an address or host, queried at https://S:N/dns-query, or a URL)
           dnsbench handshake --server S --port N [--ca FILE] [--protocol tls|dtls] [--config Key=Value]... [--count N] [--json]
                              (dtls with --cert F --key F --upstream N: an in-process DTLS server relaying to 127.0.0.1:N)
           dnsbench transfer --server S --port N --zone Z [--tsig alg:name:secret] [--timeout S] [--api component|async] [--executor default|client (async)]
           dnsbench cache --server S --port N [--name NAME] [--iterations N] [--flood N] [--json]
           dnsbench dnssec --server S --port N --anchors FILE [--iterations N] [--keytrap-runs K] [--chains M] [--json]
           dnsbench soak [--queries N] [--fault-every K] [--concurrency C] [--sample-every S]
                         [--testbed DIR] [--json]
    """

do {
    let arguments = CommandLine.arguments.dropFirst()
    switch arguments.first {
    case "parse": try parseBenchmark(Options(arguments.dropFirst(), known: ["file", "iterations"]))
    case "query":
        let known: Set<String> = [
            "server", "port", "protocol", "mode", "queries", "concurrency", "names", "timeout", "ca", "method", "log", "config", "api", "executor",
        ]
        let options = try Options(arguments.dropFirst(), known: known)
        switch options.values["api"] ?? "component" {
        case "component": try queryBenchmark(options)
        case "async": try await asyncQueryBenchmark(options)
        case let other: throw BenchError("--api is component or async, not \(other)")
        }
    case "build": try buildBenchmark(Options(arguments.dropFirst(), known: ["iterations"]))
    case "transfer":
        let options = try Options(arguments.dropFirst(), known: ["server", "port", "zone", "tsig", "timeout", "api", "executor"])
        switch options.values["api"] ?? "component" {
        // The component's transfer stays on the main thread: a call to an async function would
        // start the concurrency thread pool first (about 1.5 ms of a 0.17 s run).
        case "component": try componentTransfer(options)
        case "async": try await clientTransfer(options)
        case let other: throw BenchError("--api is component or async, not \(other)")
        }
    case "handshake":
        try handshakeBenchmark(
            Options(arguments.dropFirst(), known: ["server", "port", "ca", "count", "protocol", "config", "cert", "key", "upstream"]))
    case "cache": try await cacheBenchmark(Options(arguments.dropFirst(), known: ["server", "port", "name", "iterations", "flood"]))
    case "dnssec":
        try await dnssecBenchmark(
            Options(arguments.dropFirst(), known: ["server", "port", "anchors", "iterations", "keytrap-runs", "chains"]))
    case "soak":
        try soakBenchmark(Options(arguments.dropFirst(), known: ["queries", "fault-every", "concurrency", "sample-every", "testbed"]))
    default:
        printError((usage + "\n"))
        exit(2)
    }
} catch {
    printError("dnsbench: \(error)\n")
    exit(1)
}
