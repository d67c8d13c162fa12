// SPDX-License-Identifier: Apache-2.0
// What one query asks for beyond its name and type, and what comes back.

public import DNSTransport
public import DNSWire

/// Per-query settings of a ``DNSClient`` query (dnspython's query-function knobs).
public struct QueryOptions: Sendable {
    /// How the query travels: UDP with a TCP retry on truncation by default.
    public var transport: Transport = .udp(.retryOverTCP)
    /// The whole query's budget, every server and retry included.
    public var timeout: Duration = .seconds(5)
    /// The first UDP retransmission's wait (doubling each time) and how many there are.
    public var retransmitInterval: Duration = .seconds(1)
    public var retransmissions = 2
    /// The RD bit.
    public var recursionDesired = true
    /// The CD bit (RFC 4035 §3.2.2): the resolver should not validate.
    public var checkingDisabled = false
    /// The EDNS UDP payload size; nil sends no OPT record (and no DO bit or options).
    public var ednsPayloadSize: UInt16? = 1232
    /// The DO bit (RFC 3225): DNSSEC records wanted. Needs EDNS.
    public var dnssecOK = false
    /// EDNS options to send (NSID, client subnet, any raw option). Needs EDNS.
    public var ednsOptions: [EDNSOption] = []
    /// The largest UDP answer accepted (longer datagrams are cut, as recv cuts them).
    public var maxPacketSize = 4096

    public init() {}

    /// The engine's options for these settings.
    var exchangeOptions: ExchangeOptions {
        var options = ExchangeOptions()
        options.transport = transport
        options.timeout = timeout
        options.retransmitInterval = retransmitInterval
        options.retransmissions = retransmissions
        options.maxPacketSize = maxPacketSize
        return options
    }
}

/// The answer to a ``DNSClient`` query.
public struct DNSResponse: Sendable {
    /// The parsed response.
    public let message: DNSMessage
    /// Its octets as received.
    public let wire: [UInt8]
    /// The server that answered.
    public let server: SocketAddress
    /// The transport the answer came over (`.tcp` after a truncated UDP answer).
    public let transport: Transport
    /// From sending the query to the answer, retransmissions and other servers included.
    public let roundTripTime: Duration
}
