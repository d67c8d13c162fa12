// SPDX-License-Identifier: Apache-2.0
// Sending queries, pumping events, and turning outcomes into properties and events.

import DNSTransport
public import DNSWire

extension DNSComponent {
    /// Queries `domain` for ``queryType`` records.
    ///
    /// Synchronous (``timeout`` > 0): returns after the response event, or throws the
    /// failure (10060 timed out, 10061 refused, 11001 host not found, 10004 interrupted, …).
    /// Asynchronous (``timeout`` 0): returns at once; the response or error event fires
    /// from ``doEvents()``. The results of the previous query are cleared first.
    /// - Throws: 10022 for a ``dnsPort``, ``timeout`` or ``requestId`` out of range, before
    ///   any I/O.
    public func query(_ domain: String) throws {
        try withHandlerErrors {
            handleInterrupt()
            clearResults()
            try checkProperties()
            let question = try makeQuestion(domain)
            let route = try currentRoute()
            let options = exchangeOptions(route)
            let id = takeRequestId()
            log(
                1,
                "Query \(id): \(question.name) \(question.type) to \(route.servers.map(\.endpoint.description).joined(separator: ", ")) over \(Self.transportName(options.transport))"
            )
            let query = PendingQuery(requestId: id, domain: domain)
            let outcome = timeout > 0 ? SyncOutcome() : nil
            let handle: DNSEngine.Handle
            // A zone transfer ends itself by its TransferTimeout, or after a silence of its
            // timeout; the loop still never waits without a deadline. Only a synchronous
            // query waits for one.
            var limit: ContinuousClock.Instant? = outcome != nil ? Self.latestEnd(of: options) : nil
            if let kind = transferKind {
                handle = try startTransfer(kind, of: question.name, route: route, options: options, query: query, outcome: outcome)
                limit = settings.transferTimeout > 0 ? .now + .seconds(settings.transferTimeout) + options.timeout + .seconds(1) : nil
            } else {
                let edns =
                    settings.ednsPayloadSize > 0 ? EDNS(udpPayloadSize: UInt16(settings.ednsPayloadSize), dnssecOK: settings.dnssecOK) : nil
                let message = DNSMessage.query(name: question.name, type: question.type, id: 0, recursionDesired: recursive, edns: edns)
                let validator = currentValidator()
                if validator == nil, let outcome, answeredFromCache(message, route: route, options: options, query: query, outcome: outcome) {
                    if let failure = outcome.failure { throw failure }
                    return
                }
                handle = engine.start(message, servers: route.servers, options: options, cache: responseCache, validator: validator) {
                    [unowned self] result in
                    self.complete(query, result, outcome)
                }
            }
            guard let outcome else { return }
            try wait(for: outcome, of: handle, until: limit, polling: options.timeout)
        }
    }

    /// A synchronous query's fresh answer (or recent failure) from the response cache, given at
    /// once without a turn of the loop; false when the cache has none (the engine then asks,
    /// or refreshes a stale entry).
    private func answeredFromCache(
        _ message: DNSMessage, route: Route, options: ExchangeOptions, query: PendingQuery, outcome: SyncOutcome
    ) -> Bool {
        guard let responseCache, let key = DNSEngine.cacheKey(message, servers: route.servers, options: options) else { return false }
        switch responseCache.lookup(key, question: message.questions[0], id: message.id, now: .now, countingMisses: false) {
        case .hit(let answer), .serverFailure(let answer):
            complete(query, .success(ExchangeResult(cached: answer)), outcome)
        case .transportFailure(let error):
            complete(query, .failure(error), outcome)
        case .stale, .miss:
            return false
        }
        return true
    }

    /// When an exchange with `options` has ended itself at the latest (twice its timeout),
    /// with a second to spare.
    static func latestEnd(of options: ExchangeOptions) -> ContinuousClock.Instant {
        .now + min(options.timeout, ExchangeOptions.longestTimeout) * 2 + .seconds(1)
    }

