// SPDX-License-Identifier: Apache-2.0
// dot-pinning: DNS over TLS with a pinned server key, showing the certificate and status events.
//
//   dot-pinning --server 127.0.0.1 --port 8530 --pin BASE64SPKI [--ca FILE] [--accept-untrusted] NAME

import DNSComponent
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
/// Removes `--name value` from the arguments and returns the value.
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...index + 1) }
    return arguments[index + 1]
}

do {
    let dns = try DNSComponent()
    dns.protocol = .tls
    dns.dnsServer = option("--server") ?? "127.0.0.1"
    try dns.setDNSPort(Int(option("--port") ?? "853") ?? 853)
    if let pin = option("--pin") { try dns.config("SSLPinnedKeys=\(pin)") }  // RFC 7858 §4.2 SPKI pin
    if let ca = option("--ca") { try dns.config("SSLCAFile=\(ca)") }
    let acceptUntrusted = arguments.contains("--accept-untrusted")
    arguments.removeAll { $0 == "--accept-untrusted" }

    dns.onSSLServerAuthentication = { event in
        print("certificate: \(event.certSubject), issued by \(event.certIssuer), \(event.certEncoded.count) octets DER")
        print("verification: \(event.status)")
        if !event.accept && acceptUntrusted {
            print("accepting it anyway (--accept-untrusted)")
            event.accept = true
        }
    }
    dns.onSSLStatus = { print("tls: \($0.message)") }
    try dns.query(arguments.first ?? "www.testbed.test")
    for index in 0..<dns.recordCount {
        print("\(try dns.recordTypeName(index))\t\(dns.records[index].data)")
    }
    print("session resumed: \(try dns.config("SSLSessionResumed"))")
} catch let error as DNSComponentError {
    FileHandle.standardError.write(Data("Error: \(error.code) [\(error.message)]\n".utf8))
    exit(1)
}
