// SPDX-License-Identifier: Apache-2.0
// async-events: many queries outstanding at once with Timeout = 0, driven by DoEvents.
//
//   async-events [--server S] [--port N] [--protocol udp|tcp] NAME...

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
    if let server = option("--server") { dns.dnsServer = server }
    if let port = option("--port").flatMap(Int.init) { try dns.setDNSPort(port) }
    if option("--protocol") == "tcp" { dns.protocol = .tcp }
    try dns.setTimeout(0)  // asynchronous: query returns at once
    let names = arguments.isEmpty ? ["www.testbed.test", "mail.testbed.test", "chain1.testbed.test", "nothere.testbed.test"] : arguments

    var queried: [Int: String] = [:]
    dns.onResponse = { [unowned dns] event in
        // During the handler the record properties show this response. (Capture the
        // component unowned: a handler holding it strongly would keep it alive forever.)
        let values = (0..<dns.recordCount).compactMap { index in
            try? "\(dns.recordTypeName(index)) \(dns.records[index].data)"
        }
        print("#\(event.requestId) \(event.domain): \(event.statusCode) \(event.description) \(values)")
    }
    dns.onError = { event in print("error \(event.errorCode): \(event.description)") }

    for name in names {
        queried[dns.requestId] = name
        try dns.query(name)
    }
    print("\(queried.count) queries outstanding; idle = \(dns.idle)")
    while !dns.idle { try dns.doEvents() }
    print("all answered; idle = \(dns.idle)")
} catch let error as DNSComponentError {
    FileHandle.standardError.write(Data("Error: \(error.code) [\(error.message)]\n".utf8))
    exit(1)
}
