// SPDX-License-Identifier: Apache-2.0
// One stream connection to a server (TCP, optionally inside TLS), shared by many queries.

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

extension TLSClientSetup {
    /// The handshake with `server` finished: the verdict on its certificate goes to the
    /// certificate hook, which may change it.
    /// - Throws: ``TransportError/Code/tlsCertificateUntrusted``, `…Invalid` or `…Rejected`
    ///   when the certificate is not accepted.
    func authenticate(_ session: TLSSession, server: SocketAddress) throws(TransportError) {
        var verdict = session.verification(remote: server)
        status(
            TLSStatus(
                message: "certificate of \(server) received: \(verdict.subject), issued by \(verdict.issuer): \(verdict.status)",
                sessionResumed: nil))
        let verified = verdict.accept
        verify(&verdict)
        guard verdict.accept else {
            let code: TransportError.Code =
                switch verdict.failure {
                case .untrusted: .tlsCertificateUntrusted
                case .invalid: .tlsCertificateInvalid
                case .mismatch, nil: .tlsCertificateRejected
                }
            throw TransportError(code, "certificate of \(server) rejected: \(verdict.status)")
        }
        if !verified { status(TLSStatus(message: "certificate of \(server) accepted by the application", sessionResumed: nil)) }
    }
}

/// What an exchange needs of the connection it was sent on.
protocol ExchangeCarrier: AnyObject {
    /// Stops waiting for `handle`; `timedOut` says it was given up for lack of an answer.
    func forget(_ handle: UInt64, timedOut: Bool)
}

/// A TCP connection, optionally inside TLS, carrying what its ``StreamFraming`` speaks:
/// length-prefixed DNS messages (TCP, DNS over TLS) or HTTP (DNS over HTTPS).
///
/// The connection opens on first use, closes after ``idleTimeout`` without outstanding
/// requests, and reports its death with the handles that were still waiting.
final class StreamConnection<Framing: StreamFraming>: ExchangeCarrier {
    let server: SocketAddress
    let framing: Framing
    private let loop: PollLoop
    private let options: SocketOptions
    /// How long the connection stays open without outstanding requests; a change applies at once.
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
    /// Whether the framing was told the connection is ready.
    private var framingReady = false
    /// Plaintext not yet handed to TLS.
    private var plaintextOut: [UInt8] = []
    /// Octets for the socket (ciphertext under TLS).
    private var wireOut: [UInt8] = []
    /// Reused for every read from the socket.
    private var receiveBuffer = [UInt8](repeating: 0, count: 65_536)
    private var idleTimer: PollLoop.TimerID?
    /// Whether a flush is already queued for the loop's next turn.
    private var flushQueued = false
    /// Whether the socket is left unread: the consumer of an answer of several messages has
    /// enough of them waiting, and TCP's flow control holds the server back meanwhile.
    /// Errors and hang-ups are still read. Clearing it reads what arrived in the meantime.
    var readingPaused = false {
        didSet {
            guard readingPaused != oldValue, let socket else { return }
            loop.setInterest(socket.fd, interest)
        }
    }

    /// A request finished (answered, or failed on its own, e.g. an HTTP/2 stream reset).
    var onResponse: (UInt64, Result<Framing.Response, TransportError>) -> Void = { _, _ in }
    /// A request's answer grew without finishing (see ``StreamFraming/onProgress``).
    var onProgress: (UInt64) -> Void = { _ in } {
        didSet { framing.onProgress = onProgress }
    }
    /// The connection died; the handles were waiting on it.
    var onFailure: (TransportError, [UInt64]) -> Void = { _, _ in }
    /// The connection closed after the server stopped taking requests and the last answer came.
    var onRetired: () -> Void = {}
    /// Log lines, built only when the receiver evaluates them.
    var onLog: (() -> String) -> Void = { _ in } {
        didSet { framing.log = onLog }
    }

