// SPDX-License-Identifier: Apache-2.0
// Dispatches query exchanges to their carriers on one poll loop.

public import DNSWire
internal import Glibc

/// Runs DNS query exchanges on a ``PollLoop``. It owns the message IDs (unpredictable, unique
/// among outstanding exchanges), resolves server names off the loop's thread, and hands each
/// exchange's actions to its carrier: `UDPCarrier` for UDP, a `StreamPool` of DNS-message
/// connections for TCP and TLS, one of HTTP connections for HTTPS. Completions run on the
/// loop's thread. The rules of one exchange (retransmission, matching, fallback, servers in
/// turn, deadlines) live in `QueryExchange`, free of I/O.
///
/// ```swift
/// let loop = try PollLoop()
/// let engine = DNSEngine(loop: loop)
/// let server = SocketAddress(address: "127.0.0.1", port: 53)!
/// engine.start(DNSMessage.query(name: try DomainName("example.org"), type: .a, id: 0), server: server) { result in … }
/// while !engine.isIdle { loop.runOnce(timeout: nil) }
/// ```
public final class DNSEngine {
    public typealias Completion = (consuming Result<ExchangeResult, TransportError>) -> Void
    /// Receives each message of an exchange of several (``ExchangeOptions/severalMessages``)
    /// and says whether the answer is complete.
    public typealias MessageHandler = (DNSMessage, [UInt8]) -> MessageVerdict

    /// Identifies a started exchange, for ``cancel(_:_:)``.
    public struct Handle: Hashable, Sendable {
        let value: UInt64
    }

    /// One exchange. Its query and options are held by `machine` alone (not copied here as
    /// well), which keeps the object small enough for the allocator's per-thread cache (glibc's
    /// tcache serves blocks up to 1032 octets; larger ones take its slower paths).
    private final class Exchange {
        /// The engine's handle of the exchange, and the engine: a timer's action captures the
        /// exchange alone, so the closure needs no context allocated for it.
        let handle: UInt64
        unowned let engine: DNSEngine
        /// The query's message ID.
        let id: UInt16
        /// What the carriers need of the options.
        let transport: Transport
        let maxPacketSize: Int
        let source: ExchangeOptions.Source?
        let severalMessages: Bool
        let started: ContinuousClock.Instant
        let completion: Completion
        let onMessage: MessageHandler?
        // What every query uses is used on the loop's thread only, never by overlapping
        // accesses: no run-time exclusivity checks.
        /// Set once the servers' addresses are known; it holds the query (or the UPDATE message
        /// sent in its place) and the options.
        @exclusivity(unchecked) var machine: QueryExchange?
        @exclusivity(unchecked) var servers: [SocketAddress] = []
        @exclusivity(unchecked) var timer: PollLoop.TimerID?
        /// Sends on the current server's stream (a retry on a new connection makes two).
        var streamAttempts = 0
        /// The stream connection the query was last sent on.
        @exclusivity(unchecked) weak var carrier: (any ExchangeCarrier)?
        /// A connection of the exchange's own, for answers of several messages.
        var dedicated: StreamConnection<DNSStreamFraming>?
        /// The DTLS session the query was last sent on.
        @exclusivity(unchecked) weak var datagramSession: DTLSConnection?
        /// Set when it finished (and left the engine's table).
        @exclusivity(unchecked) var finished = false

        init(
            handle: UInt64, engine: DNSEngine, id: UInt16, options: borrowing ExchangeOptions, started: ContinuousClock.Instant,
            onMessage: MessageHandler?, completion: @escaping Completion
        ) {
            self.handle = handle
            self.engine = engine
            self.id = id
            transport = options.transport
            maxPacketSize = options.maxPacketSize
            source = options.source
            severalMessages = options.severalMessages
            self.started = started
            self.onMessage = onMessage
            self.completion = completion
        }
    }

