// SPDX-License-Identifier: Apache-2.0
// The async/await face of the engine.

public import DNSTransport
public import DNSWire
public import Logging

/// A DNS client for Swift concurrency: `try await client.query("example.org", type: .aaaa)`.
///
/// It runs its exchanges on one `DNSEngine` whose poll loop has a thread of its own, and
/// may be called from many tasks at once. Each query goes first to the server with the
/// shortest measured round-trip time; when no answer came within a delay derived from that
/// time, the next server is asked as well, and the first good answer wins. SERVFAIL,
/// REFUSED, a timeout or a network error move on to the next server at once; a server that
/// failed backs off and is tried again later. All of it within the query's one timeout.
/// Message IDs and UDP source ports are unpredictable, and answers are checked against the
/// question. Cancelling a task ends its query at once. Failures are `TransportError`s, the
/// errors the component maps to its IPWorks codes.
///
/// ```swift
/// let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: 53))])
/// let response = try await client.query("example.org", type: .aaaa)
/// print(response.message.answers, response.server, response.roundTripTime)
/// ```
public final class DNSClient: Sendable {
    /// The servers queries go to, each with its own transport or the query's.
    public let servers: [Nameserver]
    /// The search list and `ndots` that ``addresses(for:family:options:)`` applies (only it:
    /// ``query(_:type:class:options:)-(String,_,_,_)`` asks for the name as given). Unless
    /// the client was given one, /etc/resolv.conf's, read when first needed.
    public var searchConfiguration: ResolverConfiguration {
        search.withLock { search in
            if let known = search { return known }
            let system = ResolverConfiguration.system()
            search = system
            return system
        }
    }
    private let search: Locked<ResolverConfiguration?>
    /// What a query without options of its own uses.
    public let defaultOptions: QueryOptions
    /// Whether each query starts with the next server in turn (resolv.conf's `rotate`)
    /// rather than with the fastest.
    public let rotatesServers: Bool
    /// The response cache (nil unless the client was made with a cache of some entries).
    public let cache: ResponseCache?
    /// The DNSSEC validator every query's answer goes through (nil: answers are not validated).
    public let validator: ResponseValidator?
    let core: ClientCore
    private let nextFirstServer = Locked(0)

    /// - Parameters:
    ///   - servers: where queries go (at least one); a server without a transport of its own
    ///     takes the query's (``QueryOptions/transport``).
    ///   - search: the search list and `ndots` for ``addresses(for:family:options:)``; nil
    ///     (the default): /etc/resolv.conf's, read when first needed (a client given its
    ///     servers, that never asks for addresses, never reads the file).
    ///   - defaults: the options of queries that give none.
    ///   - rotate: start each query with the next server in turn instead of the fastest.
    ///   - udpMaxQueries: how many queries one UDP socket carries over its life (c-ares'
    ///     `udp_max_queries`, the component's `UDPMaxQueries`): 1, the default, a fresh socket
    ///     and random source port per query (RFC 5452); N > 1 up to N, several at once; 0 no
    ///     limit. Replies are still checked against source, ID and question.
    ///   - cache: a response cache with these settings (`CacheSettings.maxEntries` 0, the
    ///     default: none; every query asks a server). A fresh answer is given on the caller's
    ///     thread without a hop to the client's; identical queries outstanding at once share one
    ///     exchange; with `CacheSettings.serveStale`, expired answers are given stale while
    ///     the servers do not answer (RFC 8767).
    ///   - dnssec: validate every answer with these settings (RFC 4033–4035; nil, the default:
    ///     none). Queries carry DO and CD; the verdict is on ``DNSResponse/dnssec``; a Bogus
    ///     answer throws `TransportError/Code/dnssecBogus` unless `DNSSECSettings/returnBogus`.
    ///     DS and DNSKEY RRsets are fetched through the same servers and kept in the
    ///     validator's key cache. ``QueryOptions/dnssecValidation`` turns it off per query.
    ///   - logger: receives a debug line per answer or failure (with the server and round-trip
    ///     time) and, at trace level, the engine's steps.
    /// - Throws: `TransportError/Code/invalidQuery` without servers; a system error when
    ///   the loop cannot be set up.
    public init(
        servers: [Nameserver], search: ResolverConfiguration? = nil, defaults: QueryOptions = QueryOptions(), rotate: Bool = false,
        udpMaxQueries: Int = 1, cache: CacheSettings = CacheSettings(), dnssec: DNSSECSettings? = nil,
        logger: Logger = Logger(label: "dns.client")
    ) throws(TransportError) {
        guard !servers.isEmpty else { throw TransportError(.invalidQuery, "a client needs at least one server") }
        self.servers = servers
        self.cache = cache.maxEntries > 0 ? ResponseCache(settings: cache) : nil
        validator = dnssec.map(ResponseValidator.init(settings:))
        self.search = Locked(search)
        defaultOptions = defaults
        rotatesServers = rotate
        core = try ClientCore(logger: logger, udpMaxQueries: udpMaxQueries)
    }

