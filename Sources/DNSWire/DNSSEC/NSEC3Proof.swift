// SPDX-License-Identifier: Apache-2.0
// Denial of existence with NSEC3 (RFC 5155 §8, RFC 6840 §4.1, RFC 9276 §3.2).

/// Denial proofs over NSEC3 records (RFC 5155 §8), whose RRSIGs the caller has verified.
///
/// Only NSEC3 records one label below the zone apex, with a hash algorithm known here (SHA-1,
/// RFC 5155 §8.1), flags 0 or 1 (§8.2), an owner label that is a base32hex hash and the zone's
/// parameters take part; the others are ignored. When the parameters ask for more iterations
/// than the limit, every check returns ``DenialProof/Result/insecure(_:)`` before hashing
/// anything (RFC 9276 §3.2).
///
/// An NSEC3 *matches* a name whose hash is its owner's, and *covers* a name whose hash sorts
/// strictly between its owner's and its next hashed owner (wrapping around at the end of the chain).
///
/// ```swift
/// let proof = NSEC3Proof(zone: signer, records: authority)
/// proof.nameError(qname)            // .nxdomain when proven
/// proof.noData(qname, type: .ds)    // .nodata, .wildcardNoData or .insecureDelegation
/// ```
public struct NSEC3Proof: Sendable {
    struct Entry: Sendable {
        let ownerHash: [UInt8]
        let nsec3: RecordData.NSEC3

        func covers(_ hash: [UInt8]) -> Bool {
            let next = nsec3.nextHashedOwnerName
            let afterOwner = ownerHash.lexicographicallyPrecedes(hash)
            let beforeNext = hash.lexicographicallyPrecedes(next)
            // The last NSEC3 of the chain (next ≤ owner) covers the hashes after it and before the first.
            return next.lexicographicallyPrecedes(ownerHash) || next == ownerHash ? afterOwner || beforeNext : afterOwner && beforeNext
        }
    }

    /// A closest encloser proof (RFC 5155 §8.3).
    struct ClosestEncloser {
        /// The closest encloser and the NSEC3 matching it.
        let name: DomainName
        let match: Entry
        /// The next closer name and the NSEC3 covering it.
        let nextCloser: DomainName
        let cover: Entry
    }

    /// The zone apex (the RRSIGs' signer).
    public let zone: DomainName
    /// The parameters the usable records share, or nil when none is usable.
    public let parameters: RecordData.NSEC3PARAM?
    /// The most iterations hashed.
    public let iterationLimit: UInt16
    let entries: [Entry]
    /// Whether any NSEC3 of the zone was present, usable or not.
    let sawRecords: Bool

    /// Takes the usable NSEC3 records among `records`.
    ///
    /// - Parameters:
    ///   - zone: the zone apex: the Signer's Name of the records' RRSIGs.
    ///   - records: the authority section; records of other types are skipped.
    ///   - parameters: the zone's NSEC3 parameters (from its NSEC3PARAM); records with others are
    ///     ignored. When nil, those of the first usable record apply.
    ///   - iterationLimit: the most iterations hashed (RFC 9276 §3.2 suggests 150 at most).
    public init(
        zone: DomainName, records: [DNSRecord], parameters: RecordData.NSEC3PARAM? = nil,
        iterationLimit: UInt16 = NSEC3Hash.defaultIterationLimit
    ) {
        self.zone = zone
        self.iterationLimit = iterationLimit
        var usable: [Entry] = []
        var sawRecords = false
        for record in records where record.type == .nsec3 && record.name.labelCount == zone.labelCount + 1 && record.name.parent == zone {
            sawRecords = true
            guard let nsec3 = record.data.as(RecordData.NSEC3.self), nsec3.hashAlgorithm == NSEC3Hash.sha1, nsec3.flags & ~0x01 == 0,
                nsec3.nextHashedOwnerName.count == NSEC3Hash.sha1Length, let label = record.name.labels.first,
                let hash = BaseEncoding.base32hex.decode(String(decoding: label, as: UTF8.self)), hash.count == NSEC3Hash.sha1Length
            else { continue }
            usable.append(Entry(ownerHash: hash, nsec3: nsec3))
        }
        let chosen = parameters.map { Self.normalized($0) } ?? usable.first.map { $0.nsec3.parameters }
        self.parameters = chosen
        self.sawRecords = sawRecords
        entries = usable.filter { entry in chosen.map { Self.normalized(entry.nsec3.parameters) == Self.normalized($0) } ?? false }
    }

