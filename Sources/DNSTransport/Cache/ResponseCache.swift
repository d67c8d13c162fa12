// SPDX-License-Identifier: Apache-2.0
// A bounded, thread-safe cache of DNS responses, free of I/O.

public import DNSWire

/// A cache of DNS responses by ``CacheKey``, bounded in entries and bytes, free of I/O: the
/// caller says what time it is, stores what servers answered and looks queries up.
///
/// What is kept, and for how long (clamped to ``CacheSettings/minTTL`` and
/// ``CacheSettings/maxTTL``):
/// - an answer: the smallest TTL of its answer section;
/// - NXDOMAIN and NODATA: the smaller of the authority SOA's TTL and MINIMUM (RFC 2308 §5), and
///   nothing without an SOA;
/// - any other response code, and a transport failure: 30 s (RFC 9520);
/// - never a truncated response, nor a TTL of 0.
///
/// The least recently used entries go first when a bound is reached. Any thread may use it: a
/// mutex guards the index, and the messages handed out are made after unlocking.
///
/// ```swift
/// let cache = ResponseCache(settings: CacheSettings(maxEntries: 10_000))
/// let key = CacheKey(question: question)
/// if case .hit(let answer) = cache.lookup(key, question: question, id: id, now: .now) { return answer }
/// // … ask a server …
/// cache.store(response, for: key, now: .now)
/// ```
public final class ResponseCache: Sendable {
    /// The bounds and timers this cache keeps to.
    public let settings: CacheSettings

    private struct State {
        var table = CacheTable()
        var statistics = CacheStatistics()
    }

    private enum Found {
        case none
        case fresh(CacheEntry)
        case stale(CacheEntry, refresh: Bool)
    }

    private let state = Locked(State())

    /// A cache keeping to `settings`.
    /// - Parameter settings: The bounds and timers; ``CacheSettings/maxEntries`` 0 makes a cache
    ///   that stores nothing.
    public init(settings: CacheSettings) {
        self.settings = settings
    }

    /// Stores a server's `response` to the query of `key`, for as long as its TTLs say (see
    /// ``CacheSettings``), replacing what was stored for `key`. A failure (SERVFAIL, REFUSED, …)
    /// does not replace an answer that can still be given, fresh or stale: it counts as a failed
    /// refresh of it (``refreshFailed(_:now:)``).
    /// - Parameters:
    ///   - response: The server's response.
    ///   - key: The key of the query it answers.
    ///   - now: The time it was received.
    /// - Returns: Whether it was stored: not when truncated, of TTL 0, negative without an SOA,
    ///   larger than ``CacheSettings/maxBytes`` or the cache is off.
    @discardableResult
    public func store(_ response: DNSMessage, for key: CacheKey, now: ContinuousClock.Instant) -> Bool {
        guard settings.isEnabled, let decision = CachePolicy.decision(for: response, settings: settings),
            let length = try? response.wireLength()
        else { return false }
        let entry = CacheEntry(response: response, kind: decision.kind, ttl: decision.ttl, length: length, maxTTL: settings.maxTTL, now: now)
        return insert(entry, for: key, now: now)
    }

    /// Stores a transport failure (a timeout, a network or TLS error) of the query of `key` for
    /// 30 s (RFC 9520), or ``CacheSettings/maxTTL`` when shorter: lookups then return it. Like a
    /// server failure it does not replace an answer that can still be given. A cancelled query
    /// is not stored.
    /// - Parameters:
    ///   - error: What went wrong.
    ///   - key: The key of the query that failed.
    ///   - now: The time it failed.
    /// - Returns: Whether it was stored.
    @discardableResult
    public func storeFailure(_ error: TransportError, for key: CacheKey, now: ContinuousClock.Instant) -> Bool {
        guard settings.isEnabled, let ttl = CachePolicy.lifetime(of: error, settings: settings) else { return false }
        return insert(CacheEntry(error: error, ttl: ttl, now: now), for: key, now: now)
    }

