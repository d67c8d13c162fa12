// SPDX-License-Identifier: Apache-2.0
// What a cache lookup found.

public import DNSWire

/// What ``ResponseCache/lookup(_:question:id:now:countingMisses:)`` found for a query.
///
/// Every message is the caller's: it carries the query's ID and question (the name spelled as
/// the caller spelled it), and its TTLs are aged by the time the answer spent in the cache.
public enum CacheLookup: Sendable, Equatable {
    /// A fresh answer, positive or negative (NXDOMAIN, NODATA). Counted as a hit.
    case hit(DNSMessage)
    /// An expired answer still within ``CacheSettings/staleMaxAge`` (with
    /// ``CacheSettings/serveStale``): every TTL is 30 s at most and the message carries EDE 3
    /// "Stale Answer" (19 "Stale NXDOMAIN Answer" for NXDOMAIN). `refresh` says whether the
    /// caller may try to refresh it now: not within 30 s of a failed refresh (RFC 8767 §5).
    /// Not counted until the caller gives it: see ``ResponseCache/recordStaleHit()``.
    case stale(DNSMessage, refresh: Bool)
    /// A cached server failure (SERVFAIL, REFUSED or another error code), kept 30 s at most
    /// (RFC 9520). Counted as a hit.
    case serverFailure(DNSMessage)
    /// A cached transport failure, kept 30 s at most (RFC 9520). Counted as a hit.
    case transportFailure(TransportError)
    /// Nothing usable is cached. Counted as a miss.
    case miss

    /// The message found, fresh, stale or a server failure; nil for a transport failure or a miss.
    public var message: DNSMessage? {
        switch self {
        case .hit(let message), .stale(let message, _), .serverFailure(let message): message
        case .transportFailure, .miss: nil
        }
    }
}