    /// Runs the loop until a synchronous query's outcome is known, or `limit` passes (then
    /// the exchange is cancelled); throws its failure.
    func wait(for outcome: SyncOutcome, of handle: DNSEngine.Handle, until limit: ContinuousClock.Instant?, polling: Duration) throws {
        while !outcome.finished {
            let remaining = limit.map { ContinuousClock.now.duration(to: $0) }
            if let remaining, remaining <= .zero {
                engine.cancel(handle, TransportError(.timedOut, "no response within the query's time limit"))
                break
            }
            loop.runOnce(timeout: remaining ?? polling)
            handleInterrupt()
        }
        if let failure = outcome.failure { throw failure }
    }

    /// Processes whatever events are ready, waiting up to `SelectWaitMillis` when none are
    /// (also with nothing outstanding, so `while true { try dns.doEvents() }` does not spin).
    public func doEvents() throws {
        try withHandlerErrors {
            handleInterrupt()
            loop.runOnce(timeout: .milliseconds(settings.selectWaitMillis))
            handleInterrupt()
        }
    }

    /// The properties a query depends on, checked before any I/O (their setters cannot throw).
    /// - Throws: 10022 naming the property out of range.
    func checkProperties() throws {
        guard (1...65_535).contains(dnsPort) else {
            throw ErrorCode.error(ErrorCode.invalidArgument, "DNSPort must be 1-65535, not \(dnsPort).")
        }
        guard timeout >= 0 else { throw ErrorCode.error(ErrorCode.invalidArgument, "Timeout may not be negative, not \(timeout).") }
        guard (1...32_767).contains(requestId) else {
            throw ErrorCode.error(ErrorCode.invalidArgument, "RequestId must be 1-32767, not \(requestId).")
        }
    }

    /// The ID of the query about to start: ``requestId`` when the application set it since
    /// the last query (or it is the initial 1), else the one after it.
    func takeRequestId() -> Int {
        if requestIdUsed { requestId = requestId == 32_767 ? 1 : requestId + 1 }
        requestIdUsed = true
        return requestId
    }

    /// The question for `domain` under the current query type and IDN settings.
    func makeQuestion(_ domain: String) throws -> DNSQuestion {
        guard let type = queryType.recordType else {
            throw ErrorCode.error(ErrorCode.unknownRecordType, "QueryType \(queryType.rawValue) is not 0-65535 or 100.")
        }
        if queryType == .revLookup { return DNSQuestion(name: try Self.reverseName(domain), type: .ptr) }
        return DNSQuestion(name: try domainName(domain), type: type)
    }

    /// `domain` as a name, under the IDN and code page settings.
    /// - Throws: 10022 when it is not a domain name.
    func domainName(_ domain: String) throws -> DomainName {
        do {
            if settings.useIDNs, !domain.utf8.allSatisfy({ $0 < 0x80 }) { return try DomainName(idn: domain) }
            if settings.codePage == .utf8 { return try DomainName(domain) }
            return try DomainName(presentation: try settings.codePage.encode(domain))
        } catch let error as DNSComponentError {
            throw error
        } catch {
            throw ErrorCode.error(ErrorCode.invalidArgument, "Domain \"\(domain)\": \(error)")
        }
    }

    /// The reverse-mapping name of an IPv4 or IPv6 address (`DomainName(reverseOf:)`).
    /// - Throws: 225 when `address` is neither.
    static func reverseName(_ address: String) throws -> DomainName {
        if let v4 = IPv4Address(address) { return DomainName(reverseOf: v4) }
        if let v6 = IPv6Address(address) { return DomainName(reverseOf: v6) }
        throw ErrorCode.error(ErrorCode.badAddress, "\"\(address)\" is not an IPv4 or IPv6 address.")
    }

    private static func transportName(_ transport: Transport) -> String {
        switch transport {
        case .udp: "UDP"
        case .tcp: "TCP"
        case .tls: "TLS"
        case .https(let settings): "HTTPS (\(settings.url), \(settings.method))"
        case .dtls(let settings): settings.usesPSK ? "DTLS (pre-shared key)" : "DTLS"
        }
    }

