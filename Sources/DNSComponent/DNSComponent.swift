// SPDX-License-Identifier: Apache-2.0
// The IPWorks-style DNS component: properties, results and events.

import DNSTransport
public import DNSWire
import Synchronization

/// A stateful DNS client in the IPWorks shape: set properties, call ``query(_:)``, read
/// the records by index, and react to events.
///
/// Queries are synchronous by default: `query` returns after the response event, or
/// throws. With ``timeout`` set to 0 it returns at once; call ``doEvents()`` until
/// ``idle`` and the events fire from there. Everything runs on the caller's thread.
///
/// The component holds its event handlers, so a handler that uses the component should
/// capture it `[unowned dns]` (or weakly); a strong capture keeps both alive forever.
///
/// ```swift
/// let dns = try DNSComponent()
/// dns.dnsServer = "127.0.0.1"
/// dns.queryType = .mx
/// dns.onResponse = { event in print(event.domain, event.statusCode, event.description) }
/// try dns.query("example.org")
/// for index in 0..<dns.recordCount {
///     print(try dns.recordTypeName(index), try dns.getFieldValue(index, "EXCHANGE"))
/// }
/// ```
///
/// ## Threads
///
/// A component belongs to the thread that calls its methods; events fire on that thread.
/// The one exception is ``interrupt()``, which any thread may call while another runs a
/// query (a UI thread cancelling a slow lookup): that is why the class is `Sendable`.
/// Nothing else may be called from two threads at once.
public final class DNSComponent: @unchecked Sendable {
    // The properties every query reads or writes skip Swift's run-time exclusivity checks
    // (`@exclusivity(unchecked)`; the checks cost a few percent of a query's CPU):
    // they are used on the component's thread only (the checks, kept per thread, could not
    // catch another thread anyway), and the component never holds an access to one of them
    // across a call that could reach another, such as an event handler.

    // MARK: Properties (IPWorks order)

    /// The server's port, 1–65535. A value out of range makes the next ``query(_:)`` fail
    /// with 10022 before any I/O; ``setDNSPort(_:)`` refuses it at once.
    @exclusivity(unchecked) public var dnsPort = 53
    /// The server's address or host name (for HTTPS: its URL), or several separated by
    /// commas, each `host`, `IPv4`, `[IPv6]` or one of those with `:port` (else ``dnsPort``);
    /// for HTTPS each a URL or bare host (a comma inside a URL written `%2C`). With several,
    /// each query goes to the fastest first (by measured round-trip time), the next is asked
    /// as well when no answer came within a delay derived from it, and SERVFAIL, REFUSED, a
    /// timeout or a network error move on to the next, all within ``timeout``. Defaults to
    /// every `nameserver` of /etc/resolv.conf, or "" when there is none (read when first
    /// needed, so a component whose server is set never reads it).
    public var dnsServer: String {
        get {
            if let dnsServerValue { return dnsServerValue }
            let system = Self.systemServers
            dnsServerValue = system
            return system
        }
        set { dnsServerValue = newValue }
    }
    /// ``dnsServer`` once set or read; nil for the default not yet read.
    @exclusivity(unchecked) private var dnsServerValue: String?
    /// Every `nameserver` of /etc/resolv.conf, separated by commas (IPv6 ones in brackets).
    static var systemServers: String {
        ResolverConfiguration.system().nameservers.map { $0.contains(":") ? "[\($0)]" : $0 }.joined(separator: ",")
    }
    /// False while a query is outstanding.
    public var idle: Bool { engine.isIdle }
    /// The local address to send from ("" for any); also the `LocalHost` setting.
    public var localHost: String {
        get { engine.socketOptions.localHost }
        set { engine.socketOptions.localHost = newValue }
    }
    @exclusivity(unchecked) public var `protocol` = TransportProtocol.udp
    @exclusivity(unchecked) public var queryType = QueryType.address
    /// Which section the indexed record accessors show; can change after a query (each
    /// record's selected field goes back to 0).
    public var recordSource = RecordSource.answer {
        didSet { fieldIndexes = [] }
    }
    /// Sets the RD bit: ask the server to recurse.
    @exclusivity(unchecked) public var recursive = true
    /// The ID of the current request, 1–32767: set it before ``query(_:)`` to number that
    /// query; a query the application did not number takes the next one (32767 wraps to 1).
    /// After a query it reads that query's ID, the one its events carry. A value out of
    /// range makes the next query fail with 10022; ``setRequestId(_:)`` refuses it at once.
    @exclusivity(unchecked) public var requestId = 1 {
        didSet { requestIdUsed = false }
    }
    /// The text of ``statusCode``.
    @exclusivity(unchecked) public internal(set) var status = ""
    /// The response code of the last response (0 NOERROR, 3 NXDOMAIN, …, extended codes
    /// included), or 100 when a NOERROR answer held no records of the asked type; after a
    /// query that failed, the error's code (10060, …), also when no error handler was set.
    @exclusivity(unchecked) public internal(set) var statusCode = 0
    /// Seconds a synchronous query may take; 0 makes queries asynchronous. A negative value
    /// makes the next ``query(_:)`` fail with 10022; ``setTimeout(_:)`` refuses it at once.
    @exclusivity(unchecked) public var timeout = 60

