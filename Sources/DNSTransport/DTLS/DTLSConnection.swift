// SPDX-License-Identifier: Apache-2.0
// One DNS-over-DTLS session with a server, shared by the queries to it.

internal import Glibc

/// A DTLS 1.2 session with one server (RFC 8094) on a connected UDP socket, carrying many
/// queries at once, each DNS message in one record, matched to its exchange by message ID.
///
/// The session opens on the first query (the queries wait for the handshake, whose flights
/// OpenSSL's DTLS timer retransmits on the loop's timers), stays open across queries, and
/// closes with close_notify after ``idleTimeout`` without queries. Retransmitting a lost
/// query is the exchange's business (the UDP schedule): a query sent again goes out again.
/// A session the server ended (an alert) or forgot (a restarted server ignores it: a query
/// is retransmitted a second time and nothing at all came back since it was first sent) is
/// handshaken again once, resuming when the server still knows the session, and its queries are sent
/// again; if that session dies too before answering, its queries fail.
final class DTLSConnection: ExchangeCarrier {
    let server: SocketAddress
    private let loop: PollLoop
    private let options: SocketOptions
    private let setup: TLSClientSetup
    private let settings: DTLSSettings
    /// How long the session stays open without queries; a change applies at once.
    var idleTimeout: Duration {
        didSet {
            guard let idleTimer else { return }
            loop.cancelTimer(idleTimer)
            self.idleTimer = nil
            scheduleIdleCloseIfUnused()
        }
    }

    /// An answer (one record) for a query, by the query's handle.
    var onAnswer: (UInt64, [UInt8]) -> Void = { _, _ in }
    /// The session failed for good; the handles were waiting on it.
    var onFailure: (TransportError, [UInt64]) -> Void = { _, _ in }
    var onLog: (() -> String) -> Void = { _ in }

    private struct Query {
        let handle: UInt64
        /// The query as last sent, sent again on a new session.
        var wire: [UInt8]
        /// When it was first sent on the current session (nil: waiting for the handshake).
        var sent: ContinuousClock.Instant?
        /// How often it was sent again on the current session.
        var resent = 0
    }

    private var socket: Socket?
    private var session: TLSSession?
    /// The queries waiting for answers, by message ID (unique among outstanding exchanges).
    private var waiting: [UInt16: Query] = [:]
    private var idByHandle: [UInt64: UInt16] = [:]
    /// When the session was established, and when a record last arrived on it.
    private var established: ContinuousClock.Instant?
    private var lastReceived: ContinuousClock.Instant?
    /// Whether the current session was opened again after the last one died.
    private var reopened = false
    private var handshakeTimer: PollLoop.TimerID?
    private var idleTimer: PollLoop.TimerID?

    init(server: SocketAddress, settings: DTLSSettings, setup: TLSClientSetup, loop: PollLoop, options: SocketOptions, idleTimeout: Duration) {
        self.server = server
        self.settings = settings
        self.setup = setup
        self.loop = loop
        self.options = options
        self.idleTimeout = idleTimeout
    }

    /// Sends `wire` (message ID `id`) for `handle`; opens the session if needed (a failure to
    /// open it comes back through ``onFailure``). Sending the same query again is a
    /// retransmission.
    func send(_ wire: [UInt8], id: UInt16, for handle: UInt64) throws(TransportError) {
        if let idleTimer { loop.cancelTimer(idleTimer) }
        idleTimer = nil
        if let old = idByHandle[handle], old != id { forget(handle, timedOut: false) }
        let first = waiting[id]?.handle != handle
        if first {
            waiting[id] = Query(handle: handle, wire: wire, sent: nil)
            idByHandle[handle] = id
        } else {
            waiting[id]?.wire = wire
        }
        if socket == nil {
            // A session that cannot even start fails every query waiting for it, this one too.
            do throws(TransportError) { try open() } catch { fail(error) }
            return
        }
        guard let session, session.state == .established else { return }
        if !first, let query = waiting[id], let sent = query.sent {
            waiting[id]?.resent += 1
            // A second retransmission, and nothing came back since the query first went out:
            // the server may have forgotten the session (one lost datagram is just resent).
            if query.resent >= 1, !reopened, lastReceived.map({ $0 < sent }) ?? true {
                onLog { "no record from \(self.server) since the query went out; handshaking again" }
                return reopen()
            }
        }
        try transmit(id)
    }

    /// Stops waiting for `handle`'s answer.
    func forget(_ handle: UInt64, timedOut: Bool) {
        guard let id = idByHandle.removeValue(forKey: handle) else { return }
        if waiting[id]?.handle == handle { waiting[id] = nil }
        scheduleIdleCloseIfUnused()
    }

    /// Ends the session with close_notify (best effort) and closes the socket; queries
    /// still waiting run into their deadlines.
    func close() {
        if let session, session.state == .established { session.shutdown() }
        dropSession()
        if let idleTimer { loop.cancelTimer(idleTimer) }
        idleTimer = nil
    }

