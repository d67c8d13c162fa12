// SPDX-License-Identifier: Apache-2.0
// How an exchange reaches its servers: one choice per exchange.

/// The transport of one exchange, with what it needs: room for DTLS and QUIC later.
public enum Transport: Hashable, Sendable {
    /// DNS over UDP, a fresh socket per exchange; `truncation` says what a truncated
    /// answer does.
    case udp(Truncation = .retryOverTCP)
    /// DNS over TCP (RFC 7766): a shared, pipelined connection per server.
    case tcp
    /// DNS over TLS (RFC 7858): as TCP, inside TLS.
    case tls(TLSSettings)
    /// DNS over HTTPS (RFC 8484): HTTP/2 streams (or HTTP/1.1) on a shared connection.
    case https(DoHSettings)

    /// What a truncated UDP answer (TC set) does.
    public enum Truncation: Hashable, Sendable {
        /// Ask again over TCP (RFC 7766 §5).
        case retryOverTCP
        /// Take the truncated answer as it is.
        case returnTruncated
    }

    /// Whether this is DNS over HTTPS.
    public var isHTTPS: Bool {
        if case .https = self { return true }
        return false
    }

    /// Whether the exchange uses a stream from the start.
    var startsOnStream: Bool {
        if case .udp = self { return false }
        return true
    }

    /// Whether queries carry the EDNS TCP keepalive option (DNS over TCP and TLS streams).
    var asksForKeepalive: Bool {
        switch self {
        case .tcp, .tls: true
        case .udp, .https: false
        }
    }

    /// The EDNS padding block size (RFC 8467) for encrypted transports; nil for clear text.
    var paddingBlockSize: Int? {
        switch self {
        case .tls(let settings): settings.paddingBlockSize
        case .https(let settings): settings.tls?.paddingBlockSize
        case .udp, .tcp: nil
        }
    }

    /// The TLS settings of the transport's connections (nil for cleartext).
    var tlsSettings: TLSSettings? {
        switch self {
        case .tls(let settings): settings
        case .https(let settings): settings.tls
        case .udp, .tcp: nil
        }
    }
}
