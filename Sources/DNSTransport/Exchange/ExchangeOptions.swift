// SPDX-License-Identifier: Apache-2.0
// How one query is exchanged: transports, deadline and retransmission.

public import DNSWire

/// The transport, timing and answer rules of one query exchange.
public struct ExchangeOptions: Hashable, Sendable {
    public var transport = Transport.udp()
    /// How long the exchange may take, over all its servers. Over a stream (TCP, TLS, HTTPS) it is an inactivity
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
    /// With several servers, a SERVFAIL or REFUSED answer moves the exchange on to the next
    /// server (the last server's answer is returned as it is). Timeouts and network failures
    /// always move on.
    public var movesOnServerFailure = true
    /// Several messages answer the query (a zone transfer): each is handed to the caller,
    /// who says when the answer is complete; the exchange takes a stream connection of its
    /// own, and its timeout applies between messages (not capped at twice the timeout).
    public var severalMessages = false
    /// With ``severalMessages``, the longest the whole answer may take (a zone transfer's
    /// `TransferTimeout`); nil for no limit but the timeout between messages.
    public var severalMessagesLimit: Duration?
    /// The answer's question must spell the query's name with the same case, octet for
    /// octet (for 0x20 case randomization); a reply that does not is ignored as a spoof.
    public var questionCaseMustMatch = false
    /// DNS cookies (RFC 7873) over UDP and TCP: queries carry the client cookie of their
    /// server (and the server cookie it last sent), a reply with another client cookie is
    /// ignored as a spoof, and BADCOOKIE is answered by one retry with the new server
    /// cookie, then by TCP. Needs EDNS in the query.
    public var cookies = false
    /// A UDP reply that does not answer the query (another source, ID or question, or not
    /// DNS) is logged and ignored while the exchange waits on (the default, safe against
    /// spoofing); off, it ends the exchange with ``TransportError/Code/malformedResponse``.
    public var ignoresUnexpected = true
    /// A reply with octets after its message is taken without them; by default it is malformed.
    public var ignoresTrailingData = false
    /// Signs the query with this key (TSIG, RFC 8945) and verifies every response message: a
    /// response that fails verification ends the exchange with
    /// ``TransportError/Code/tsigVerificationFailed`` (never taken as an answer); the server's
    /// own TSIG errors (BADSIG, BADKEY, BADTIME, BADTRUNC) come back in the answer's TSIG.
    public var tsig: TSIGKey?
    /// How far the server's clock may be from ours, in seconds (TSIG's fudge).
    public var tsigFudge: UInt16 = 300
    /// The local address and port to send from (dnspython's `source` and `source_port`); nil
    /// takes the engine's ``DNSEngine/socketOptions``. A UDP exchange with a source of its own
    /// gets a socket of its own; over TCP, TLS and HTTPS it shares connections only with
    /// exchanges from the same source.
    public var source: Source?

    /// A local address and port to send from.
    public struct Source: Hashable, Sendable {
        /// A local address ("" for any).
        public var host: String
        /// A local port (0 for an ephemeral one the system picks).
        public var port: UInt16

        public init(host: String = "", port: UInt16 = 0) {
            self.host = host
            self.port = port
        }

        /// `options` sending from here.
        func applied(to options: SocketOptions) -> SocketOptions {
            var options = options
            options.localHost = host
            options.localPort = port
            return options
        }
    }

    public init() {}

    /// The longest timeout or retransmission interval an exchange uses (about 68 years):
    /// longer values are cut to it, so deadline arithmetic never overflows.
    public static let longestTimeout = Duration.seconds(Int64(Int32.max))
}
