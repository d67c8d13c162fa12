// SPDX-License-Identifier: Apache-2.0
// The sans-I/O state machine of one query: servers in turn, retransmission, response
// matching, TC fallback, deadlines, and answers of several messages.

public import DNSWire
internal import Glibc

/// What a finished exchange produced.
public struct ExchangeResult: Sendable {
    public internal(set) var response: DNSMessage
    /// The response octets as received (for an answer from the cache, ``response`` written
    /// out, when asked for).
    public var wire: [UInt8] { receivedWire ?? ((try? response.serialize()) ?? []) }
    private let receivedWire: [UInt8]?
    /// The address that answered (for an answer from the cache, the unspecified address).
    public let server: SocketAddress
    /// Whether the response came over a stream (TCP, TLS, HTTPS; directly or after a
    /// truncated UDP answer).
    public let overTCP: Bool
    /// Which of the servers of a server set answered (an index into them; 0 otherwise).
    public internal(set) var serverIndex = 0
    /// Whether the answer came from a ``ResponseCache`` (fresh, or stale with EDE 3 or 19).
    public internal(set) var fromCache = false
    /// The DNSSEC verdict on the answer, when it was validated (``ResponseValidator``).
    public internal(set) var dnssec: ValidationFinding?

    /// The response, moved out of the result (which ends): for a caller that keeps the
    /// answer, so it is not copied (a copy retains each of its parts).
    public consuming func takeResponse() -> DNSMessage {
        // Swapped out: returning the field would copy it, then release the rest of the result.
        var taken = DNSMessage()
        swap(&taken, &response)
        return taken
    }
}

extension ExchangeResult {
    // Both made with the memberwise initializer, which the struct keeps by declaring these
    // here: one that assigns each field would make an extra copy of the finished result (the
    // optimizer of Swift 6.3 does so for a struct this large with an optional field), which
    // retains and releases each of its parts.

    init(response: DNSMessage, wire: [UInt8], server: SocketAddress, overTCP: Bool) {
        self.init(response: response, receivedWire: wire, server: server, overTCP: overTCP)
    }

    /// An answer the cache gave.
    public init(cached message: DNSMessage) {
        self.init(response: message, receivedWire: nil, server: .unspecified, overTCP: false, fromCache: true)
    }
}

/// What the caller of an exchange of several messages makes of each one.
public enum MessageVerdict: Sendable {
    /// The answer goes on: wait for the next message.
    case more
    /// That message completed the answer.
    case complete
    /// The messages do not make an answer (the caller says why).
    case failed(TransportError)
}

/// The state of one query, free of I/O: events go in, actions come out.
///
/// The driver (``DNSEngine``) performs the actions on real sockets and feeds back what
/// happened. The servers are tried in order, each within its share of the time left; a
/// server that fails (a network error, its share of time spent, or — with
/// ``ExchangeOptions/movesOnServerFailure`` — SERVFAIL or REFUSED) makes the exchange move
/// to the next, all within one deadline. Responses are accepted only when their ID, QR bit
/// and question match the query; anything else is reported as ignored and the exchange
/// keeps waiting.
struct QueryExchange {
    enum Action: Equatable {
        case sendUDP([UInt8], server: Int)
        case sendStream([UInt8], server: Int)
        /// Stop using UDP (close the socket): the exchange moved to TCP, to another server, or finished.
        case closeUDP
        /// Stop waiting on the stream the query was sent on: it moved to another server.
        case leaveStream
        /// The server said with EDNS TCP keepalive (RFC 7828) how long it keeps idle
        /// connections: the stream the answer came on may close that much sooner.
        case serverKeepsIdle(Duration)
        /// Wake the exchange at this deadline (made with ``armTimer(_:)``).
        case armTimerAt(TimerDeadline)
        case log(String)
        /// Hand one message of several to the caller, whose verdict comes back through
        /// ``QueryExchange/judged(_:)``.
        case deliver(DNSMessage, wire: [UInt8])
        case finish(Outcome)

        /// Wake the exchange at `deadline`.
        static func armTimer(_ deadline: ContinuousClock.Instant) -> Action { .armTimerAt(TimerDeadline(deadline)) }
    }

