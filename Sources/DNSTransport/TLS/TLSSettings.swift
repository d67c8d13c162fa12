// SPDX-License-Identifier: Apache-2.0
// What a DNS-over-TLS connection trusts and checks.

/// The TLS side of a DNS over TLS exchange (RFC 7858, RFC 8310).
public struct TLSSettings: Hashable, Sendable {
    public enum Version: String, Hashable, Sendable {
        case tls12 = "1.2"
        case tls13 = "1.3"
    }

    /// Extra trust anchors (PEM), besides the system store.
    public var caFile = ""
    public var caDirectory = ""
    /// The authentication name to verify and send as SNI. Empty: the server's host name
    /// when it has one, else its IP address is checked against the certificate's IP SANs.
    public var serverName = ""
    /// Base64 SHA-256 digests of SubjectPublicKeyInfo (RFC 7858 §4.2). When not empty they
    /// decide alone: a chain holding one of them is authenticated (no CA path needed), a
    /// chain without one is rejected even if it verifies.
    public var pinnedKeys: [String] = []
    public var minimumVersion = Version.tls12
    /// Pad queries to a multiple of this many octets with EDNS padding (RFC 8467); 0: no padding.
    public var paddingBlockSize = 128
    /// Resume TLS sessions on reconnect (tickets); off, every connection does a full handshake,
    /// so a server cannot link connections through their sessions (RFC 8446 §C.4).
    public var resumeSessions = true
    /// The application protocols offered with ALPN, most preferred first: "dot" for DNS over
    /// TLS (RFC 7858 §3.2), "h2" then "http/1.1" for DNS over HTTPS.
    public var applicationProtocols = ["dot"]

    public init() {}

    /// These settings for a server reached as `host`: without an explicit ``serverName``, a
    /// host name is the authentication name; an address is checked against IP SANs instead.
    public func authenticating(_ host: String) -> TLSSettings {
        guard serverName.isEmpty, SocketAddress(address: host, port: 0) == nil else { return self }
        var settings = self
        settings.serverName = host
        return settings
    }
}

/// A step of a TLS connection, for the status event.
public struct TLSStatus: Sendable {
    public let message: String
    /// Set once the handshake finished: whether it resumed an earlier session.
    public let sessionResumed: Bool?
}