    /// Where queries go (DNSTransport's `Route`): ``dnsServer`` and ``dnsPort``, or for HTTPS
    /// the URL's host and port (or `DoHBootstrapAddress`), over ``protocol`` and its settings.
    /// Worked out again only when something it depends on changed since the last query
    /// (``dnsServer``, ``dnsPort`` and ``protocol`` are checked here, the settings by
    /// `config`); a host name is then resolved again (by the engine, off the loop's work).
    /// - Throws: 224 without a server; for HTTPS, 153 for a scheme other than https/http, 152
    ///   without a host, 10022 for a bad port or a character a URL cannot hold.
    func currentRoute() throws -> Route {
        if let cached = route, cached.matchesProperties(of: self) { return cached.route }
        let key = RouteKey(self)
        let kind: Route.Kind
        switch `protocol` {
        case .udp:
            switch settings.connectionMode {
            case .auto: kind = .udp(.retryOverTCP)
            case .udpOnly: kind = .udp(.returnTruncated)
            case .tcpOnly: kind = .tcp
            }
        case .tcp: kind = .tcp
        case .tls: kind = .tls
        case .dtls:
            var dtls = settings.dtls
            dtls.tls = settings.tls
            kind = .dtls(dtls)
        case .https:
            var options = Route.DoHOptions()
            options.method = DoHMethod(rawValue: settings.dohMethod) ?? .post
            options.userAgent = settings.dohUserAgent
            options.bootstrapAddress = settings.dohBootstrapAddress
            kind = .https(options)
        }
        let text = dnsServer.trimmingSpaces
        let built: Route
        do {
            built = try Route(server: text, port: UInt16(dnsPort), kind: kind, tls: settings.tls, family: settings.useIPv6 ? .v6 : nil)
        } catch .noServer {
            throw ErrorCode.error(ErrorCode.noServer)
        } catch .badServer(let entry) {
            throw ErrorCode.error(
                ErrorCode.invalidArgument, "\"\(entry)\" in DNSServer is not a host, IPv4 address or [IPv6] address with an optional :port 1-65535.")
        } catch .badURL(.unsupportedScheme(let scheme)) {
            throw ErrorCode.error(ErrorCode.urlScheme, "\"\(scheme)\" in \(text); use https:// (or http:// for cleartext HTTP/2).")
        } catch .badURL(.missingHost) {
            throw ErrorCode.error(ErrorCode.urlHost, "\(text)")
        } catch .badURL(.badPort(let port)) {
            throw ErrorCode.error(ErrorCode.invalidArgument, "Port \"\(port)\" in \(text) is not 1-65535.")
        } catch .badURL(.invalidCharacter) {
            throw ErrorCode.error(
                ErrorCode.invalidArgument, "The URL has a space, control or non-ASCII character; percent-encode it.")
        }
        engine.forgetResolvedNames()
        route = CachedRoute(key: key, route: built)
        return built
    }

    func exchangeOptions(_ route: Route) -> ExchangeOptions {
        var options = ExchangeOptions()
        options.transport = route.servers[0].transport ?? .udp()
        options.timeout = .seconds(timeout > 0 ? timeout : settings.asyncQueryTimeout)
        options.absoluteTimeout = settings.absoluteTimeout
        options.retransmitInterval = .milliseconds(settings.retransmitIntervalMilliseconds)
        options.retransmissions = settings.retransmissions
        options.maxPacketSize = settings.maxPacketSize
        options.cookies = settings.dnsCookies
        options.tsig = settings.tsigKey
        options.tsigFudge = UInt16(settings.tsigFudge)
        return options
    }

