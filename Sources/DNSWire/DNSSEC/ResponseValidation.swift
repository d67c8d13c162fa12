// SPDX-License-Identifier: Apache-2.0
// A whole response, once the keys of the zones its records come from are known: its answer
// RRsets (CNAME and DNAME chains across zones, wildcard answers included) or its proof of
// nonexistence.

/// Where a validator stands with the zone that holds some data: its trusted keys (the chain
/// from an anchor down to it verified), or a verdict on everything in it (Insecure below an
/// unsigned delegation, Bogus, Indeterminate).
public enum ZoneTrust: Sendable {
    case keys(zone: DomainName, [DNSRecord])
    case finding(ValidationFinding)
}

/// Validates a response once the validator knows the zones its records come from: its answer
/// RRsets (CNAME and DNAME chains, across zones, and wildcard answers included) or its proof of
/// nonexistence. The step that follows ``RRsetValidation/validateKeys(_:rrsigs:owner:authority:now:limits:budget:)``.
public enum ResponseValidation {
    /// The names whose zones ``validate(_:question:trust:now:limits:budget:)`` asks `trust`
    /// about, in order: the signer of each answer RRset (its owner when it has no RRSIG),
    /// except CNAMEs synthesized from a DNAME of the response; then, for a response that does
    /// not answer the question at the chain's end, the signer of the authority section's proof
    /// (or the chain's last name).
    public static func zonesNeeded(_ response: DNSMessage, question: DNSQuestion) -> [DomainName] {
        let sections = Sections(response)
        var names: [DomainName] = []
        for rrset in rrsets(sections.answers) where !sections.isSynthesized(rrset) {
            let name = sections.zone(of: rrset)
            if !names.contains(name) { names.append(name) }
        }
        if case .chain(let target) = sections.chase(question), sections.needsProof(question, at: target) {
            let name = sections.proofZone(at: target)
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// Validates `response` to `question`, asking `trust` about each name
    /// ``zonesNeeded(_:question:)`` lists.
    ///
    /// - An answer: every RRset of the answer section must verify with its zone's keys (RFC
    ///   4035 §5.3); the CNAME and DNAME chain from the question's name is followed to its end
    ///   (a CNAME synthesized from a verified DNAME needs no RRSIG, RFC 6672 §5.3.1). An RRset
    ///   synthesized from a wildcard (its RRSIG's Labels below its owner's labels) also needs
    ///   the authority section's proof that no closer name exists (RFC 4035 §5.3.4, RFC 5155 §8.8).
    /// - A partial chain (``partialChainEnd(_:question:)``): its links only.
    /// - No answer of the type at the chain's end (NODATA), or NXDOMAIN: the NSEC or NSEC3
    ///   RRsets of the authority section must verify and prove it (``DenialProof``). An unsigned
    ///   delegation or opt-out span is Insecure, as are NSEC3 records with more iterations than
    ///   the limit (EDE 27); a missing or failing proof is Bogus (EDE 12 without records, else 6).
    /// - Data in a zone `trust` has a verdict on takes that verdict; the response's verdict is
    ///   the first Bogus, else the first Indeterminate, else the first Insecure, else Secure.
    public static func validate(
        _ response: DNSMessage, question: DNSQuestion, trust: (DomainName) -> ZoneTrust, now: UInt32, limits: ValidationLimits,
        budget: inout ValidationBudget
    ) -> ValidationFinding {
        let sections = Sections(response)
        var verdicts: [ValidationFinding] = []
        let target: DomainName
        switch sections.chase(question) {
        case .chain(let name): target = name
        case .broken(let finding): return finding
        }
        for rrset in rrsets(sections.answers) where !sections.isSynthesized(rrset) {
            let signatures = sections.answerSignatures.filter { $0.name == rrset[0].name }
            switch trust(sections.zone(of: rrset)) {
            case .finding(let finding):
                verdicts.append(finding)
            case .keys(let zone, let keys):
                let finding = RRsetValidation.validate(rrset: rrset, rrsigs: signatures, keys: keys, now: now, limits: limits, budget: &budget)
                guard finding.state == .secure else { return finding }
                // A wildcard expansion: the RRSIG that verified has fewer labels than the owner.
                let labels = signatures.compactMap { $0.data.as(RecordData.RRSIG.self) }.filter { $0.typeCovered == rrset[0].type }.map(\.labels)
                    .min()
                if let labels, Int(labels) < rrset[0].name.labelCount {
                    let proof = denial(
                        .wildcardAnswer(labels: labels), name: rrset[0].name, type: rrset[0].type, zone: zone, sections: sections, keys: keys,
                        now: now, limits: limits, budget: &budget)
                    if case .other(let finding) = proof { verdicts.append(finding) }
                }
            }
            if verdicts.contains(where: { $0.state == .bogus }) { return .combining(verdicts) }
        }
        if sections.needsProof(question, at: target) {
            let claim: DenialProof.Claim = response.responseCode == .nxDomain ? .nameError : .noData
            switch trust(sections.proofZone(at: target)) {
            case .finding(let finding):
                verdicts.append(finding)
            case .keys(let zone, let keys):
                let proof = denial(
                    claim, name: target, type: question.type, zone: zone, sections: sections, keys: keys, now: now, limits: limits, budget: &budget)
                if case .other(let finding) = proof { verdicts.append(finding) }
            }
        }
        return .combining(verdicts)
    }

    /// Where a partial chain stops: a NOERROR response whose CNAME or DNAME chain leads to a
    /// name it has no data for and no proof of nonexistence (an authoritative server does not
    /// follow a chain into a zone it does not serve). ``validate(_:question:trust:now:limits:budget:)``
    /// judges the chain's links only; the rest is a question of its own, for that name.
    public static func partialChainEnd(_ response: DNSMessage, question: DNSQuestion) -> DomainName? {
        let sections = Sections(response)
        guard case .chain(let target) = sections.chase(question), sections.isPartial(question, target) else { return nil }
        return target
    }

    /// ``validate(_:question:trust:now:limits:budget:)`` for a response from one zone whose
    /// keys are trusted: `zone`'s `keys` for data at or below it; Indeterminate for data
    /// signed above or beside it (not this call's to judge).
    public static func validate(
        _ response: DNSMessage, question: DNSQuestion, zone: DomainName, keys: [DNSRecord], now: UInt32, limits: ValidationLimits,
        budget: inout ValidationBudget
    ) -> ValidationFinding {
        validate(
            response, question: question,
            trust: { name in
                name.isSubdomain(of: zone)
                    ? .keys(zone: zone, keys)
                    : .finding(ValidationFinding(.indeterminate, ede: ValidationFinding.Code.dnssecIndeterminate, "\(name) is outside \(zone)"))
            }, now: now, limits: limits, budget: &budget)
    }

    /// A response's sections, RRSIGs apart, and the chain its answer follows.
    private struct Sections {
        let answers: [DNSRecord]
        let answerSignatures: [DNSRecord]
        let authority: [DNSRecord]
        let authoritySignatures: [DNSRecord]
        let responseCode: ResponseCode

        init(_ response: DNSMessage) {
            responseCode = response.responseCode
            answers = response.answers.filter { $0.type != .rrsig }
            answerSignatures = response.answers.filter { $0.type == .rrsig }
            authority = response.authorities.filter { $0.type != .rrsig }
            authoritySignatures = response.authorities.filter { $0.type == .rrsig }
        }

        /// Where the chain of CNAMEs and DNAMEs from the question's name ends, or why it breaks.
        enum Chase {
            case chain(DomainName)
            case broken(ValidationFinding)
        }

        func chase(_ question: DNSQuestion) -> Chase {
            var target = question.name
            for _ in 0...16 {
                if question.type == .cname || question.type == .any { return .chain(target) }
                if let alias = answers.first(where: { $0.type == .cname && $0.name == target })?.data.as(RecordData.SingleName.self)?.name {
                    target = alias
                } else if let dname = answers.first(where: { $0.type == .dname && target != $0.name && target.isSubdomain(of: $0.name) }) {
                    guard let substituted = Self.substitute(target, dname) else {
                        return .broken(
                            ValidationFinding(.bogus, ede: ValidationFinding.Code.dnssecBogus, "\(target) under the DNAME \(dname.name) is too long"))
                    }
                    target = substituted
                } else {
                    return .chain(target)
                }
            }
            return .broken(ValidationFinding(.bogus, ede: ValidationFinding.Code.dnssecBogus, "a CNAME/DNAME chain longer than 16 links"))
        }

        /// `name` with the owner of `dname` replaced by its target (RFC 6672 §2.2).
        static func substitute(_ name: DomainName, _ dname: DNSRecord) -> DomainName? {
            guard let target = dname.data.as(RecordData.SingleName.self)?.name else { return nil }
            return try? DomainName(labels: name.labels.prefix(name.labelCount - dname.name.labelCount) + target.labels)
        }

        /// Whether the question's type (or a CNAME chain's end of it) is answered at `target`.
        func answers(_ question: DNSQuestion, at target: DomainName) -> Bool {
            answers.contains { $0.name == target && ($0.type == question.type || question.type == .any) }
        }

        /// Whether the chain from `question` stops at `target`, another name, without its data
        /// or a proof in a NOERROR response.
        func isPartial(_ question: DNSQuestion, _ target: DomainName) -> Bool {
            target != question.name && responseCode == .noError && !answers(question, at: target)
                && !authority.contains { $0.type == .nsec || $0.type == .nsec3 }
        }

        /// Whether the response must prove that `target`, the chain's end, lacks the question's
        /// type (or does not exist): neither answered there nor a partial chain.
        func needsProof(_ question: DNSQuestion, at target: DomainName) -> Bool {
            !answers(question, at: target) && !isPartial(question, target)
        }

        /// Whether `rrset` is a CNAME synthesized from a DNAME of the answer section: unsigned,
        /// below the DNAME's owner, and pointing where the DNAME substitutes (RFC 6672 §5.3.1).
        func isSynthesized(_ rrset: [DNSRecord]) -> Bool {
            guard rrset.count == 1, rrset[0].type == .cname, !answerSignatures.contains(where: { $0.name == rrset[0].name }),
                let alias = rrset[0].data.as(RecordData.SingleName.self)?.name
            else { return false }
            return answers.contains { dname in
                dname.type == .dname && rrset[0].name != dname.name && rrset[0].name.isSubdomain(of: dname.name)
                    && Self.substitute(rrset[0].name, dname) == alias
            }
        }

        /// The name whose zone judges `rrset`: the signer its covering RRSIGs name, else its owner.
        func zone(of rrset: [DNSRecord]) -> DomainName {
            let signer = answerSignatures.lazy.compactMap { rrsig -> DomainName? in
                guard rrsig.name == rrset[0].name, let data = rrsig.data.as(RecordData.RRSIG.self), data.typeCovered == rrset[0].type else {
                    return nil
                }
                return data.signerName
            }.first
            return signer ?? rrset[0].name
        }

        /// The name whose zone judges the proof for `target`: the signer of the authority
        /// section's NSEC, NSEC3 or SOA records, else `target`.
        func proofZone(at target: DomainName) -> DomainName {
            authoritySignatures.lazy.compactMap { $0.data.as(RecordData.RRSIG.self) }
                .first { [.nsec, .nsec3, .soa].contains($0.typeCovered) }?.signerName ?? target
        }
    }

    /// What a proof of nonexistence came to.
    private enum Proof {
        case proven
        case other(ValidationFinding)
    }

    /// Verifies the authority section's NSEC, NSEC3 and SOA RRsets, then asks ``DenialProof``.
    private static func denial(
        _ claim: DenialProof.Claim, name: DomainName, type: RecordType, zone: DomainName, sections: Sections, keys: [DNSRecord], now: UInt32,
        limits: ValidationLimits, budget: inout ValidationBudget
    ) -> Proof {
        let signatures = sections.authoritySignatures
        let proofRecords = sections.authority.filter { $0.type == .nsec || $0.type == .nsec3 }
        guard !proofRecords.isEmpty else {
            return .other(ValidationFinding(.bogus, ede: ValidationFinding.Code.nsecMissing, "no NSEC or NSEC3 proves \(name) \(type)"))
        }
        for rrset in Self.rrsets(proofRecords) {
            let finding = RRsetValidation.validate(
                rrset: rrset, rrsigs: signatures.filter { $0.name == rrset[0].name }, keys: keys, now: now, limits: limits, budget: &budget)
            guard finding.state == .secure else { return .other(finding) }
        }
        let result = DenialProof.check(
            claim, name: name, type: type, zone: zone, records: proofRecords, iterationLimit: UInt16(clamping: limits.nsec3Iterations))
        switch (claim, result) {
        case (.nameError, .nxdomain), (.noData, .nodata), (.noData, .wildcardNoData), (.wildcardAnswer, .wildcardAnswer):
            return .proven
        case (_, .insecureDelegation):
            return .other(ValidationFinding(.insecure, "\(name) is below an unsigned delegation"))
        case (_, .insecure(.iterationsAboveLimit(let iterations))):
            return .other(
                ValidationFinding(.insecure, ede: ValidationFinding.Code.unsupportedNSEC3Iterations, "NSEC3 with \(iterations) iterations"))
        case (_, .insecure(let reason)):
            return .other(ValidationFinding(.insecure, "\(reason)"))
        case (_, .bogus(let failure)):
            return .other(ValidationFinding(.bogus, ede: ValidationFinding.Code.dnssecBogus, "\(failure)"))
        default:
            return .other(
                ValidationFinding(.bogus, ede: ValidationFinding.Code.dnssecBogus, "the NSEC records prove \(result), not the answer's claim"))
        }
    }

    /// `records` grouped into RRsets (owner, class and type), in order of first appearance.
    static func rrsets(_ records: [DNSRecord]) -> [[DNSRecord]] {
        var sets: [[DNSRecord]] = []
        for record in records {
            if let index = sets.firstIndex(where: {
                $0[0].name == record.name && $0[0].type == record.type && $0[0].recordClass == record.recordClass
            }) {
                sets[index].append(record)
            } else {
                sets.append([record])
            }
        }
        return sets
    }
}