    /// An instant kept as its offset from a fixed origin, a `Duration`. `ContinuousClock.Instant`'s
    /// layout is opaque outside the standard library: held in an action, it would make every
    /// copy of one a call through the type's run-time witnesses.
    struct TimerDeadline: Equatable {
        private static let origin = ContinuousClock.now
        private let offset: Duration

        init(_ instant: ContinuousClock.Instant) { offset = Self.origin.duration(to: instant) }

        var instant: ContinuousClock.Instant { Self.origin + offset }
    }

    enum Outcome: Equatable {
        case response(DNSMessage, wire: [UInt8], overTCP: Bool, server: Int)
        case failure(TransportError)
    }

    private enum Phase { case idle, udp, stream, done }

    let query: DNSMessage
    /// An UPDATE message sent in place of ``query``, which then stands for its ID and zone.
    let update: UpdateMessage?
    /// The query as sent to the current server (its cookie differs from server to server).
    private(set) var wire: [UInt8]
    let options: ExchangeOptions
    let serverCount: Int
    /// The server being asked, an index into the exchange's servers.
    private(set) var server = 0
    private var phase = Phase.idle
    private var transmissions = 0
    /// ``ExchangeOptions/timeout`` and the retransmission interval, cut to ``ExchangeOptions/longestTimeout``.
    private let timeout: Duration
    private let retransmitInterval: Duration
    /// When the whole exchange ends, and when the current server's share of it does.
    private var deadline: ContinuousClock.Instant
    private var serverDeadline: ContinuousClock.Instant
    /// No deadline extension goes past this: twice the timeout from the start (for answers
    /// of several messages, their overall limit).
    private let latestDeadline: ContinuousClock.Instant
    /// When octets of this query's answer last arrived on its stream.
    private var lastActivity: ContinuousClock.Instant?
    private var nextRetransmit: ContinuousClock.Instant?
    private var ignored = 0
    /// The last message delivered to the caller of a several-message exchange.
    private var delivered: (message: DNSMessage, wire: [UInt8])?
    /// Whether the caller stopped reading the answer of several messages for now: the time
    /// between messages is then not counted (the answer's overall limit still is).
    private var readingPaused = false
    /// The answer of a failing server kept in case no other server does better.
    private var fallbackAnswer: Outcome?
    /// With ``ExchangeOptions/cookies`` (UDP and TCP, a query with EDNS): the engine's cookies
    /// and the servers' addresses they are kept for.
    private let cookies: (jar: CookieJar, addresses: [SocketAddress])?
    /// Whether a BADCOOKIE answer was already retried with the new server cookie.
    private var retriedBadCookie = false
    /// With ``ExchangeOptions/tsig``: the signature of the query as last written, and the
    /// verification of the response messages so far.
    private var tsig: TSIGSession?

    /// Over TLS and HTTPS with a padding block size, the query gets an EDNS padding option
    /// that makes it a multiple of that size (RFC 8467 §4.1).
    /// Over TCP and TLS, until the server has said (`serverKeepaliveKnown`), the query carries
    /// an empty EDNS TCP keepalive option, inviting the server to say how long it keeps idle
    /// connections (RFC 7828 §3.2.1).
    /// - Throws: ``TransportError/Code/invalidQuery`` when the query cannot be written.
    /// With cookies (`cookies`, the engine's jar and the servers' addresses), each server's
    /// query carries its COOKIE option (RFC 7873).
    init(
        query asked: consuming DNSMessage, update: UpdateMessage? = nil, options: ExchangeOptions, servers: Int = 1,
        now: ContinuousClock.Instant, serverKeepaliveKnown: Bool = false,
        cookies: (jar: CookieJar, addresses: [SocketAddress])? = nil
    ) throws(TransportError) {
        var query = consume asked
        if options.transport.asksForKeepalive, !serverKeepaliveKnown, query.edns != nil {
            query.edns?.options.append(.tcpKeepalive(timeout: nil))
        }
        let clearText: Bool
        switch options.transport {
        case .udp, .tcp: clearText = true
        case .tls, .https: clearText = false
        case .dtls(let settings):
            clearText = false
            // The answer must fit one record of the session (RFC 8094 §5).
            if let size = query.edns?.udpPayloadSize { query.edns?.udpPayloadSize = min(size, UInt16(clamping: settings.largestMessage)) }
        }
        let cookies = options.cookies && clearText && query.edns != nil ? cookies : nil
        self.cookies = cookies
        self.update = update
        wire = try Self.write(query, update: update, cookie: Self.cookieOption(cookies, server: 0), paddingBlock: options.transport.paddingBlockSize)
        self.query = consume query
        if let key = options.tsig { (wire, tsig) = try Self.sign(wire, key: key, fudge: options.tsigFudge) }
        serverCount = max(1, servers)
        timeout = min(options.timeout, ExchangeOptions.longestTimeout)
        retransmitInterval = min(options.retransmitInterval, ExchangeOptions.longestTimeout)
        deadline = now + timeout
        if options.severalMessages {
            latestDeadline = now + min(options.severalMessagesLimit ?? ExchangeOptions.longestTimeout, ExchangeOptions.longestTimeout)
            deadline = min(deadline, latestDeadline)
        } else {
            latestDeadline = now + Self.doubled(timeout, times: 1)
        }
        serverDeadline = deadline
        self.options = options  // after its last other use: moved, not copied
    }

