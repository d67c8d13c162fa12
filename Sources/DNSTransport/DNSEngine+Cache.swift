// SPDX-License-Identifier: Apache-2.0
// Queries through a response cache: hits, identical queries sharing one exchange, and
// stale answers (RFC 8767) while the server is down.

public import DNSWire

extension DNSEngine {
    /// Identical queries outstanding at once (same ``CacheKey``): one exchange, many callers.
    final class CachedQuery {
        let key: CacheKey
        let cache: ResponseCache
        /// The exchange over the server set (nil once it ended).
        var exchange: Handle?
        /// The callers waiting, by their handles: the question as each spelled it, its ID, and
        /// its completion.
        var waiters: [UInt64: (question: DNSQuestion, id: UInt16, completion: Completion)] = [:]
        /// The stale answer waiting for the refresh, and the timer that gives it out
        /// (``CacheSettings/staleAnswerTimeout``).
        var staleTimer: PollLoop.TimerID?

        init(key: CacheKey, cache: ResponseCache) {
            self.key = key
            self.cache = cache
        }
    }

    /// The cache key of `query` over `servers` with `options`: the question, DO, CD and RD, the
    /// route (servers, transport and its TLS or DoH settings) and the TSIG key name. Nil for
    /// what is never cached: not one question, not a QUERY, or an answer of several messages.
    public static func cacheKey(_ query: DNSMessage, servers: [Nameserver], options: ExchangeOptions) -> CacheKey? {
        guard query.questions.count == 1, query.header.opcode == .query, !options.severalMessages else { return nil }
        var hasher = Hasher()
        hasher.combine(servers)
        hasher.combine(options.transport)
        hasher.combine(options.source)
        return CacheKey(query: query, route: hasher.finalize(), tsigKeyName: options.tsig?.name)
    }

    /// ``start(_:servers:order:options:onMessage:completion:)`` through `cache` (nil, or a cache
    /// of no entries: straight to the servers). A fresh entry
    /// answers at once (``ExchangeResult/fromCache``; the completion still runs after `start`
    /// returns, on the loop's thread). A miss joins an identical query already outstanding or
    /// starts one; its answer (or failure) is stored by the cache's rules and given to every
    /// caller waiting, each with its own ID and spelling of the name. With serve-stale, an
    /// expired entry is refreshed: the fresh answer if it comes within the cache's
    /// ``CacheSettings/staleAnswerTimeout``, else (or when the refresh fails) the stale one,
    /// with EDE 3 (19 for NXDOMAIN); the refresh goes on and replaces the entry when it
    /// succeeds. Cancelling one caller leaves the others waiting.
    @discardableResult
    public func start(
        _ query: consuming DNSMessage, servers: [Nameserver], order: ServerOrder = .fastestFirst,
        options: consuming ExchangeOptions = ExchangeOptions(), cache: ResponseCache?, completion: @escaping Completion
    ) -> Handle {
        guard let cache, cache.settings.maxEntries > 0, let key = Self.cacheKey(query, servers: servers, options: options) else {
            return start(query, servers: servers, order: order, options: options, completion: completion)
        }
        let handle = makeHandle()
        let question = query.questions[0]
        switch cache.lookup(key, question: question, id: query.id, now: .now) {
        case .hit(let message), .serverFailure(let message):
            deliverLater(.success(ExchangeResult(cached: message)), to: completion)
        case .transportFailure(let error):
            deliverLater(.failure(error), to: completion)
        case .stale(let message, let refresh):
            guard refresh || cachedQueries[key] != nil else {
                cache.recordStaleHit()
                log("stale answer for \(question) (the last refresh failed less than 30 s ago)")
                deliverLater(.success(ExchangeResult(cached: message)), to: completion)
                return handle
            }
            let shared = join(key, cache: cache, query: query, servers: servers, order: order, options: options)
            shared.waiters[handle.value] = (question, query.id, completion)
            cachedQueryByHandle[handle.value] = key
            if shared.staleTimer == nil {
                shared.staleTimer = loop.schedule(at: .now + cache.settings.staleAnswerTimeout) { [unowned self] in
                    shared.staleTimer = nil
                    answerStale(shared, reason: "no fresh answer within \(cache.settings.staleAnswerTimeout)")
                }
            }
        case .miss:
            let shared = join(key, cache: cache, query: query, servers: servers, order: order, options: options)
            shared.waiters[handle.value] = (question, query.id, completion)
            cachedQueryByHandle[handle.value] = key
        }
        return handle
    }

