// SPDX-License-Identifier: Apache-2.0
// Drives query exchanges over UDP and TCP on one poll loop.

public import DNSWire
internal import Glibc

/// Runs DNS query exchanges on a ``PollLoop``: fresh connected UDP sockets per query,
/// shared pipelined TCP connections per server, unpredictable message IDs, deadlines and
/// retransmissions. Completions run on the loop's thread.
///
/// ```swift
/// let loop = try PollLoop()
/// let engine = DNSEngine(loop: loop)
/// let server = SocketAddress(address: "127.0.0.1", port: 53)!
/// engine.start(DNSMessage.query(name: try DomainName("example.org"), type: .a, id: 0), server: server) { result in … }
/// while !engine.isIdle { loop.runOnce(timeout: nil) }
/// ```
public final class DNSEngine {
    public typealias Completion = (Result<ExchangeResult, TransportError>) -> Void

    /// Identifies a started exchange, for ``cancel(_:)``.
    public struct Handle: Hashable, Sendable {
        let value: UInt64
    }

    private final class Exchange {
        var machine: QueryExchange
        let server: SocketAddress
        let completion: Completion
        var udp: Socket?
        var timer: PollLoop.TimerID?
        var streamAttempts = 0
        /// The stream connection the query was last sent on.
        weak var carrier: (any ExchangeCarrier)?

        init(machine: QueryExchange, server: SocketAddress, completion: @escaping Completion) {
            self.machine = machine
            self.server = server
            self.completion = completion
        }
    }

    public let loop: PollLoop
    /// Receives one line per notable step (sends, retries, ignored replies, connections);
    /// nil (the default) skips building the lines at all.
    public var logger: ((String) -> Void)?
    public var socketOptions = SocketOptions()
    /// How long a TCP connection stays open without outstanding queries; applies to open ones
    /// too (TCP, TLS and HTTPS).
    public var tcpIdleTimeout: Duration = .seconds(10) {
        didSet {
            for connection in connections.values { connection.idleTimeout = tcpIdleTimeout }
            for connection in httpConnections.values { connection.idleTimeout = tcpIdleTimeout }
            for connection in retiring.values { connection.idleTimeout = tcpIdleTimeout }
        }
    }

    /// Decides on a TLS server's certificate (the component's certificate event): the
    /// verification verdict comes in with `accept` set; the hook may change it.
    public var tlsVerifier: (inout TLSPeerVerification) -> Void = { _ in }
    /// Reports TLS progress (handshake start, version, cipher, resumption).
    public var tlsStatus: (SocketAddress, TLSStatus) -> Void = { _, _ in }
    /// Receives DNS-over-HTTPS request and response lines (the IPWorks HTTP log types);
    /// nil (the default) skips building them.
    public var httpLogger: ((HTTPLogEntry) -> Void)?

    /// A stream connection is per server and per TLS settings (nil for plain TCP).
    private struct ConnectionKey: Hashable {
        let server: SocketAddress
        let tls: TLSSettings?
    }

    private var exchanges: [UInt64: Exchange] = [:]
    private var handleByMessageID: [UInt16: UInt64] = [:]
    private var connections: [ConnectionKey: StreamConnection<DNSStreamFraming>] = [:]
    /// The connection used last, found without hashing the key (TLS settings hash slowly).
    private var lastConnection: (key: ConnectionKey, connection: StreamConnection<DNSStreamFraming>)?
    private var httpConnections: [ConnectionKey: StreamConnection<HTTPFraming>] = [:]
    /// HTTP connections the server stopped taking requests on, until their last answer.
    private var retiring: [ObjectIdentifier: StreamConnection<HTTPFraming>] = [:]
    private var tlsContexts: [TLSSettings: TLSContext] = [:]
    private var nextHandle: UInt64 = 1
    private var random = SecureRandom()
    /// True inside `start`, so completions are deferred to the loop.
    private var starting = false
    /// One receive buffer for every UDP socket (the loop is single-threaded).
    private var receiveBuffer: [UInt8] = []

