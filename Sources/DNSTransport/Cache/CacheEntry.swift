// SPDX-License-Identifier: Apache-2.0
// One cached result, immutable, and the answers made from it.

internal import DNSWire

/// One cached result. It never changes once stored, so a lookup takes it under the lock and
/// makes the caller's message from it (ID, question, aged TTLs) after unlocking.
final class CacheEntry: Sendable {
    let kind: CachePolicy.Kind
    /// The response as received, its record TTLs capped at ``CacheSettings/maxTTL``; for a
    /// transport failure, nil.
    let response: DNSMessage?
    /// The transport failure, for ``CachePolicy/Kind/transportFailure``.
    let error: TransportError?
    let stored: ContinuousClock.Instant
    let expires: ContinuousClock.Instant
    /// The bytes it counts for: wire length plus ``CacheSettings/entryOverhead``.
    let cost: Int

    /// An entry for `response`, whose wire length is `length`, living `ttl` seconds from `now`.
    init(response: DNSMessage, kind: CachePolicy.Kind, ttl: UInt32, length: Int, maxTTL: UInt32, now: ContinuousClock.Instant) {
        var response = response
        Self.cap(&response.answers, at: maxTTL)
        Self.cap(&response.authorities, at: maxTTL)
        Self.cap(&response.additionals, at: maxTTL)
        self.response = response
        self.kind = kind
        error = nil
        stored = now
        expires = now + .seconds(ttl)
        cost = length + CacheSettings.entryOverhead
    }

    /// An entry for a transport failure, living `ttl` seconds from `now`.
    init(error: TransportError, ttl: UInt32, now: ContinuousClock.Instant) {
        kind = .transportFailure
        response = nil
        self.error = error
        stored = now
        expires = now + .seconds(ttl)
        cost = CacheSettings.entryOverhead
    }

    /// Whether a lookup at `now` still gets something from it: it is fresh, or it may be given stale.
    func answers(at now: ContinuousClock.Instant, settings: CacheSettings) -> Bool {
        now < expires || (settings.serveStale && kind.servesStale && now < expires + .seconds(settings.staleMaxAge))
    }

    /// The fresh result for a query with `question` and `id` at `now`: every record's TTL less
    /// the whole seconds the entry has been cached (never below 0).
    func fresh(question: DNSQuestion, id: UInt16, now: ContinuousClock.Instant) -> CacheLookup {
        guard let response else { return error.map(CacheLookup.transportFailure) ?? .miss }
        var message = Self.addressed(response, question: question, id: id)
        let elapsed = (now - stored).components.seconds
        if elapsed > 0 {
            let age = UInt32(clamping: elapsed)
            Self.age(&message.answers, by: age)
            Self.age(&message.authorities, by: age)
            Self.age(&message.additionals, by: age)
        }
        return kind == .serverFailure ? .serverFailure(message) : .hit(message)
    }

    /// The stale answer for a query with `question` and `id`: every TTL
    /// ``CachePolicy/staleTTL`` (RFC 8767 §4), and EDE 3 "Stale Answer" (19 for NXDOMAIN) in
    /// its OPT record.
    func stale(question: DNSQuestion, id: UInt16) -> DNSMessage {
        var message = Self.addressed(response ?? DNSMessage(), question: question, id: id)
        Self.set(&message.answers, to: CachePolicy.staleTTL)
        Self.set(&message.authorities, to: CachePolicy.staleTTL)
        Self.set(&message.additionals, to: CachePolicy.staleTTL)
        let code = kind == .nxDomain ? CachePolicy.staleNXDomainAnswer : CachePolicy.staleAnswer
        let option = EDNSOption.extendedError(ExtendedDNSError(infoCode: code))
        var edns = message.edns ?? EDNS()
        if !edns.options.contains(option) { edns.options.append(option) }
        message.edns = edns
        return message
    }

    /// `response` with the caller's ID and question (the name spelled as the caller spelled it).
    private static func addressed(_ response: DNSMessage, question: DNSQuestion, id: UInt16) -> DNSMessage {
        var message = response
        message.header.id = id
        let same =
            message.questions.count == 1 && message.questions[0].name.wire == question.name.wire
            && message.questions[0].type == question.type && message.questions[0].recordClass == question.recordClass
        if !same { message.questions = [question] }
        return message
    }

    private static func age(_ records: inout [DNSRecord], by age: UInt32) {
        for index in records.indices { records[index].ttl = records[index].ttl > age ? records[index].ttl - age : 0 }
    }

    /// Sets every TTL to `ttl`.
    private static func set(_ records: inout [DNSRecord], to ttl: UInt32) {
        for index in records.indices { records[index].ttl = ttl }
    }

    /// Lowers every TTL above `limit` to it; the records are not copied when none is above.
    private static func cap(_ records: inout [DNSRecord], at limit: UInt32) {
        for index in records.indices where records[index].ttl > limit { records[index].ttl = limit }
    }
}
