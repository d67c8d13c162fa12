// SPDX-License-Identifier: Apache-2.0
// dns-update: one dynamic update (RFC 2136) through DNSComponent, from nsupdate commands.
//
//   dns-update [--server S] [--port N] [--tsig alg:name:secret] [--protocol udp|tcp|tls]
//              [--config Key=Value]... ZONE  < commands
//
// Reads nsupdate commands from standard input (add, delete, prereq, one per line), sends
// them as one UPDATE of ZONE, and prints the response code (`0 NOERROR`, `5 REFUSED`, …).
// Exits 0 for NOERROR and 3 for another response code; on a failure (a command that does
// not parse, no answer, a response that fails TSIG verification) it prints
// `Error: <code> [<description>]` on stderr and exits 1, as dnsquery does.

import DNSComponent
import DNSWire
import Foundation

let usage = """
    usage: dns-update [--server S] [--port N] [--tsig alg:name:secret] [--protocol udp|tcp|tls]
                      [--config Key=Value]... ZONE  < nsupdate commands
    """

struct UsageError: Error { let message: String }

func run(_ list: [String]) throws -> Int32 {
    var rest = list[...]
    func value(_ flag: String) throws -> String {
        guard let value = rest.popFirst() else { throw UsageError(message: "\(flag) needs a value") }
        return value
    }
    let dns = try DNSComponent()
    var zone: String?
    while let argument = rest.popFirst() {
        switch argument {
        case "--server": dns.dnsServer = try value(argument)
        case "--port":
            guard let port = Int(try value(argument)) else { throw UsageError(message: "--port needs a number") }
            try dns.setDNSPort(port)
        case "--tsig": try dns.config("TSIGKey=\(try value(argument))")
        case "--protocol":
            switch try value(argument).lowercased() {
            case "udp": dns.protocol = .udp
            case "tcp": dns.protocol = .tcp
            case "tls": dns.protocol = .tls
            case let other: throw UsageError(message: "--protocol is udp, tcp or tls, not \(other)")
            }
        case "--config": try dns.config(try value(argument))
        case "-h", "--help": throw UsageError(message: "")
        default:
            guard !argument.hasPrefix("--"), zone == nil else { throw UsageError(message: "unexpected argument \(argument)") }
            zone = argument
        }
    }
    guard let zone else { throw UsageError(message: "ZONE is missing") }
    var commands: [String] = []
    while let line = readLine() { commands.append(line) }
    try dns.update(zone, commands)
    print("\(dns.statusCode) \(ResponseCode(rawValue: UInt16(clamping: dns.statusCode)))")
    return dns.statusCode == 0 ? 0 : 3
}

do {
    exit(try run(Array(CommandLine.arguments.dropFirst())))
} catch let error as UsageError {
    FileHandle.standardError.write(Data(((error.message.isEmpty ? "" : "dns-update: \(error.message)\n") + usage + "\n").utf8))
    exit(2)
} catch let error as DNSComponentError {
    FileHandle.standardError.write(Data("Error: \(error.code) [\(error.message)]\n".utf8))
    exit(1)
}