    public init(loop: PollLoop) {
        self.loop = loop
    }

    /// Whether no exchange is outstanding.
    public var isIdle: Bool { exchanges.isEmpty }

    /// Sends `query` to `server`, replacing its ID with an unpredictable one that no other
    /// outstanding exchange uses. `completion` runs exactly once, on the loop's thread, and
    /// never before `start` returns (an immediate failure is delivered by the loop).
    @discardableResult
    public func start(
        _ query: DNSMessage, server: SocketAddress, options: ExchangeOptions = ExchangeOptions(),
        completion: @escaping Completion
    ) -> Handle {
        var query = query
        let routedByID = options.https == nil
        if let method = options.https?.method, method != .post {
            query.id = 0  // RFC 8484 §4.1: cache friendly
        } else {
            repeat { query.id = UInt16.random(in: 0...UInt16.max, using: &random) } while handleByMessageID[query.id] != nil
        }
        let handle = Handle(value: nextHandle)
        nextHandle += 1
        let now = ContinuousClock.now
        do {
            let keepaliveKnown =
                QueryExchange.asksForKeepalive(options)
                && existingDNSConnection(for: ConnectionKey(server: server, tls: options.tls))?.serverIdleTimeout != nil
            let machine = try QueryExchange(query: query, options: options, now: now, serverKeepaliveKnown: keepaliveKnown)
            let exchange = Exchange(machine: machine, server: server, completion: completion)
            exchanges[handle.value] = exchange
            if routedByID { handleByMessageID[query.id] = handle.value }
            starting = true
            defer { starting = false }
            perform(exchange.machine.start(now: now), for: handle.value)
        } catch {
            let failure = TransportError(.badAddress, "query cannot be written: \(error)")
            loop.schedule(at: now) { completion(.failure(failure)) }
        }
        return handle
    }

    /// Ends an outstanding exchange with `error` (by default ``TransportError/Code/cancelled``).
    public func cancel(_ handle: Handle, _ error: TransportError = TransportError(.cancelled, "query interrupted")) {
        guard let exchange = exchanges[handle.value] else { return }
        finish(handle.value, exchange, .failure(error))
    }

    public func cancelAll() {
        for handle in exchanges.keys.sorted() { cancel(Handle(value: handle)) }
    }

    /// Closes every stream connection; queries still waiting on them run into their deadlines.
    public func closeConnections() {
        for connection in connections.values { connection.close() }
        for connection in httpConnections.values { connection.close() }
        for connection in retiring.values { connection.close() }
        connections.removeAll()
        lastConnection = nil
        httpConnections.removeAll()
        retiring.removeAll()
    }

    private func log(_ line: @autoclosure () -> String) {
        if let logger { logger(line()) }
    }

    // MARK: Performing actions

    private func perform(_ actions: [QueryExchange.Action], for handle: UInt64) {
        for action in actions {
            guard let exchange = exchanges[handle] else { return }
            switch action {
            case .sendUDP(let wire):
                sendUDP(wire, exchange, handle)
            case .closeUDP:
                closeUDP(exchange)
            case .sendTCP(let wire):
                sendTCP(wire, exchange, handle)
            case .armTimer(let deadline):
                if let timer = exchange.timer { loop.cancelTimer(timer) }
                exchange.timer = loop.schedule(at: deadline) { [unowned self] in
                    guard let exchange = self.exchanges[handle] else { return }
                    exchange.timer = nil
                    self.perform(exchange.machine.timerFired(now: .now), for: handle)
                }
            case .log(let line):
                log("query \(exchange.machine.query.id): \(line)")
            case .finish(let outcome):
                switch outcome {
                case .response(let message, let wire, let overTCP):
                    finish(handle, exchange, .success(ExchangeResult(response: message, wire: wire, server: exchange.server, overTCP: overTCP)))
                case .failure(let error):
                    finish(handle, exchange, .failure(error))
                }
            }
        }
    }

