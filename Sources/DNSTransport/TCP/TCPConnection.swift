// SPDX-License-Identifier: Apache-2.0
// One TCP connection to a server, shared by many queries (RFC 7766).

internal import Glibc

/// What a connection needs to speak TLS: the context, the name to authenticate, and the
/// hooks that decide on the certificate and report progress.
struct TLSClientSetup {
    let context: TLSContext
    /// The authentication name (SNI and certificate check), or nil to check the IP address.
    let name: String?
    let verify: (inout TLSPeerVerification) -> Void
    let status: (TLSStatus) -> Void
}

/// A TCP connection, optionally inside TLS (RFC 7858), carrying length-prefixed DNS
/// messages (RFC 1035 §4.2.2), several in flight at once with answers matched by message ID
/// in any order (RFC 7766 §6.2.1).
///
/// The connection opens on first use, closes after ``idleTimeout`` without outstanding
/// queries, and reports its death with the IDs that were still waiting.
final class TCPConnection {
    let server: SocketAddress
    private let loop: PollLoop
    private let options: SocketOptions
    /// How long the connection stays open without outstanding queries; a change applies at once.
    var idleTimeout: Duration {
        didSet { rescheduleIdleClose() }
    }
    /// The idle timeout the server asked for with EDNS TCP keepalive (RFC 7828), if any.
    var serverIdleTimeout: Duration? {
        didSet { rescheduleIdleClose() }
    }
    private let tlsSetup: TLSClientSetup?
    private var tls: TLSSession?
    private var socket: Socket?
    private var connected = false
    /// Framed messages not yet handed to TLS or the socket.
    private var outgoing: [UInt8] = []
    /// Octets for the socket (ciphertext under TLS).
    private var wireOut: [UInt8] = []
    /// Reused for every read from the socket.
    private var receiveBuffer = [UInt8](repeating: 0, count: 65_536)
    private var incoming: [UInt8] = []
    private var idleTimer: PollLoop.TimerID?
    /// Whether a flush is already queued for the loop's next turn.
    private var flushQueued = false
    /// Message IDs written or queued and not yet answered.
    private(set) var waiting: Set<UInt16> = []

    /// A whole message for `id` arrived.
    var onMessage: (UInt16, [UInt8]) -> Void = { _, _ in }
    /// When octets last arrived (for inactivity deadlines).
    private(set) var lastActivity: ContinuousClock.Instant?
    /// The connection died; the IDs were waiting on it.
    var onFailure: (TransportError, Set<UInt16>) -> Void = { _, _ in }
    /// Log lines, built only when the receiver evaluates them.
    var onLog: (() -> String) -> Void = { _ in }

    init(server: SocketAddress, loop: PollLoop, options: SocketOptions, idleTimeout: Duration, tls: TLSClientSetup? = nil) {
        self.server = server
        self.loop = loop
        self.options = options
        self.idleTimeout = idleTimeout
        self.tlsSetup = tls
    }

    /// Whether messages can be written now: connected, and past the TLS handshake if any.
    private var ready: Bool { connected && (tlsSetup == nil || tls?.state == .established) }

    /// Queues a message; opens the connection if needed. Messages queued in one turn of the
    /// loop go out in one write, just before the loop waits.
    func send(id: UInt16, wire: [UInt8]) throws {
        if socket == nil { try open() }
        if let idleTimer { loop.cancelTimer(idleTimer) }
        idleTimer = nil
        waiting.insert(id)
        outgoing.append(UInt8(wire.count >> 8))
        outgoing.append(UInt8(wire.count & 0xFF))
        outgoing.append(contentsOf: wire)
        guard ready, !flushQueued else { return }
        flushQueued = true
        loop.beforeNextWait { [weak self] in
            self?.flushQueued = false
            self?.flush()
        }
    }

    /// Stops waiting for `id` (answered elsewhere, cancelled or timed out).
    func forget(_ id: UInt16) {
        waiting.remove(id)
        scheduleIdleCloseIfUnused()
    }

    /// Closes the connection; a TLS session is ended with close_notify first (best effort).
    func close() {
        if let tls, let socket {
            tls.shutdown()
            _ = try? socket.send(tls.takeCiphertext()[...])
        }
        if let socket { loop.unregister(socket.fd) }
        if let idleTimer { loop.cancelTimer(idleTimer) }
        socket = nil
        tls = nil
        connected = false
        idleTimer = nil
        outgoing.removeAll()
        wireOut.removeAll()
        incoming.removeAll()
    }

    private func open() throws {
        let socket = try Socket(family: server.family, type: Int32(SOCK_STREAM.rawValue), options: options)
        self.socket = socket
        let immediately = try socket.connect(to: server)
        onLog { "TCP connection to \(self.server) opening" }
        loop.register(socket.fd, interest: .writable) { [unowned self] events in self.handle(events) }
        if immediately { try connectionOpened() }
    }

