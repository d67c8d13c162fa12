// SPDX-License-Identifier: Apache-2.0
// One entry of a server set: where it is and, if it differs from the query's, how to reach it.

/// A server of a set: an address or host name with its port and, optionally, a transport of
/// its own (TLS authenticating its name, a DNS-over-HTTPS URL); without one it takes the
/// query's transport, over TLS authenticating its host name.
///
/// ```swift
/// let servers = [
///     Nameserver(ServerEndpoint(host: "192.0.2.53", port: 53)),
///     Nameserver(ServerEndpoint(host: "dns.example", port: 853), transport: .tls(TLSSettings())),
/// ]
/// ```
public struct Nameserver: Hashable, Sendable, CustomStringConvertible {
    public var endpoint: ServerEndpoint
    /// The transport for this server; nil takes the query's.
    public var transport: Transport?

    public init(_ endpoint: ServerEndpoint, transport: Transport? = nil) {
        self.endpoint = endpoint
        self.transport = transport
    }

    /// The transport a query over `queryTransport` uses with this server: its own, or the
    /// query's, TLS then authenticating this server's host name unless a name is set.
    public func transport(for queryTransport: Transport) -> Transport {
        if let transport { return transport }
        switch queryTransport {
        case .tls(let settings): return .tls(settings.authenticating(endpoint))
        case .dtls(let settings): return .dtls(settings.authenticating(endpoint))
        case .udp, .tcp, .https: return queryTransport
        }
    }

    /// The DNS-over-HTTPS URL for an HTTPS server, else `host:port` (`[host]:port` for IPv6).
    public var description: String {
        if case .https(let settings)? = transport { return settings.url.description }
        return endpoint.description
    }
}
