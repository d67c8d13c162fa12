// SPDX-License-Identifier: Apache-2.0
// One RRset against a zone's trusted keys, and a zone's DNSKEY RRset against its DS set, within
// the work limits.

/// Validation of one RRset with trusted keys, and of a DNSKEY RRset with the DS RRset (or trust
/// anchors) that vouches for it (RFC 4035 §5.2, §5.3), each verification counted against a
/// ``ValidationBudget``.
public enum RRsetValidation {
    /// Validates `rrset` (one RRset) with the RRSIGs among `rrsigs` that cover it and the trusted
    /// DNSKEY records `keys` of the signer's zone, at `now` (seconds since 1970).
    ///
    /// Secure as soon as one RRSIG within its validity window (with the clock-skew allowance)
    /// verifies with a key of matching tag and algorithm. RRSIGs of algorithms not supported here
    /// count as absent. Each RRSIG is tried with at most ``ValidationLimits/keysPerTag`` keys;
    /// when that adds up to more than ``ValidationLimits/verificationsPerRRset`` verifications
    /// (a KeyTrap-shaped RRset), it is Bogus before any is tried, and no more than `budget` has
    /// left are tried. Otherwise Bogus, with the most telling reason: RRSIGs missing (EDE 10), expired (7)
    /// or not yet valid (8), no key for them (9), or signatures that do not verify (6).
    public static func validate(
        rrset: [DNSRecord], rrsigs: [DNSRecord], keys: [DNSRecord], now: UInt32, limits: ValidationLimits, budget: inout ValidationBudget
    ) -> ValidationFinding {
        guard let first = rrset.first else { return ValidationFinding(.bogus, ede: ValidationFinding.Code.dnssecBogus, "empty RRset") }
        let covering = rrsigs.filter { rrsig in
            rrsig.name == first.name && rrsig.data.as(RecordData.RRSIG.self)?.typeCovered == first.type
        }
        let name = "\(first.name) \(first.type)"
        let supported = covering.filter { DNSSECAlgorithm($0.data.as(RecordData.RRSIG.self)!.algorithm).isSupported }
        guard !supported.isEmpty else {
            return covering.isEmpty
                ? ValidationFinding(.bogus, ede: ValidationFinding.Code.rrsigsMissing, "no RRSIG for \(name)")
                : ValidationFinding(.bogus, ede: ValidationFinding.Code.unsupportedDNSKEYAlgorithm, "no RRSIG of a supported algorithm for \(name)")
        }
        var expired = false
        var notYetValid = false
        // The RRSIGs within their validity window, each with the keys it may have been made by.
        var attempts: [(rrsig: DNSRecord, keys: ArraySlice<DNSRecord>)] = []
        for rrsig in supported {
            let signature = rrsig.data.as(RecordData.RRSIG.self)!
            switch RRSIGVerifier.validityWindow(of: signature, now: now, skew: limits.clockSkew ?? RRSIGVerifier.defaultSkew(for: signature)) {
            case .expired:
                expired = true
                continue
            case .notYetValid:
                notYetValid = true
                continue
            case .valid:
                break
            }
            let candidates = keys.filter { key in
                guard let dnskey = key.data.as(RecordData.DNSKEY.self) else { return false }
                return key.name == signature.signerName && dnskey.algorithm == signature.algorithm && dnskey.keyTag == signature.keyTag
            }
            attempts.append((rrsig, candidates.prefix(limits.keysPerTag)))
        }
        // More work than the limit allows is a KeyTrap-shaped RRset (many signatures over keys
        // with colliding tags): Bogus before any of it, as BIND and Unbound give up on it.
        let work = attempts.reduce(0) { $0 + $1.keys.count }
        guard work <= limits.verificationsPerRRset else {
            return ValidationFinding(
                .bogus, ede: ValidationFinding.Code.dnssecBogus,
                "\(name): its signatures would need \(work) checks, more than \(limits.verificationsPerRRset)")
        }
        let keyFound = attempts.contains { !$0.keys.isEmpty }
        var tried = 0
        for (rrsig, candidates) in attempts {
            for key in candidates {
                guard budget.take() else {
                    return ValidationFinding(
                        .bogus, ede: ValidationFinding.Code.dnssecBogus, "\(name): the response's \(budget.limit) signature checks are spent")
                }
                tried += 1
                if case .verified = RRSIGVerifier.verify(rrset: rrset, rrsig: rrsig, key: key) { return .secure }
            }
        }
        if tried == 0, expired { return ValidationFinding(.bogus, ede: ValidationFinding.Code.signatureExpired, "RRSIG for \(name) expired") }
        if tried == 0, notYetValid {
            return ValidationFinding(.bogus, ede: ValidationFinding.Code.signatureNotYetValid, "RRSIG for \(name) not yet valid")
        }
        if !keyFound { return ValidationFinding(.bogus, ede: ValidationFinding.Code.dnskeyMissing, "no DNSKEY for the RRSIGs of \(name)") }
        return ValidationFinding(.bogus, ede: ValidationFinding.Code.dnssecBogus, "no RRSIG for \(name) verifies")
    }

