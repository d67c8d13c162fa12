// SPDX-License-Identifier: Apache-2.0
// A whole response from one signed zone, with that zone's trusted keys: its answer RRsets (CNAME
// chains and wildcard answers included) or its proof of nonexistence.

/// Validates a response whose records come from one zone whose DNSKEYs are already trusted
/// (the chain above it is the caller's): the step that follows ``RRsetValidation/validateKeys(_:rrsigs:owner:authority:now:limits:budget:)``.
public enum ResponseValidation {
    /// Validates `response` to `question` with `keys`, the trusted zone keys of `zone`.
    ///
    /// - An answer: every RRset of the answer section must verify (RFC 4035 §5.3); the CNAME
    ///   chain from the question's name is followed to its end. An RRset synthesized from a
    ///   wildcard (its RRSIG's Labels below its owner's labels) also needs the authority
    ///   section's proof that no closer name exists (RFC 4035 §5.3.4, RFC 5155 §8.8).
    /// - No answer of the type (NODATA), or NXDOMAIN: the NSEC or NSEC3 RRsets of the authority
    ///   section must verify and prove it (``DenialProof``). An unsigned delegation or opt-out
    ///   span is Insecure, as are NSEC3 records with more iterations than the limit (EDE 27);
    ///   a missing or failing proof is Bogus (EDE 12 without records, else 6).
    /// - Records signed by another zone are not this step's to judge: Indeterminate.
    public static func validate(
        _ response: DNSMessage, question: DNSQuestion, zone: DomainName, keys: [DNSRecord], now: UInt32, limits: ValidationLimits,
        budget: inout ValidationBudget
    ) -> ValidationFinding {
        let answers = response.answers.filter { $0.type != .rrsig }
        let answerSignatures = response.answers.filter { $0.type == .rrsig }
        let authority = response.authorities.filter { $0.type != .rrsig }
        let authoritySignatures = response.authorities.filter { $0.type == .rrsig }
        // The CNAME chain, then the answer's RRsets, each verified.
        var target = question.name
        var links = 0
        while let alias = answers.first(where: { $0.type == .cname && $0.name == target })?.data.as(RecordData.SingleName.self)?.name {
            links += 1
            guard links <= 11 else { return ValidationFinding(.bogus, ede: ValidationFinding.Code.dnssecBogus, "a CNAME chain longer than 11 links") }
            target = alias
        }
        for rrset in Self.rrsets(answers) {
            let signatures = answerSignatures.filter { $0.name == rrset[0].name }
            if let signer = signatures.first?.data.as(RecordData.RRSIG.self)?.signerName, signer != zone {
                return ValidationFinding(
                    .indeterminate, ede: ValidationFinding.Code.dnssecIndeterminate, "\(rrset[0].name) is signed by \(signer), not \(zone)")
            }
            let finding = RRsetValidation.validate(rrset: rrset, rrsigs: signatures, keys: keys, now: now, limits: limits, budget: &budget)
            guard finding.state == .secure else { return finding }
            // A wildcard expansion: the RRSIG that verified has fewer labels than the owner.
            let labels = signatures.compactMap { $0.data.as(RecordData.RRSIG.self) }.filter { $0.typeCovered == rrset[0].type }.map(\.labels).min()
            if let labels, Int(labels) < rrset[0].name.labels.count {
                let proof = denial(
                    .wildcardAnswer(labels: labels), name: rrset[0].name, type: rrset[0].type, zone: zone,
                    authority: authority, signatures: authoritySignatures, keys: keys, now: now, limits: limits, budget: &budget)
                guard case .proven = proof else { return proof.finding }
            }
        }
        let answered = answers.contains { $0.name == target && ($0.type == question.type || question.type == .any) }
        if answered { return .secure }
        let claim: DenialProof.Claim = response.responseCode == .nxDomain ? .nameError : .noData
        let proof = denial(
            claim, name: target, type: question.type, zone: zone, authority: authority, signatures: authoritySignatures,
            keys: keys, now: now, limits: limits, budget: &budget)
        return proof.finding
    }

    /// What a proof of nonexistence came to.
    private enum Proof {
        case proven
        case other(ValidationFinding)

        var finding: ValidationFinding {
            switch self {
            case .proven: .secure
            case .other(let finding): finding
            }
        }
    }

    /// Verifies the authority section's NSEC, NSEC3 and SOA RRsets, then asks ``DenialProof``.
    private static func denial(
        _ claim: DenialProof.Claim, name: DomainName, type: RecordType, zone: DomainName, authority: [DNSRecord], signatures: [DNSRecord],
        keys: [DNSRecord], now: UInt32, limits: ValidationLimits, budget: inout ValidationBudget
    ) -> Proof {
        let proofRecords = authority.filter { $0.type == .nsec || $0.type == .nsec3 }
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