    /// The outstanding query for `key`, started now when there is none.
    private func join(
        _ key: CacheKey, cache: ResponseCache, query: DNSMessage, servers: [Nameserver], order: ServerOrder, options: ExchangeOptions
    ) -> CachedQuery {
        if let shared = cachedQueries[key] { return shared }
        let shared = CachedQuery(key: key, cache: cache)
        cachedQueries[key] = shared
        shared.exchange = start(query, servers: servers, order: order, options: options) { [unowned self] result in
            shared.exchange = nil
            exchangeEnded(shared, result)
        }
        return shared
    }

    /// The shared exchange ended: the cache learns its outcome, every caller waiting gets it
    /// (or the stale answer, when the refresh failed).
    private func exchangeEnded(_ shared: CachedQuery, _ result: Result<ExchangeResult, TransportError>) {
        if cachedQueries[shared.key] === shared { cachedQueries[shared.key] = nil }
        if let timer = shared.staleTimer { loop.cancelTimer(timer) }
        shared.staleTimer = nil
        let now = ContinuousClock.now
        switch result {
        case .success(let answer):
            let failed = answer.response.responseCode == .servFail || answer.response.responseCode == .refused
            if !shared.cache.store(answer.response, for: shared.key, now: now), failed {
                return answerStale(shared, reason: "the refresh was answered \(answer.response.responseCode)", or: result)
            }
        case .failure(let error):
            // Only what the network did is kept: not a cancellation, nor a reply that failed its
            // checks (a bad TSIG, a malformed answer: not an answer, perhaps a spoof), nor a
            // query that could not be written.
            if [.cancelled, .tsigVerificationFailed, .malformedResponse, .invalidQuery].contains(error.code) {
                return finishWaiters(shared, result)
            }
            if !shared.cache.storeFailure(error, for: shared.key, now: now) {
                return answerStale(shared, reason: "the refresh failed (\(error.detail))", or: result)
            }
        }
        finishWaiters(shared, result)
    }

    /// Gives the waiting callers the stale entry (EDE 3 or 19), or `fallback` when there is
    /// none any more; a refresh still outstanding goes on in the background.
    private func answerStale(_ shared: CachedQuery, reason: String, or fallback: Result<ExchangeResult, TransportError>? = nil) {
        let now = ContinuousClock.now
        if fallback != nil { shared.cache.refreshFailed(shared.key, now: now) }
        let waiters = shared.waiters
        shared.waiters = [:]
        for (handle, waiter) in waiters.sorted(by: { $0.key < $1.key }) {
            cachedQueryByHandle[handle] = nil
            if case .stale(let message, _) = shared.cache.lookup(shared.key, question: waiter.question, id: waiter.id, now: now) {
                shared.cache.recordStaleHit()
                log("stale answer for \(waiter.question): \(reason)")
                waiter.completion(.success(ExchangeResult(cached: message)))
            } else if let fallback {
                waiter.completion(Self.copy(fallback, for: waiter))
            } else {
                waiter.completion(.failure(TransportError(.timedOut, "no answer, and no stale one left: \(reason)")))
            }
        }
    }

    private func finishWaiters(_ shared: CachedQuery, _ result: Result<ExchangeResult, TransportError>) {
        let waiters = shared.waiters
        shared.waiters = [:]
        for (handle, waiter) in waiters.sorted(by: { $0.key < $1.key }) {
            cachedQueryByHandle[handle] = nil
            waiter.completion(Self.copy(result, for: waiter))
        }
    }

    /// `result` as one waiter asked: its ID and its spelling of the name.
    private static func copy(
        _ result: Result<ExchangeResult, TransportError>, for waiter: (question: DNSQuestion, id: UInt16, completion: Completion)
    ) -> Result<ExchangeResult, TransportError> {
        guard case .success(var answer) = result else { return result }
        var message = answer.response
        message.id = waiter.id
        if message.questions.count == 1 { message.questions[0] = waiter.question }
        answer.response = message
        return .success(answer)
    }

    /// Cancels one caller of a cached query; the shared exchange ends only when no caller (and
    /// no stale answer's refresh) is left. False when `handle` is not such a caller.
    func cancelCachedQuery(_ handle: Handle, _ error: TransportError) -> Bool {
        guard let key = cachedQueryByHandle.removeValue(forKey: handle.value), let shared = cachedQueries[key],
            let waiter = shared.waiters.removeValue(forKey: handle.value)
        else { return false }
        if shared.waiters.isEmpty, shared.staleTimer == nil, let exchange = shared.exchange {
            cachedQueries[key] = nil
            shared.exchange = nil
            cancel(exchange, error)
        }
        waiter.completion(.failure(error))
        return true
    }

    /// Runs `completion` with `result` on the loop's next turn (never before `start` returns).
    private func deliverLater(_ result: Result<ExchangeResult, TransportError>, to completion: @escaping Completion) {
        cacheDeliveries += 1
        loop.schedule(at: .now) { [unowned self] in
            cacheDeliveries -= 1
            completion(result)
        }
    }
}