    init(
        server: SocketAddress, framing: Framing, loop: PollLoop, options: SocketOptions, idleTimeout: Duration,
        tls: TLSClientSetup? = nil
    ) {
        self.server = server
        self.framing = framing
        self.loop = loop
        self.options = options
        self.idleTimeout = idleTimeout
        self.tlsSetup = tls
    }

    /// Whether new requests may go on this connection.
    var acceptsRequests: Bool { framing.acceptsRequests }

    /// Queues a request; opens the connection if needed. Requests queued in one turn of the
    /// loop go out in one write, just before the loop waits.
    func send(_ request: Framing.Request, for handle: UInt64) throws(TransportError) {
        if socket == nil { try open() }
        if let idleTimer { loop.cancelTimer(idleTimer) }
        idleTimer = nil
        try framing.enqueue(request, for: handle)
        scheduleFlush()
    }

    /// Stops waiting for `handle` (answered elsewhere, cancelled or timed out). A timeout
    /// while the stream holds part of a message drops the connection: the server may have
    /// sent a length it never honours, which would swallow every later answer. The other
    /// queries on it are retried on a new one.
    func forget(_ handle: UInt64, timedOut: Bool) {
        framing.forget(handle)
        if timedOut, socket != nil, framing.holdsPartialMessage {
            return fail(TransportError(.connectionClosed, "a query timed out with part of a message received; reconnecting"))
        }
        scheduleFlush()
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
        framingReady = false
        idleTimer = nil
        plaintextOut.removeAll()
        wireOut.removeAll()
        framing.reset()
    }

    private func scheduleFlush() {
        guard framingReady, !flushQueued else { return }
        flushQueued = true
        loop.beforeNextWait { [weak self] in
            self?.flushQueued = false
            self?.flush()
        }
    }

    private func open() throws(TransportError) {
        let socket = try Socket(family: server.family, type: Int32(SOCK_STREAM.rawValue), options: options)
        self.socket = socket
        let immediately = try socket.connect(to: server)
        onLog { "TCP connection to \(self.server) opening" }
        loop.register(socket.fd, interest: .writable) { [unowned self] events in self.handle(events) }
        if immediately { try connectionOpened() }
    }

    /// TCP is up: start TLS if configured, else the framing may speak.
    private func connectionOpened() throws(TransportError) {
        connected = true
        onLog { "TCP connection to \(self.server) open" }
        guard let tlsSetup else { return try startFraming(applicationProtocol: nil) }
        let session = try TLSSession(context: tlsSetup.context, address: server, name: tlsSetup.name)
        let offer = session.offeredSession ? ", offering a saved session" : ""
        tlsSetup.status(TLSStatus(message: "TLS handshake with \(server) started\(offer)", sessionResumed: nil))
        tls = session
        try session.handshake()
    }

    private func startFraming(applicationProtocol: String?) throws(TransportError) {
        framingReady = true
        try framing.connectionReady(applicationProtocol: applicationProtocol)
    }

    private func handle(_ events: IOEvents) {
        guard let socket else { return }
        do throws(TransportError) {
            if !connected {
                let error = socket.pendingError()
                guard error == 0 else { return fail(.system("connect \(server)", errno: error)) }
                try connectionOpened()
            }
            if events.contains(.failure) || events.contains(.readable) && !readingPaused { try readAvailable() }
        } catch {
            return fail(error)
        }
        if self.socket != nil { flush() }
    }

    /// Moves what the framing has through TLS (when ready) and writes what the socket takes.
    private func flush() {
        guard let socket else { return }
        var finished: [(UInt64, Result<Framing.Response, TransportError>)] = []
        do throws(TransportError) {
            if framingReady { finished = try framing.produce(into: &plaintextOut) }
            if let tls {
                if tls.state == .established, !plaintextOut.isEmpty {
                    try tls.write(plaintextOut)
                    plaintextOut.removeAll(keepingCapacity: true)
                }
                wireOut += tls.takeCiphertext()
            } else {
                wireOut += plaintextOut
                plaintextOut.removeAll(keepingCapacity: true)
            }
            while !wireOut.isEmpty {
                guard let sent = try socket.send(wireOut[...]) else { break }
                wireOut.removeFirst(sent)
            }
        } catch {
            return fail(error)
        }
        loop.setInterest(socket.fd, interest)
        for (handle, result) in finished { onResponse(handle, result) }
        if !finished.isEmpty { scheduleIdleCloseIfUnused() }
    }

