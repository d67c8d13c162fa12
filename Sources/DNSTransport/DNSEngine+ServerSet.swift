// SPDX-License-Identifier: Apache-2.0
// Queries over a server set: the fastest first, the next started after a delay, one deadline.

public import DNSWire

/// How a query over several servers orders them.
public enum ServerOrder: Sendable {
    /// Fastest first by measured round-trip time, failed servers last (the default).
    case fastestFirst
    /// As given (the caller rotates them, as resolv.conf's `rotate` asks); failed servers last.
    case asGiven
}

extension DNSEngine {
    /// One query over a server set, with its attempts (one exchange per server asked).
    final class ServerSetQuery {
        var race: ServerRace
        let query: DNSMessage
        let update: UpdateMessage?
        let servers: [Nameserver]
        let keys: [ServerStatistics.Key]
        let options: ExchangeOptions
        let onMessage: MessageHandler?
        let completion: Completion
        var attempts: [Int: (handle: Handle, started: ContinuousClock.Instant)] = [:]
        /// The answers that came, by server: the one that wins, and SERVFAIL or REFUSED ones,
        /// kept in case no server does better.
        var answers: [Int: ExchangeResult] = [:]
        var timer: PollLoop.TimerID?

        init(
            race: ServerRace, query: DNSMessage, update: UpdateMessage?, servers: [Nameserver], keys: [ServerStatistics.Key],
            options: ExchangeOptions, onMessage: MessageHandler?, completion: @escaping Completion
        ) {
            self.race = race
            self.query = query
            self.update = update
            self.servers = servers
            self.keys = keys
            self.options = options
            self.onMessage = onMessage
            self.completion = completion
        }
    }

    /// Sends `query` to a set of servers, each over its own transport (or the options'):
    /// ordered by `order`, the first asked at once, each next one when the one before it
    /// failed or had no answer within a delay derived from its measured round-trip time
    /// (twice its smoothed RTT plus four deviations, 1 s for a server not yet measured,
    /// never more than an equal share of the time left), several in flight at once. The
    /// first answer other than SERVFAIL or REFUSED wins and the other attempts are
    /// cancelled; a SERVFAIL or REFUSED answer is the result only when no server does
    /// better. All of it within the options' one timeout. The result's
    /// ``ExchangeResult/serverIndex`` says which server answered. With
    /// ``ExchangeOptions/severalMessages`` the servers are asked one at a time.
    ///
    /// Each server's round-trip times and failures are kept across queries (see
    /// `ServerStatistics`), keyed by its endpoint and transport.
    @discardableResult
    public func start(
        _ query: consuming DNSMessage, servers: [Nameserver], order: ServerOrder = .fastestFirst,
        options: consuming ExchangeOptions = ExchangeOptions(), onMessage: MessageHandler? = nil, completion: @escaping Completion
    ) -> Handle {
        start(query, update: nil, servers: servers, order: order, options: options, onMessage: onMessage, completion: completion)
    }

    /// Sends a dynamic update (RFC 2136) to a set of servers, as a query goes (see
    /// ``start(_:servers:order:options:onMessage:completion:)``): its ID is replaced with an
    /// unpredictable one, it is signed with ``ExchangeOptions/tsig``, and the answer must echo
    /// its ID and zone. The answer's response code says how the update went.
    @discardableResult
    public func start(
        update: UpdateMessage, servers: [Nameserver], order: ServerOrder = .fastestFirst, options: ExchangeOptions = ExchangeOptions(),
        completion: @escaping Completion
    ) -> Handle {
        var standIn = DNSMessage(header: DNSHeader(id: 0, opcode: .update))
        standIn.questions = update.zone.map { [$0] } ?? []
        return start(standIn, update: update, servers: servers, order: order, options: options, onMessage: nil, completion: completion)
    }