    public let loop: PollLoop
    /// Receives one line per notable step (sends, retries, ignored replies, connections);
    /// nil (the default) skips building the lines at all.
    public var logger: ((String) -> Void)? {
        didSet { updateLogging() }
    }
    public var socketOptions = SocketOptions() {
        didSet {
            udp.options = socketOptions
            dnsStreams.options = socketOptions
            httpStreams.options = socketOptions
            dtls.options = socketOptions
        }
    }
    /// How many exchanges one UDP socket carries over its life: 1 (the default) a fresh socket,
    /// so a fresh random source port, per exchange (RFC 5452); N > 1 up to N, several at
    /// once, before a socket on a new random port takes over; 0 no limit. Sockets stay
    /// connected, and replies are still checked against source, ID and question.
    public var udpMaxQueries: Int {
        get { udp.maxQueries }
        set { udp.maxQueries = max(0, newValue) }
    }
    /// How long a stream connection (TCP, TLS, HTTPS) or a DTLS session stays open without outstanding queries;
    /// a change applies to open ones too.
    public var tcpIdleTimeout: Duration = .seconds(10) {
        didSet {
            dnsStreams.idleTimeout = tcpIdleTimeout
            httpStreams.idleTimeout = tcpIdleTimeout
            dtls.idleTimeout = tcpIdleTimeout
        }
    }

    /// Decides on a TLS server's certificate (the component's certificate event): the
    /// verification verdict comes in with `accept` set; the hook may change it.
    public var tlsVerifier: (inout TLSPeerVerification) -> Void = { _ in }
    /// Reports TLS progress (handshake start, version, cipher, resumption).
    public var tlsStatus: (SocketAddress, TLSStatus) -> Void = { _, _ in }
    /// Receives DNS-over-HTTPS request and response lines; nil (the default) skips building them.
    public var httpLogger: ((HTTPLogEntry) -> Void)?
    /// Receives each query's octets as sent over UDP, TCP or TLS (DNS-over-HTTPS bodies go to
    /// ``httpLogger``); nil (the default) skips it.
    @exclusivity(unchecked) public var requestLogger: (([UInt8]) -> Void)?

    // The hottest tables are used on the loop's thread only, never by two overlapping
    // accesses: they skip Swift's run-time exclusivity checks (`@exclusivity(unchecked)`).
    @exclusivity(unchecked) private var exchanges = IDTable<UInt64, Exchange>()
    /// Queries over a server set, by handle (their attempts are exchanges of their own).
    var serverSetQueries: [UInt64: ServerSetQuery] = [:]
    /// Zone transfers, by handle (each runs on one exchange at a time).
    var transfers: [UInt64: TransferRun] = [:]
    /// Queries through a cache that wait for an exchange, by key, and their callers' keys by handle.
    var cachedQueries: [CacheKey: CachedQuery] = [:]
    var cachedQueryByHandle: [UInt64: CacheKey] = [:]
    /// Answers from a cache waiting for the loop's next turn.
    var cacheDeliveries = 0
    /// Queries whose answers are being validated, by handle.
    var validatedQueries: [UInt64: ValidatedQuery] = [:]
    /// Round-trip times and failures of the servers asked through server sets.
    let statistics = ServerStatistics()
    @exclusivity(unchecked) private var handleByMessageID = IDTable<UInt16, UInt64>()
    private var nextHandle: UInt64 = 1
    @exclusivity(unchecked) private var random = SecureRandom()
    /// True inside `start`, so completions are deferred to the loop.
    private var starting = false
    private let resolver: HostResolver
    private let udp: UDPCarrier
    private var dnsStreams: StreamPool<DNSStreamFraming>!
    private var httpStreams: StreamPool<HTTPFraming>!
    private var dtls: DTLSPool!
    private var tlsContexts: [TLSSettings: TLSContext] = [:]
    private var dtlsContexts: [DTLSSettings: TLSContext] = [:]
    /// Client and server cookies by server address (for exchanges with cookies on).
    private let cookies = CookieJar()

