// SPDX-License-Identifier: Apache-2.0
// `dnsbench transfer`: one AXFR, its records printed as dig prints them as they arrive, through
// the component or DNSClient's stream.

import DNSClient
import DNSComponent
import DNSTransport
import DNSWire
import Glibc

/// AXFR of `--zone` from `--server`/`--port` over TCP (signed with `--tsig` when given), each
/// record written to standard output in presentation form as it is in the answer, like
/// `dig axfr` and `kdig axfr`, so the three can be timed on the same work, each printing while
/// the rest arrives: `--api component` (the default) prints the records the component has
/// gathered so far at each message's log event; `--api async` prints each message's records as
/// `DNSClient.transferMessages` hands it over. Prints the record count and the wall time on standard
/// error, then ends the process without tearing down the records the component holds (as clang
/// ends without freeing, `-disable-free`): freeing 100,000 records one by one costs about 10 ms
/// that a command-line tool leaves to the kernel.
///
/// `--api component`, on the calling thread.
func componentTransfer(_ options: Options) throws -> Never {
    let start = ContinuousClock.now
    var output = RecordPrinter()
    let dns = try DNSComponent()
    dns.dnsServer = try options.required("server")
    try dns.setDNSPort(try options.integer("port", default: 53))
    try dns.setTimeout(try options.integer("timeout", default: 30))
    dns.protocol = .tcp
    dns.queryType = DNSComponent.QueryType(rawValue: Int(RecordType.axfr.rawValue))
    if let key = options.values["tsig"] { try dns.config("TSIGKey=\(key)") }
    // Each message's records are in the accessors when its log event fires: printed then,
    // while the server sends the rest.
    var printed = 0
    let printNew = { [unowned dns] in
        let records = dns.records
        for record in records[printed...] { output.print(record) }
        printed = records.count
    }
    dns.onLog = { event in if event.message.hasPrefix("Transfer") { printNew() } }
    try dns.query(try options.required("zone"))
    printNew()
    withExtendedLifetime(dns) { output.finish(start) }
}

/// `--api async`: the records printed by a task on the global executor, or with `--executor
/// client` by one on the client's thread, which then does all the work, as the component's does.
func clientTransfer(_ options: Options) async throws -> Never {
    let start = ContinuousClock.now
    let endpoint = ServerEndpoint(host: try options.required("server"), port: UInt16(try options.integer("port", default: 53)))
    let client = try DNSClient(servers: [Nameserver(endpoint)])
    var query = QueryOptions()
    query.transport = .tcp
    query.timeout = .seconds(try options.integer("timeout", default: 30))
    if let key = options.values["tsig"] { query.tsig = try TSIGKey(parsing: key) }
    let zone = try DomainName(try options.required("zone"))
    let settings = query
    @Sendable func printAll() async throws -> RecordPrinter {
        var output = RecordPrinter()
        for try await message in client.transferMessages(zone, options: settings) {
            for record in message.answers { output.print(record) }
        }
        return output
    }
    var output =
        switch options.values["executor"] ?? "default" {
        case "default": try await printAll()
        case "client": try await withTaskExecutorPreference(client.executor) { try await printAll() }
        case let other: throw BenchError("--executor is default or client, not \(other)")
        }
    withExtendedLifetime(client) { output.finish(start) }
}

/// Record lines gathered into 64 KiB writes to standard output.
private struct RecordPrinter {
    private var output: [UInt8] = []
    private(set) var records = 0

    init() { output.reserveCapacity(1 << 17) }

    mutating func print(_ record: DNSRecord) {
        output += record.description.utf8
        output.append(UInt8(ascii: "\n"))
        records += 1
        if output.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        writeAll(1, output)
        output.removeAll(keepingCapacity: true)
    }

    /// Writes what is left, the count and the time since `start`, and ends the process.
    mutating func finish(_ start: ContinuousClock.Instant) -> Never {
        flush()
        printError("dnsbench transfer: \(records) records in \(start.duration(to: .now))\n")
        exit(0)
    }
}