    // MARK: Results

    /// With `DNSSECValidation`, the last answer's DNSSEC verdict: `Secure`, `Insecure`, `Bogus`
    /// or `Indeterminate` ("" when it was not validated).
    @exclusivity(unchecked) public internal(set) var dnssecStatus = ""
    /// Why the last answer is not Secure (the validator's reason; "" for Secure).
    @exclusivity(unchecked) public internal(set) var dnssecReason = ""
    /// The RFC 8914 Extended DNS Error code of the last verdict that was not Secure (6 DNSSEC
    /// Bogus, 7 Signature Expired, 9 DNSKEY Missing, …); -1 for none.
    @exclusivity(unchecked) public internal(set) var dnssecEDE = -1

    /// The last response, as parsed.
    @exclusivity(unchecked) public internal(set) var response: DNSMessage?
    /// The last response's octets as received (for an answer from the response cache,
    /// ``response`` written out).
    public var responseWire: [UInt8] { receivedWire ?? response.map { (try? $0.serialize()) ?? [] } ?? [] }
    /// The last response's octets as received; nil for an answer from the cache.
    @exclusivity(unchecked) var receivedWire: [UInt8]?
    /// The selected field of each record of the current source, by record index.
    @exclusivity(unchecked) var fieldIndexes: [Int] = []
    /// Whether ``requestId`` was taken by a query since it was last set.
    @exclusivity(unchecked) var requestIdUsed = false
    /// Set by ``interrupt()`` from another thread; the thread running the component acts on it.
    let interruptRequested = Atomic<Bool>(false)

    // MARK: Events

    /// Fires once per completed query.
    @exclusivity(unchecked) public var onResponse: ((ResponseEvent) throws -> Void)?
    /// Fires for failures of asynchronous queries (synchronous ones throw instead).
    @exclusivity(unchecked) public var onError: ((ErrorEvent) throws -> Void)?
    /// Fires for log lines up to the `LogLevel` setting.
    @exclusivity(unchecked) public var onLog: ((LogEvent) throws -> Void)? {
        didSet { updateEngineLogger() }
    }
    /// Fires for each TLS handshake; the handler may accept a certificate that failed verification.
    public var onSSLServerAuthentication: ((inout SSLServerAuthenticationEvent) throws -> Void)?
    /// Fires as a TLS connection progresses.
    public var onSSLStatus: ((SSLStatusEvent) throws -> Void)?

    // MARK: Machinery

    let loop: PollLoop
    let engine: DNSEngine
    @exclusivity(unchecked) var settings = Settings()
    /// The first error an event handler threw during the current method (IPWorks rule: code -1).
    @exclusivity(unchecked) var handlerError: DNSComponentError?
    /// Where queries go, with what it was worked out from.
    @exclusivity(unchecked) var route: CachedRoute?
    /// The response cache, while `CacheSize` is above 0 (a change of a cache setting starts an empty one).
    var responseCache: ResponseCache?
    /// The DNSSEC validator and its key cache, made at the first validated query after a
    /// DNSSEC setting changed.
    var validator: ResponseValidator?

    /// A route and what it was worked out from: a class, so that checking it against the
    /// current settings (every query) copies neither.
    final class CachedRoute {
        let key: RouteKey
        let route: Route

        init(key: RouteKey, route: Route) {
            self.key = key
            self.route = route
        }

        /// Whether the properties a query may have changed since are still the key's (the
        /// settings are checked when `config` changes one: ``matchesSettings(of:)``).
        func matchesProperties(of component: DNSComponent) -> Bool {
            key.transport == component.protocol && key.server == component.dnsServer && key.port == component.dnsPort
        }