    /// The query's octets with the server's COOKIE option and, over TLS and HTTPS with a
    /// padding block size, EDNS padding to a multiple of it (RFC 8467 §4.1).
    private static func write(_ query: DNSMessage, update: UpdateMessage?, cookie: EDNSOption?, paddingBlock: Int?) throws(TransportError)
        -> [UInt8]
    {
        if var update {
            update.id = query.id
            if let cookie { update.edns?.options.append(cookie) }
            do { return try update.serialize() } catch { throw TransportError(.invalidQuery, "the update cannot be written: \(error)") }
        }
        do {
            // Nothing to add: written as it is, without a copy of the message to change.
            guard cookie != nil || paddingBlock != nil else { return try query.serialize() }
            var message = query
            if let cookie { message.edns?.options.append(cookie) }
            if let block = paddingBlock, block > 0, message.edns != nil {
                let padding = EDNS.padding(messageLength: try message.wireLength(), blockSize: block)
                message.edns?.options.append(padding)
            }
            return try message.serialize()
        } catch {
            throw TransportError(.invalidQuery, "the query cannot be written: \(error)")
        }
    }

    /// `duration` doubled `times` times. (Duration's `*` is generic over the integer type and
    /// left unspecialized: it costs more than the rest of a query's arithmetic.)
    private static func doubled(_ duration: Duration, times: Int) -> Duration {
        var result = duration
        for _ in 0..<times { result += result }
        return result
    }

    /// Seconds since 1970, TSIG's clock.
    private static var unixTime: UInt64 { UInt64(max(0, time(nil))) }

    /// `wire` signed with `key` now, and the session that verifies its answer.
    private static func sign(_ wire: [UInt8], key: TSIGKey, fudge: UInt16) throws(TransportError) -> ([UInt8], TSIGSession) {
        var session = TSIGSession(key: key, fudge: fudge)
        do {
            return (try session.sign(wire, now: Self.unixTime), session)
        } catch {
            throw TransportError(.invalidQuery, "the query cannot be signed: \(error.message)")
        }
    }

    /// The COOKIE option for server `index`, when the exchange uses cookies.
    private static func cookieOption(_ cookies: (jar: CookieJar, addresses: [SocketAddress])?, server index: Int) -> EDNSOption? {
        guard let cookies, index < cookies.addresses.count else { return nil }
        return cookies.jar.option(for: cookies.addresses[index])
    }

    /// Writes the query again for the current server (its cookie, or the server cookie just
    /// learned), signed afresh.
    private mutating func rewrite() throws(TransportError) {
        wire = try Self.write(
            query, update: update, cookie: Self.cookieOption(cookies, server: server), paddingBlock: options.transport.paddingBlockSize)
        if let key = options.tsig { (wire, tsig) = try Self.sign(wire, key: key, fudge: options.tsigFudge) }
    }

    var isFinished: Bool { phase == .done }
    var usesStream: Bool { phase == .stream }

    mutating func start(now: ContinuousClock.Instant) -> [Action] {
        startServer(now: now)
    }

