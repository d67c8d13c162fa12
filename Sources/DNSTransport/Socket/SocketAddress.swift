// SPDX-License-Identifier: Apache-2.0
// An IPv4 or IPv6 socket address, parsed from text or resolved with getaddrinfo.

internal import Glibc
public import DNSWire

/// An IP address and port.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Host: Hashable, Sendable {
        case v4(IPv4Address)
        case v6(IPv6Address)
    }

    public var host: Host
    public var port: UInt16

    public init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses a literal address (`192.0.2.1`, `2001:db8::1`, `[2001:db8::1]`); nil for anything else.
    public init?(address text: String, port: UInt16) {
        var body = Substring(text)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        if let v4 = IPv4Address(body) {
            host = .v4(v4)
        } else if let v6 = IPv6Address(body) {
            host = .v6(v6)
        } else {
            return nil
        }
        self.port = port
    }

    /// An address family to restrict resolution to.
    public enum Family: Sendable {
        case v4, v6
    }

    /// Resolves a host name or literal with the system resolver (getaddrinfo), in the
    /// system's preference order; `family` restricts the result to IPv4 or IPv6.
    ///
    /// - Throws: ``TransportError/Code/hostNotFound``.
    public static func resolve(_ host: String, port: UInt16, family: Family? = nil) throws -> [SocketAddress] {
        if let literal = SocketAddress(address: host, port: port) { return [literal] }
        var hints = addrinfo()
        hints.ai_family = family.map { $0 == .v4 ? AF_INET : AF_INET6 } ?? AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw TransportError(.hostNotFound, "\(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var result: [SocketAddress] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let address = entry.pointee.ai_addr, var parsed = SocketAddress(address) else { continue }
            parsed.port = port
            if !result.contains(parsed) { result.append(parsed) }
        }
        guard !result.isEmpty else { throw TransportError(.hostNotFound, "\(host): no address") }
        return result
    }

    var family: Int32 {
        switch host {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// The address without the port.
    public var ipAddress: String {
        switch host {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }

    /// `192.0.2.1:53` or `[2001:db8::1]:53`.
    public var description: String {
        switch host {
        case .v4: "\(ipAddress):\(port)"
        case .v6: "[\(ipAddress)]:\(port)"
        }
    }

    /// Reads a `sockaddr_in` or `sockaddr_in6`.
    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = UnsafeRawPointer(address).load(as: sockaddr_in.self)
            host = .v4(IPv4Address(rawValue: UInt32(bigEndian: v4.sin_addr.s_addr)))
            port = UInt16(bigEndian: v4.sin_port)
        case AF_INET6:
            let v6 = UnsafeRawPointer(address).load(as: sockaddr_in6.self)
            host = .v6(IPv6Address(bytes: withUnsafeBytes(of: v6.sin6_addr) { Array($0) }))
            port = UInt16(bigEndian: v6.sin6_port)
        default:
            return nil
        }
    }

    /// Calls `body` with this address as a `sockaddr` and its length.
    func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        switch host {
        case .v4(let address):
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = port.bigEndian
            storage.sin_addr.s_addr = address.rawValue.bigEndian
            return try withUnsafePointer(to: &storage) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let address):
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin6_addr) { raw in
                for (index, byte) in address.bytes.enumerated() { raw[index] = byte }
            }
            return try withUnsafePointer(to: &storage) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