    private func sendUDP(_ wire: [UInt8], _ exchange: Exchange, _ handle: UInt64) {
        do {
            if exchange.udp == nil {
                let socket = try Socket(family: exchange.server.family, type: Int32(SOCK_DGRAM.rawValue), options: socketOptions)
                if socketOptions.connectUDP { _ = try socket.connect(to: exchange.server) }
                exchange.udp = socket
                loop.register(socket.fd, interest: .readable) { [unowned self] _ in self.readUDP(handle) }
                log("query \(exchange.machine.query.id): UDP \(socket.localAddress?.description ?? "?") -> \(exchange.server)")
            }
            _ = try exchange.udp?.send(wire[...], to: socketOptions.connectUDP ? nil : exchange.server)
        } catch let error as TransportError {
            perform(exchange.machine.failed(error), for: handle)
        } catch {}
    }

    private func readUDP(_ handle: UInt64) {
        guard let exchange = exchanges[handle], let socket = exchange.udp else { return }
        let size = exchange.machine.options.maxPacketSize
        if receiveBuffer.count != size { receiveBuffer = [UInt8](repeating: 0, count: size) }
        while exchanges[handle] != nil, exchange.udp === socket {
            do {
                guard let (count, from) = try socket.receive(into: &receiveBuffer) else { return }
                let datagram = Array(receiveBuffer[0..<count])
                perform(exchange.machine.receivedUDP(datagram, from: from, server: exchange.server), for: handle)
            } catch let error as TransportError {
                return perform(exchange.machine.failed(error), for: handle)
            } catch {
                return
            }
        }
    }

    private func closeUDP(_ exchange: Exchange) {
        if let socket = exchange.udp { loop.unregister(socket.fd) }
        exchange.udp = nil
    }

    private func sendTCP(_ wire: [UInt8], _ exchange: Exchange, _ handle: UInt64) {
        exchange.streamAttempts += 1
        do {
            if let https = exchange.machine.options.https {
                let connection = try httpConnection(for: ConnectionKey(server: exchange.server, tls: https.tls))
                exchange.carrier = connection
                try connection.send(DoHExchange.request(for: exchange.machine.query, wire: wire, settings: https), for: handle)
            } else {
                let connection = try dnsConnection(for: ConnectionKey(server: exchange.server, tls: exchange.machine.options.tls))
                exchange.carrier = connection
                try connection.send((exchange.machine.query.id, wire), for: handle)
            }
        } catch let error as TransportError {
            perform(exchange.machine.failed(error), for: handle)
        } catch {}
    }

    private func tlsSetup(_ settings: TLSSettings?, server: SocketAddress) throws -> TLSClientSetup? {
        guard let settings else { return nil }
        let context = try tlsContexts[settings] ?? TLSContext(settings)
        tlsContexts[settings] = context
        return TLSClientSetup(
            context: context, name: settings.serverName.isEmpty ? nil : settings.serverName,
            verify: { [unowned self] verdict in self.tlsVerifier(&verdict) },
            status: { [unowned self] status in self.tlsStatus(server, status) })
    }

    private func existingDNSConnection(for key: ConnectionKey) -> StreamConnection<DNSStreamFraming>? {
        if let last = lastConnection, last.key == key { return last.connection }
        guard let existing = connections[key] else { return nil }
        lastConnection = (key, existing)
        return existing
    }

    private func dnsConnection(for key: ConnectionKey) throws -> StreamConnection<DNSStreamFraming> {
        if let existing = existingDNSConnection(for: key) { return existing }
        let connection = StreamConnection(
            server: key.server, framing: DNSStreamFraming(), loop: loop, options: socketOptions, idleTimeout: tcpIdleTimeout,
            tls: try tlsSetup(key.tls, server: key.server))
        connection.onLog = { [unowned self] line in self.log(line()) }
        connection.onProgress = { [unowned self] handle in self.answerProgressed(handle) }
        connection.onResponse = { [unowned self, unowned connection] handle, result in
            guard let exchange = self.exchanges[handle], case .success(let wire) = result else { return }
            let actions = exchange.machine.receivedTCP(wire)
            if case .finish(.response(let response, _, _)) = actions.last {
                for case .tcpKeepalive(let timeout?) in response.edns?.options ?? [] where connection.serverIdleTimeout == nil {
                    connection.serverIdleTimeout = .milliseconds(Int(timeout) * 100)
                    self.log("\(connection.server) keeps idle connections for \(Double(timeout) / 10) s (EDNS TCP keepalive)")
                }
            }
            self.perform(actions, for: handle)
        }
        connection.onFailure = { [unowned self] error, lost in self.streamFailed(error, lost) }
        connections[key] = connection
        lastConnection = (key, connection)
        return connection
    }

