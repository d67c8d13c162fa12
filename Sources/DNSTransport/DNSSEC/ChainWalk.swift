// SPDX-License-Identifier: Apache-2.0
// The chain of trust from the closest trust anchor down to one name's zone, as a sans-I/O step
// machine: it says which DS or DNSKEY RRset it needs next, its driver fetches it.

import DNSWire

/// Walks from the closest trust anchor above `target` down one label at a time (RFC 4035
/// §5): the anchor's DNSKEY RRset is checked against the anchor, each child's DS RRset with
/// the keys above, the child's DNSKEY RRset with its DS. A signed absence of DS inside the
/// zone passes the name on; at a delegation it makes everything below Insecure. It ends with
/// the trusted keys of the deepest zone at or above `target`, or a verdict: Insecure (an
/// unsigned delegation, unsupported algorithms, a negative trust anchor), Bogus, or
/// Indeterminate (no anchor, or a fetch that failed; never Bogus for that). What it learns
/// goes into the ``KeyCache``, and what the cache knows saves fetches.
struct ChainWalk {
    /// What the walk wants next.
    enum Step {
        case fetch(DomainName, RecordType)
        case done(ZoneTrust)
    }

    let target: DomainName
    let settings: DNSSECSettings
    let cache: KeyCache
    let now: UInt32
    let trace: ((String) -> Void)?
    /// The deepest zone whose keys are trusted so far, its keys, and how many labels of
    /// `target` the walk has passed.
    private var zone = DomainName.root
    private var keys: [DNSRecord] = []
    private var depth = 0
    private var awaiting: Awaiting?

    private enum Awaiting {
        case keys(DomainName, RRsetValidation.Authority, lifetime: UInt32)
        case ds(DomainName)
    }

    init(target: DomainName, settings: DNSSECSettings, cache: KeyCache, now: UInt32, trace: ((String) -> Void)?) {
        (self.target, self.settings, self.cache, self.now, self.trace) = (target, settings, cache, now, trace)
    }

    /// The first step: a verdict or keys the cache and anchors already give, else a fetch.
    mutating func start() -> Step {
        if settings.anchors.isUnderNegativeAnchor(target) {
            return .done(.finding(ValidationFinding(.insecure, "\(target) is under a negative trust anchor")))
        }
        guard let anchor = settings.anchors.closestAnchor(for: target) else {
            return .done(.finding(Self.indeterminate("no trust anchor covers \(target)")))
        }
        // The deepest zone the cache has keys for, unless a verdict above it settles everything.
        for labels in stride(from: target.labelCount, through: anchor.zone.labelCount, by: -1) {
            let name = target.suffix(labels: labels)
            switch cache.fact(name, now: now) {
            case .verdict(let finding)?:
                trace?("\(name) (cached): \(finding)")
                return .done(.finding(finding))
            case .keys(let trusted)?:
                (zone, keys, depth) = (name, trusted, labels)
                trace?("\(name) DNSKEY (cached): Secure")
                return descend()
            case .noCut?, .nameError?, nil:
                continue
            }
        }
        trace?("\(anchor.zone) trust anchor: \(Self.describe(anchor.authority))")
        awaiting = .keys(anchor.zone, anchor.authority, lifetime: .max)
        return .fetch(anchor.zone, .dnskey)
    }

    /// The next step once the fetch the last one asked for ended.
    mutating func resume(with result: Result<DNSMessage, TransportError>) -> Step {
        guard let awaiting else { return .done(.finding(Self.indeterminate("nothing was asked"))) }
        self.awaiting = nil
        // An answer the chain cannot use (SERVFAIL, REFUSED, truncated) is a failed fetch too.
        let result = result.flatMap { response -> Result<DNSMessage, TransportError> in
            if response.header.flags.contains(.tc) { return .failure(TransportError(.truncated, "the answer is truncated")) }
            guard response.responseCode == .noError || response.responseCode == .nxDomain else {
                return .failure(TransportError(.malformedResponse, "answered \(response.responseCode)"))
            }
            return .success(response)
        }
        switch awaiting {
        case .keys(let name, let authority, let lifetime):
            switch result {
            case .success(let response): return received(keys: response, of: name, authority: authority, lifetime: lifetime)
            case .failure(let error): return .done(.finding(Self.indeterminate("DNSKEY of \(name) not fetched: \(error)")))
            }
        case .ds(let child):
            switch result {
            case .success(let response): return received(ds: response, of: child)
            case .failure(let error): return .done(.finding(Self.indeterminate("DS of \(child) not fetched: \(error)")))
            }
        }
    }

