// SPDX-License-Identifier: Apache-2.0
// How one query is exchanged: transports, deadline and retransmission.

/// Which transports a query may use (IPWorks' `ConnectionMode` setting).
public enum ConnectionMode: Int, Sendable, CaseIterable {
    /// UDP first; TCP when the UDP answer is truncated (RFC 7766 §5).
    case auto = 0
    /// UDP only; a truncated answer is returned as it is.
    case udpOnly = 1
    /// TCP only.
    case tcpOnly = 2
}

/// The timing and transport rules of one query exchange.
public struct ExchangeOptions: Hashable, Sendable {
    public var connectionMode: ConnectionMode = .auto
    /// The whole exchange must finish within this time.
    public var timeout: Duration = .seconds(60)
    /// When false (IPWorks' default), data received on the query's TCP connection moves
    /// the deadline on; UDP deadlines are always absolute.
    public var absoluteTimeout = false
    /// Wait before the first UDP retransmission; each later wait doubles.
    public var retransmitInterval: Duration = .seconds(1)
    /// UDP retransmissions after the first send.
    public var retransmissions = 3
    /// Largest UDP datagram accepted.
    public var maxPacketSize = 65_535
    /// When set, the exchange runs over DNS over TLS (RFC 7858) instead of UDP or TCP.
    public var tls: TLSSettings?
    /// When set, the exchange runs over DNS over HTTPS (RFC 8484); ``tls`` is not used.
    public var https: DoHSettings?

    public init() {}

    /// Whether the exchange uses a stream from the start (TCP only, TLS or HTTPS).
    var streamOnly: Bool { connectionMode == .tcpOnly || tls != nil || https != nil }

    /// The EDNS padding block size (RFC 8467) for encrypted transports; nil for clear text.
    var paddingBlockSize: Int? { https != nil ? https?.tls?.paddingBlockSize : tls?.paddingBlockSize }
}
