// SPDX-License-Identifier: Apache-2.0
// How an exchange reaches its servers: one choice per exchange.

/// The transport of one exchange, with what it needs.
///
/// The settings of TLS, HTTPS and DTLS are held in a box of their own (`indirect`): a
/// transport is then about a word wide, so that the options of every exchange (and every
/// object or async frame holding them) copy and store it cheaply.
public enum Transport: Hashable, Sendable {
    /// DNS over UDP, a fresh socket per exchange; `truncation` says what a truncated
    /// answer does.
    case udp(Truncation = .retryOverTCP)
    /// DNS over TCP (RFC 7766): a shared, pipelined connection per server.
    case tcp
    /// DNS over TLS (RFC 7858): as TCP, inside TLS.
    indirect case tls(TLSSettings)
    /// DNS over HTTPS (RFC 8484): HTTP/2 streams (or HTTP/1.1) on a shared connection.
    indirect case https(DoHSettings)
    /// DNS over DTLS (RFC 8094): one DTLS 1.2 session per server, each message in one record,
    /// retransmitted on the UDP schedule.
    indirect case dtls(DTLSSettings)

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

    /// Whether this is DNS over DTLS.
    var isDTLS: Bool {
        if case .dtls = self { return true }
        return false
    }

    /// Whether the exchange uses a stream from the start.
    var startsOnStream: Bool {
        switch self {
        case .udp, .dtls: false
        case .tcp, .tls, .https: true
        }
    }

    /// Whether a truncated datagram answer is asked again over a stream, and the log line
    /// saying so (nil: it is taken as it is): TCP for UDP (RFC 7766 §5), DNS over TLS for
    /// DTLS (RFC 8094 §5).
    var truncationRetry: String? {
        switch self {
        case .udp(.retryOverTCP): "truncated UDP response; retrying over TCP"
        case .dtls(let settings) where settings.fallbackToTLS: "truncated DTLS response; retrying over DNS over TLS"
        case .udp, .dtls, .tcp, .tls, .https: nil
        }
    }

    /// Whether queries carry the EDNS TCP keepalive option (DNS over TCP and TLS streams).
    var asksForKeepalive: Bool {
        switch self {
        case .tcp, .tls: true
        case .udp, .https, .dtls: false
        }
    }

    /// The EDNS padding block size (RFC 8467) for encrypted transports; nil for clear text.
    var paddingBlockSize: Int? {
        switch self {
        case .tls(let settings): settings.paddingBlockSize
        case .https(let settings): settings.tls?.paddingBlockSize
        case .dtls(let settings): settings.tls.paddingBlockSize
        case .udp, .tcp: nil
        }
    }

    /// The TLS settings of the transport's stream connections (nil for cleartext; for DTLS,
    /// those of its DNS-over-TLS fallback).
    var tlsSettings: TLSSettings? {
        switch self {
        case .tls(let settings): settings
        case .https(let settings): settings.tls
        case .dtls(let settings): settings.tls
        case .udp, .tcp: nil
        }
    }
}