    public init(loop: PollLoop) {
        self.loop = loop
        resolver = HostResolver(loop: loop)
        udp = UDPCarrier(loop: loop)
        dnsStreams = StreamPool(
            loop: loop, idleTimeout: tcpIdleTimeout, makeFraming: { _ in DNSStreamFraming() },
            tlsSetup: { [unowned self] key throws(TransportError) in try self.tlsSetup(key.tls, server: key.server) })
        httpStreams = StreamPool(
            loop: loop, idleTimeout: tcpIdleTimeout,
            makeFraming: { [unowned self] key in
                HTTPFraming(cleartext: key.tls == nil) { kind, text in self.httpLogger?(HTTPLogEntry(kind: kind, text: text())) }
            },
            tlsSetup: { [unowned self] key throws(TransportError) in try self.tlsSetup(key.tls, server: key.server) })
        dtls = DTLSPool(
            loop: loop, idleTimeout: tcpIdleTimeout,
            setup: { [unowned self] key throws(TransportError) in try self.dtlsSetup(key.settings, server: key.server) })
        dtls.onAnswer = { [unowned self] handle, record in
            guard let exchange = exchanges[handle], let server = exchange.machine?.server else { return }
            perform(exchange.machine!.receivedUDP(record, from: nil, server: exchange.servers[server]), for: exchange)
        }
        dtls.onFailure = { [unowned self] error, lost in
            for handle in lost {
                guard let exchange = exchanges[handle] else { continue }
                exchange.datagramSession = nil
                perform(exchange.machine?.failed(error) ?? [], for: exchange)
            }
        }
        udp.onDatagram = { [unowned self] handle, datagram, source in
            guard let exchange = exchanges[handle], let server = exchange.machine?.server else { return }
            perform(exchange.machine!.receivedUDP(datagram, from: source, server: exchange.servers[server]), for: exchange)
        }
        udp.onFailure = { [unowned self] handle, error in
            guard let exchange = exchanges[handle] else { return }
            perform(exchange.machine?.failed(error) ?? [], for: exchange)
        }
        dnsStreams.onResponse = { [unowned self] handle, result, _ in
            guard let exchange = exchanges[handle] else { return }
            switch result {
            case .success(let wire): perform(exchange.machine?.receivedStream(wire) ?? [], for: exchange)
            case .failure(let error): streamFailed(error, [handle])
            }
        }
        httpStreams.onResponse = { [unowned self] handle, result, _ in
            guard let exchange = exchanges[handle], case .https(let settings) = exchange.transport, let query = exchange.machine?.query else {
                return
            }
            let actions: [QueryExchange.Action]
            do throws(TransportError) {
                let wire = try DoHExchange.answer(try result.get(), to: query, method: settings.method)
                actions = exchange.machine?.receivedStream(wire, rejection: .httpBody) ?? []
            } catch {
                return streamFailed(error, [handle])
            }
            perform(actions, for: exchange)
        }
        for pool in [dnsStreams as any EnginePool, httpStreams as any EnginePool] {
            pool.setHandlers(
                progress: { [unowned self] handle in exchanges[handle]?.machine?.answerProgressed(now: .now) },
                failure: { [unowned self] error, lost in streamFailed(error, lost) })
        }
        updateLogging()
    }

    /// Whether no exchange is outstanding.
    public var isIdle: Bool {
        exchanges.isEmpty && serverSetQueries.isEmpty && transfers.isEmpty && cacheDeliveries == 0 && validatedQueries.isEmpty
    }

    /// Sends `query` to `server`; see ``start(_:to:options:onMessage:completion:)``.
    @discardableResult
    public func start(
        _ query: DNSMessage, server: SocketAddress, options: ExchangeOptions = ExchangeOptions(), completion: @escaping Completion
    ) -> Handle {
        start(query, to: [ServerEndpoint(server)], options: options, completion: completion)
    }