    /// The query and options are taken over (`consuming`): to one server, they go on without a copy.
    private func start(
        _ query: consuming DNSMessage, update: UpdateMessage?, servers: [Nameserver], order: ServerOrder, options: consuming ExchangeOptions,
        onMessage: MessageHandler?, completion: @escaping Completion
    ) -> Handle {
        if servers.count == 1 {
            options.transport = servers[0].transport(for: options.transport)
            return start(
                query, update: update, to: CollectionOfOne(servers[0].endpoint), options: options, onMessage: onMessage, completion: completion)
        }
        let now = ContinuousClock.now
        let keys = servers.map { ServerStatistics.Key(endpoint: $0.endpoint, transport: $0.transport(for: options.transport)) }
        let ranking = statistics.order(keys, rankByTime: order == .fastestFirst, now: now)
        if let first = ranking.first { statistics.decay(keys, except: first) }
        let race = ServerRace(
            order: ranking, deadline: now + min(options.timeout, ExchangeOptions.longestTimeout), oneAtATime: options.severalMessages,
            movesOnServerFailure: options.movesOnServerFailure
        ) { [statistics] server, share in statistics.stagger(keys[server], share: share) }
        let handle = makeHandle()
        let setQuery = ServerSetQuery(
            race: race, query: query, update: update, servers: servers, keys: keys, options: options, onMessage: onMessage,
            completion: completion)
        serverSetQueries[handle.value] = setQuery
        perform(setQuery.race.start(now: now), for: setQuery, handle: handle)
        return handle
    }

    /// Cancels a query over a server set: every attempt, then the query with `error`.
    /// False when `handle` is not such a query.
    func cancelServerSetQuery(_ handle: Handle, _ error: TransportError) -> Bool {
        guard let setQuery = serverSetQueries.removeValue(forKey: handle.value) else { return false }
        if let timer = setQuery.timer { loop.cancelTimer(timer) }
        let attempts = setQuery.attempts.values.map(\.handle)
        setQuery.attempts = [:]
        for attempt in attempts { cancel(attempt, error) }
        setQuery.completion(.failure(error))
        return true
    }

    private func perform(_ actions: [ServerRace.Action], for setQuery: ServerSetQuery, handle: Handle) {
        for action in actions {
            switch action {
            case .ask(let server, let timeout):
                var options = setQuery.options
                options.transport = setQuery.keys[server].transport
                options.timeout = timeout
                let started = ContinuousClock.now
                log("query over \(setQuery.servers.count) servers: asking \(setQuery.servers[server])")
                let attempt = start(
                    setQuery.query, update: setQuery.update, to: [setQuery.servers[server].endpoint], options: options,
                    onMessage: setQuery.onMessage
                ) { [unowned self] result in
                    attemptEnded(server, result, of: handle)
                }
                setQuery.attempts[server] = (attempt, started)
            case .cancel(let server):
                guard let attempt = setQuery.attempts.removeValue(forKey: server) else { continue }
                statistics.failed(setQuery.keys[server], elapsed: attempt.started.duration(to: .now), now: .now)
                cancel(attempt.handle, TransportError(.cancelled, "another server answered first"))
            case .armTimer(let deadline):
                if let timer = setQuery.timer { loop.cancelTimer(timer) }
                setQuery.timer = loop.schedule(at: deadline) { [unowned self] in
                    guard let setQuery = serverSetQueries[handle.value] else { return }
                    setQuery.timer = nil
                    perform(setQuery.race.timerFired(now: .now), for: setQuery, handle: handle)
                }
            case .finish(let outcome):
                serverSetQueries[handle.value] = nil
                if let timer = setQuery.timer { loop.cancelTimer(timer) }
                setQuery.timer = nil
                switch outcome {
                case .answer(let server), .fallback(let server):
                    guard var result = setQuery.answers[server] else { continue }
                    result.serverIndex = server
                    setQuery.completion(.success(result))
                case .failure(let error):
                    setQuery.completion(.failure(error))
                }
            }
        }
    }

    /// An attempt ended: its server's statistics learn of it, and the race goes on.
    private func attemptEnded(_ server: Int, _ result: Result<ExchangeResult, TransportError>, of handle: Handle) {
        guard let setQuery = serverSetQueries[handle.value], let attempt = setQuery.attempts.removeValue(forKey: server) else { return }
        let now = ContinuousClock.now
        let key = setQuery.keys[server]
        let actions: [ServerRace.Action]
        switch result {
        case .success(let answer):
            statistics.answered(key, rtt: attempt.started.duration(to: now), now: now)
            let code = answer.response.responseCode
            let poor = code == .servFail || code == .refused
            setQuery.answers[server] = answer
            if poor { log("query over \(setQuery.servers.count) servers: \(setQuery.servers[server]) answered \(code)") }
            actions = setQuery.race.answered(server: server, code: poor ? .serverFailure : .answer, now: now)
        case .failure(let error):
            statistics.failed(key, elapsed: attempt.started.duration(to: now), now: now)
            log("query over \(setQuery.servers.count) servers: \(setQuery.servers[server]) failed (\(error.detail))")
            actions = setQuery.race.failed(server: server, error, now: now)
        }
        perform(actions, for: setQuery, handle: handle)
    }
}