    /// The status the component reports for `response`: its response code and text, the
    /// server's TSIG error (BADSIG 16, BADKEY 17, BADTIME 18, BADTRUNC 22) when its TSIG
    /// record carries one, or 100 ("no records") for a NOERROR answer without records of the
    /// asked type.
    public static func status(of response: DNSMessage) -> (code: Int, description: String) {
        if response.header.opcode == .update { return (Int(response.responseCode.rawValue), response.responseCode.text) }
        // The type first: a cast of the record's data costs a run-time type check. Records are
        // looked at in place, by index (`last` or a closure over them would copy each).
        let additionals = response.additionals.indices
        if let last = additionals.last, response.additionals[last].type == .tsig,
            let tsig = response.additionals[last].data.as(RecordData.TSIG.self), tsig.error != 0
        {
            // 16 in a TSIG record is BADSIG (BADVERS only in OPT).
            return (Int(tsig.error), tsig.error == 16 ? "TSIG signature failure" : ResponseCode(rawValue: tsig.error).text)
        }
        let asked = response.questions.first?.type
        let anyType = asked == .any || asked == .axfr || asked == .ixfr
        let hasAnswer = anyType ? !response.answers.isEmpty : response.answers.indices.contains { response.answers[$0].type == asked }
        if response.responseCode == .noError, !hasAnswer { return (ErrorCode.noRecords, ErrorCode.messages[ErrorCode.noRecords]!) }
        return (Int(response.responseCode.rawValue), response.responseCode.text)
    }

    /// Maps a transport failure to the IPWorks code and description.
    static func componentError(_ error: TransportError) -> DNSComponentError {
        switch error.code {
        case .cancelled: return ErrorCode.error(ErrorCode.interrupted, "The query was interrupted.")
        default:
            let (code, text) = TransportErrorCode.of(error)
            return DNSComponentError(code: code, message: "[\(code)] \(text) (\(error.detail))")
        }
    }

    /// An exchange finished: update the properties and fire the event. A synchronous
    /// query's failure goes to `outcome`, for ``query(_:)`` to throw.
    func complete(_ query: PendingQuery, _ result: consuming Result<ExchangeResult, TransportError>, _ outcome: SyncOutcome?) {
        outcome?.finished = true
        switch consume result {
        case .success(let exchange):
            if let verdict = exchange.dnssec, !accept(verdict, for: query, outcome) { return }
            let (wire, server, overTCP) = exchange.fromCache ? (nil, nil, false) : (exchange.wire, exchange.server, exchange.overTCP)
            accept(exchange.takeResponse(), wire: wire, from: server, overTCP: overTCP, for: query)
        case .failure(let error):
            fail(query, Self.componentError(error), outcome)
        }
    }

    /// The query failed: a synchronous one throws `failure`, an asynchronous one fires the
    /// error event. The failure stays visible after the query, with or without an error handler.
    func fail(_ query: PendingQuery, _ failure: DNSComponentError, _ outcome: SyncOutcome?) {
        statusCode = failure.code
        status = failure.message
        log(1, "Query \(query.requestId) failed: \(failure.message)")
        if let outcome {
            outcome.failure = failure
        } else if let onError {
            fire("Error") { try onError(ErrorEvent(errorCode: failure.code, description: failure.message)) }
        }
    }

    /// A response arrived (or a zone transfer completed): update the properties, fire the event.
    /// - Parameter server: who answered; nil for an answer from the response cache.
    /// - Parameter wire: the octets as received; nil for an answer from the cache.
    func accept(_ message: consuming DNSMessage, wire: [UInt8]?, from server: SocketAddress?, overTCP: Bool, for query: PendingQuery) {
        settings.responseTruncated = message.header.flags.contains(.tc)
        fieldIndexes = []
        (statusCode, status) = Self.status(of: message)
        if settings.dnsProtocolLogEnabled { settings.dnsProtocolLog = ProtocolLog.text(for: message, server: server) }
        let (code, answers, authoritative) = (message.responseCode, message.answers.count, message.header.flags.contains(.aa))
        response = consume message
        receivedWire = wire
        log(
            1,
            "Response \(query.requestId): \(code) with \(answers) answers "
                + (server.map { "from \($0)\(overTCP ? " over TCP" : "")" } ?? "from the cache")
        )
        if let wire, !wire.isEmpty { log(3, "Response octets: \(BaseEncoding.hex.encode(wire))", type: "ResponseBody") }
        guard let onResponse else { return }
        let event = ResponseEvent(
            requestId: query.requestId, domain: query.domain, statusCode: statusCode, description: status, authoritative: authoritative)
        fire("Response") { try onResponse(event) }
    }
}
