// SPDX-License-Identifier: Apache-2.0
// zone-transfer: AXFR or IXFR of a zone through DNSComponent, printed in zone-file form.
//
//   zone-transfer [--server S] [--port N] [--tsig alg:name:secret] [--ixfr SERIAL]
//                 [--protocol tcp|tls|dtls] [--config Key=Value]... ZONE
//
// AXFR prints the zone as a zone file that named-checkzone accepts; --ixfr SERIAL prints the
// records in the order received, one per line in zone-file form, as `dig ixfr` shows them.
// On any failure (refused, unsigned when a key is required, a bad MAC, a broken transfer)
// it prints `Error: <code> [<description>]` on stderr and exits 1, as dnsquery does.

import DNSComponent
import DNSWire
import Foundation

let usage = """
    usage: zone-transfer [--server S] [--port N] [--tsig alg:name:secret] [--ixfr SERIAL]
                         [--protocol tcp|tls|dtls] [--config Key=Value]... ZONE
    """

struct UsageError: Error { let message: String }

func run(_ list: [String]) throws {
    var rest = list[...]
    func value(_ flag: String) throws -> String {
        guard let value = rest.popFirst() else { throw UsageError(message: "\(flag) needs a value") }
        return value
    }
    let dns = try DNSComponent()
    dns.protocol = .tcp
    dns.queryType = DNSComponent.QueryType(rawValue: Int(RecordType.axfr.rawValue))
    var incremental = false
    var zone: String?
    while let argument = rest.popFirst() {
        switch argument {
        case "--server": dns.dnsServer = try value(argument)
        case "--port":
            guard let port = Int(try value(argument)) else { throw UsageError(message: "--port needs a number") }
            try dns.setDNSPort(port)
        case "--tsig": try dns.config("TSIGKey=\(try value(argument))")
        case "--ixfr":
            let serial = try value(argument)
            guard UInt32(serial) != nil else { throw UsageError(message: "--ixfr needs a serial (0-4294967295)") }
            try dns.config("IXFRSerial=\(serial)")
            dns.queryType = DNSComponent.QueryType(rawValue: Int(RecordType.ixfr.rawValue))
            incremental = true
        case "--protocol":
            switch try value(argument).lowercased() {
            case "tcp": dns.protocol = .tcp
            case "tls": dns.protocol = .tls
            case "dtls": dns.protocol = .dtls  // the transfer itself runs over DNS over TLS
            case let other: throw UsageError(message: "--protocol is tcp, tls or dtls, not \(other)")
            }
        case "--config": try dns.config(try value(argument))
        case "-h", "--help": throw UsageError(message: "")
        default:
            guard !argument.hasPrefix("--"), zone == nil else { throw UsageError(message: "unexpected argument \(argument)") }
            zone = argument
        }
    }
    guard let zone else { throw UsageError(message: "ZONE is missing") }
    try dns.query(zone)
    if incremental {
        for record in dns.records { print(record) }
    } else {
        // The closing SOA repeats the first: the zone is every record before it.
        print(try Zone(origin: try DomainName(zone), records: dns.records.dropLast()).zoneFileText, terminator: "")
    }
}

do {
    try run(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    FileHandle.standardError.write(Data(((error.message.isEmpty ? "" : "zone-transfer: \(error.message)\n") + usage + "\n").utf8))
    exit(2)
} catch let error as DNSComponentError {
    FileHandle.standardError.write(Data("Error: \(error.code) [\(error.message)]\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("Error: 227 [Zone transfer failed. \(error)]\n".utf8))
    exit(1)
}