    /// Sends `query` to the first of `servers` (each name resolved off the loop's thread, every
    /// address kept), moving on to the next address when one fails, all within the options'
    /// timeout. The query's ID is replaced with an unpredictable one no other outstanding
    /// exchange uses (DNS-over-HTTPS GET uses 0, RFC 8484 §4.1). `completion` runs exactly
    /// once, on the loop's thread, and never before `start` returns.
    ///
    /// - Parameters:
    ///   - query: the message to send; its ID is replaced.
    ///   - servers: the servers to try in turn, each an address or a host name.
    ///   - options: the transport, timing and answer rules of the exchange.
    ///   - onMessage: with ``ExchangeOptions/severalMessages``, receives each message
    ///     as it arrives and says when the answer is complete.
    ///   - completion: receives the exchange's result, once, on the loop's thread.
    @discardableResult
    public func start(
        _ query: DNSMessage, to servers: [ServerEndpoint], options: ExchangeOptions = ExchangeOptions(),
        onMessage: MessageHandler? = nil, completion: @escaping Completion
    ) -> Handle {
        start(query, update: nil, to: servers, options: options, onMessage: onMessage, completion: completion)
    }

    /// ``start(_:to:options:onMessage:completion:)``, sending `update` (when given) in place of
    /// `query`, which then stands for its ID and zone section.
    /// The query and options are taken over (`consuming`), not copied: the exchange keeps them.
    /// `servers` is any collection, so that one server needs no array (`CollectionOfOne`).
    func start(
        _ query: consuming DNSMessage, update: UpdateMessage?, to servers: some RandomAccessCollection<ServerEndpoint>,
        options: consuming ExchangeOptions,
        onMessage: MessageHandler?, completion: @escaping Completion
    ) -> Handle {
        if case .https(let settings) = options.transport, settings.method != .post {
            query.id = 0  // RFC 8484 §4.1: cache friendly
        } else {
            repeat { query.id = UInt16.random(in: 0...UInt16.max, using: &random) } while handleByMessageID[query.id] != nil
        }
        let handle = makeHandle()
        let exchange = Exchange(
            handle: handle.value, engine: self, id: query.id, options: options, started: .now, onMessage: onMessage, completion: completion)
        exchanges[handle.value] = exchange
        if !exchange.transport.isHTTPS { handleByMessageID[exchange.id] = handle.value }
        starting = true
        defer { starting = false }
        resolve(servers, for: exchange, query: query, update: update, options: options)
        return handle
    }

    func makeHandle() -> Handle {
        defer { nextHandle += 1 }
        return Handle(value: nextHandle)
    }

    /// Ends an outstanding exchange with `error` (by default ``TransportError/Code/cancelled``).
    public func cancel(_ handle: Handle, _ error: TransportError = TransportError(.cancelled, "query interrupted")) {
        if cancelValidatedQuery(handle, error) || cancelCachedQuery(handle, error) || cancelTransfer(handle, error)
            || cancelServerSetQuery(handle, error)
        {
            return
        }
        guard let exchange = exchanges[handle.value] else { return }
        finish(exchange, .failure(error))
    }

    /// Stops (or resumes) reading the answer of an exchange of several messages on its own
    /// connection; see ``pauseTransfer(_:_:)``.
    func setReadingPaused(_ paused: Bool, exchange handle: Handle) {
        guard let exchange = exchanges[handle.value] else { return }
        exchange.dedicated?.readingPaused = paused
        perform(exchange.machine?.setReadingPaused(paused, now: .now) ?? [], for: exchange)
    }

    public func cancelAll() {
        for handle in validatedQueries.keys.sorted() { cancel(Handle(value: handle)) }
        for handle in cachedQueryByHandle.keys.sorted() { cancel(Handle(value: handle)) }
        for handle in transfers.keys.sorted() { cancel(Handle(value: handle)) }
        for handle in serverSetQueries.keys.sorted() { cancel(Handle(value: handle)) }
        for handle in exchanges.keys.sorted() { cancel(Handle(value: handle)) }
    }

    /// Closes every stream connection, DTLS session and shared UDP socket; queries still
    /// waiting on them run into their deadlines.
    public func closeConnections() {
        udp.retireShared()
        dnsStreams.closeAll()
        httpStreams.closeAll()
        dtls.closeAll()
    }

