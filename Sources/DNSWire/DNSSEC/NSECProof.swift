// SPDX-License-Identifier: Apache-2.0
// Denial of existence with NSEC (RFC 4035 §3.1.3, §5.4; RFC 6840 §4.1, §4.3).

/// Denial proofs over NSEC records (RFC 4035 §5.4), whose RRSIGs the caller has verified.
///
/// An NSEC *matches* a name that is its owner, and *covers* a name that sorts strictly between
/// its owner and its next name in canonical order (``DomainName/canonicalCompare(_:)``); the
/// last NSEC of the zone, whose next name is the apex, covers every name after its owner.
/// Per RFC 6840 §4.1, an NSEC from the parent side of a zone cut (NS set, SOA clear) or at a
/// DNAME proves nothing about names below its owner, and the former nothing about types there
/// but DS; an NSEC at a zone apex (SOA set) proves nothing about the DS at that name.
///
/// ```swift
/// let proof = NSECProof(zone: signer, records: authority)
/// proof.nameError(qname)            // .nxdomain when proven
/// proof.noData(qname, type: .aaaa)  // .nodata, .wildcardNoData or, for DS, .insecureDelegation
/// ```
public struct NSECProof: Sendable {
    struct Entry: Sendable {
        let owner: DomainName
        let nsec: RecordData.NSEC

        /// A delegation or DNAME: nothing below the owner is in this zone's data (RFC 6840 §4.1).
        var cutsBelow: Bool {
            (nsec.typeBitmapContains(.ns) && !nsec.typeBitmapContains(.soa)) || nsec.typeBitmapContains(.dname)
        }
    }

    /// A search for an NSEC covering a name.
    enum Cover {
        case found(Entry)
        case none
        case ancestorDelegation
    }

    /// The zone apex (the RRSIGs' signer).
    public let zone: DomainName
    let entries: [Entry]

    /// Takes the NSEC records among `records` whose owners are at or below `zone`.
    ///
    /// - Parameters:
    ///   - zone: the zone apex: the Signer's Name of the records' RRSIGs.
    ///   - records: the authority section; records of other types are skipped.
    public init(zone: DomainName, records: [DNSRecord]) {
        self.zone = zone
        entries = records.compactMap { record in
            guard record.type == .nsec, record.name.isSubdomain(of: zone), let nsec = record.data.as(RecordData.NSEC.self) else {
                return nil
            }
            return Entry(owner: record.name, nsec: nsec)
        }
    }

    /// The NSEC whose owner is `name`.
    func match(_ name: DomainName) -> Entry? { entries.first { $0.owner == name } }

    /// An NSEC covering `name`, one that may speak for it (not from above a zone cut over it).
    func cover(_ name: DomainName) -> Cover {
        var sawAncestor = false
        for entry in entries {
            let afterOwner = entry.owner.canonicalCompare(name) < 0
            let next = entry.nsec.nextDomainName
            let wraps = next.canonicalCompare(entry.owner) <= 0
            let beforeNext = name.canonicalCompare(next) < 0
            guard afterOwner, wraps || beforeNext else { continue }
            if entry.cutsBelow, name.isSubdomain(of: entry.owner) {
                sawAncestor = true
                continue
            }
            return .found(entry)
        }
        return sawAncestor ? .ancestorDelegation : .none
    }

    /// The closest encloser of `name` an NSEC covering it proves (RFC 4035 §5.4): the longer of
    /// the names common to `name` and the NSEC's owner, and to `name` and its next name.
    func closestEncloser(of name: DomainName, coveredBy entry: Entry) -> DomainName {
        let byOwner = name.commonAncestor(with: entry.owner)
        let byNext = name.commonAncestor(with: entry.nsec.nextDomainName)
        let encloser = byNext.labelCount > byOwner.labelCount ? byNext : byOwner
        return encloser.isSubdomain(of: zone) ? encloser : zone
    }

    /// The covering NSEC for `name`, or the failure that there is none.
    private func requireCover(_ name: DomainName) -> Result<Entry, DenialProof.Failure> {
        switch cover(name) {
        case .found(let entry): .success(entry)
        case .none: .failure(.noCoveringRecord(name))
        case .ancestorDelegation: .failure(.ancestorDelegation)
        }
    }

    /// Whether `name` exists as an empty non-terminal: the NSEC covering it has a next name below it
    /// (RFC 4035 §3.1.3.2).
    private func isEmptyNonTerminal(_ name: DomainName, coveredBy entry: Entry) -> Bool {
        let next = entry.nsec.nextDomainName
        return next != name && next.isSubdomain(of: name)
    }

    /// The NSEC that proves `name` absent: the zone has NSECs, `name` is in it, no NSEC matches
    /// it, one covers it, and it is not an empty non-terminal.
    private func absent(_ name: DomainName) -> Result<Entry, DenialProof.Failure> {
        guard !entries.isEmpty else { return .failure(.noRecords) }
        guard name.isSubdomain(of: zone) else { return .failure(.outsideZone) }
        if match(name) != nil { return .failure(.nameExists(name)) }
        let entry: Entry
        switch requireCover(name) {
        case .success(let found): entry = found
        case .failure(let failure): return .failure(failure)
        }
        if isEmptyNonTerminal(name, coveredBy: entry) { return .failure(.nameExists(name)) }
        return .success(entry)
    }