    /// Asks the current server: its share of the time left is that time divided among the
    /// servers not yet asked.
    private mutating func startServer(now: ContinuousClock.Instant) -> [Action] {
        let left = serverCount - server
        serverDeadline = left <= 1 ? deadline : now + now.duration(to: deadline) / left
        transmissions = 0
        if cookies != nil || tsig != nil, server > 0 {
            do throws(TransportError) { try rewrite() } catch { return finish(.failure(error)) }
        }
        switch options.transport {
        case .udp: break
        case .dtls(let settings) where wire.count > settings.largestMessage:
            guard settings.fallbackToTLS else {
                return finish(.failure(TransportError(.invalidQuery, "a query of \(wire.count) octets does not fit one DTLS record")))
            }
            phase = .stream
            return [
                .log("query of \(wire.count) octets too large for DTLS; sending it over DNS over TLS"), .sendStream(wire, server: server),
                .armTimer(min(serverDeadline, deadline)),
            ]
        case .dtls: break
        case .tcp, .tls, .https:
            phase = .stream
            return [.sendStream(wire, server: server), .armTimer(min(serverDeadline, deadline))]
        }
        phase = .udp
        return transmitUDP(now: now)
    }

    private mutating func transmitUDP(now: ContinuousClock.Instant) -> [Action] {
        transmissions += 1
        if transmissions <= options.retransmissions {
            let wait = min(Self.doubled(retransmitInterval, times: min(transmissions - 1, 16)), timeout)
            nextRetransmit = now + wait
        } else {
            nextRetransmit = nil
        }
        return [.sendUDP(wire, server: server), .armTimer(min(nextRetransmit ?? serverDeadline, serverDeadline))]
    }

    /// A datagram arrived on the query's UDP socket.
    mutating func receivedUDP(
        _ bytes: [UInt8], from source: SocketAddress?, server address: SocketAddress, now: ContinuousClock.Instant = .now
    ) -> [Action] {
        guard phase == .udp else { return [] }
        if let source, source != address { return ignore("datagram from \(source), not \(address)") }
        switch check(bytes) {
        case .failure(let reason):
            return ignore(reason.description)
        case .success(let (response, bytes)):
            if response.header.flags.contains(.tc), let retry = options.transport.truncationRetry {
                phase = .stream
                nextRetransmit = nil
                if tsig != nil {
                    do throws(TransportError) { try rewrite() } catch { return finish(.failure(error)) }
                }
                return [.log(retry), .closeUDP, .sendStream(wire, server: server), .armTimer(serverDeadline)]
            }
            if let failed = verifySignature(bytes) { return failed }
            return answered(response, wire: bytes, overTCP: false, now: now)
        }
    }

    /// A whole DNS message arrived on the query's stream (TCP, TLS, or an HTTPS response
    /// body); one that does not answer the query fails the exchange with `rejection`.
    mutating func receivedStream(
        _ bytes: [UInt8], rejection: TransportError.Code = .malformedResponse, now: ContinuousClock.Instant = .now
    ) -> [Action] {
        guard phase == .stream else { return [] }
        switch check(bytes) {
        case .failure(let reason):
            return finish(.failure(TransportError(rejection, "response rejected: \(reason)")))
        case .success(let (response, bytes)):
            if let failed = verifySignature(bytes) { return failed }
            return answered(response, wire: bytes, overTCP: true, now: now)
        }
    }

    /// Verifies a response message's TSIG (with ``ExchangeOptions/tsig``): nil when it may be
    /// taken (verified, an unsigned message between signed ones of a transfer, or the
    /// server's own TSIG error, which the answer carries), else the end of the exchange.
    private mutating func verifySignature(_ bytes: [UInt8]) -> [Action]? {
        guard var session = tsig else { return nil }
        let verdict = session.verify(bytes, now: Self.unixTime)
        switch verdict {
        case .verified, .serverError: break
        case .pending where options.severalMessages: break
        case .pending: return finish(.failure(TransportError(.tsigVerificationFailed, "the response is not signed")))
        case .failed(let failure): return finish(.failure(TransportError(.tsigVerificationFailed, failure.description)))
        }
        tsig = session
        return nil
    }

