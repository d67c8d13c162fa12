// SPDX-License-Identifier: Apache-2.0
// interrupt: a lookup to a server that never answers, cancelled from a second thread — the
// way a UI thread cancels a slow query. The "server" is a UDP socket this program opens on
// 127.0.0.1 and never reads.
//
//   interrupt [--after SECONDS] [--timeout SECONDS] [NAME]

import DNSComponent
import Foundation
import Glibc

var arguments = Array(CommandLine.arguments.dropFirst())
/// Removes `--name value` from the arguments and returns the value.
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...index + 1) }
    return arguments[index + 1]
}

/// A UDP socket bound to a free port on 127.0.0.1 that nobody reads: queries sent there get
/// no answer and no ICMP refusal.
func silentServer() -> (socket: Int32, port: Int)? {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    return fd >= 0 && bound ? (fd, Int(UInt16(bigEndian: address.sin_port))) : nil
}

do {
    let delay = option("--after").flatMap(Double.init) ?? 1
    let timeout = option("--timeout").flatMap(Int.init) ?? 30
    let name = arguments.first ?? "www.example"
    guard let (socket, port) = silentServer() else { throw POSIXError(.EADDRINUSE) }
    defer { close(socket) }

    let dns = try DNSComponent()
    dns.dnsServer = "127.0.0.1"
    dns.dnsPort = port
    dns.timeout = timeout  // synchronous: query() blocks this thread
    print("querying \(name) at 127.0.0.1:\(port), which never answers (timeout \(timeout) s)")

    // interrupt() is the one member another thread may call while a query runs.
    let canceller = Thread { [dns] in
        Thread.sleep(forTimeInterval: delay)
        print("another thread calls interrupt() after \(delay) s")
        try? dns.interrupt()
    }
    canceller.start()

    let start = Date()
    do {
        try dns.query(name)
        print("answered (unexpected)")
    } catch let error as DNSComponentError {
        print(String(format: "query ended after %.2f s: %@", Date().timeIntervalSince(start), error.description))
    }
    print("the component is idle again: \(dns.idle)")
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
