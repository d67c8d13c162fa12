// SPDX-License-Identifier: Apache-2.0
// How large a response cache may grow and how long it keeps answers.

/// The bounds and timers of a ``ResponseCache``.
///
/// TTLs are in seconds. The defaults keep the cache off (``maxEntries`` 0); the serve-stale
/// timers are RFC 8767's (and Unbound's): a day of stale answers, 1.8 s of waiting for a
/// refresh before one is given.
public struct CacheSettings: Hashable, Sendable {
    /// The most entries kept; 0 turns the cache off (nothing is stored, every lookup misses).
    public var maxEntries: Int
    /// The most bytes kept: the stored messages' wire length plus ``entryOverhead`` per
    /// entry. The least recently used entries go first when either bound is reached.
    public var maxBytes: Int
    /// The longest an answer is kept, whatever its TTL says (and the largest TTL a cached
    /// record is returned with).
    public var maxTTL: UInt32
    /// The shortest a positive or negative answer is kept, when its TTL is shorter (but not 0:
    /// a TTL of 0 is never cached).
    public var minTTL: UInt32
    /// Whether an expired answer is given, marked stale, when no fresh one can be had (RFC 8767).
    public var serveStale: Bool
    /// How long after it expires an answer may still be given stale.
    public var staleMaxAge: UInt32
    /// How long a query waits for a refresh of a stale answer before the stale answer is given
    /// (RFC 8767's client response timer). The cache only holds it; the engine uses it.
    public var staleAnswerTimeout: Duration

    /// The bytes each entry counts for besides its message's wire length: its key, its place in
    /// the index and the parsed message's own structures.
    public static let entryOverhead = 512

    /// Settings with the given bounds and timers.
    /// - Parameters:
    ///   - maxEntries: The most entries kept; 0 turns the cache off.
    ///   - maxBytes: The most bytes kept, counted as wire length plus ``entryOverhead`` per entry.
    ///   - maxTTL: The longest an answer is kept, in seconds.
    ///   - minTTL: The shortest an answer is kept, in seconds.
    ///   - serveStale: Whether expired answers may be given stale.
    ///   - staleMaxAge: How long after expiry an answer may be given stale, in seconds.
    ///   - staleAnswerTimeout: How long to wait for a refresh before a stale answer is given.
    public init(
        maxEntries: Int = 0, maxBytes: Int = 64 << 20, maxTTL: UInt32 = 86_400, minTTL: UInt32 = 0, serveStale: Bool = false,
        staleMaxAge: UInt32 = 86_400, staleAnswerTimeout: Duration = .milliseconds(1800)
    ) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        self.maxTTL = maxTTL
        self.minTTL = minTTL
        self.serveStale = serveStale
        self.staleMaxAge = staleMaxAge
        self.staleAnswerTimeout = staleAnswerTimeout
    }

    /// Whether anything can be stored.
    var isEnabled: Bool { maxEntries > 0 && maxBytes > Self.entryOverhead }
}