        /// Whether the settings the route depends on are still the key's.
        func matchesSettings(of component: DNSComponent) -> Bool {
            key == RouteKey(component)
        }
    }

    /// What a route is worked out from: when none of it changed, the route is reused.
    struct RouteKey: Equatable {
        let transport: TransportProtocol
        let server: String
        let port: Int
        let ipv6Only: Bool
        let bootstrap: String
        let tls: TLSSettings
        /// The DTLS settings beyond ``tls``.
        let dtls: DTLSSettings
        let dohMethod: Int
        let userAgent: String
        let connectionMode: ConnectionMode

        init(_ component: DNSComponent) {
            let settings = component.settings
            (transport, server, port) = (component.protocol, component.dnsServer, component.dnsPort)
            (ipv6Only, bootstrap, tls, dtls) = (settings.useIPv6, settings.dohBootstrapAddress, settings.tls, settings.dtls)
            (dohMethod, userAgent, connectionMode) = (settings.dohMethod, settings.dohUserAgent, settings.connectionMode)
        }
    }

    /// What the events of an outstanding query report.
    struct PendingQuery {
        let requestId: Int
        let domain: String
    }

    /// How a synchronous query ended, filled in by its completion while ``query(_:)`` waits.
    final class SyncOutcome {
        var finished = false
        var failure: DNSComponentError?
    }

    public init() throws {
        loop = try PollLoop()
        engine = DNSEngine(loop: loop)
        engine.tlsVerifier = { [unowned self] verdict in self.decideCertificate(&verdict) }
        engine.tlsStatus = { [unowned self] server, status in self.reportTLSStatus(server, status) }
        applySettings()
    }

    // MARK: Validated setters

    /// Sets ``dnsPort``.
    /// - Throws: 10022 when `port` is not in 1–65535.
    public func setDNSPort(_ port: Int) throws {
        guard (1...65_535).contains(port) else { throw ErrorCode.error(ErrorCode.invalidArgument, "DNSPort must be 1-65535, not \(port).") }
        dnsPort = port
    }

    /// Sets ``requestId``.
    /// - Throws: 10022 when `id` is not in 1–32767.
    public func setRequestId(_ id: Int) throws {
        guard (1...32_767).contains(id) else { throw ErrorCode.error(ErrorCode.invalidArgument, "RequestId must be 1-32767, not \(id).") }
        requestId = id
    }

    /// Sets ``timeout`` in seconds; 0 makes queries asynchronous.
    /// - Throws: 10022 for a negative value.
    public func setTimeout(_ seconds: Int) throws {
        guard seconds >= 0 else { throw ErrorCode.error(ErrorCode.invalidArgument, "Timeout may not be negative.") }
        timeout = seconds
    }

    // MARK: Methods

    /// Cancels every outstanding query; a synchronous query in progress throws 10004.
    ///
    /// Any thread may call it. From the component's own thread (an event handler) the
    /// queries end at once; from another, the component's thread ends them as soon as its
    /// wait wakes, which this call makes happen at once.
    public func interrupt() throws {
        if loop.remote.isOnLoopThread {
            engine.cancelAll()
        } else {
            interruptRequested.store(true, ordering: .releasing)
            loop.remote.wakeUp()
        }
    }

    /// Acts on an ``interrupt()`` from another thread.
    func handleInterrupt() {
        if interruptRequested.exchange(false, ordering: .acquiring) { engine.cancelAll() }
    }

    /// Cancels outstanding queries, closes connections and restores every property and
    /// setting to its default. Event handlers stay.
    public func reset() throws {
        engine.cancelAll()
        engine.closeConnections()
        interruptRequested.store(false, ordering: .relaxed)
        dnsPort = 53
        dnsServerValue = nil
        localHost = ""
        `protocol` = .udp
        queryType = .address
        recordSource = .answer
        recursive = true
        requestId = 1
        timeout = 60
        clearResults()
        settings = Settings()
        route = nil
        applySettings()
    }

    func clearResults() {
        response = nil
        receivedWire = nil
        fieldIndexes = []
        status = ""
        statusCode = 0
        settings.responseTruncated = false
        (dnssecStatus, dnssecReason, dnssecEDE) = ("", "", -1)
    }