    /// Forgets the addresses of server names resolved so far: the next exchange resolves again.
    public func forgetResolvedNames() {
        resolver.forgetAll()
    }

    private func updateLogging() {
        let log: (() -> String) -> Void = { [unowned self] line in if let logger { logger(line()) } }
        udp.log = log
        dnsStreams.log = log
        httpStreams.log = log
        dtls.log = log
    }

    func log(_ line: @autoclosure () -> String) {
        if let logger { logger(line()) }
    }

    // MARK: Resolving

    /// Collects the addresses of `servers` in order, then starts the exchange of `query` (or of
    /// `update` in its place) with `options`; the exchange's deadline counts from its start,
    /// resolution included.
    private func resolve(
        _ servers: some RandomAccessCollection<ServerEndpoint>, for exchange: Exchange, query: consuming DNSMessage,
        update: consuming UpdateMessage?, options: consuming ExchangeOptions
    ) {
        let handle = exchange.handle
        // Addresses known at once: the exchange begins as it starts, at the same instant.
        if servers.count == 1, let addresses = resolver.knownAddresses(of: servers[servers.startIndex]) {
            return begin(exchange, servers: addresses, now: exchange.started, query: query, update: update, options: options)
        }
        let known = servers.map(resolver.knownAddresses(of:))
        if known.allSatisfy({ $0 != nil }) {
            return begin(exchange, servers: known.flatMap { $0! }, now: exchange.started, query: query, update: update, options: options)
        }
        // Kept by the resolutions' completions until the last one begins the exchange.
        let pending = (query: query, update: update, options: options)
        exchange.timer = loop.schedule(at: exchange.started + min(pending.options.timeout, ExchangeOptions.longestTimeout)) {
            [unowned self] in
            guard let exchange = exchanges[handle] else { return }
            finish(exchange, .failure(TransportError(.timedOut, "the server names were not resolved in time")))
        }
        var results = [Result<[SocketAddress], TransportError>?](repeating: nil, count: servers.count)
        for (index, server) in servers.enumerated() {
            resolver.resolve(server) { [unowned self] result in
                results[index] = result
                guard !exchange.finished, results.allSatisfy({ $0 != nil }) else { return }
                let addresses = results.flatMap { (try? $0?.get()) ?? [] }
                if addresses.isEmpty, case .failure(let error)? = results.first(where: { (try? $0?.get()) == nil }) {
                    return finish(exchange, .failure(error))
                }
                begin(exchange, servers: addresses, now: .now, query: pending.query, update: pending.update, options: pending.options)
            }
        }
    }

    /// The servers' addresses are known (at `now`): build the exchange's state machine and start it.
    private func begin(
        _ exchange: Exchange, servers: [SocketAddress], now: ContinuousClock.Instant, query: consuming DNSMessage,
        update: consuming UpdateMessage?, options: consuming ExchangeOptions
    ) {
        if let timer = exchange.timer { loop.cancelTimer(timer) }
        exchange.timer = nil
        exchange.servers = servers
        let keepaliveKnown =
            options.transport.asksForKeepalive && dnsStreams.existing(for: streamKey(exchange, server: 0))?.serverIdleTimeout != nil
        // Built where it stays and started there: the state machine is large, and each move
        // of it is a copy.
        do throws(TransportError) {
            exchange.machine = try QueryExchange(
                query: consume query, update: update, options: options, servers: servers.count, now: exchange.started,
                serverKeepaliveKnown: keepaliveKnown,
                cookies: (cookies, servers))
        } catch {
            return finish(exchange, .failure(error))
        }
        if let requestLogger, !exchange.transport.isHTTPS { requestLogger(exchange.machine!.wire) }
        perform(exchange.machine!.start(now: now), for: exchange)
    }

    // MARK: Performing actions

