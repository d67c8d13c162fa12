// SPDX-License-Identifier: Apache-2.0
// What a DNS-over-DTLS session trusts, sends and falls back to.

/// The DTLS side of a DNS over DTLS exchange (RFC 8094): DTLS 1.2, authenticated as DNS over
/// TLS is (``tls``: trust anchors, name, pins, padding, resumption) or by a pre-shared key.
public struct DTLSSettings: Hashable, Sendable {
    /// Trust, the authentication name, pinned keys, query padding and session resumption, as
    /// for DNS over TLS; also the settings of the DNS-over-TLS fallback. Its version and
    /// application protocols do not apply to DTLS (always 1.2, no ALPN).
    public var tls = TLSSettings()
    /// The identity sent with ``pskKey``.
    public var pskIdentity = ""
    /// A pre-shared key: when not empty the session is authenticated by it alone (PSK cipher
    /// suites, no certificate).
    public var pskKey: [UInt8] = []
    /// The largest UDP payload a DTLS record may fill, DTLS overhead included: the DNS message
    /// gets this less ``recordOverhead``, and the EDNS payload size advertised is cut to it.
    public var payloadSize = 1232
    /// A truncated answer (TC), or a query too large for a record, goes over DNS over TLS to
    /// the same server and port number over TCP, with ``tls`` (RFC 8094 §5).
    public var fallbackToTLS = true

    public init() {}

    /// Whether the session is authenticated by a pre-shared key.
    public var usesPSK: Bool { !pskKey.isEmpty }

    /// The octets a DTLS 1.2 record adds to its message with the AEAD cipher suites offered:
    /// a 13-octet header, an 8-octet explicit nonce and a 16-octet tag.
    public static let recordOverhead = 37

    /// The largest DNS message one record carries.
    public var largestMessage: Int { max(0, payloadSize - Self.recordOverhead) }

    /// These settings for a server reached as `host` (see ``TLSSettings/authenticating(_:)``).
    public func authenticating(_ host: String) -> DTLSSettings {
        var settings = self
        settings.tls = tls.authenticating(host)
        return settings
    }

    /// These settings for `endpoint` (see ``TLSSettings/authenticating(_:)``), without parsing its host.
    func authenticating(_ endpoint: ServerEndpoint) -> DTLSSettings {
        var settings = self
        settings.tls = tls.authenticating(endpoint)
        return settings
    }
}