    /// Checks a name error (NXDOMAIN, RFC 4035 §3.1.3.2, §5.4): an NSEC covers `name`, and one covers
    /// the wildcard at its closest encloser.
    ///
    /// - Returns: ``DenialProof/Result/nxdomain`` or ``DenialProof/Result/bogus(_:)``.
    public func nameError(_ name: DomainName) -> DenialProof.Result {
        let entry: Entry
        switch absent(name) {
        case .success(let found): entry = found
        case .failure(let failure): return .bogus(failure)
        }
        guard let wildcard = closestEncloser(of: name, coveredBy: entry).wildcard else { return .bogus(.noCoveringRecord(name)) }
        if match(wildcard) != nil { return .bogus(.wildcardExists(wildcard)) }
        if case .failure(let failure) = requireCover(wildcard) { return .bogus(failure) }
        return .nxdomain
    }

    /// Checks the absence of `type` at `name` (NODATA, RFC 4035 §3.1.3.1, §5.4).
    ///
    /// Proven by an NSEC matching `name` without `type` or CNAME in its bit map (RFC 6840 §4.3);
    /// by an NSEC covering `name` whose next name is below it (an empty non-terminal); or by an
    /// NSEC covering `name` and one matching the wildcard at its closest encloser without `type`
    /// or CNAME (RFC 4035 §3.1.3.4). For DS, the matching NSEC must come from the parent side
    /// (SOA clear); when it has NS, the delegation is unsigned (RFC 6840 §4.1). For other
    /// types, a matching NSEC from the parent side of a zone cut proves nothing.
    ///
    /// - Returns: ``DenialProof/Result/nodata``, ``DenialProof/Result/wildcardNoData``,
    ///   ``DenialProof/Result/insecureDelegation`` (DS only) or ``DenialProof/Result/bogus(_:)``.
    public func noData(_ name: DomainName, type: RecordType) -> DenialProof.Result {
        guard !entries.isEmpty else { return .bogus(.noRecords) }
        guard name.isSubdomain(of: zone) else { return .bogus(.outsideZone) }
        if let entry = match(name) { return Self.noData(at: entry.nsec, name: name, type: type) }
        let entry: Entry
        switch requireCover(name) {
        case .success(let found): entry = found
        case .failure(.noCoveringRecord): return .bogus(.noMatchingRecord(name))
        case .failure(let failure): return .bogus(failure)
        }
        if isEmptyNonTerminal(name, coveredBy: entry) { return .nodata }
        guard let wildcard = closestEncloser(of: name, coveredBy: entry).wildcard, let match = match(wildcard) else {
            return .bogus(.noMatchingRecord(name))
        }
        if match.nsec.typeBitmapContains(type) { return .bogus(.typeExists(type)) }
        if match.nsec.typeBitmapContains(.cname) { return .bogus(.cnameExists) }
        return .wildcardNoData
    }

    /// What an NSEC or NSEC3 bit map at `name` itself proves about `type`.
    static func noData(at bitmap: some TypeBitmapped, name: DomainName, type: RecordType) -> DenialProof.Result {
        let delegation = bitmap.typeBitmapContains(.ns) && !bitmap.typeBitmapContains(.soa)
        if type == .ds {
            // RFC 6840 §4.1: the DS lives on the parent side; the child's apex NSEC says nothing of it.
            if bitmap.typeBitmapContains(.soa), !name.isRoot { return .bogus(.childApexForDS) }
            if bitmap.typeBitmapContains(.ds) { return .bogus(.typeExists(.ds)) }
            if bitmap.typeBitmapContains(.cname) { return .bogus(.cnameExists) }
            return delegation ? .insecureDelegation : .nodata
        }
        if delegation { return .bogus(.ancestorDelegation) }
        if bitmap.typeBitmapContains(type) { return .bogus(.typeExists(type)) }
        if bitmap.typeBitmapContains(.cname) { return .bogus(.cnameExists) }
        return .nodata
    }

    /// Checks a wildcard answer (RFC 4035 §5.3.4): `name` does not exist (an NSEC covers it) and no
    /// name between it and the wildcard's closest encloser exists.
    ///
    /// - Parameters:
    ///   - name: the owner name of the answer (the QNAME).
    ///   - labels: the Labels field of the answer's RRSIG, less than `name`'s labels.
    /// - Returns: ``DenialProof/Result/wildcardAnswer`` or ``DenialProof/Result/bogus(_:)``.
    public func wildcardAnswer(_ name: DomainName, labels: UInt8) -> DenialProof.Result {
        guard !entries.isEmpty else { return .bogus(.noRecords) }
        guard Int(labels) < name.labelCount, name.suffix(labels: Int(labels)).isSubdomain(of: zone) else {
            return .bogus(.invalidWildcardLabels)
        }
        let entry: Entry
        switch absent(name) {
        case .success(let found): entry = found
        case .failure(let failure): return .bogus(failure)
        }
        if closestEncloser(of: name, coveredBy: entry).labelCount > Int(labels) { return .bogus(.closerNameExists) }
        return .wildcardAnswer
    }
}

/// A record with a type bit map: NSEC or NSEC3.
protocol TypeBitmapped {
    func typeBitmapContains(_ type: RecordType) -> Bool
}

extension RecordData.NSEC: TypeBitmapped {}
extension RecordData.NSEC3: TypeBitmapped {}
