// SPDX-License-Identifier: Apache-2.0
// What a response cache has done and holds.

/// The counters and size of a ``ResponseCache``, taken at one moment.
public struct CacheStatistics: Sendable, Equatable, CustomStringConvertible {
    /// Lookups answered from the cache: fresh answers and cached failures.
    public var hits = 0
    /// Lookups that found nothing usable.
    public var misses = 0
    /// Stale answers given (counted by ``ResponseCache/recordStaleHit()``).
    public var staleHits = 0
    /// Entries dropped to make room (expired entries removed are not counted).
    public var evictions = 0
    /// The entries held.
    public var entries = 0
    /// The bytes counted for the entries held (see ``CacheSettings/maxBytes``).
    public var bytes = 0

    /// Statistics with every counter 0.
    public init() {}

    /// `hits=…,misses=…,staleHits=…,evictions=…,entries=…,bytes=…`.
    public var description: String {
        "hits=\(hits),misses=\(misses),staleHits=\(staleHits),evictions=\(evictions),entries=\(entries),bytes=\(bytes)"
    }
}
