// SPDX-License-Identifier: Apache-2.0
// What the validator learned about zones on its way down from the trust anchors.

import DNSWire

/// Facts about zones, each kept until its records' TTL or their signatures expire (a failure
/// at most ``failureLifetime``), at most `capacity` of them: when full, expired facts go first,
/// then those expiring soonest. Safe to share between threads.
public final class KeyCache: Sendable {
    /// What is known of a name.
    enum Fact {
        /// A zone apex, with its trusted zone keys.
        case keys([DNSRecord])
        /// A name inside its parent's zone (a signed NODATA for its DS): passed on the way down.
        case noCut
        /// A name proven not to exist: nothing below it is a zone.
        case nameError
        /// A verdict on the zone and everything below it (an insecure delegation, Bogus keys).
        case verdict(ValidationFinding)
    }

    /// How long a Bogus fact is kept, in seconds: a fresh look after that, in case the zone
    /// was mended (or the answer was a spoof).
    public static let failureLifetime: UInt32 = 30

    private struct Entry {
        let fact: Fact
        let expires: UInt32
    }

    public let capacity: Int
    private let entries = Locked([DomainName: Entry]())

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The number of facts held (expired ones included until they are evicted).
    public var count: Int { entries.withLock { $0.count } }

    /// Forgets every fact.
    public func flush() {
        entries.withLock { $0.removeAll() }
    }

    /// The fact about `name` at `now` (seconds since 1970), unless it expired.
    func fact(_ name: DomainName, now: UInt32) -> Fact? {
        entries.withLock { entries in
            guard let entry = entries[name] else { return nil }
            guard Int32(bitPattern: entry.expires &- now) > 0 else {
                entries[name] = nil
                return nil
            }
            return entry.fact
        }
    }

    /// Keeps `fact` about `name` for `lifetime` seconds from `now` (a Bogus verdict for no
    /// more than ``failureLifetime``).
    func store(_ fact: Fact, for name: DomainName, lifetime: UInt32, now: UInt32) {
        var lifetime = lifetime
        if case .verdict(let finding) = fact, finding.state == .bogus { lifetime = min(lifetime, Self.failureLifetime) }
        guard capacity > 0, lifetime > 0 else { return }
        entries.withLock { entries in
            if entries[name] == nil, entries.count >= capacity {
                entries = entries.filter { Int32(bitPattern: $0.value.expires &- now) > 0 }
                if entries.count >= capacity, let soonest = entries.min(by: { Int32(bitPattern: $0.value.expires &- $1.value.expires) < 0 }) {
                    entries[soonest.key] = nil
                }
            }
            entries[name] = Entry(fact: fact, expires: now &+ lifetime)
        }
    }

    /// How long `records` (and their covering `rrsigs`) may be relied on from `now`: their
    /// smallest TTL, cut at the latest expiration among signatures still valid.
    static func lifetime(of records: [DNSRecord], rrsigs: [DNSRecord], now: UInt32) -> UInt32 {
        let ttl = records.map(\.ttl).min() ?? 0
        let remaining = rrsigs.compactMap { $0.data.as(RecordData.RRSIG.self) }.map { Int32(bitPattern: $0.expiration &- now) }.max() ?? 0
        return min(ttl, UInt32(max(0, remaining)))
    }
}
