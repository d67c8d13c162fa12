// SPDX-License-Identifier: Apache-2.0
// What one query asks for beyond its name and type.

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
    /// 0x20 (draft-vixie-dnsext-dns0x20): the query name's letters get a random case, and a
    /// reply whose question does not spell it the same way is ignored as a spoof. Answers
    /// come back with the caller's spelling. For servers that echo the question exactly
    /// (most do; a TCP or TLS answer that does not fails the query).
    public var randomizeCase = false
    /// DNS cookies (RFC 7873) over UDP and TCP: a client cookie per server, its server cookie
    /// echoed, replies with another client cookie ignored, BADCOOKIE retried once, then over TCP.
    public var cookies = true
    /// A UDP reply that does not answer the query (another source, ID or question) is logged
    /// and ignored while the query waits on; false fails the query instead (dnspython's
    /// `ignore_unexpected`).
    public var ignoreUnexpected = true
    /// Take a reply with octets after its message, without them (dnspython's `ignore_trailing`).
    public var ignoreTrailing = false
    /// A truncated UDP answer fails the query with `truncated` instead of being asked again
    /// over TCP (dnspython's `raise_on_truncation`).
    public var raiseOnTruncation = false
    /// Signs the query with this TSIG key (RFC 8945) and verifies the answer: one that does
    /// not verify fails with `TransportError/Code/tsigVerificationFailed`; the server's TSIG
    /// errors come back in the answer's TSIG record.
    public var tsig: TSIGKey?
    /// How far the server's TSIG time may be from ours, in seconds.
    public var tsigFudge: UInt16 = 300
    /// The local address to send from (dnspython's `source`); nil for any.
    public var source: String?
    /// The local port to send from (dnspython's `source_port`); 0 for a random ephemeral port
    /// (the secure default, RFC 5452). A fixed port makes replies easier to spoof.
    public var sourcePort: UInt16 = 0
    /// With a client made with `dnssec:`, whether this query's answer is validated (DNSSEC
    /// tools that fetch records as they are turn it off).
    public var dnssecValidation = true

    public init() {}

    /// The engine's options for these settings.
    var exchangeOptions: ExchangeOptions {
        var options = ExchangeOptions()
        options.transport = transport
        if raiseOnTruncation {
            switch transport {
            case .udp(.retryOverTCP): options.transport = .udp(.returnTruncated)
            case .dtls(var settings):
                settings.fallbackToTLS = false
                options.transport = .dtls(settings)
            case .udp, .tcp, .tls, .https: break
            }
        }
        options.timeout = timeout
        options.retransmitInterval = retransmitInterval
        options.retransmissions = retransmissions
        options.maxPacketSize = maxPacketSize
        options.questionCaseMustMatch = randomizeCase
        options.cookies = cookies
        options.ignoresUnexpected = ignoreUnexpected
        options.ignoresTrailingData = ignoreTrailing
        options.tsig = tsig
        options.tsigFudge = tsigFudge
        if source != nil || sourcePort != 0 { options.source = ExchangeOptions.Source(host: source ?? "", port: sourcePort) }
        return options
    }
}
