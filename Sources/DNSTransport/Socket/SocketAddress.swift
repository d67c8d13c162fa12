// SPDX-License-Identifier: Apache-2.0
// An IPv4 or IPv6 socket address, parsed from text or resolved with getaddrinfo.

public import DNSWire
internal import Glibc

/// An IP address and port, with the interface (zone) of an IPv6 link-local address.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Host: Hashable, Sendable {
        case v4(IPv4Address)
        case v6(IPv6Address)
    }

    public var host: Host
    public var port: UInt16
    /// The interface index of an IPv6 scoped address (`fe80::1%eth0`), 0 for none; it
    /// goes to `sin6_scope_id`.
    public var scopeID: UInt32 = 0

    public init(host: Host, port: UInt16, scopeID: UInt32 = 0) {
        self.host = host
        self.port = port
        self.scopeID = scopeID
    }

    /// 0.0.0.0, port 0: the server of an answer that came from a cache.
    public static let unspecified = SocketAddress(address: "0.0.0.0", port: 0)!

    /// Parses a literal address (`192.0.2.1`, `2001:db8::1`, `[2001:db8::1]`, and for
    /// IPv6 a zone: `fe80::1%eth0` or `fe80::1%2`); nil for anything else, including a
    /// zone naming no interface.
    public init?(address text: String, port: UInt16) {
        var body = Substring(text)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        if let v4 = IPv4Address(body) {
            host = .v4(v4)
        } else {
            var zone: Substring?
            if let percent = body.firstIndex(of: "%") {
                zone = body[body.index(after: percent)...]
                body = body[..<percent]
            }
            guard let v6 = IPv6Address(body) else { return nil }
            host = .v6(v6)
            if let zone {
                guard let index = Self.interfaceIndex(zone) else { return nil }
                scopeID = index
            }
        }
        self.port = port
    }

    /// The index of the interface `zone` names (or numbers); nil when there is none.
    private static func interfaceIndex(_ zone: Substring) -> UInt32? {
        if let number = UInt32(zone) { return number > 0 ? number : nil }
        guard !zone.isEmpty else { return nil }
        let index = if_nametoindex(String(zone))
        return index > 0 ? index : nil
    }

    /// An address family to restrict resolution to.
    public enum Family: Sendable {
        case v4, v6
    }

    /// Resolves a host name or literal with the system resolver (getaddrinfo), in the
    /// system's preference order; `family` restricts the result to IPv4 or IPv6.
    ///
    /// - Throws: ``TransportError/Code/hostNotFound``, `hostLookupTemporary`,
    ///   `hostLookupFailed` or `hostHasNoAddress`, as getaddrinfo tells them apart.
    public static func resolve(_ host: String, port: UInt16, family: Family? = nil) throws(TransportError) -> [SocketAddress] {
        if let literal = SocketAddress(address: host, port: port) { return [literal] }
        var hints = addrinfo()
        hints.ai_family = family.map { $0 == .v4 ? AF_INET : AF_INET6 } ?? AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw TransportError(lookupFailure(status), "\(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var result: [SocketAddress] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let address = entry.pointee.ai_addr, var parsed = SocketAddress(address) else { continue }
            parsed.port = port
            if !result.contains(parsed) { result.append(parsed) }
        }
        guard !result.isEmpty else { throw TransportError(.hostHasNoAddress, "\(host): no address") }
        return result
    }

    /// The error code for a getaddrinfo failure (`EAI_…`).
    static func lookupFailure(_ status: Int32) -> TransportError.Code {
        switch status {
        case EAI_AGAIN: .hostLookupTemporary
        case EAI_FAIL: .hostLookupFailed
        case -5, -9: .hostHasNoAddress  // EAI_NODATA, EAI_ADDRFAMILY (GNU)
        default: .hostNotFound
        }
    }

    var family: Int32 {
        switch host {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// The address without the port or zone (what a certificate's IP address must match).
    public var ipAddress: String {
        switch host {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }

    /// `192.0.2.1:53`, `[2001:db8::1]:53` or `[fe80::1%eth0]:53`.
    public var description: String {
        switch host {
        case .v4: "\(ipAddress):\(port)"
        case .v6: "[\(ipAddress)\(zoneSuffix)]:\(port)"
        }
    }

    /// `%name` (or `%index` for an interface that has gone) of a scoped address; "" otherwise.
    private var zoneSuffix: String {
        guard scopeID != 0 else { return "" }
        var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard if_indextoname(scopeID, &name) != nil else { return "%\(scopeID)" }
        return "%" + String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
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
            scopeID = v6.sin6_scope_id
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
            storage.sin6_scope_id = scopeID
            withUnsafeMutableBytes(of: &storage.sin6_addr) { raw in
                for (index, byte) in address.bytes.enumerated() { raw[index] = byte }
            }
            return try withUnsafePointer(to: &storage) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