    private func open() throws(TransportError) {
        let socket = try Socket(family: server.family, type: Int32(SOCK_DGRAM.rawValue), options: options)
        _ = try socket.connect(to: server)
        let session = try TLSSession(
            context: setup.context, address: server, name: setup.name, datagram: (socket.fd, settings.payloadSize))
        self.socket = socket
        self.session = session
        established = nil
        lastReceived = nil
        loop.register(socket.fd, interest: .readable) { [unowned self] _ in self.readable() }
        let offer = session.offeredSession ? ", offering a saved session" : ""
        setup.status(TLSStatus(message: "DTLS handshake with \(server) started\(offer)", sessionResumed: nil))
        try advanceHandshake()
    }

    /// Runs the handshake as far as it goes and arms the DTLS timer for its flight.
    private func advanceHandshake() throws(TransportError) {
        guard let session else { return }
        try session.handshake()
        if let handshakeTimer { loop.cancelTimer(handshakeTimer) }
        handshakeTimer = nil
        if session.state == .established { return try handshakeFinished(session) }
        guard let delay = session.retransmissionDelay else { return }
        handshakeTimer = loop.schedule(at: .now + delay) { [unowned self] in
            self.handshakeTimer = nil
            guard let session = self.session, session.state == .handshaking else { return }
            guard !self.waiting.isEmpty else {
                self.onLog { "DTLS handshake with \(self.server) abandoned: no query waits for it" }
                return self.dropSession()
            }
            do throws(TransportError) {
                self.onLog { "DTLS handshake with \(self.server): retransmitting the last flight" }
                try session.retransmit()
                try self.advanceHandshake()
            } catch {
                self.fail(error)
            }
        }
    }

    /// The handshake finished: the certificate hook decides (not for a pre-shared key), then
    /// the waiting queries go out.
    private func handshakeFinished(_ session: TLSSession) throws(TransportError) {
        if !setup.context.usesPSK { try setup.authenticate(session, server: server) }
        setup.status(
            TLSStatus(
                message: "DTLS established with \(server): \(session.protocolVersion), \(session.cipher), "
                    + (session.sessionReused ? "session resumed" : "new session") + (setup.context.usesPSK ? ", pre-shared key" : ""),
                sessionResumed: session.sessionReused))
        established = .now
        for id in waiting.keys.sorted() { try transmit(id) }
        scheduleIdleCloseIfUnused()
    }

    /// Sends a waiting query as one record; one too large for the session's records fails alone.
    private func transmit(_ id: UInt16) throws(TransportError) {
        guard let session, let query = waiting[id] else { return }
        guard query.wire.count <= min(settings.largestMessage, session.largestRecord) else {
            forget(query.handle, timedOut: false)
            let error = TransportError(.invalidQuery, "a query of \(query.wire.count) octets does not fit one DTLS record")
            return onFailure(error, [query.handle])
        }
        try session.writeRecord(query.wire)
        if query.sent == nil { waiting[id]?.sent = .now }
    }

    private func readable() {
        guard let session else { return }
        do throws(TransportError) {
            if session.state == .handshaking {
                try advanceHandshake()
                guard session.state == .established else { return }
            }
            while self.session === session, let record = try session.readRecord() {
                lastReceived = .now
                reopened = false
                guard record.count >= 2, let query = waiting[UInt16(record[0]) << 8 | UInt16(record[1])] else {
                    onLog { "ignored DTLS record of \(record.count) octets with no query for its ID" }
                    continue
                }
                onAnswer(query.handle, record)
            }
            if self.session === session, session.state == .closed {
                throw TransportError(.connectionClosed, "the server ended the DTLS session")
            }
        } catch {
            died(error)
        }
    }

    /// The session failed: handshaken again once if it had been established (an alert, a
    /// server that closed it), else its queries fail; without queries it is just dropped.
    private func died(_ error: TransportError) {
        guard !waiting.isEmpty else {
            onLog { "DTLS session with \(self.server) ended (\(error.detail))" }
            return dropSession()
        }
        guard established != nil, !reopened, error.code == .connectionClosed || error.code == .tlsReadFailed else { return fail(error) }
        onLog { "DTLS session with \(self.server) ended (\(error.detail)); handshaking again" }
        reopen()
    }

    /// A new session in place of the current one (without close_notify: it is dead); the
    /// waiting queries go out on it once it is established.
    private func reopen() {
        dropSession()
        reopened = true
        for id in waiting.keys {
            waiting[id]?.sent = nil
            waiting[id]?.resent = 0
        }
        do throws(TransportError) { try open() } catch { fail(error) }
    }

    private func dropSession() {
        if let socket { loop.unregister(socket.fd) }
        if let handshakeTimer { loop.cancelTimer(handshakeTimer) }
        handshakeTimer = nil
        socket = nil
        session = nil
        established = nil
    }

    /// Fails every waiting query and closes the session.
    private func fail(_ error: TransportError) {
        onLog { "DTLS session with \(self.server) failed: \(error.detail)" }
        let lost = waiting.values.map(\.handle).sorted()
        waiting.removeAll()
        idByHandle.removeAll()
        dropSession()
        reopened = false
        onFailure(error, lost)
    }

    private func scheduleIdleCloseIfUnused() {
        guard socket != nil, waiting.isEmpty, established != nil, idleTimer == nil else { return }
        idleTimer = loop.schedule(at: .now + idleTimeout) { [unowned self] in
            self.idleTimer = nil
            self.onLog { "closing idle DTLS session with \(self.server)" }
            self.close()
        }
    }
}
