// SPDX-License-Identifier: Apache-2.0
// What the engine has measured of each server: smoothed round-trip time and failures.

/// Per-server round-trip times and failure state, kept by the engine across queries; used
/// on the loop's thread only.
///
/// Round-trip times are smoothed as TCP smooths them (RFC 6298: SRTT gains 1/8 of each
/// sample, RTTVAR 1/4 of each deviation). A server not asked while another was decays
/// (its SRTT ×0.98 per query, as BIND does), so a server once slow is tried again in time.
/// A failure (a timeout, a network error, or no answer before another server's) backs the
/// server off: it goes last for 1 s, doubling with each failure in a row up to 60 s, then
/// ranks by its SRTT again; an answer clears it.
final class ServerStatistics {
    struct Key: Hashable {
        let endpoint: ServerEndpoint
        let transport: Transport
    }

    struct Entry {
        var smoothed: Duration?
        var variation: Duration = .zero
        var failures = 0
        var backedOffUntil: ContinuousClock.Instant?
        var lastUsed: ContinuousClock.Instant
    }

    /// The most servers remembered; beyond it the least recently used is forgotten.
    static let capacity = 256
    static let shortestStagger = Duration.milliseconds(10)
    static let unmeasuredStagger = Duration.seconds(1)

    private(set) var entries: [Key: Entry] = [:]

    /// The order to ask `keys` in: servers not backed off first, unmeasured ones (so each is
    /// measured soon) then by SRTT, ties in the given order; then backed-off ones, soonest
    /// back first. With `rankByTime` false the given order is kept, only backed-off servers
    /// move last.
    func order(_ keys: [Key], rankByTime: Bool, now: ContinuousClock.Instant) -> [Int] {
        let ranked = keys.indices.map { index -> (backedOff: ContinuousClock.Instant?, rtt: Duration?, index: Int) in
            let entry = entries[keys[index]]
            let backedOff = entry?.backedOffUntil.flatMap { $0 > now ? $0 : nil }
            return (backedOff, rankByTime ? entry?.smoothed : nil, index)
        }
        return ranked.sorted { a, b in
            switch (a.backedOff, b.backedOff) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (.some(let x), .some(let y)) where x != y: return x < y
            default: break
            }
            switch (a.rtt, b.rtt) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (.some(let x), .some(let y)) where x != y: return x < y
            default: return a.index < b.index
            }
        }.map(\.index)
    }

    /// How long to wait for `key` before asking the next server as well: twice its SRTT
    /// plus four deviations (at least ``shortestStagger``), or ``unmeasuredStagger`` for a
    /// server not yet measured, never more than `share`.
    func stagger(_ key: Key, share: Duration) -> Duration {
        guard let entry = entries[key], let smoothed = entry.smoothed else { return min(Self.unmeasuredStagger, share) }
        return min(max(smoothed * 2 + entry.variation * 4, Self.shortestStagger), share)
    }

    /// `key` answered after `rtt`.
    func answered(_ key: Key, rtt: Duration, now: ContinuousClock.Instant) {
        update(key, now: now) { entry in
            Self.sample(&entry, rtt)
            entry.failures = 0
            entry.backedOffUntil = nil
        }
    }

    /// `key` failed (timed out, a network error, or outrun) after `elapsed`: that time counts
    /// as a sample, and the server backs off.
    func failed(_ key: Key, elapsed: Duration, now: ContinuousClock.Instant) {
        update(key, now: now) { entry in
            Self.sample(&entry, max(elapsed, entry.smoothed ?? .zero))
            entry.failures += 1
            entry.backedOffUntil = now + min(.seconds(1 << min(entry.failures - 1, 6)), .seconds(60))
        }
    }

    /// A query went first to `chosen`: every other measured server of `keys` decays.
    func decay(_ keys: [Key], except chosen: Int) {
        for (index, key) in keys.enumerated() where index != chosen {
            guard let smoothed = entries[key]?.smoothed else { continue }
            entries[key]!.smoothed = smoothed * 0.98
        }
    }

    private static func sample(_ entry: inout Entry, _ rtt: Duration) {
        guard let smoothed = entry.smoothed else {
            entry.smoothed = rtt
            entry.variation = rtt / 2
            return
        }
        let deviation = smoothed > rtt ? smoothed - rtt : rtt - smoothed
        entry.variation = entry.variation * 0.75 + deviation * 0.25
        entry.smoothed = smoothed * 0.875 + rtt * 0.125
    }

    private func update(_ key: Key, now: ContinuousClock.Instant, _ change: (inout Entry) -> Void) {
        if entries[key] == nil, entries.count >= Self.capacity, let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            entries[oldest.key] = nil
        }
        change(&entries[key, default: Entry(lastUsed: now)])
        entries[key]!.lastUsed = now
    }
}
