// SPDX-License-Identifier: Apache-2.0
// Where and how queries go, worked out from what a user configures.

/// The servers and the transport of a configuration: what every front end (the component,
/// the async client) works out from a server text, a port, a protocol and its settings.
///
/// ```swift
/// let route = try Route(server: "https://dns.example/dns-query", port: 443, kind: .https(DoHOptions()), tls: TLSSettings())
/// engine.start(query, to: route.endpoints, options: ExchangeOptions(transport: route.transport)) { … }
/// ```
public struct Route: Hashable, Sendable {
    /// The protocol asked for, with what only it needs.
    public enum Kind: Hashable, Sendable {
        case udp(Transport.Truncation)
        case tcp
        case tls
        case https(DoHOptions)
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
        /// The DNS-over-HTTPS URL does not parse.
        case badURL(DoHURL.ParseError)
    }

    public let endpoints: [ServerEndpoint]
    public let transport: Transport

    public init(endpoints: [ServerEndpoint], transport: Transport) {
        self.endpoints = endpoints
        self.transport = transport
    }

    /// Works out the route to `server`: an address or host name at `port`, or for
    /// ``Kind/https(_:)`` a URL (a bare host meaning `https://host/dns-query`), whose own host
    /// and port are used. Over TLS the authentication name (and SNI) is `tls.serverName`, or
    /// the host when it is a name; an address is checked against the certificate's IP
    /// addresses.
    public init(server: String, port: UInt16, kind: Kind, tls: TLSSettings, family: SocketAddress.Family? = nil) throws(Failure) {
        var host = server.trimmingWhitespace.description
        var port = port
        guard !host.isEmpty else { throw .noServer }
        switch kind {
        case .udp(let truncation):
            transport = .udp(truncation)
        case .tcp:
            transport = .tcp
        case .tls:
            transport = .tls(tls.authenticating(host))
        case .https(let options):
            let url: DoHURL
            do { url = try DoHURL(host) } catch { throw .badURL(error) }
            var https = DoHSettings(url: url, tls: tls)
            https.method = options.method
            https.userAgent = options.userAgent
            transport = .https(https)
            host = options.bootstrapAddress.isEmpty ? url.host : options.bootstrapAddress
            port = url.port
        }
        endpoints = [ServerEndpoint(host: host, port: port, family: family)]
    }
}