    /// A valid answer: delivered (several messages), taken, or — SERVFAIL or REFUSED with
    /// servers left — kept while the next server is asked.
    /// The response and its octets are taken over (`consuming`): the answer is moved into
    /// the outcome, not copied (a copy retains each of its sections).
    private mutating func answered(
        _ response: consuming DNSMessage, wire bytes: consuming [UInt8], overTCP: Bool, now: ContinuousClock.Instant
    ) -> [Action] {
        var keepalive: Action?
        if overTCP, options.transport.asksForKeepalive {
            for case .tcpKeepalive(let timeout?) in response.edns?.options ?? [] {
                keepalive = .serverKeepsIdle(.milliseconds(Int(timeout) * 100))
            }
        }
        if cookies != nil, response.responseCode == .badCookie, phase == .udp {
            return retryAfterBadCookie(now: now)
        }
        let actions: [Action]
        let code = response.responseCode
        if options.severalMessages {
            delivered = (copy response, copy bytes)
            actions = [.deliver(consume response, wire: consume bytes)]
        } else if options.movesOnServerFailure, code == .servFail || code == .refused, server + 1 < serverCount {
            fallbackAnswer = .response(consume response, wire: consume bytes, overTCP: overTCP, server: server)
            actions = moveOn("answered \(code)", now: now)
        } else {
            actions = finish(.response(consume response, wire: consume bytes, overTCP: overTCP, server: server))
        }
        guard let keepalive else { return actions }
        return [keepalive] + actions
    }

    /// BADCOOKIE over UDP (RFC 7873 §5.3): once more with the server cookie it just sent,
    /// then over TCP.
    private mutating func retryAfterBadCookie(now: ContinuousClock.Instant) -> [Action] {
        do throws(TransportError) { try rewrite() } catch { return finish(.failure(error)) }
        if !retriedBadCookie {
            retriedBadCookie = true
            return [.log("BADCOOKIE; retrying with the server's new cookie")] + transmitUDP(now: now)
        }
        phase = .stream
        nextRetransmit = nil
        return [.log("BADCOOKIE again; retrying over TCP"), .closeUDP, .sendStream(wire, server: server), .armTimer(serverDeadline)]
    }

    /// The caller's verdict on the message last delivered.
    mutating func judged(_ verdict: MessageVerdict, now: ContinuousClock.Instant) -> [Action] {
        guard phase != .done, let delivered else { return [] }
        switch verdict {
        case .more:
            // Between messages the timeout is an inactivity timeout of its own, within the
            // answer's overall limit.
            deadline = min(now + timeout, latestDeadline)
            serverDeadline = deadline
            return [.armTimer(deadline)]
        case .complete:
            if let tsig, case .failed(let failure) = tsig.finish() {
                return finish(.failure(TransportError(.tsigVerificationFailed, failure.description)))
            }
            return finish(.response(delivered.message, wire: delivered.wire, overTCP: phase == .stream, server: server))
        case .failed(let error):
            return finish(.failure(error))
        }
    }

    /// The caller stops (or resumes) reading the answer of several messages. Resuming starts
    /// the wait for the next message afresh.
    mutating func setReadingPaused(_ paused: Bool, now: ContinuousClock.Instant) -> [Action] {
        guard options.severalMessages, phase != .done, paused != readingPaused else { return [] }
        readingPaused = paused
        guard !paused, delivered != nil else { return [] }
        deadline = min(now + timeout, latestDeadline)
        serverDeadline = deadline
        return [.armTimer(deadline)]
    }

    /// Octets of this query's answer arrived on its stream (not octets the connection
    /// ignored, handshake records, or interim HTTP responses).
    mutating func answerProgressed(now: ContinuousClock.Instant) {
        lastActivity = now
    }

    /// The timer went off. Unless timeouts are absolute, or the query started over UDP, the
    /// deadline is the last progress of the answer plus the timeout, but never later than
    /// twice the timeout from the start. A server whose share of the time ran out gives way
    /// to the next.
    mutating func timerFired(now: ContinuousClock.Instant) -> [Action] {
        guard phase != .done, phase != .idle else { return [] }
        if phase == .stream, options.transport.startsOnStream, !options.absoluteTimeout, !options.severalMessages, let lastActivity {
            deadline = min(max(deadline, lastActivity + timeout), latestDeadline)
            serverDeadline = max(serverDeadline, min(lastActivity + timeout, deadline))
        }
        if readingPaused, delivered != nil, now < latestDeadline { return [.armTimer(latestDeadline)] }
        if now >= deadline {
            if let fallbackAnswer { return finish(fallbackAnswer) }
            if options.severalMessages, delivered != nil, now >= latestDeadline, let limit = options.severalMessagesLimit {
                return finish(.failure(TransportError(.timedOut, "the answer took longer than its limit of \(limit)")))
            }
            let detail = ignored > 0 ? "no valid response (\(ignored) ignored)" : "no response"
            return finish(.failure(TransportError(.timedOut, "\(detail) within \(timeout)")))
        }
        if now >= serverDeadline { return moveOn("no response in its share of the time", now: now) }
        if phase == .udp, let retransmit = nextRetransmit, now >= retransmit {
            return [.log("retransmitting over UDP (\(transmissions + 1))")] + transmitUDP(now: now)
        }
        return [.armTimer(min(nextRetransmit ?? serverDeadline, serverDeadline))]
    }