    /// Copies the settings the engine needs.
    func applySettings() {
        var options = engine.socketOptions
        options.localPort = settings.localPort
        options.receiveBufferSize = settings.inBufferSize
        options.sendBufferSize = settings.outBufferSize
        options.dontFragment = settings.dontFragment
        options.shareLocalPort = settings.shareLocalPort
        options.connectUDP = settings.useConnection
        engine.socketOptions = options
        engine.tcpIdleTimeout = .milliseconds(settings.tcpIdleTimeoutMilliseconds)
        engine.udpMaxQueries = settings.udpMaxQueries
        loop.busyWait = .microseconds(settings.busyWaitMicroseconds)
        // A query checks only the properties against its route; a setting it depends on is
        // checked here, where settings change.
        if let cached = route, !cached.matchesSettings(of: self) { route = nil }
        if settings.cache != responseCache?.settings ?? CacheSettings() {
            responseCache = settings.cache.maxEntries > 0 ? ResponseCache(settings: settings.cache) : nil
        }
        updateEngineLogger()
    }

    /// The engine logs (at Verbose) only when someone listens at that level. HTTP lines get
    /// the IPWorks log types: request and status lines at Info, headers (`RequestHeaders`,
    /// `ResponseHeaders`) at Verbose, bodies (`RequestBody`, `ResponseBody`) at Debug.
    private func updateEngineLogger() {
        engine.logger = onLog != nil && settings.logLevel >= 2 ? { [unowned self] line in self.log(2, line) } : nil
        engine.requestLogger =
            onLog != nil && settings.logLevel >= 3
            ? { [unowned self] wire in self.log(3, "Request octets: \(BaseEncoding.hex.encode(wire))", type: "RequestBody") } : nil
        engine.httpLogger =
            onLog != nil && settings.logLevel >= 1
            ? { [unowned self] entry in
                let (level, type): (Int, String) =
                    switch entry.kind {
                    case .info: (1, "Info")
                    case .requestHeaders: (2, "RequestHeaders")
                    case .responseHeaders: (2, "ResponseHeaders")
                    case .requestBody: (3, "RequestBody")
                    case .responseBody: (3, "ResponseBody")
                    }
                self.log(level, entry.text, type: type)
            } : nil
    }

    // MARK: Events

    /// Runs a handler under the IPWorks rule: an error it throws fires the error event with
    /// code -1 (unless it came from the error handler itself) and is rethrown when the
    /// current method finishes.
    func fire(_ event: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch {
            let wrapped = DNSComponentError(
                code: ErrorCode.handlerError, message: "An unhandled error occurred in the \(event) event handler: \(error)",
                underlying: error)
            if handlerError == nil { handlerError = wrapped }
            if event != "Error", let onError {
                try? onError(ErrorEvent(errorCode: wrapped.code, description: wrapped.message))
            }
        }
    }

    /// Runs a public method and then throws the first handler error, if any.
    func withHandlerErrors<T>(_ body: () throws -> T) throws -> T {
        handlerError = nil
        let result = try body()
        if let error = handlerError {
            handlerError = nil
            throw error
        }
        return result
    }

    /// Fires the certificate event; without a handler the verification verdict stands.
    private func decideCertificate(_ verdict: inout TLSPeerVerification) {
        log(1, "Server certificate \(verdict.subject) from \(verdict.issuer): \(verdict.status)")
        guard let onSSLServerAuthentication else { return }
        var event = SSLServerAuthenticationEvent(
            remoteAddress: verdict.remoteAddress, remotePort: verdict.remotePort, certEncoded: verdict.certificate,
            certEncodedBase64: BaseEncoding.base64.encode(verdict.certificate),
            certSubject: verdict.subject, certIssuer: verdict.issuer, status: verdict.status, accept: verdict.accept)
        fire("SSLServerAuthentication") { try onSSLServerAuthentication(&event) }
        verdict.accept = event.accept
    }

    private func reportTLSStatus(_ server: SocketAddress, _ status: TLSStatus) {
        if let resumed = status.sessionResumed { settings.sslSessionResumed = resumed }
        log(2, status.message)
        guard let onSSLStatus else { return }
        let event = SSLStatusEvent(remoteAddress: server.ipAddress, remotePort: Int(server.port), message: status.message)
        fire("SSLStatus") { try onSSLStatus(event) }
    }

    func log(_ level: Int, _ message: @autoclosure () -> String, type: String = "Info") {
        guard level <= settings.logLevel, let onLog else { return }
        let text = message()
        fire("Log") { try onLog(LogEvent(logLevel: level, message: text, logType: type)) }
    }
}
