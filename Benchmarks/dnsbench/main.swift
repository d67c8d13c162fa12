// SPDX-License-Identifier: Apache-2.0
// dnsbench: benchmarks of the DNS wire layer and, later, of queries against real servers.

import CAllocCounter
import DNSComponent
import DNSWire
import Foundation

/// Reads `--name value` options and flags from the command line.
struct Options {
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: ArraySlice<String>) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { throw BenchError("unexpected argument \(argument)") }
            let name = String(argument.dropFirst(2))
            if name == "json" || name == "help" {
                flags.insert(name)
            } else {
                guard let value = rest.popFirst() else { throw BenchError("--\(name) needs a value") }
                values[name] = value
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

/// `dnsbench parse --file F --iterations N [--json]`: parses the message in F N times.
func parseBenchmark(_ options: Options) throws {
    let path = try options.required("file")
    guard let data = FileManager.default.contents(atPath: path) else { throw BenchError("cannot read \(path)") }
    let bytes = [UInt8](data)
    let iterations = try options.integer("iterations", default: 1_000_000)
    var checksum = try DNSMessage(wire: bytes).answers.count
    for _ in 0..<max(1000, iterations / 10) { checksum &+= try DNSMessage(wire: bytes).answers.count }
    let allocationsBefore = alloc_counter_value()
    let start = ContinuousClock.now
    for _ in 0..<iterations { checksum &+= try DNSMessage(wire: bytes).answers.count }
    let elapsed = start.duration(to: .now)
    let allocations = Double(alloc_counter_value() - allocationsBefore) / Double(iterations)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(iterations) / seconds
    if options.flags.contains("json") {
        print("{\"msgs_per_s\": \(rate), \"ns_per_msg\": \(seconds / Double(iterations) * 1e9), \"allocs_per_msg\": \(allocations)}")
    } else {
        print(String(format: "%.0f msgs/s, %.0f ns/msg, %.1f allocations/msg (%d octets, checksum %d)",
                     rate, seconds / Double(iterations) * 1e9, allocations, bytes.count, checksum))
    }
}

/// `dnsbench build --iterations N [--json]`: builds and writes a query (name, type, random
/// ID, EDNS) N times, as a client does for every query.
func buildBenchmark(_ options: Options) throws {
    let iterations = try options.integer("iterations", default: 1_000_000)
    let names = try ["www.example.com", "mail.example.org", "a.long.subdomain.example.net"].map { try DomainName($0) }
    var random = SystemRandomNumberGenerator()
    var checksum = 0
    func build(_ index: Int) throws {
        let query = DNSMessage.query(name: names[index % names.count], type: .aaaa, id: UInt16.random(in: 0...UInt16.max, using: &random))
        checksum &+= try query.serialize().count
    }
    for index in 0..<max(1000, iterations / 10) { try build(index) }
    let allocationsBefore = alloc_counter_value()
    let start = ContinuousClock.now
    for index in 0..<iterations { try build(index) }
    let elapsed = start.duration(to: .now)
    let allocations = Double(alloc_counter_value() - allocationsBefore) / Double(iterations)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(iterations) / seconds
    if options.flags.contains("json") {
        print("{\"msgs_per_s\": \(rate), \"ns_per_msg\": \(seconds / Double(iterations) * 1e9), \"allocs_per_msg\": \(allocations)}")
    } else {
        print(String(format: "%.0f queries built and written/s, %.0f ns each, %.1f allocations each (checksum %d)",
                     rate, seconds / Double(iterations) * 1e9, allocations, checksum))
    }
}

let usage = """
    usage: dnsbench parse --file F [--iterations N] [--json]
           dnsbench build [--iterations N] [--json]
           dnsbench query --server S --port N --protocol udp|tcp --mode sequential|pipelined
                          --queries N [--concurrency C] --names FILE [--timeout S] [--json]
    """

do {
    let arguments = CommandLine.arguments.dropFirst()
    switch arguments.first {
    case "parse": try parseBenchmark(Options(arguments.dropFirst()))
    case "query": try queryBenchmark(Options(arguments.dropFirst()))
    case "build": try buildBenchmark(Options(arguments.dropFirst()))
    default:
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("dnsbench: \(error)\n".utf8))
    exit(1)
}