    /// The transport failed (connection refused, reset, …): the next server, if any, is asked.
    mutating func failed(_ error: TransportError, now: ContinuousClock.Instant = .now) -> [Action] {
        guard phase != .done else { return [] }
        guard server + 1 < serverCount, !options.severalMessages || delivered == nil else { return finish(.failure(error)) }
        return moveOn(error.detail, now: now)
    }

    /// Leaves the current server for the next one.
    private mutating func moveOn(_ reason: String, now: ContinuousClock.Instant) -> [Action] {
        guard server + 1 < serverCount else {
            return finish(fallbackAnswer ?? .failure(TransportError(.timedOut, "no response within \(timeout)")))
        }
        let leaving: Action = phase == .udp ? .closeUDP : .leaveStream
        server += 1
        nextRetransmit = nil
        lastActivity = nil
        return [.log("server \(server) of \(serverCount) failed (\(reason)); asking the next"), leaving] + startServer(now: now)
    }

    private mutating func finish(_ outcome: consuming Outcome) -> [Action] {
        defer { phase = .done }
        return phase == .udp ? [.closeUDP, .finish(outcome)] : [.finish(outcome)]
    }

    /// A reply that does not answer the query: logged and ignored (the exchange keeps
    /// waiting), or with ``ExchangeOptions/ignoresUnexpected`` off, the end of the exchange.
    private mutating func ignore(_ reason: String) -> [Action] {
        guard options.ignoresUnexpected else {
            return finish(.failure(TransportError(.malformedResponse, "unexpected reply: \(reason)")))
        }
        ignored += 1
        return [.log("ignored reply: \(reason)")]
    }

    /// Parses `bytes` and checks it answers this query; the message and its octets (without
    /// octets after it, which only ``ExchangeOptions/ignoresTrailingData`` lets through).
    private func check(_ bytes: [UInt8]) -> Result<(DNSMessage, [UInt8]), Reason> {
        guard bytes.count >= 12 else { return .failure(Reason("reply of \(bytes.count) octets")) }
        let id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        guard id == query.id else { return .failure(Reason("ID \(id) instead of \(query.id)")) }
        var bytes = bytes
        let response: DNSMessage
        do {
            response = try DNSMessage(wire: bytes)
        } catch let error as WireFormatError where options.ignoresTrailingData && error.code == .trailingMessageData {
            guard let end = error.offset, end <= bytes.count, let message = try? DNSMessage(wire: Array(bytes[..<end])) else {
                return .failure(Reason("malformed: \(error)"))
            }
            (response, bytes) = (message, Array(bytes[..<end]))
        } catch {
            return .failure(Reason("malformed: \(error)"))
        }
        guard response.header.flags.contains(.qr) else { return .failure(Reason("QR bit clear")) }
        // Later messages of a zone transfer may leave the question out (RFC 5936 §2.2.1).
        let questionLeftOut = options.severalMessages && delivered != nil && response.questions.isEmpty
        guard response.questions == query.questions || questionLeftOut else {
            return .failure(Reason("question \(response.questions.map(\.description)) does not match"))
        }
        if let cookies, server < cookies.addresses.count {
            for case .cookie(let client, let serverCookie) in response.edns?.options ?? [] {
                guard cookies.jar.accept(client, server: serverCookie, from: cookies.addresses[server]) else {
                    return .failure(Reason("client cookie does not match"))
                }
            }
        }
        if options.questionCaseMustMatch, !questionLeftOut, response.questions.map(\.name.wire) != query.questions.map(\.name.wire) {
            return .failure(Reason("question \(response.questions.map(\.description)) does not match the query's case"))
        }
        return .success((response, bytes))
    }

    struct Reason: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
