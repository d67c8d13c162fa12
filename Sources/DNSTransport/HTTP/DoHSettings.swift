// SPDX-License-Identifier: Apache-2.0
// Where and how DNS over HTTPS (RFC 8484) queries go: the URL, the method, the headers.

/// A DNS-over-HTTPS endpoint: `https://host[:port]/path` (or `http://` for cleartext
/// HTTP/2 with prior knowledge, for local testing).
public struct DoHURL: Hashable, Sendable, CustomStringConvertible {
    public enum ParseError: Error, Equatable, Sendable {
        /// A scheme other than https or http.
        case unsupportedScheme(String)
        /// No host, or a malformed one.
        case missingHost
        /// A port that is not 1–65535.
        case badPort(String)
        /// A control character, space or non-ASCII octet: it would end up in the HTTP request
        /// line or headers (percent-encode it).
        case invalidCharacter
    }

    /// "https" or "http".
    public let scheme: String
    /// The host name or address (IPv6 without brackets).
    public let host: String
    public let port: UInt16
    /// The path with any query string; `/dns-query` when the URL had none.
    public let path: String
    /// `host[:port]` as HTTP sends it (`:authority`, `Host`), the port only when not the default.
    public let authority: String

    /// Parses a URL; a bare host (or `host:port`) means `https://host/dns-query`.
    public init(_ text: String) throws(ParseError) {
        var rest = Substring(text.trimmingWhitespace)
        guard rest.utf8.allSatisfy(HTTPRequest.isVisibleASCII) else { throw .invalidCharacter }
        var scheme = "https"
        if let range = rest.firstRange(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        }
        guard scheme == "https" || scheme == "http" else { throw .unsupportedScheme(scheme) }
        let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<pathStart]
        var path = String(rest[pathStart...])
        if path.isEmpty || path.hasPrefix("?") { path = "/dns-query" + path }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard let (authorityHost, portText) = ServerEndpoint.split(authority: authority) else { throw .missingHost }
        var host = authorityHost
        // RFC 6874: a zone in a URL is written %25zone; the host keeps it as %zone.
        if authority.hasPrefix("["), let percent = host.firstIndex(of: "%") {
            guard host[percent...].hasPrefix("%25") else { throw .missingHost }
            host = host[..<percent] + "%" + host[host.index(percent, offsetBy: 3)...]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else { throw .missingHost }
        var port: UInt16 = scheme == "https" ? 443 : 80
        if let portText {
            guard let value = UInt16(portText), value > 0 else { throw .badPort(String(portText)) }
            port = value
        }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.path = path
        let name: String
        if let percent = host.firstIndex(of: "%") {
            name = "[\(host[..<percent])%25\(host[host.index(after: percent)...])]"
        } else {
            name = host.contains(where: { $0 == ":" }) ? "[\(host)]" : String(host)
        }
        self.authority = port == (scheme == "https" ? 443 : 80) ? name : "\(name):\(port)"
    }

    public var description: String { "\(scheme)://\(authority)\(path)" }
}

/// How a DNS-over-HTTPS query is sent (IPWorks' `DoHMethod` setting).
public enum DoHMethod: Int, Hashable, Sendable, CaseIterable {
    /// POST with an `application/dns-message` body (RFC 8484 §4.1).
    case post = 0
    /// GET with the query in `?dns=` (base64url), message ID 0 for caches (RFC 8484 §4.1).
    case get = 1
    /// GET of the JSON API (`application/dns-json`, `?name=…&type=…`).
    case json = 2
}

/// The DNS-over-HTTPS side of an exchange.
public struct DoHSettings: Hashable, Sendable {
    public var url: DoHURL
    public var method = DoHMethod.post
    public var userAgent = "swift-dns-component"
    /// The TLS side for `https` URLs (ALPN h2, then http/1.1); nil for `http`.
    public var tls: TLSSettings?

    /// Settings for `url`; for https, TLS that authenticates the URL's host (or its address).
    public init(url: DoHURL, tls: TLSSettings = TLSSettings()) {
        self.url = url
        guard url.scheme == "https" else { return }
        var tls = tls.authenticating(url.host)
        tls.applicationProtocols = ["h2", "http/1.1"]
        self.tls = tls
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace, line breaks included.
    var trimmingWhitespace: SubSequence { trimming { $0.isWhitespace } }
}