    /// A client as resolv.conf describes it (`path`, by default /etc/resolv.conf): every
    /// `nameserver` (port 53), its search list and `ndots`, `rotate`, and `timeout:` and
    /// `attempts:` as the default options' wait per try (the retransmission interval) and
    /// number of tries, over all servers within the query's timeout.
    /// - Throws: `TransportError/Code/invalidQuery` when resolv.conf names no server.
    public convenience init(resolvConf path: String = "/etc/resolv.conf", logger: Logger = Logger(label: "dns.client")) throws(TransportError) {
        let system = ResolverConfiguration.system(path: path)
        let servers = system.nameservers.map { Nameserver(ServerEndpoint(host: $0, port: 53)) }
        var defaults = QueryOptions()
        if system.timeout != nil || system.attempts != nil {
            let perTry = system.timeout ?? 5
            let tries = system.attempts ?? 2
            defaults.retransmitInterval = .seconds(perTry)
            defaults.retransmissions = tries - 1
            defaults.timeout = .seconds(perTry * tries * max(1, servers.count))
        }
        try self.init(servers: servers, search: system, defaults: defaults, rotate: system.rotate, logger: logger)
    }

    /// Stops the client's thread and, unless released on that thread, waits for it to end.
    deinit {
        core.stop()
    }

    /// The executor of the client's thread. Each query hops to that thread and back; a task
    /// that makes many queries in a row can run there instead and save both hops (two thread
    /// wake-ups per query):
    ///
    /// ```swift
    /// try await withTaskExecutorPreference(client.executor) {
    ///     for name in names { results.append(try await client.query(name)) }
    /// }
    /// ```
    /// Work there shares the thread with every query's I/O, so keep it short.
    public var executor: any TaskExecutor { core.taskExecutor }

    /// Whether no query is outstanding.
    var isIdle: Bool {
        get async { await core.isIdle }
    }

    /// Asks for `type` records of `name`.
    /// - Throws: `TransportError` (`TransportError/Code/timedOut`, a refusal, a malformed
    ///   answer, `TransportError/Code/cancelled` when the task is cancelled, …).
    public func query(
        _ name: DomainName, type: RecordType = .a, class recordClass: RecordClass = .in, options: QueryOptions? = nil
    ) async throws(TransportError) -> DNSResponse {
        let options = options ?? defaultOptions
        var edns: EDNS?
        if let size = options.ednsPayloadSize {
            edns = EDNS(udpPayloadSize: size, dnssecOK: options.dnssecOK, options: options.ednsOptions)
        }
        let asked = options.randomizeCase ? Self.randomCase(name) : name
        var message = DNSMessage.query(
            name: asked, type: type, recordClass: recordClass, id: 0, recursionDesired: options.recursionDesired, edns: edns)
        if options.checkingDisabled { message.header.flags.insert(.cd) }
        // The response goes back as it came, not copied (a copy retains each of its many parts).
        guard options.randomizeCase else { return try await exchange(.query(message), options: options) }
        return try await exchange(.query(message), options: options).spelling(asked, as: name)
    }

    /// The servers for this query: as given, or with `rotate` starting one further each time.
    private func serversInTurn() -> [Nameserver] {
        guard rotatesServers, servers.count > 1 else { return servers }
        let first = nextFirstServer.withLock { next in
            defer { next = (next + 1) % servers.count }
            return next
        }
        return Array(servers[first...] + servers[..<first])
    }

    /// `name` with each ASCII letter's case chosen at random (0x20).
    static func randomCase(_ name: DomainName) -> DomainName {
        var random = SystemRandomNumberGenerator()
        var bits: UInt64 = 0
        var left = 0
        let labels = name.labels.map { label in
            label.map { octet -> UInt8 in
                guard (octet | 0x20) &- 0x61 < 26 else { return octet }
                if left == 0 { (bits, left) = (random.next(), 64) }
                defer { (bits, left) = (bits >> 1, left - 1) }
                return bits & 1 == 1 ? octet | 0x20 : octet & ~0x20
            }
        }
        return (try? DomainName(labels: labels)) ?? name
    }

    /// Asks for `type` records of `name`, given in presentation form (`example.org`).
    /// - Throws: `TransportError/Code/invalidQuery` for a name that does not parse, else as
    ///   the query by `DomainName` does.
    public func query(
        _ name: String, type: RecordType = .a, class recordClass: RecordClass = .in, options: QueryOptions? = nil
    ) async throws(TransportError) -> DNSResponse {
        let parsed: DomainName
        do {
            parsed = try DomainName(name)
        } catch {
            throw TransportError(.invalidQuery, "\"\(name)\" is not a domain name: \(error)")
        }
        return try await query(parsed, type: type, class: recordClass, options: options)
    }