    /// Down towards `target`, through what the cache knows, to the next fetch or the end.
    private mutating func descend() -> Step {
        while depth < target.labelCount {
            depth += 1
            let child = target.suffix(labels: depth)
            switch cache.fact(child, now: now) {
            case .keys(let trusted)?:
                (zone, keys) = (child, trusted)
            case .noCut?:
                continue
            case .nameError?:
                return .done(.keys(zone: zone, keys))
            case .verdict(let finding)?:
                trace?("\(child) (cached): \(finding)")
                return .done(.finding(finding))
            case nil:
                awaiting = .ds(child)
                return .fetch(child, .ds)
            }
        }
        return .done(.keys(zone: zone, keys))
    }

    /// The DNSKEY RRset of `name`, checked against `authority`.
    private mutating func received(keys response: DNSMessage, of name: DomainName, authority: RRsetValidation.Authority, lifetime: UInt32) -> Step {
        var budget = ValidationBudget(settings.limits)
        let dnskeys = response.answers.filter { $0.type == .dnskey && $0.name == name }
        let rrsigs = response.answers.filter { $0.type == .rrsig }
        let (finding, trusted) = RRsetValidation.validateKeys(
            dnskeys, rrsigs: rrsigs, owner: name, authority: authority, now: now, limits: settings.limits, budget: &budget)
        let tags = dnskeys.compactMap { $0.data.as(RecordData.DNSKEY.self) }.map {
            "\($0.keyTag)/\($0.algorithm)" + ($0.isSecureEntryPoint ? " (KSK)" : "") + ($0.isRevoked ? " (revoked)" : "")
        }
        trace?("\(name) DNSKEY \(tags.joined(separator: " ")): \(finding)")
        let lifetime = min(lifetime, KeyCache.lifetime(of: dnskeys, rrsigs: rrsigs, now: now))
        guard finding.state == .secure else {
            cache.store(.verdict(finding), for: name, lifetime: dnskeys.isEmpty ? KeyCache.failureLifetime : lifetime, now: now)
            return .done(.finding(finding))
        }
        cache.store(.keys(trusted), for: name, lifetime: lifetime, now: now)
        (zone, keys, depth) = (name, trusted, name.labelCount)
        return descend()
    }

    /// The DS RRset of `child` (or the proof there is none), checked with the keys above.
    private mutating func received(ds response: DNSMessage, of child: DomainName) -> Step {
        var budget = ValidationBudget(settings.limits)
        let set = response.answers.filter { $0.type == .ds && $0.name == child }
        let rrsigs = response.answers.filter { $0.type == .rrsig }
        guard !set.isEmpty else {
            // No DS: a name inside the zone (passed on), a name that does not exist, or a
            // delegation to an unsigned zone.
            let proof = ResponseValidation.validate(
                response, question: DNSQuestion(name: child, type: .ds), zone: zone, keys: keys, now: now, limits: settings.limits,
                budget: &budget)
            let lifetime = KeyCache.lifetime(of: response.authorities.filter { $0.type != .rrsig }, rrsigs: response.authorities, now: now)
            guard proof.state == .secure else {
                trace?("\(child) no DS: \(proof)")
                cache.store(.verdict(proof), for: child, lifetime: lifetime, now: now)
                return .done(.finding(proof))
            }
            if response.responseCode == .nxDomain {
                trace?("\(child) does not exist in \(zone)")
                cache.store(.nameError, for: child, lifetime: lifetime, now: now)
                return .done(.keys(zone: zone, keys))
            }
            trace?("\(child) no DS: inside \(zone)")
            cache.store(.noCut, for: child, lifetime: lifetime, now: now)
            return descend()
        }
        let verdict = RRsetValidation.validate(rrset: set, rrsigs: rrsigs, keys: keys, now: now, limits: settings.limits, budget: &budget)
        let dsSet = set.compactMap { $0.data.as(RecordData.DS.self) }
        trace?("\(child) \(Self.describe(.ds(dsSet))): \(verdict)")
        guard verdict.state == .secure else {
            cache.store(.verdict(verdict), for: child, lifetime: KeyCache.failureLifetime, now: now)
            return .done(.finding(verdict))
        }
        awaiting = .keys(child, .ds(dsSet), lifetime: KeyCache.lifetime(of: set, rrsigs: rrsigs, now: now))
        return .fetch(child, .dnskey)
    }

    static func indeterminate(_ reason: String) -> ValidationFinding {
        ValidationFinding(.indeterminate, ede: ValidationFinding.Code.dnssecIndeterminate, reason)
    }

    /// DS or anchor keys as `DS tag/algorithm …` or `DNSKEY tag/algorithm …`.
    static func describe(_ authority: RRsetValidation.Authority) -> String {
        switch authority {
        case .ds(let set): "DS " + set.map { "\($0.keyTag)/\($0.algorithm)" }.joined(separator: " ")
        case .anchorKeys(let keys): "DNSKEY " + keys.map { "\($0.keyTag)/\($0.algorithm)" }.joined(separator: " ")
        }
    }
}
