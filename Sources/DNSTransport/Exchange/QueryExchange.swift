// SPDX-License-Identifier: Apache-2.0
// The sans-I/O state machine of one query: retransmission, response matching, TC fallback.

public import DNSWire

/// What a finished exchange produced.
public struct ExchangeResult: Sendable {
    public let response: DNSMessage
    /// The response octets as received.
    public let wire: [UInt8]
    public let server: SocketAddress
    /// Whether the response came over TCP (directly or after a truncated UDP answer).
    public let overTCP: Bool
}

/// The state of one query, free of I/O: events go in, actions come out.
///
/// The driver (``DNSEngine``) performs the actions on real sockets and feeds back what
/// happened. Responses are accepted only when their ID, QR bit and question match the
/// query; anything else is reported as ignored and the exchange keeps waiting.
struct QueryExchange {
    enum Action: Equatable {
        case sendUDP([UInt8])
        case sendTCP([UInt8])
        /// Stop using UDP (close the socket): the exchange moved to TCP or finished.
        case closeUDP
        case armTimer(ContinuousClock.Instant)
        case log(String)
        case finish(Outcome)
    }

    enum Outcome: Equatable {
        case response(DNSMessage, wire: [UInt8], overTCP: Bool)
        case failure(TransportError)
    }

    private enum Phase { case idle, udp, tcp, done }

    let query: DNSMessage
    let wire: [UInt8]
    let options: ExchangeOptions
    private var phase = Phase.idle
    private var transmissions = 0
    /// ``ExchangeOptions/timeout`` and the retransmission interval, cut to ``ExchangeOptions/longestTimeout``.
    private let timeout: Duration
    private let retransmitInterval: Duration
    private var deadline: ContinuousClock.Instant
    /// No deadline extension goes past this: twice the timeout from the start.
    private let latestDeadline: ContinuousClock.Instant
    /// When octets of this query's answer last arrived on its stream.
    private var lastActivity: ContinuousClock.Instant?
    private var nextRetransmit: ContinuousClock.Instant?
    private var ignored = 0

    /// Over TLS and HTTPS with a padding block size, the query gets an EDNS padding option
    /// that makes it a multiple of that size (RFC 8467 §4.1).
    /// Over TCP and TLS, until the server has said (`serverKeepaliveKnown`), the query carries
    /// an empty EDNS TCP keepalive option, inviting the server to say how long it keeps idle
    /// connections (RFC 7828 §3.2.1).
    init(query: DNSMessage, options: ExchangeOptions, now: ContinuousClock.Instant, serverKeepaliveKnown: Bool = false) throws {
        var query = query
        if Self.asksForKeepalive(options), !serverKeepaliveKnown, query.edns != nil {
            query.edns?.options.append(.tcpKeepalive(timeout: nil))
        }
        if let block = options.paddingBlockSize, block > 0, query.edns != nil {
            let padding = EDNS.padding(messageLength: try query.wireLength(), blockSize: block)
            query.edns?.options.append(padding)
        }
        self.query = query
        self.wire = try query.serialize()
        self.options = options
        timeout = min(options.timeout, ExchangeOptions.longestTimeout)
        retransmitInterval = min(options.retransmitInterval, ExchangeOptions.longestTimeout)
        deadline = now + timeout
        latestDeadline = now + timeout * 2
    }

    /// Whether queries with these options go over a DNS stream (TCP or TLS, not HTTPS), where
    /// the EDNS TCP keepalive option applies.
    static func asksForKeepalive(_ options: ExchangeOptions) -> Bool { options.streamOnly && options.https == nil }

    var isFinished: Bool { phase == .done }
    var usesTCP: Bool { phase == .tcp }

    mutating func start(now: ContinuousClock.Instant) -> [Action] {
        guard !options.streamOnly else {
            phase = .tcp
            return [.sendTCP(wire), .armTimer(deadline)]
        }
        phase = .udp
        return transmitUDP(now: now)
    }

