// SPDX-License-Identifier: Apache-2.0
// Where and how queries go, worked out from what a user configures.

/// The servers of a configuration, each with its transport: what every front end (the
/// component, the async client) works out from a server text, a port, a protocol and its
/// settings.
///
/// ```swift
/// let route = try Route(server: "192.0.2.1, [2001:db8::1]:5353", port: 53, kind: .udp(.retryOverTCP), tls: TLSSettings())
/// engine.start(query, servers: route.servers, options: ExchangeOptions(transport: route.servers[0].transport!)) { … }
/// ```
public struct Route: Hashable, Sendable {
    /// The protocol asked for, with what only it needs.
    public enum Kind: Hashable, Sendable {
        case udp(Transport.Truncation)
        case tcp
        case tls
        case https(DoHOptions)
        /// DNS over DTLS with these settings; each server's authentication name is set as for TLS.
        case dtls(DTLSSettings)
    }

    /// What DNS over HTTPS needs beyond the URL.
    public struct DoHOptions: Hashable, Sendable {
        public var method = DoHMethod.post
        public var userAgent = "swift-dns-component"
        /// An address to connect to instead of resolving the URL's host ("" for none); the
        /// host still names the server in TLS and HTTP.
        public var bootstrapAddress = ""
        public init() {}
    }

    public enum Failure: Error, Equatable, Sendable {
        /// No server: the text is empty.
        case noServer
        /// A server entry is not `host`, `IPv4`, `[IPv6]` (or a bare IPv6 address), each
        /// with an optional `:port` of 1-65535.
        case badServer(String)
        /// The DNS-over-HTTPS URL does not parse.
        case badURL(DoHURL.ParseError)
    }

    /// The servers, each with its transport set, in the order given.
    public let servers: [Nameserver]

    public init(servers: [Nameserver]) {
        self.servers = servers
    }

    /// Works out the route to `server`: one or several servers separated by commas, each
    /// an address or host name with an optional `:port` (else `port`; IPv6 addresses in
    /// brackets when a port follows), or for ``Kind/https(_:)`` a URL (a bare host meaning
    /// `https://host/dns-query`; a comma inside a URL written `%2C`), whose own host and port
    /// are used. Over TLS each server's authentication name (and SNI) is `tls.serverName`,
    /// or its host when that is a name; an address is checked against the certificate's IP
    /// addresses.
    public init(server: String, port: UInt16, kind: Kind, tls: TLSSettings, family: SocketAddress.Family? = nil) throws(Failure) {
        guard !server.trimmingWhitespace.isEmpty else { throw .noServer }
        var servers: [Nameserver] = []
        for entry in server.split(separator: ",", omittingEmptySubsequences: false) {
            servers.append(try Self.nameserver(entry.trimmingWhitespace.description, port: port, kind: kind, tls: tls, family: family))
        }
        self.servers = servers
    }

    private static func nameserver(_ text: String, port: UInt16, kind: Kind, tls: TLSSettings, family: SocketAddress.Family?) throws(Failure)
        -> Nameserver
    {
        guard case .https(let options) = kind else {
            guard let parsed = ServerEndpoint(parsing: text, defaultPort: port) else { throw .badServer(text) }
            let endpoint = ServerEndpoint(host: parsed.host, port: parsed.port, family: family)
            switch kind {
            case .udp(let truncation): return Nameserver(endpoint, transport: .udp(truncation))
            case .tcp: return Nameserver(endpoint, transport: .tcp)
            case .dtls(let settings): return Nameserver(endpoint, transport: .dtls(settings.authenticating(endpoint)))
            case .tls, .https: return Nameserver(endpoint, transport: .tls(tls.authenticating(endpoint)))
            }
        }
        let url: DoHURL
        do { url = try DoHURL(text) } catch { throw .badURL(error) }
        var https = DoHSettings(url: url, tls: tls)
        https.method = options.method
        https.userAgent = options.userAgent
        let host = options.bootstrapAddress.isEmpty ? url.host : options.bootstrapAddress
        return Nameserver(ServerEndpoint(host: host, port: url.port, family: family), transport: .https(https))
    }
}