    /// The parameters without flags, which do not enter the hash.
    private static func normalized(_ parameters: RecordData.NSEC3PARAM) -> RecordData.NSEC3PARAM {
        var parameters = parameters
        parameters.flags = 0
        return parameters
    }

    /// The outcome when no proof can start: no records, or too many iterations.
    private var precondition: DenialProof.Result? {
        guard let parameters, !entries.isEmpty else { return .bogus(sawRecords ? .noUsableNSEC3 : .noRecords) }
        if parameters.iterations > iterationLimit { return .insecure(.iterationsAboveLimit(parameters.iterations)) }
        return nil
    }

    private func hash(_ name: DomainName) throws(NSEC3HashError) -> [UInt8] {
        guard let parameters else { throw .cryptoFailure }
        return try NSEC3Hash.hash(of: name, parameters: parameters, limit: iterationLimit)
    }

    private func match(_ hash: [UInt8]) -> Entry? { entries.first { $0.ownerHash == hash } }
    private func cover(_ hash: [UInt8]) -> Entry? { entries.first { $0.covers(hash) } }

    /// The closest encloser proof for `name` (RFC 5155 §8.3): the longest ancestor of `name` an
    /// NSEC3 matches, with the next closer name covered. Fails when the matching NSEC3 is from a
    /// zone cut (NS without SOA) or a DNAME, and when `name` itself is matched.
    private func closestEncloser(of name: DomainName) throws(DenialProof.Failure) -> ClosestEncloser {
        var nextCloser = name
        var candidate = name
        var coverOfNextCloser: Entry? = nil
        while true {
            let hash: [UInt8]
            do { hash = try self.hash(candidate) } catch { throw .hashFailure }
            if let match = match(hash) {
                guard candidate != name else { throw .nameExists(name) }
                guard let cover = coverOfNextCloser else { throw .noCoveringRecord(nextCloser) }
                let cut = match.nsec3.typeBitmapContains(.ns) && !match.nsec3.typeBitmapContains(.soa)
                if cut || match.nsec3.typeBitmapContains(.dname) { throw .ancestorDelegation }
                return ClosestEncloser(name: candidate, match: match, nextCloser: nextCloser, cover: cover)
            }
            guard candidate != zone, !candidate.isRoot else { throw .noMatchingRecord(candidate) }
            nextCloser = candidate
            coverOfNextCloser = cover(hash)
            candidate = candidate.parent
        }
    }

    /// Checks a name error (NXDOMAIN, RFC 5155 §8.4): a closest encloser proof for `name` and an
    /// NSEC3 covering the wildcard at the closest encloser.
    ///
    /// - Returns: ``DenialProof/Result/nxdomain``; ``DenialProof/Result/insecure(_:)`` with
    ///   ``DenialProof/InsecureReason/optOut`` when the NSEC3 covering the next closer name has
    ///   Opt-Out (an unsigned delegation may exist there), or for too many iterations;
    ///   ``DenialProof/Result/bogus(_:)``.
    public func nameError(_ name: DomainName) -> DenialProof.Result {
        if let precondition { return precondition }
        guard name.isSubdomain(of: zone) else { return .bogus(.outsideZone) }
        do throws(DenialProof.Failure) {
            let proof = try closestEncloser(of: name)
            guard let wildcard = proof.name.wildcard else { return .bogus(.noCoveringRecord(name)) }
            let hash: [UInt8]
            do { hash = try self.hash(wildcard) } catch { return .bogus(.hashFailure) }
            if match(hash) != nil { return .bogus(.wildcardExists(wildcard)) }
            guard cover(hash) != nil else { return .bogus(.noCoveringRecord(wildcard)) }
            return proof.cover.nsec3.isOptOut ? .insecure(.optOut) : .nxdomain
        } catch {
            return .bogus(error)
        }
    }

