// SPDX-License-Identifier: Apache-2.0
// Authenticated denial of existence (RFC 4035 §5.4, RFC 5155 §8): what a response's NSEC or NSEC3
// records prove, without I/O.

/// Checks what the NSEC or NSEC3 records of a response's authority section prove about a name
/// and type: that the name does not exist, that it has no data of the type, that a wildcard
/// answer was the right one, or that a delegation is unsigned.
///
/// The records are taken as given: their RRSIGs must have been verified (``RRSIGVerifier``) by
/// the caller, with the zone apex as signer. Records outside that zone are ignored. When the
/// records hold an NSEC3, ``NSEC3Proof`` decides; otherwise ``NSECProof``.
///
/// ```swift
/// switch DenialProof.check(.noData, name: qname, type: .aaaa, zone: signer, records: authority) {
/// case .nodata: …                     // secure NODATA
/// case .insecure(let reason): …       // treat as unsigned (EDE 27 for too many iterations)
/// case .bogus(let failure): …         // SERVFAIL
/// default: …                          // another proof than the one asked for
/// }
/// ```
public enum DenialProof {
    /// What the response claims.
    public enum Claim: Hashable, Sendable {
        /// The name does not exist (NXDOMAIN).
        case nameError
        /// The name exists without records of the type (NODATA), possibly through a wildcard; for DS,
        /// also the proof that a delegation is unsigned (a referral without DS asks the same).
        case noData
        /// The answer was synthesized from a wildcard: its RRSIG's Labels field, `labels`, is less
        /// than the number of labels of the name (RFC 4035 §5.3.4).
        case wildcardAnswer(labels: UInt8)
    }

    /// What the records prove.
    public enum Result: Hashable, Sendable {
        /// The name does not exist, nor does a wildcard that could have answered.
        case nxdomain
        /// The name exists (possibly as an empty non-terminal) without the type, or without a CNAME.
        case nodata
        /// The name does not exist, and the wildcard at its closest encloser has neither the type nor a CNAME.
        case wildcardNoData
        /// No name closer to the name than the wildcard exists: the wildcard answer is the right one.
        case wildcardAnswer
        /// The name is a delegation without DS: the child zone is unsigned.
        case insecureDelegation
        /// The records can prove nothing that makes the answer secure; treat it as unsigned.
        case insecure(InsecureReason)
        /// The records do not prove the claim: treat the answer as bogus.
        case bogus(Failure)
    }

    /// Why the answer is insecure rather than proven or bogus.
    public enum InsecureReason: Hashable, Sendable, CustomStringConvertible {
        /// The NSEC3 records use more iterations than the limit (RFC 9276 §3.2; Extended DNS
        /// Error 27, Unsupported NSEC3 Iterations Value). No hash was computed.
        case iterationsAboveLimit(UInt16)
        /// The NSEC3 covering the next closer name has the Opt-Out flag: an unsigned delegation may
        /// exist there (RFC 5155 §6).
        case optOut

        /// A short English explanation.
        public var description: String {
            switch self {
            case .iterationsAboveLimit(let iterations): "NSEC3 iterations \(iterations) above the limit"
            case .optOut: "the span is opt-out"
            }
        }
    }