    /// What vouches for a zone's DNSKEY RRset: the DS RRset from its (secure) parent, or trust
    /// anchors (DS or DNSKEY records).
    public enum Authority: Sendable {
        case ds([RecordData.DS])
        case anchorKeys([RecordData.DNSKEY])
    }

    /// Validates the DNSKEY RRset `dnskeys` of the zone `owner` with `authority` (RFC 4035 §5.2):
    /// a key the DS set (or an anchor) names must sign the DNSKEY RRset; then every zone key in it
    /// is trusted. Insecure (EDE 1 or 2) when no DS has both a supported algorithm and digest
    /// type; Bogus when no DNSKEY matches a usable DS (9) or the RRset does not verify.
    /// - Returns: the finding, and the trusted keys when Secure.
    public static func validateKeys(
        _ dnskeys: [DNSRecord], rrsigs: [DNSRecord], owner: DomainName, authority: Authority, now: UInt32, limits: ValidationLimits,
        budget: inout ValidationBudget
    ) -> (ValidationFinding, trusted: [DNSRecord]) {
        let keys = dnskeys.filter { $0.type == .dnskey && $0.name == owner }
        var entryPoints: [DNSRecord]
        switch authority {
        case .ds(let set):
            let usable = set.filter { DNSSECAlgorithm($0.algorithm).isSupported && DigestType($0.digestType).isSupported }
            guard !usable.isEmpty else {
                let algorithms = set.contains { DNSSECAlgorithm($0.algorithm).isSupported }
                return (
                    ValidationFinding(
                        .insecure,
                        ede: algorithms ? ValidationFinding.Code.unsupportedDSDigestType : ValidationFinding.Code.unsupportedDNSKEYAlgorithm,
                        "no DS for \(owner) with a supported " + (algorithms ? "digest type" : "algorithm")), []
                )
            }
            entryPoints = []
            for ds in usable {
                let named = keys.filter { key in
                    let dnskey = key.data.as(RecordData.DNSKEY.self)!
                    return dnskey.algorithm == ds.algorithm && dnskey.keyTag == ds.keyTag
                }
                for key in named.prefix(limits.keysPerTag) where DSDigest.matches(ds: ds, dnskey: key.data.as(RecordData.DNSKEY.self)!, owner: owner)
                {
                    if !entryPoints.contains(key) { entryPoints.append(key) }
                }
            }
        case .anchorKeys(let anchors):
            entryPoints = keys.filter { key in anchors.contains { $0.publicKey == key.data.as(RecordData.DNSKEY.self)!.publicKey } }
        }
        guard !entryPoints.isEmpty else {
            return (ValidationFinding(.bogus, ede: ValidationFinding.Code.dnskeyMissing, "no DNSKEY of \(owner) matches its DS"), [])
        }
        let finding = validate(rrset: keys, rrsigs: rrsigs, keys: entryPoints, now: now, limits: limits, budget: &budget)
        guard finding.state == .secure else { return (finding, []) }
        return (.secure, keys.filter { $0.data.as(RecordData.DNSKEY.self)!.isZoneKey && !$0.data.as(RecordData.DNSKEY.self)!.isRevoked })
    }
}
