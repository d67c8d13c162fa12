// SPDX-License-Identifier: Apache-2.0
// A server as configured: a host name or address, and a port.

/// A server to send queries to, as the user gave it: an address (`192.0.2.1`, `2001:db8::1`,
/// `fe80::1%eth0`) or a host name, and a port. Host names are resolved by the engine off the
/// loop's thread; every address they have is kept, in the system's order, and tried in turn.
public struct ServerEndpoint: Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: UInt16
    /// Restricts a host name to IPv4 or IPv6 addresses (nil: both).
    public let family: SocketAddress.Family?
    /// The address when ``host`` is one (no resolution needed), parsed once and kept as the
    /// one-element list the engine works with, so a query allocates nothing for it.
    let literalAddresses: [SocketAddress]

    public init(host: String, port: UInt16, family: SocketAddress.Family? = nil) {
        self.host = host
        self.port = port
        self.family = family
        literalAddresses = SocketAddress(address: host, port: port).map { [$0] } ?? []
    }

    /// A server as a user types it: `host`, `192.0.2.1`, `[2001:db8::1]`, each with an
    /// optional `:port` (else `defaultPort`), or a bare IPv6 address (`::1`). Nil for anything
    /// else (an unclosed bracket, text after it, a port that is not 1-65535).
    public init?(parsing text: String, defaultPort: UInt16) {
        let bareIPv6 = !text.hasPrefix("[") && text.utf8.filter { $0 == UInt8(ascii: ":") }.count > 1
        guard let (host, portText) = bareIPv6 ? (text[...], nil) : Self.split(authority: text[...]), !host.isEmpty else { return nil }
        var port = defaultPort
        if let portText {
            guard let value = UInt16(portText), value > 0 else { return nil }
            port = value
        }
        self.init(host: String(host), port: port)
    }

    /// Splits an authority, `host`, `host:port`, `[host]` or `[host]:port`, into the host and
    /// the port's text (nil without one); nil when a bracket is not closed or text follows it.
    static func split(authority: Substring) -> (host: Substring, port: Substring?)? {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return nil }
            return (authority[authority.index(after: authority.startIndex)..<close], after.isEmpty ? nil : after.dropFirst())
        }
        guard let colon = authority.lastIndex(of: ":") else { return (authority, nil) }
        return (authority[..<colon], authority[authority.index(after: colon)...])
    }

    /// The address, when ``host`` is one.
    public var literal: SocketAddress? { literalAddresses.first }

    /// The endpoint of one address.
    public init(_ address: SocketAddress) {
        self.init(host: address.scopeID == 0 ? address.ipAddress : "\(address.ipAddress)%\(address.scopeID)", port: address.port)
    }

    /// `host:port`, or `[host]:port` for an IPv6 address.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
