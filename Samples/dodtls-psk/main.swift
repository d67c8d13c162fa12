// SPDX-License-Identifier: Apache-2.0
// dodtls-psk: DNS over DTLS (RFC 8094) with a pre-shared key or a certificate, and the first
// address of a name for a family, as RIOT's sock_dodtls client offers it.
//
//   dodtls-psk [--server S] [--port N] [--psk-identity ID --psk-key HEX] [--ca FILE]
//              [--family ipv4|ipv6|any] [--config Key=Value]... NAME
//
// Prints the DTLS steps (`dtls: …`), then `NAME has address ADDRESS`. With --psk-key the
// session is authenticated by the key alone (no certificate); else the server's certificate
// is verified against the system store and --ca, as for DNS over TLS. On failure it prints
// `Error: <code> [<description>]` on stderr and exits 1, as dnsquery does.

import DNSComponent
import Foundation

let usage = """
    usage: dodtls-psk [--server S] [--port N] [--psk-identity ID --psk-key HEX] [--ca FILE]
                      [--family ipv4|ipv6|any] [--config Key=Value]... NAME
    """

struct UsageError: Error { let message: String }

func run(_ list: [String]) throws {
    var rest = list[...]
    func value(_ flag: String) throws -> String {
        guard let value = rest.popFirst() else { throw UsageError(message: "\(flag) needs a value") }
        return value
    }
    let dns = try DNSComponent()
    dns.protocol = .dtls
    dns.dnsServer = "127.0.0.1"
    try dns.setDNSPort(853)  // RFC 8094's port
    try dns.setTimeout(5)
    var family = DNSComponent.AddressFamily.any
    var name: String?
    while let argument = rest.popFirst() {
        switch argument {
        case "--server": dns.dnsServer = try value(argument)
        case "--port":
            guard let port = Int(try value(argument)) else { throw UsageError(message: "--port needs a number") }
            try dns.setDNSPort(port)
        case "--psk-identity": try dns.config("SSLPSKIdentity=\(try value(argument))")
        case "--psk-key": try dns.config("SSLPSKKey=\(try value(argument))")
        case "--ca": try dns.config("SSLCAFile=\(try value(argument))")
        case "--family":
            let text = try value(argument)
            guard let match = DNSComponent.AddressFamily.allCases.first(where: { "\($0)" == text }) else {
                throw UsageError(message: "--family takes ipv4, ipv6 or any")
            }
            family = match
        case "--config": try dns.config(try value(argument))
        case "-h", "--help": throw UsageError(message: usage)
        default:
            guard !argument.hasPrefix("--"), name == nil else { throw UsageError(message: "unexpected argument \(argument)\n\(usage)") }
            name = argument
        }
    }
    guard let name else { throw UsageError(message: usage) }
    dns.onSSLStatus = { print("dtls: \($0.message)") }
    // Setting the server and protocol plays the part of sock_dodtls_set_server: the session
    // is established by the first query and kept for the next ones.
    let address = try dns.resolveAddress(name, family: family)
    print("\(name) has address \(address)")
}

do {
    try run(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    FileHandle.standardError.write(Data("\(error.message)\n".utf8))
    exit(2)
} catch let error as DNSComponentError {
    FileHandle.standardError.write(Data("Error: \(error.code) [\(error.message)]\n".utf8))
    exit(1)
}