    /// Carries out the exchange's actions, until one finishes it. Each is read in place (by
    /// index: iterating would copy each action, and the last may carry the whole answer).
    private func perform(_ actions: [QueryExchange.Action], for exchange: Exchange) {
        let handle = exchange.handle
        for index in actions.indices {
            guard !exchange.finished else { return }
            switch actions[index] {
            case .sendUDP(let wire, let server) where exchange.transport.isDTLS:
                sendDTLS(wire, exchange, server: server)
            case .sendUDP(let wire, let server):
                do throws(TransportError) {
                    try udp.send(
                        wire, id: exchange.id, for: handle, to: exchange.servers[server], maxPacketSize: exchange.maxPacketSize,
                        source: exchange.source)
                } catch {
                    perform(exchange.machine?.failed(error) ?? [], for: exchange)
                }
            case .closeUDP:
                udp.close(handle)
                exchange.datagramSession?.forget(handle, timedOut: false)
                exchange.datagramSession = nil
            case .sendStream(let wire, let server):
                sendStream(wire, exchange, server: server)
            case .leaveStream:
                exchange.carrier?.forget(handle, timedOut: false)
                exchange.carrier = nil
                exchange.streamAttempts = 0
            case .armTimerAt(let deadline):
                if let timer = exchange.timer { loop.cancelTimer(timer) }
                exchange.timer = loop.schedule(at: deadline.instant) { [exchange] in exchange.engine.timerFired(exchange) }
            case .serverKeepsIdle(let timeout):
                guard let connection = exchange.carrier as? StreamConnection<DNSStreamFraming>, connection.serverIdleTimeout == nil else {
                    continue
                }
                connection.serverIdleTimeout = timeout
                log("\(connection.server) keeps idle connections for \(timeout) (EDNS TCP keepalive)")
            case .log(let line):
                log("query \(exchange.id): \(line)")
            case .deliver(let message, let wire):
                let verdict = exchange.onMessage?(message, wire) ?? .complete
                perform(exchange.machine?.judged(verdict, now: .now) ?? [], for: exchange)
            case .finish(.response(let message, let wire, let overTCP, let server)):
                let result = ExchangeResult(response: message, wire: wire, server: exchange.servers[server], overTCP: overTCP)
                finish(exchange, .success(result))
            case .finish(.failure(let error)):
                finish(exchange, .failure(error))
            }
        }
    }

    /// The exchange's timer went off (a cancelled timer never does).
    private func timerFired(_ exchange: Exchange) {
        guard !exchange.finished else { return }
        exchange.timer = nil
        perform(exchange.machine?.timerFired(now: .now) ?? [], for: exchange)
    }

    /// The stream key of the exchange's transport for one of its servers.
    private func streamKey(_ exchange: Exchange, server: Int) -> StreamPool<DNSStreamFraming>.Key {
        StreamPool.Key(server: exchange.servers[server], tls: exchange.transport.tlsSettings, source: exchange.source)
    }

    private func sendDTLS(_ wire: [UInt8], _ exchange: Exchange, server: Int) {
        let handle = exchange.handle
        guard case .dtls(let settings) = exchange.transport else { return }
        do throws(TransportError) {
            let session = try dtls.connection(
                for: DTLSPool.Key(server: exchange.servers[server], settings: settings, source: exchange.source))
            if let previous = exchange.datagramSession, previous !== session { previous.forget(handle, timedOut: false) }
            exchange.datagramSession = session
            try session.send(wire, id: exchange.id, for: handle)
        } catch {
            perform(exchange.machine?.failed(error) ?? [], for: exchange)
        }
    }

    private func sendStream(_ wire: [UInt8], _ exchange: Exchange, server: Int) {
        let handle = exchange.handle
        exchange.streamAttempts += 1
        do throws(TransportError) {
            let key = streamKey(exchange, server: server)
            if case .https(let settings) = exchange.transport {
                let connection = try httpStreams.connection(for: StreamPool.Key(server: key.server, tls: key.tls, source: key.source))
                exchange.carrier = connection
                try connection.send(try DoHExchange.request(for: exchange.machine!.query, wire: wire, settings: settings), for: handle)
                return
            }
            let request = DNSStreamFraming.Request(id: exchange.id, wire: wire, severalMessages: exchange.severalMessages)
            if exchange.severalMessages {
                if exchange.dedicated == nil { exchange.dedicated = try dnsStreams.dedicatedConnection(for: key) }
                exchange.carrier = exchange.dedicated
                try exchange.dedicated!.send(request, for: handle)
            } else {
                let connection = try dnsStreams.connection(for: key)
                exchange.carrier = connection
                try connection.send(request, for: handle)
            }
        } catch {
            perform(exchange.machine?.failed(error) ?? [], for: exchange)
        }
    }