    /// Checks the absence of `type` at `name` (NODATA, RFC 5155 §8.5–§8.7, §8.9).
    ///
    /// Proven by an NSEC3 matching `name` without `type` or CNAME in its bit map (an empty
    /// non-terminal has an empty one). For DS, that NSEC3 must not have SOA (RFC 6840 §4.1), and
    /// with NS the delegation is unsigned; when none matches, a closest encloser proof whose next
    /// closer name is covered by an NSEC3 with Opt-Out proves an unsigned delegation (§8.6, §8.9).
    /// Otherwise a closest encloser proof and an NSEC3 matching the wildcard at the closest
    /// encloser without `type` or CNAME prove a wildcard NODATA (§8.7), unless the next closer
    /// name is in an Opt-Out span (it may be an unsigned delegation: Insecure, as Unbound).
    ///
    /// - Returns: ``DenialProof/Result/nodata``, ``DenialProof/Result/wildcardNoData``,
    ///   ``DenialProof/Result/insecureDelegation`` (DS only), ``DenialProof/Result/insecure(_:)``
    ///   for too many iterations, or ``DenialProof/Result/bogus(_:)``.
    public func noData(_ name: DomainName, type: RecordType) -> DenialProof.Result {
        if let precondition { return precondition }
        guard name.isSubdomain(of: zone) else { return .bogus(.outsideZone) }
        let hash: [UInt8]
        do { hash = try self.hash(name) } catch { return .bogus(.hashFailure) }
        if let entry = match(hash) { return NSECProof.noData(at: entry.nsec3, name: name, type: type) }
        do throws(DenialProof.Failure) {
            let proof = try closestEncloser(of: name)
            if let wildcard = proof.name.wildcard {
                let wildcardHash: [UInt8]
                do { wildcardHash = try self.hash(wildcard) } catch { return .bogus(.hashFailure) }
                if let match = match(wildcardHash) {
                    if match.nsec3.typeBitmapContains(type) { return .bogus(.typeExists(type)) }
                    if match.nsec3.typeBitmapContains(.cname) { return .bogus(.cnameExists) }
                    return proof.cover.nsec3.isOptOut ? .insecure(.optOut) : .wildcardNoData
                }
            }
            guard type == .ds else { return .bogus(.noMatchingRecord(name)) }
            return proof.cover.nsec3.isOptOut ? .insecureDelegation : .bogus(.notOptOut)
        } catch .noCoveringRecord, .noMatchingRecord {
            return .bogus(.noMatchingRecord(name))
        } catch {
            return .bogus(error)
        }
    }

    /// Checks a wildcard answer (RFC 5155 §8.8): the closest encloser is the wildcard's parent, the
    /// rightmost `labels` labels of `name`, and an NSEC3 covers the next closer name; when that
    /// NSEC3 has Opt-Out, the name may be an unsigned delegation: Insecure (as BIND and Unbound).
    ///
    /// - Parameters:
    ///   - name: the owner name of the answer (the QNAME).
    ///   - labels: the Labels field of the answer's RRSIG, less than `name`'s labels.
    /// - Returns: ``DenialProof/Result/wildcardAnswer``, ``DenialProof/Result/insecure(_:)`` for too
    ///   many iterations, or ``DenialProof/Result/bogus(_:)``.
    public func wildcardAnswer(_ name: DomainName, labels: UInt8) -> DenialProof.Result {
        if let precondition { return precondition }
        guard name.isSubdomain(of: zone) else { return .bogus(.outsideZone) }
        guard Int(labels) < name.labelCount, name.suffix(labels: Int(labels)).isSubdomain(of: zone) else {
            return .bogus(.invalidWildcardLabels)
        }
        let nextCloser = name.suffix(labels: Int(labels) + 1)
        let hash: [UInt8]
        do { hash = try self.hash(nextCloser) } catch { return .bogus(.hashFailure) }
        if match(hash) != nil { return .bogus(.closerNameExists) }
        guard let covering = cover(hash) else { return .bogus(.noCoveringRecord(nextCloser)) }
        return covering.nsec3.isOptOut ? .insecure(.optOut) : .wildcardAnswer
    }
}