    /// Why the records do not prove the claim.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// No NSEC or NSEC3 record of the zone is present.
        case noRecords
        /// Every NSEC3 has an unknown hash algorithm or flags other than 0 and 1 (RFC 5155 §8.1, §8.2).
        case noUsableNSEC3
        /// The name is not at or below the zone.
        case outsideZone
        /// No record matches the name, which must exist for the proof.
        case noMatchingRecord(DomainName)
        /// No record covers the name, which must not exist for the proof.
        case noCoveringRecord(DomainName)
        /// A record matches the name, or shows it is an empty non-terminal: it exists.
        case nameExists(DomainName)
        /// A name between the name and the wildcard's closest encloser exists: another wildcard or none applies.
        case closerNameExists
        /// The wildcard at the closest encloser exists.
        case wildcardExists(DomainName)
        /// The type bit map of the matching record lists the type.
        case typeExists(RecordType)
        /// The type bit map of the matching record lists CNAME: the name is an alias (RFC 6840 §4.3).
        case cnameExists
        /// A record from the child zone's apex (SOA set) offered as proof that the parent has no DS (RFC 6840 §4.1).
        case childApexForDS
        /// A record from the parent side of a zone cut (NS set, SOA clear), or from a DNAME owner,
        /// offered for a type other than DS at the cut or for a name below it (RFC 6840 §4.1, RFC 5155 §8.3).
        case ancestorDelegation
        /// The Labels field of the wildcard answer's RRSIG is not less than the name's labels, or
        /// names a closest encloser outside the zone.
        case invalidWildcardLabels
        /// No NSEC3 matches the name and the one covering the next closer name lacks Opt-Out (RFC 5155 §8.6, §8.9).
        case notOptOut
        /// The NSEC3 hash could not be computed.
        case hashFailure

        /// A short English explanation.
        public var description: String {
            switch self {
            case .noRecords: "no NSEC or NSEC3 record of the zone"
            case .noUsableNSEC3: "no NSEC3 record with a known hash algorithm and valid flags"
            case .outsideZone: "the name is outside the zone"
            case .noMatchingRecord(let name): "no record matches \(name)"
            case .noCoveringRecord(let name): "no record covers \(name)"
            case .nameExists(let name): "\(name) exists"
            case .closerNameExists: "a name closer than the wildcard exists"
            case .wildcardExists(let name): "the wildcard \(name) exists"
            case .typeExists(let type): "the type bit map has \(type)"
            case .cnameExists: "the type bit map has CNAME"
            case .childApexForDS: "a record from the child's apex cannot deny DS"
            case .ancestorDelegation: "a record from the parent side of a zone cut cannot deny this"
            case .invalidWildcardLabels: "the RRSIG labels do not describe a wildcard expansion"
            case .notOptOut: "the covering NSEC3 lacks opt-out"
            case .hashFailure: "the NSEC3 hash failed"
            }
        }
    }

    /// Checks `claim` for `name` and `type` with the NSEC or NSEC3 records among `records`.
    ///
    /// - Parameters:
    ///   - claim: what the response claims.
    ///   - name: the QNAME (for an answer after a CNAME chain, the last target).
    ///   - type: the QTYPE; ignored for ``Claim/wildcardAnswer(labels:)``.
    ///   - zone: the apex of the zone the records come from: their RRSIGs' Signer's Name.
    ///   - records: the authority section (other types are skipped).
    ///   - nsec3Parameters: the zone's NSEC3 parameters, when known; NSEC3 records with others are
    ///     ignored. When nil, those of the first usable NSEC3 apply.
    ///   - iterationLimit: the most NSEC3 iterations hashed; above it the result is
    ///     ``Result/insecure(_:)`` with ``InsecureReason/iterationsAboveLimit(_:)``.
    public static func check(
        _ claim: Claim, name: DomainName, type: RecordType, zone: DomainName, records: [DNSRecord],
        nsec3Parameters: RecordData.NSEC3PARAM? = nil, iterationLimit: UInt16 = NSEC3Hash.defaultIterationLimit
    ) -> Result {
        if records.contains(where: { $0.type == .nsec3 }) {
            let proof = NSEC3Proof(zone: zone, records: records, parameters: nsec3Parameters, iterationLimit: iterationLimit)
            switch claim {
            case .nameError: return proof.nameError(name)
            case .noData: return proof.noData(name, type: type)
            case .wildcardAnswer(let labels): return proof.wildcardAnswer(name, labels: labels)
            }
        }
        let proof = NSECProof(zone: zone, records: records)
        switch claim {
        case .nameError: return proof.nameError(name)
        case .noData: return proof.noData(name, type: type)
        case .wildcardAnswer(let labels): return proof.wildcardAnswer(name, labels: labels)
        }
    }
}