    /// The HTTP connection for `key`; one the server stopped taking requests on is set aside
    /// to finish its streams, and a new one takes its place.
    private func httpConnection(for key: ConnectionKey) throws -> StreamConnection<HTTPFraming> {
        if let existing = httpConnections[key] {
            if existing.acceptsRequests { return existing }
            retiring[ObjectIdentifier(existing)] = existing
        }
        let logger = httpLogger
        let framing = HTTPFraming(cleartext: key.tls == nil) { kind, text in logger?(HTTPLogEntry(kind: kind, text: text())) }
        let connection = StreamConnection(
            server: key.server, framing: framing, loop: loop, options: socketOptions, idleTimeout: tcpIdleTimeout,
            tls: try tlsSetup(key.tls, server: key.server))
        connection.onLog = { [unowned self] line in self.log(line()) }
        connection.onProgress = { [unowned self] handle in self.answerProgressed(handle) }
        connection.onResponse = { [unowned self] handle, result in
            guard let exchange = self.exchanges[handle] else { return }
            switch result {
            case .success(let response):
                guard let method = exchange.machine.options.https?.method else { return }
                do {
                    let wire = try DoHExchange.answer(response, to: exchange.machine.query, method: method)
                    self.perform(exchange.machine.receivedTCP(wire, rejection: .httpBody), for: handle)
                } catch let error as TransportError {
                    self.perform(exchange.machine.failed(error), for: handle)
                } catch {}
            case .failure(let error):
                self.streamFailed(error, [handle])
            }
        }
        connection.onFailure = { [unowned self] error, lost in self.streamFailed(error, lost) }
        connection.onRetired = { [unowned self, unowned connection] in
            self.retiring[ObjectIdentifier(connection)] = nil
            if self.httpConnections[key] === connection { self.httpConnections[key] = nil }
        }
        httpConnections[key] = connection
        return connection
    }

    private func answerProgressed(_ handle: UInt64) {
        exchanges[handle]?.machine.answerProgressed(now: .now)
    }

    /// Queries lost with their connection (or stream) fail, except that a connection closed
    /// or reset by the server, or a refused stream, is retried once: a server may close a
    /// connection it considers idle just as it is reused, and refused HTTP/2 streams were
    /// not processed.
    private func streamFailed(_ error: TransportError, _ lost: [UInt64]) {
        for handle in lost {
            guard let exchange = exchanges[handle] else { continue }
            if exchange.streamAttempts < 2, error.code == .connectionClosed {
                log("query \(exchange.machine.query.id): \(error.detail); retrying on a new connection")
                sendTCP(exchange.machine.wire, exchange, handle)
            } else {
                perform(exchange.machine.failed(error), for: handle)
            }
        }
    }

    private func finish(_ handle: UInt64, _ exchange: Exchange, _ result: Result<ExchangeResult, TransportError>) {
        exchanges[handle] = nil
        let id = exchange.machine.query.id
        if handleByMessageID[id] == handle { handleByMessageID[id] = nil }
        if let timer = exchange.timer { loop.cancelTimer(timer) }
        closeUDP(exchange)
        let timedOut = if case .failure(let error) = result { error.code == .timedOut } else { false }
        exchange.carrier?.forget(handle, timedOut: timedOut)
        if starting {
            loop.schedule(at: .now) { exchange.completion(result) }
        } else {
            exchange.completion(result)
            // Finished while a write was flushed before the wait: the caller must see it now.
            loop.returnWithoutWaiting()
        }
    }
}
