// SPDX-License-Identifier: Apache-2.0
// The rules of what is cached, and for how long: all TTL decisions in one place.

internal import DNSWire

/// What a response cache stores and for how long (all times in seconds).
///
/// - A positive answer (NOERROR with answer records) lives as long as the smallest TTL of its
///   answer section (no longer than an SOA's negative TTL, when the authority section has one:
///   a CNAME chain ending in NODATA or NXDOMAIN).
/// - A negative answer (NXDOMAIN, or NOERROR without answer records: NODATA) lives as long as
///   the SOA of its authority section says: the smaller of the SOA's TTL and its MINIMUM
///   (RFC 2308 §5); a negative answer without an SOA is not cached.
/// - Both are clamped to [``CacheSettings/minTTL``, ``CacheSettings/maxTTL``], except that a
///   TTL of 0 means "do not cache" (RFC 1035 §3.2.1) whatever the minimum.
/// - Any other response code (SERVFAIL, REFUSED, …) and a transport failure live 30 s, or
///   ``CacheSettings/maxTTL`` when shorter (RFC 9520 §3.2); a cancelled query is not a failure.
/// - A truncated response (TC) and a response to anything but a QUERY are never cached.
enum CachePolicy {
    /// What kind of result an entry holds.
    enum Kind: Equatable {
        case answer
        case noData
        case nxDomain
        case serverFailure
        case transportFailure

        /// Whether an expired entry of this kind may be given stale (RFC 8767 serves data, not failures).
        var servesStale: Bool { self == .answer || self == .noData || self == .nxDomain }
    }

    /// How long failures are kept at most (RFC 9520 §3.2 asks for at least 5 s, at most 5 min).
    static let failureTTL: UInt32 = 30
    /// The TTL of a stale answer's records (RFC 8767 §4).
    static let staleTTL: UInt32 = 30
    /// How long after a failed refresh of a stale answer another is tried (RFC 8767 §5's
    /// failure recheck timer).
    static let refreshRetryInterval = Duration.seconds(30)
    /// The Extended DNS Error a stale answer carries (RFC 8914 §4.4).
    static let staleAnswer: UInt16 = 3
    /// The Extended DNS Error a stale NXDOMAIN answer carries (RFC 8914 §4.20).
    static let staleNXDomainAnswer: UInt16 = 19

    /// How `response` is cached: its kind and lifetime in seconds; nil when it is not cached.
    static func decision(for response: DNSMessage, settings: CacheSettings) -> (kind: Kind, ttl: UInt32)? {
        guard response.header.opcode == .query, !response.header.flags.contains(.tc) else { return nil }
        let kind: Kind
        switch response.responseCode {
        case .noError where !response.answers.isEmpty: kind = .answer
        case .noError: kind = .noData
        case .nxDomain: kind = .nxDomain
        default: return failureLifetime(settings).map { (.serverFailure, $0) }
        }
        let negative = negativeTTL(response)
        guard kind == .answer || negative != nil else { return nil }
        var ttl = min(smallestTTL(response.answers), negative ?? .max)
        guard ttl > 0 else { return nil }
        ttl = min(max(ttl, settings.minTTL), settings.maxTTL)
        return ttl > 0 ? (kind, ttl) : nil
    }

    /// How long a transport failure is cached; nil when it is not.
    static func lifetime(of error: TransportError, settings: CacheSettings) -> UInt32? {
        error.code == .cancelled ? nil : failureLifetime(settings)
    }

    private static func failureLifetime(_ settings: CacheSettings) -> UInt32? {
        let ttl = min(failureTTL, settings.maxTTL)
        return ttl > 0 ? ttl : nil
    }

    /// The smallest TTL of `records`; `UInt32.max` for none.
    private static func smallestTTL(_ records: [DNSRecord]) -> UInt32 {
        // By index: iterating the records themselves would copy each one.
        records.indices.reduce(UInt32.max) { min($0, records[$1].ttl) }
    }

    /// The negative TTL of RFC 2308 §5 from the authority section's first SOA: the smaller of
    /// its TTL and its MINIMUM; nil without an SOA.
    static func negativeTTL(_ response: DNSMessage) -> UInt32? {
        let authorities = response.authorities
        guard let index = authorities.firstIndex(where: { $0.type == .soa }),
            let soa = authorities[index].data.as(RecordData.SOA.self)
        else { return nil }
        return min(authorities[index].ttl, soa.minimum)
    }
}