    /// Queries lost with their connection (or stream) fail — the exchange may move to its next
    /// server — except that a retryable failure (``TransportError/isRetryable``: the server
    /// closed or reset the connection, perhaps as idle just as it was reused, or refused the
    /// stream unprocessed) is retried once on a new connection.
    private func streamFailed(_ error: TransportError, _ lost: [UInt64]) {
        for handle in lost {
            guard let exchange = exchanges[handle], let machine = exchange.machine, machine.usesStream else { continue }
            if exchange.dedicated != nil, let dedicated = exchange.dedicated {
                dnsStreams.release(dedicated)
                exchange.dedicated = nil
            }
            if exchange.streamAttempts < 2, error.isRetryable {
                log("query \(exchange.id): \(error.detail); retrying on a new connection")
                sendStream(machine.wire, exchange, server: machine.server)
            } else {
                perform(exchange.machine?.failed(error) ?? [], for: exchange)
            }
        }
    }

    private func finish(_ exchange: Exchange, _ result: consuming Result<ExchangeResult, TransportError>) {
        let handle = exchange.handle
        exchanges[handle] = nil
        exchange.finished = true
        let id = exchange.id
        if handleByMessageID[id] == handle { handleByMessageID[id] = nil }
        if let timer = exchange.timer { loop.cancelTimer(timer) }
        udp.close(handle)
        exchange.datagramSession?.forget(handle, timedOut: false)
        let timedOut = if case .failure(let error) = result { error.code == .timedOut } else { false }
        exchange.carrier?.forget(handle, timedOut: timedOut)
        if let dedicated = exchange.dedicated { dnsStreams.release(dedicated) }
        if starting {
            let later = copy result
            loop.schedule(at: .now) { exchange.completion(later) }
        } else {
            exchange.completion(result)
            // Finished while a write was flushed before the wait: the caller must see it now.
            loop.returnWithoutWaiting()
        }
    }

    // MARK: TLS

    private func dtlsSetup(_ settings: DTLSSettings, server: SocketAddress) throws(TransportError) -> TLSClientSetup {
        let context: TLSContext
        if let known = dtlsContexts[settings] {
            context = known
        } else {
            context = try TLSContext(settings.tls, dtls: settings)
            dtlsContexts[settings] = context
        }
        return TLSClientSetup(
            context: context, name: settings.tls.serverName.isEmpty ? nil : settings.tls.serverName,
            verify: { [unowned self] verdict in tlsVerifier(&verdict) },
            status: { [unowned self] status in tlsStatus(server, status) })
    }

    private func tlsSetup(_ settings: TLSSettings?, server: SocketAddress) throws(TransportError) -> TLSClientSetup? {
        guard let settings else { return nil }
        let context: TLSContext
        if let known = tlsContexts[settings] {
            context = known
        } else {
            context = try TLSContext(settings)
            tlsContexts[settings] = context
        }
        return TLSClientSetup(
            context: context, name: settings.serverName.isEmpty ? nil : settings.serverName,
            verify: { [unowned self] verdict in tlsVerifier(&verdict) },
            status: { [unowned self] status in tlsStatus(server, status) })
    }
}

/// What the engine sets alike on both stream pools.
private protocol EnginePool {
    func setHandlers(progress: @escaping (UInt64) -> Void, failure: @escaping (TransportError, [UInt64]) -> Void)
}

extension StreamPool: EnginePool {
    func setHandlers(progress: @escaping (UInt64) -> Void, failure: @escaping (TransportError, [UInt64]) -> Void) {
        onProgress = progress
        onFailure = failure
    }
}