    /// What to poll for: reading (unless paused), and writing while octets wait or the
    /// connection is still opening.
    private var interest: IOEvents {
        var interest: IOEvents = readingPaused ? [] : .readable
        if !wireOut.isEmpty || !connected { interest.insert(.writable) }
        return interest
    }

    /// The handshake finished: let the certificate hook decide, then report the session.
    private func handshakeFinished(_ session: TLSSession, _ setup: TLSClientSetup) throws(TransportError) {
        try setup.authenticate(session, server: server)
        let alpn = session.negotiatedProtocol
        setup.status(
            TLSStatus(
                message: "TLS established with \(server): \(session.protocolVersion), \(session.cipher), "
                    + (session.sessionReused ? "session resumed" : "new session") + (alpn.map { ", ALPN \($0)" } ?? ""),
                sessionResumed: session.sessionReused))
        try startFraming(applicationProtocol: alpn)
    }

    private func readAvailable() throws(TransportError) {
        guard let socket else { return }
        while let received = try socket.receive(into: &receiveBuffer) {
            if received.count == 0 {
                if tls?.state == .handshaking { throw TransportError(.tlsHandshakeFailed, "server closed the connection during the TLS handshake") }
                throw TransportError(.connectionClosed, "server closed the connection")
            }
            var finished: [(UInt64, Result<Framing.Response, TransportError>)]
            if let tls, let tlsSetup {
                tls.feed(receiveBuffer[0..<received.count])
                if tls.state == .handshaking {
                    try tls.handshake()
                    if tls.state == .established { try handshakeFinished(tls, tlsSetup) }
                }
                finished = tls.state != .handshaking ? try framing.consume(try tls.readPlaintext()[...]) : []
            } else {
                finished = try framing.consume(receiveBuffer[0..<received.count])
            }
            for (handle, result) in finished {
                onResponse(handle, result)
                guard self.socket != nil else { return }
            }
            scheduleIdleCloseIfUnused()
            guard self.socket != nil else { return }
            if tls?.state == .closed { throw TransportError(.connectionClosed, "server closed the TLS session") }
            // A short read drained the socket: poll reports it again when more arrives, so no
            // read is spent learning it would block. A pause takes effect here too.
            if received.count < receiveBuffer.count || readingPaused { return }
        }
    }

    private func rescheduleIdleClose() {
        guard let idleTimer else { return }
        loop.cancelTimer(idleTimer)
        self.idleTimer = nil
        scheduleIdleCloseIfUnused()
    }

    /// Arms the idle close when nothing is outstanding; a connection the server stopped
    /// taking requests on closes at once instead.
    private func scheduleIdleCloseIfUnused() {
        guard socket != nil, framing.isIdle, idleTimer == nil else { return }
        guard framing.acceptsRequests else {
            onLog { "closing drained connection to \(self.server)" }
            close()
            return onRetired()
        }
        idleTimer = loop.schedule(at: .now + min(idleTimeout, serverIdleTimeout ?? idleTimeout)) { [unowned self] in
            self.idleTimer = nil
            self.onLog { "closing idle connection to \(self.server)" }
            self.close()
        }
    }

    private func fail(_ error: TransportError) {
        let retiring = !framing.acceptsRequests
        let lost = framing.takeWaiting()
        onLog { "connection to \(server) failed: \(error.detail)" }
        // A session that failed at the TLS level is not worth resuming: drop it without
        // close_notify. A server closing the connection leaves the session good.
        if error.dropsTLSSession { tls = nil }
        close()
        onFailure(error, lost)
        if retiring { onRetired() }
    }
}