    /// TCP is up: start TLS if configured.
    private func connectionOpened() throws {
        connected = true
        onLog { "TCP connection to \(self.server) open" }
        guard let tlsSetup else { return }
        let session = try TLSSession(context: tlsSetup.context, address: server, name: tlsSetup.name)
        let offer = session.offeredSession ? ", offering a saved session" : ""
        tlsSetup.status(TLSStatus(message: "TLS handshake with \(server) started\(offer)", sessionResumed: nil))
        tls = session
        try session.handshake()
    }

    private func handle(_ events: IOEvents) {
        guard let socket else { return }
        do {
            if !connected {
                let error = socket.pendingError()
                guard error == 0 else { return fail(.system("connect \(server)", errno: error)) }
                try connectionOpened()
            }
            if events.contains(.readable) || events.contains(.failure) { try readAvailable() }
        } catch let error as TransportError {
            return fail(error)
        } catch {
            return fail(TransportError(.connectionClosed, "\(error)"))
        }
        if self.socket != nil { flush() }
    }

    /// Moves framed messages through TLS (when ready) and writes what the socket takes.
    private func flush() {
        guard let socket else { return }
        do {
            if let tls {
                if tls.state == .established, !outgoing.isEmpty {
                    try tls.write(outgoing)
                    outgoing.removeAll()
                }
                wireOut += tls.takeCiphertext()
            } else if connected {
                wireOut += outgoing
                outgoing.removeAll()
            }
            while !wireOut.isEmpty {
                guard let sent = try socket.send(wireOut[...]) else { break }
                wireOut.removeFirst(sent)
            }
        } catch let error as TransportError {
            return fail(error)
        } catch {
            return
        }
        loop.setInterest(socket.fd, wireOut.isEmpty && connected ? .readable : [.readable, .writable])
    }

    /// The handshake finished: let the certificate hook decide, then report the session.
    private func handshakeFinished(_ session: TLSSession, _ setup: TLSClientSetup) throws {
        var verdict = session.verification(remote: server)
        setup.verify(&verdict)
        guard verdict.accept else {
            throw TransportError(.tlsCertificateRejected, "certificate of \(server) rejected: \(verdict.status)")
        }
        setup.status(
            TLSStatus(
                message: "TLS established with \(server): \(session.protocolVersion), \(session.cipher), "
                    + (session.sessionReused ? "session resumed" : "new session"),
                sessionResumed: session.sessionReused))
    }

    private func readAvailable() throws {
        guard let socket else { return }
        while let received = try socket.receive(into: &receiveBuffer) {
            if received.count == 0 {
                if tls?.state == .handshaking { throw TransportError(.tlsHandshakeFailed, "server closed the connection during the TLS handshake") }
                let detail = incoming.isEmpty ? "server closed the connection" : "server closed the connection mid-message"
                throw TransportError(.connectionClosed, detail)
            }
            lastActivity = .now
            if let tls, let tlsSetup {
                tls.feed(receiveBuffer[0..<received.count])
                if tls.state == .handshaking {
                    try tls.handshake()
                    if tls.state == .established { try handshakeFinished(tls, tlsSetup) }
                }
                if tls.state != .handshaking { incoming += try tls.readPlaintext() }
            } else {
                incoming.append(contentsOf: receiveBuffer[0..<received.count])
            }
            deliverMessages()
            guard self.socket != nil else { return }
            if tls?.state == .closed { throw TransportError(.connectionClosed, "server closed the TLS session") }
        }
    }

    private func deliverMessages() {
        var start = 0
        while incoming.count - start >= 2 {
            let length = Int(incoming[start]) << 8 | Int(incoming[start + 1])
            guard incoming.count - start - 2 >= length else { break }
            let message = Array(incoming[start + 2..<start + 2 + length])
            start += 2 + length
            guard message.count >= 2 else {
                return fail(TransportError(.malformedResponse, "TCP message of \(message.count) octets"))
            }
            let id = UInt16(message[0]) << 8 | UInt16(message[1])
            guard waiting.remove(id) != nil else {
                onLog { "ignored TCP message with unexpected ID \(id)" }
                continue
            }
            onMessage(id, message)
            guard socket != nil else { return }
        }
        incoming.removeFirst(start)
        scheduleIdleCloseIfUnused()
    }

    private func rescheduleIdleClose() {
        guard let idleTimer else { return }
        loop.cancelTimer(idleTimer)
        self.idleTimer = nil
        scheduleIdleCloseIfUnused()
    }

    private func scheduleIdleCloseIfUnused() {
        guard socket != nil, waiting.isEmpty, idleTimer == nil else { return }
        idleTimer = loop.schedule(at: .now + min(idleTimeout, serverIdleTimeout ?? idleTimeout)) { [unowned self] in
            self.idleTimer = nil
            self.onLog { "closing idle TCP connection to \(self.server)" }
            self.close()
        }
    }

    private func fail(_ error: TransportError) {
        let lost = waiting
        waiting.removeAll()
        onLog { "TCP connection to \(server) failed: \(error.detail)" }
        // A session that failed at the TLS level is not worth resuming: drop it without
        // close_notify. A server closing the connection leaves the session good.
        if error.code != .connectionClosed { tls = nil }
        close()
        onFailure(error, lost)
    }
}
