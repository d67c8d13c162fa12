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
    /// How long the exchange may take. Over a stream (TCP, TLS, HTTPS) it is an inactivity
    /// timeout unless ``absoluteTimeout``: octets of the query's own answer move the deadline
    /// on, never past twice the timeout from the start. Anything longer than
    /// ``longestTimeout`` counts as that (waiting "forever" works).
    public var timeout: Duration = .seconds(60)
    /// When false (IPWorks' default), octets of the answer arriving on the query's stream
    /// move the deadline on (up to twice ``timeout``); UDP deadlines are always absolute,
    /// also after a truncated answer moved the query to TCP.
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

    /// The longest timeout or retransmission interval an exchange uses (about 68 years):
    /// longer values are cut to it, so deadline arithmetic never overflows.
    public static let longestTimeout = Duration.seconds(Int64(Int32.max))

    /// Whether the exchange uses a stream from the start (TCP only, TLS or HTTPS).
    var streamOnly: Bool { connectionMode == .tcpOnly || tls != nil || https != nil }

    /// The EDNS padding block size (RFC 8467) for encrypted transports; nil for clear text.
    var paddingBlockSize: Int? { https != nil ? https?.tls?.paddingBlockSize : tls?.paddingBlockSize }
}