    /// Looks up the query of `key`, asked with `question` and `id`. A fresh entry or a cached
    /// failure makes it the most recently used and counts as a hit; an expired entry still
    /// within ``CacheSettings/staleMaxAge`` comes back stale (with ``CacheSettings/serveStale``),
    /// counted only by ``recordStaleHit()``; anything else is a miss, and an expired entry found
    /// is removed.
    /// - Parameters:
    ///   - key: The query's key.
    ///   - question: The query's question: the answer carries it as it is spelled.
    ///   - id: The query's ID: the answer carries it.
    ///   - now: The time of the query.
    ///   - countingMisses: false for a first look that a counted lookup follows on a miss.
    /// - Returns: What was found; messages come with their TTLs aged (see ``CacheLookup``).
    public func lookup(
        _ key: CacheKey, question: DNSQuestion, id: UInt16, now: ContinuousClock.Instant, countingMisses: Bool = true
    ) -> CacheLookup {
        guard settings.isEnabled else { return .miss }
        let found = state.withLock { state -> Found in
            guard let slot = state.table.slot(of: key) else {
                if countingMisses { state.statistics.misses += 1 }
                return .none
            }
            let entry = state.table.entry(at: slot)
            if now < entry.expires {
                state.table.touch(slot)
                state.statistics.hits += 1
                return .fresh(entry)
            }
            guard entry.answers(at: now, settings: settings) else {
                state.table.remove(slot)
                state.statistics.misses += 1
                return .none
            }
            state.table.touch(slot)
            let failed = state.table.refreshFailed(at: slot)
            return .stale(entry, refresh: failed.map { now >= $0 + CachePolicy.refreshRetryInterval } ?? true)
        }
        switch found {
        case .none: return .miss
        case .fresh(let entry): return entry.fresh(question: question, id: id, now: now)
        case .stale(let entry, let refresh): return .stale(entry.stale(question: question, id: id), refresh: refresh)
        }
    }

    /// Records that refreshing the stale entry of `key` failed at `now`: its lookups say not to
    /// refresh again for 30 s (RFC 8767 §5), and go on giving the stale answer.
    /// - Parameters:
    ///   - key: The key of the entry.
    ///   - now: The time the refresh failed.
    public func refreshFailed(_ key: CacheKey, now: ContinuousClock.Instant) {
        state.withLock { state in
            if let slot = state.table.slot(of: key) { state.table.setRefreshFailed(at: slot, now) }
        }
    }

    /// Counts a stale answer given to a caller (see ``CacheLookup/stale(_:refresh:)``).
    public func recordStaleHit() {
        state.withLock { $0.statistics.staleHits += 1 }
    }

    /// Removes every entry; the counters stay.
    public func flush() {
        // The old table is released after unlocking.
        _ = state.withLock { state in
            let table = state.table
            state.table = CacheTable()
            return table
        }
    }

    /// Removes every entry whose question name is `name` (compared without regard to case), of
    /// any type, class, flags or route.
    /// - Parameter name: The name to forget.
    public func flush(name: DomainName) {
        let wire = name.canonical.wire
        state.withLock { state in
            for slot in state.table.slots(where: { $0.name.wire == wire }) { state.table.remove(slot) }
        }
    }

    /// The counters and the size of the cache now.
    public var statistics: CacheStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.entries = state.table.count
            statistics.bytes = state.table.bytes
            return statistics
        }
    }

    /// Inserts `entry` for `key`, making room; a failure does not displace an entry that still answers.
    private func insert(_ entry: CacheEntry, for key: CacheKey, now: ContinuousClock.Instant) -> Bool {
        guard entry.cost <= settings.maxBytes else { return false }
        let isFailure = !entry.kind.servesStale
        return state.withLock { state in
            if let slot = state.table.slot(of: key) {
                let existing = state.table.entry(at: slot)
                if isFailure, existing.kind.servesStale, existing.answers(at: now, settings: settings) {
                    state.table.setRefreshFailed(at: slot, now)
                    return false
                }
                state.table.remove(slot)
            }
            while state.table.count >= settings.maxEntries || state.table.bytes + entry.cost > settings.maxBytes {
                guard state.table.removeOldest() else { break }
                state.statistics.evictions += 1
            }
            state.table.insert(entry, for: key)
            return true
        }
    }
}
