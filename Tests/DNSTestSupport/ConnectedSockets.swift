// SPDX-License-Identifier: Apache-2.0
// Counting this machine's client sockets connected to one port, safe beside parallel tests.

import Foundation

/// Sockets connected to `port` on this machine that belong to a process (inode not 0, so
/// not TIME_WAIT and the like): TCP and UDP, IPv4 and IPv6. The server's own sockets have
/// that port on their local side, so they do not count.
func connectedSockets(to port: UInt16) -> Int {
    var count = 0
    for table in ["tcp", "tcp6", "udp", "udp6"] {
        // Read to the end: String(contentsOfFile:) stops after the first 4 KB of a /proc file.
        guard let file = FileHandle(forReadingAtPath: "/proc/net/\(table)") else { continue }
        defer { try? file.close() }
        guard let data = try? file.readToEnd() else { continue }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, let remotePort = fields[2].split(separator: ":").last else { continue }
            if UInt16(remotePort, radix: 16) == port, fields[9] != "0" { count += 1 }
        }
    }
    return count
}
