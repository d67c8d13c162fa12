// SPDX-License-Identifier: Apache-2.0
// dnssec-check: validates one name with DNSSEC and prints the chain from the trust anchor down,
// as `delv +vtrace` or `drill -S` do.
//
//   dnssec-check [--server S[:PORT]] [--port N] [--anchors FILE] NAME [TYPE]
//
// One line per step: each zone with its DS and DNSKEY key tags/algorithms (KSKs marked) and
// the verdict, then the answer's. The last line is `verdict: Secure`, `verdict: Insecure …`,
// `verdict: Bogus (EDE n): reason` or `verdict: Indeterminate …`; the exit status is 0 for
// Secure and Insecure, 1 for Bogus and Indeterminate, 2 for bad arguments. --anchors takes DS or
// DNSKEY records in zone-file form (as dnssec-dsfromkey prints them) or a BIND trust-anchors
// block; without it the root's KSKs are the anchors.

import DNSClient
import DNSTransport
import DNSWire
import Foundation

let usage = "usage: dnssec-check [--server S[:PORT]] [--port N] [--anchors FILE] NAME [TYPE]"

func check(_ list: [String]) async throws -> Int32 {
    var rest = list[...]
    var server = "127.0.0.1"
    var port: UInt16 = 53
    var anchors = TrustAnchors.root
    var positional: [String] = []
    while let argument = rest.popFirst() {
        switch argument {
        case "--server": server = rest.popFirst() ?? ""
        case "--port":
            guard let number = rest.popFirst().flatMap(UInt16.init) else { throw UsageError(usage) }
            port = number
        case "--anchors":
            guard let path = rest.popFirst() else { throw UsageError(usage) }
            anchors = try TrustAnchors(contentsOfFile: path)
        case let option where option.hasPrefix("--"): throw UsageError("unknown option \(option)\n\(usage)")
        default: positional.append(argument)
        }
    }
    guard (1...2).contains(positional.count), let name = try? DomainName(positional[0]) else { throw UsageError(usage) }
    let type = positional.count == 2 ? RecordType(mnemonic: positional[1]) : .a
    guard let type else { throw UsageError("unknown type \(positional[1])") }
    guard let endpoint = ServerEndpoint(parsing: server, defaultPort: port) else { throw UsageError("bad server \(server)") }
    let client = try DNSClient(servers: [Nameserver(endpoint)])
    var options = QueryOptions()
    (options.dnssecOK, options.checkingDisabled) = (true, true)  // the records as the server has them (RFC 4035 §3.2.2)
    let response = try await client.query(name, type: type, options: options)
    let verdict = await DNSSECValidator(client: client, anchors: anchors).validate(response.message) { print($0) }
    print("verdict: \(verdict)")
    return verdict.state == .secure || verdict.state == .insecure ? 0 : 1
}

struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

do {
    exit(try await check(Array(CommandLine.arguments.dropFirst())))
} catch let error as UsageError {
    FileHandle.standardError.write(Data("\(error.message)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("dnssec-check: \(error)\n".utf8))
    exit(1)
}
