// SPDX-License-Identifier: Apache-2.0
// DNS cookies (RFC 7873, RFC 9018): a client cookie per server, and the server cookies learned.

import DNSWire

/// The cookies of one engine: for each server address a random 8-octet client cookie, never
/// used with another server, and the server cookie that server last sent.
final class CookieJar {
    private struct Entry {
        let client: [UInt8]
        var server: [UInt8] = []
    }
    private var entries: [SocketAddress: Entry] = [:]
    private var random = SecureRandom()

    /// The COOKIE option for a query to `server`.
    func option(for server: SocketAddress) -> EDNSOption {
        let entry = self.entry(for: server)
        return .cookie(client: entry.client, server: entry.server)
    }

    /// Whether `option` carries the client cookie sent to `server`; if so, its server cookie
    /// is remembered for the next query.
    func accept(_ client: [UInt8], server cookie: [UInt8], from server: SocketAddress) -> Bool {
        guard entries[server]?.client == client else { return false }
        if !cookie.isEmpty { entries[server]?.server = cookie }
        return true
    }

    private func entry(for server: SocketAddress) -> Entry {
        if let entry = entries[server] { return entry }
        let value = random.next()
        let entry = Entry(client: (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) })
        entries[server] = entry
        return entry
    }
}