    private mutating func transmitUDP(now: ContinuousClock.Instant) -> [Action] {
        transmissions += 1
        var actions: [Action] = [.sendUDP(wire)]
        if transmissions <= options.retransmissions {
            let wait = min(retransmitInterval * (1 << min(transmissions - 1, 16)), timeout)
            nextRetransmit = now + wait
        } else {
            nextRetransmit = nil
        }
        actions.append(.armTimer(min(nextRetransmit ?? deadline, deadline)))
        return actions
    }

    /// A datagram arrived on the query's UDP socket.
    mutating func receivedUDP(_ bytes: [UInt8], from source: SocketAddress?, server: SocketAddress) -> [Action] {
        guard phase == .udp else { return [] }
        if let source, source != server { return ignore("datagram from \(source), not \(server)") }
        switch check(bytes) {
        case .failure(let reason):
            return ignore(reason.description)
        case .success(let response):
            if response.header.flags.contains(.tc) && options.connectionMode == .auto {
                phase = .tcp
                nextRetransmit = nil
                return [.log("truncated UDP response; retrying over TCP"), .closeUDP, .sendTCP(wire), .armTimer(deadline)]
            }
            return finish(.response(response, wire: bytes, overTCP: false))
        }
    }

    /// A whole DNS message arrived on the query's stream (TCP, TLS, or an HTTPS response
    /// body); one that does not answer the query fails the exchange with `rejection`.
    mutating func receivedTCP(_ bytes: [UInt8], rejection: TransportError.Code = .malformedResponse) -> [Action] {
        guard phase == .tcp else { return [] }
        switch check(bytes) {
        case .failure(let reason):
            return finish(.failure(TransportError(rejection, "response rejected: \(reason)")))
        case .success(let response):
            return finish(.response(response, wire: bytes, overTCP: true))
        }
    }

    /// Octets of this query's answer arrived on its stream (not octets the connection
    /// ignored, handshake records, or interim HTTP responses).
    mutating func answerProgressed(now: ContinuousClock.Instant) {
        lastActivity = now
    }

    /// The timer went off. Unless timeouts are absolute, or the query started over UDP, the
    /// deadline is the last progress of the answer plus the timeout, but never later than
    /// twice the timeout from the start.
    mutating func timerFired(now: ContinuousClock.Instant) -> [Action] {
        guard phase != .done, phase != .idle else { return [] }
        if phase == .tcp, options.streamOnly, !options.absoluteTimeout, let lastActivity {
            deadline = min(max(deadline, lastActivity + timeout), latestDeadline)
        }
        if now >= deadline {
            let detail = ignored > 0 ? "no valid response (\(ignored) ignored)" : "no response"
            return finish(.failure(TransportError(.timedOut, "\(detail) within \(timeout)")))
        }
        if phase == .udp, let retransmit = nextRetransmit, now >= retransmit {
            return [.log("retransmitting over UDP (\(transmissions + 1))")] + transmitUDP(now: now)
        }
        return [.armTimer(min(nextRetransmit ?? deadline, deadline))]
    }

    /// The transport failed (connection refused, reset, …).
    mutating func failed(_ error: TransportError) -> [Action] {
        guard phase != .done else { return [] }
        return finish(.failure(error))
    }

    private mutating func finish(_ outcome: Outcome) -> [Action] {
        defer { phase = .done }
        return phase == .udp ? [.closeUDP, .finish(outcome)] : [.finish(outcome)]
    }

    private mutating func ignore(_ reason: String) -> [Action] {
        ignored += 1
        return [.log("ignored reply: \(reason)")]
    }

    /// Parses `bytes` and checks it answers this query.
    private func check(_ bytes: [UInt8]) -> Result<DNSMessage, Reason> {
        guard bytes.count >= 12 else { return .failure(Reason("reply of \(bytes.count) octets")) }
        let id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        guard id == query.id else { return .failure(Reason("ID \(id) instead of \(query.id)")) }
        let response: DNSMessage
        do { response = try DNSMessage(wire: bytes) } catch { return .failure(Reason("malformed: \(error)")) }
        guard response.header.flags.contains(.qr) else { return .failure(Reason("QR bit clear")) }
        guard response.questions == query.questions else {
            return .failure(Reason("question \(response.questions.map(\.description)) does not match"))
        }
        return .success(response)
    }

    struct Reason: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
