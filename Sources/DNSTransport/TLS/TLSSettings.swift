// SPDX-License-Identifier: Apache-2.0
// What a DNS-over-TLS connection trusts and checks.

/// The TLS side of a DNS over TLS exchange (RFC 7858, RFC 8310).
public struct TLSSettings: Hashable, Sendable {
    public enum Version: String, Hashable, Sendable {
        case tls12 = "1.2"
        case tls13 = "1.3"
    }

    /// The values, in an immutable box that copies share: settings travel with every query
    /// and are compared on every connection lookup, so a copy is one reference and equal
    /// copies compare by identity. A change makes a new box.
    private struct Values: Hashable, Sendable {
        var caFile = ""
        var caDirectory = ""
        var serverName = ""
        var pinnedKeys: [String] = []
        var minimumVersion = Version.tls12
        var paddingBlockSize = 128
        var resumeSessions = true
        var applicationProtocols = ["dot"]
    }

    private final class Box: Sendable {
        let values: Values
        init(_ values: Values) { self.values = values }
    }

    private var box = Box(Values())

    private func get<T>(_ key: KeyPath<Values, T>) -> T { box.values[keyPath: key] }

    private mutating func set<T>(_ key: WritableKeyPath<Values, T>, _ value: T) {
        var values = box.values
        values[keyPath: key] = value
        box = Box(values)
    }

    /// Extra trust anchors (PEM), besides the system store.
    public var caFile: String {
        get { get(\.caFile) }
        set { set(\.caFile, newValue) }
    }
    /// Extra trust anchors: an OpenSSL hashed certificate directory.
    public var caDirectory: String {
        get { get(\.caDirectory) }
        set { set(\.caDirectory, newValue) }
    }
    /// The authentication name to verify and send as SNI. Empty: the server's host name
    /// when it has one, else its IP address is checked against the certificate's IP SANs.
    public var serverName: String {
        get { get(\.serverName) }
        set { set(\.serverName, newValue) }
    }
    /// Base64 SHA-256 digests of SubjectPublicKeyInfo (RFC 7858 §4.2). When not empty they
    /// decide alone: a chain holding one of them is authenticated (no CA path needed), a
    /// chain without one is rejected even if it verifies.
    public var pinnedKeys: [String] {
        get { get(\.pinnedKeys) }
        set { set(\.pinnedKeys, newValue) }
    }
    public var minimumVersion: Version {
        get { get(\.minimumVersion) }
        set { set(\.minimumVersion, newValue) }
    }
    /// Pad queries to a multiple of this many octets with EDNS padding (RFC 8467); 0: no padding.
    public var paddingBlockSize: Int {
        get { get(\.paddingBlockSize) }
        set { set(\.paddingBlockSize, newValue) }
    }
    /// Resume TLS sessions on reconnect (tickets); off, every connection does a full handshake,
    /// so a server cannot link connections through their sessions (RFC 8446 §C.4).
    public var resumeSessions: Bool {
        get { get(\.resumeSessions) }
        set { set(\.resumeSessions, newValue) }
    }
    /// The application protocols offered with ALPN, most preferred first: "dot" for DNS over
    /// TLS (RFC 7858 §3.2), "h2" then "http/1.1" for DNS over HTTPS.
    public var applicationProtocols: [String] {
        get { get(\.applicationProtocols) }
        set { set(\.applicationProtocols, newValue) }
    }

    public init() {}

    /// These settings for a server reached as `host`: without an explicit ``serverName``, a
    /// host name is the authentication name; an address is checked against IP SANs instead.
    public func authenticating(_ host: String) -> TLSSettings {
        authenticating(host, isAddress: SocketAddress(address: host, port: 0) != nil)
    }

    /// These settings for `endpoint`, whose host was parsed when it was made: nothing is
    /// parsed per query.
    func authenticating(_ endpoint: ServerEndpoint) -> TLSSettings {
        authenticating(endpoint.host, isAddress: !endpoint.literalAddresses.isEmpty)
    }

    private func authenticating(_ host: String, isAddress: Bool) -> TLSSettings {
        guard serverName.isEmpty, !isAddress else { return self }
        var settings = self
        settings.serverName = host
        return settings
    }

    public static func == (lhs: TLSSettings, rhs: TLSSettings) -> Bool {
        lhs.box === rhs.box || lhs.box.values == rhs.box.values
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(box.values) }
}

/// A step of a TLS connection, for the status event.
public struct TLSStatus: Sendable {
    public let message: String
    /// Set once the handshake finished: whether it resumed an earlier session.
    public let sessionResumed: Bool?
}
