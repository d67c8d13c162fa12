// SPDX-License-Identifier: Apache-2.0
// What a DNSClient query gives back.

public import DNSTransport
public import DNSWire

/// The answer to a ``DNSClient`` query.
public struct DNSResponse: Sendable {
    /// The parsed response.
    public let message: DNSMessage
    /// Its octets as received (for an answer from the cache, ``message`` written out, when
    /// asked for).
    public var wire: [UInt8] { receivedWire ?? ((try? message.serialize()) ?? []) }
    private let receivedWire: [UInt8]?
    /// The address that answered.
    public let server: SocketAddress
    /// The client's server that answered (its entry of ``DNSClient/servers``).
    public let nameserver: Nameserver
    /// The transport the answer came over (`.tcp` after a truncated UDP answer).
    public let transport: Transport
    /// From sending the query to the answer, retransmissions and other servers included.
    public let roundTripTime: Duration
    /// Whether the answer came from the client's cache (fresh; or stale, with EDE 3 or 19). Its
    /// ``server`` is then the unspecified address and ``nameserver`` the first asked.
    public var cached = false
    /// The DNSSEC verdict, for a client that validates (``DNSClient/validator``): Secure,
    /// Insecure, Bogus (given only with `DNSSECSettings/returnBogus`) or Indeterminate, with
    /// an RFC 8914 EDE code and a reason for anything but Secure.
    public internal(set) var dnssec: ValidationFinding?
}

extension DNSResponse {
    /// Made with the memberwise initializer, which the struct keeps by declaring this one
    /// here: one that assigns each field would make an extra copy of the finished response (the
    /// optimizer of Swift 6.3 does so for a struct this large with an optional field), which
    /// retains and releases each of its parts.
    init(
        message: DNSMessage, wire: [UInt8]?, server: SocketAddress, nameserver: Nameserver, transport: Transport, roundTripTime: Duration,
        cached: Bool = false, dnssec: ValidationFinding? = nil
    ) {
        self.init(
            message: message, receivedWire: wire, server: server, nameserver: nameserver, transport: transport, roundTripTime: roundTripTime,
            cached: cached, dnssec: dnssec)
    }

    /// The response with `asked` (the name as sent, its case randomized) spelled `original`
    /// again, in the question and in the owners of records.
    func spelling(_ asked: DomainName, as original: DomainName) -> DNSResponse {
        var message = message
        func respell(_ records: inout [DNSRecord]) {
            for index in records.indices where records[index].name.wire == asked.wire { records[index].name = original }
        }
        for index in message.questions.indices where message.questions[index].name.wire == asked.wire {
            message.questions[index].name = original
        }
        respell(&message.answers)
        respell(&message.authorities)
        respell(&message.additionals)
        return DNSResponse(
            message: message, wire: receivedWire, server: server, nameserver: nameserver, transport: transport, roundTripTime: roundTripTime,
            cached: cached, dnssec: dnssec)
    }

    /// An answer from the cache, given without asking a server.
    init(cached message: DNSMessage, nameserver: Nameserver, transport: Transport) {
        self.init(message: message, wire: nil, server: .unspecified, nameserver: nameserver, transport: transport, roundTripTime: .zero, cached: true)
    }
}