    /// Sends a message the caller built (its ID is replaced with an unpredictable one) and
    /// returns the answer. `options` supplies the transport and timing; its EDNS and flag
    /// settings are not applied (the message carries its own).
    public func send(_ message: DNSMessage, options: QueryOptions? = nil) async throws(TransportError) -> DNSResponse {
        try await exchange(.query(message), options: options ?? defaultOptions)
    }

    /// Sends a dynamic update (RFC 2136) built with `DNSUpdate`, signed with
    /// ``QueryOptions/tsig`` when set; the answer's response code says how it went (NOERROR,
    /// REFUSED, YXDOMAIN, NXRRSET, …).
    ///
    /// ```swift
    /// var update = DNSUpdate(zone: try DomainName("example.org"))
    /// update.require(.nameNotInUse(try DomainName("new.example.org")))
    /// update.add(try DomainName("new.example.org"), ttl: 300, try RecordData(type: .a, presentation: "192.0.2.7"))
    /// let response = try await client.send(update, options: signed)
    /// ```
    public func send(_ update: DNSUpdate, options: QueryOptions? = nil) async throws(TransportError) -> DNSResponse {
        try await exchange(.update(update.message(id: 0)), options: options ?? defaultOptions)
    }

    /// Runs on its caller's executor, as `ClientCore.exchange` does.
    private nonisolated(nonsending) func exchange(_ outgoing: ClientCore.Outgoing, options: QueryOptions) async throws(TransportError)
        -> DNSResponse
    {
        let started = ContinuousClock.now
        let servers = serversInTurn()
        let exchangeOptions = options.exchangeOptions
        if Task.isCancelled { throw TransportError(.cancelled, "the task was cancelled") }
        let validator = options.dnssecValidation ? validator : nil
        if validator == nil, let cache, case .query(let query) = outgoing,
            let key = DNSEngine.cacheKey(query, servers: servers, options: exchangeOptions)
        {
            // A fresh answer (or a recent failure) is given here, on the caller's thread.
            switch cache.lookup(key, question: query.questions[0], id: query.id, now: started, countingMisses: false) {
            case .hit(let message), .serverFailure(let message):
                return DNSResponse(cached: message, nameserver: servers[0], transport: servers[0].transport(for: options.transport))
            case .transportFailure(let error):
                throw error
            case .stale, .miss:
                break
            }
        }
        let result = try await core.exchange(
            outgoing, to: servers, order: rotatesServers ? .asGiven : .fastestFirst, options: exchangeOptions, cache: cache,
            validator: validator)
        return try response(result, servers: servers, options: options, validated: validator != nil, started: started)
    }

    /// The response to give for `result`, or the error its truncation or DNSSEC verdict makes.
    /// Not async: the result moves into the response instead of being copied.
    private func response(
        _ result: consuming ExchangeResult, servers: [Nameserver], options: QueryOptions, validated: Bool, started: ContinuousClock.Instant
    ) throws(TransportError) -> DNSResponse {
        if options.raiseOnTruncation, !result.overTCP, result.response.header.flags.contains(.tc) {
            throw TransportError(.truncated, "the answer from \(result.server) is truncated")
        }
        let nameserver = servers[result.serverIndex]
        var transport = nameserver.transport(for: options.transport)
        switch transport {
        case .udp where result.overTCP: transport = .tcp
        case .dtls(let settings) where result.overTCP: transport = .tls(settings.tls)
        default: break
        }
        if validated, let verdict = result.dnssec, verdict.state == .bogus, validator?.settings.returnBogus == false {
            var error = TransportError(.dnssecBogus, verdict.description)
            error.dnssec = verdict
            throw error
        }
        let (wire, server, cached, dnssec) = (result.fromCache ? nil : result.wire, result.server, result.fromCache, result.dnssec)
        return DNSResponse(
            message: result.takeResponse(), wire: wire, server: server, nameserver: nameserver, transport: transport,
            roundTripTime: started.duration(to: .now), cached: cached, dnssec: dnssec)
    }
}

extension DNSClient {
    /// Empties the response cache.
    public func flushCache() {
        cache?.flush()
    }

    /// Removes every cached answer for `name`, of any type.
    public func flushCache(_ name: DomainName) {
        cache?.flush(name: name)
    }

    /// The response cache's counts (all zero without a cache).
    public var cacheStatistics: CacheStatistics { cache?.statistics ?? CacheStatistics() }
}
