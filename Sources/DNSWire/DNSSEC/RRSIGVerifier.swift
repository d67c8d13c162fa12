// SPDX-License-Identifier: Apache-2.0
// Verifying one RRSIG over one RRset with one DNSKEY (RFC 4035 §5.3), without I/O, time or caches.

/// Checks one RRSIG over one RRset with one DNSKEY: the RFC 4035 §5.3.1 conditions that need
/// no cryptography, then the signature itself (RFC 4035 §5.3.3) with OpenSSL.
///
/// The signature's time window is a separate question (``validityWindow(of:now:skew:)``), and so is
/// everything about chains, denial of existence and limits: a verification is one OpenSSL call
/// over the data ``signedData(rrset:rrsig:)`` builds, and nothing is cached.
///
/// ```swift
/// switch RRSIGVerifier.verify(rrset: answers, rrsig: signature, key: dnskey) {
/// case .verified: …
/// case .failed(let reason): …      // bogus, for this key
/// case .unsupported(let algorithm): …   // treat the RRSIG as absent
/// }
/// ```
public enum RRSIGVerifier {
    /// What verifying one RRSIG with one key found.
    public enum Verdict: Hashable, Sendable {
        /// The conditions hold and the signature verifies.
        case verified
        /// A condition does not hold, or the signature does not verify.
        case failed(DNSSECError)
        /// The RRSIG's algorithm is not verified here (see ``DNSSECAlgorithm/isSupported``).
        case unsupported(DNSSECAlgorithm)
    }

    /// Verifies `rrsig` over `rrset` with the DNSKEY record `key`.
    ///
    /// Besides the conditions of ``verify(rrset:signature:key:keyOwner:)``, the RRSIG record must
    /// have the RRset's owner name and class (RFC 4035 §5.3.1). For an answer synthesized from a
    /// wildcard, that owner is the expanded name; the signed owner is rebuilt from the Labels field.
    ///
    /// - Parameters:
    ///   - rrset: the records of one RRset: one owner name, class and type.
    ///   - rrsig: an RRSIG record covering the RRset.
    ///   - key: a DNSKEY record of the signer's zone.
    public static func verify(rrset: [DNSRecord], rrsig: DNSRecord, key: DNSRecord) -> Verdict {
        guard let signature = rrsig.data.as(RecordData.RRSIG.self), rrsig.type == .rrsig else { return .failed(.inconsistentRRset) }
        guard let dnskey = key.data.as(RecordData.DNSKEY.self), key.type == .dnskey else { return .failed(.malformedKey) }
        if let first = rrset.first, first.name != rrsig.name || first.recordClass != rrsig.recordClass {
            return .failed(.inconsistentRRset)
        }
        return verify(rrset: rrset, signature: signature, key: dnskey, keyOwner: key.name)
    }

    /// Verifies the RRSIG data `signature` over `rrset` with the DNSKEY data `key` owned by `keyOwner`.
    ///
    /// The conditions checked, in this order, each failing with its ``DNSSECError``: the RRset is
    /// not empty and its records share owner, class and type; Type Covered is that type; Labels
    /// does not exceed the owner's labels; the owner is at or below Signer's Name; Signer's Name is
    /// `keyOwner`; the key has protocol 3, the Zone Key flag, and not the REVOKE flag; algorithm and
    /// key tag match. Then an unsupported algorithm gives ``Verdict/unsupported(_:)``, and otherwise
    /// OpenSSL checks the signature.
    ///
    /// - Parameters:
    ///   - rrset: the records of one RRset: one owner name, class and type.
    ///   - signature: the RRSIG record data.
    ///   - key: the DNSKEY record data.
    ///   - keyOwner: the DNSKEY's owner name (the apex of the signer's zone).
    public static func verify(rrset: [DNSRecord], signature: RecordData.RRSIG, key: RecordData.DNSKEY, keyOwner: DomainName) -> Verdict {
        let data: [UInt8]
        do throws(DNSSECError) {
            try checkConditions(rrset: rrset, signature: signature, key: key, keyOwner: keyOwner)
            let algorithm = DNSSECAlgorithm(signature.algorithm)
            guard algorithm.isSupported else { return .unsupported(algorithm) }
            data = try signedData(rrset: rrset, rrsig: signature)
        } catch {
            return .failed(error)
        }
        switch SignatureCheck.verify(DNSSECAlgorithm(signature.algorithm), publicKey: key.publicKey, signature: signature.signature, data: data) {
        case .valid: return .verified
        case .invalid(let reason): return .failed(reason)
        case .unsupported: return .unsupported(DNSSECAlgorithm(signature.algorithm))
        }
    }

    private static func checkConditions(
        rrset: [DNSRecord], signature: RecordData.RRSIG, key: RecordData.DNSKEY, keyOwner: DomainName
    ) throws(DNSSECError) {
        let owner = try commonOwner(of: rrset)
        guard rrset[0].type == signature.typeCovered else { throw .typeCoveredMismatch }
        guard Int(signature.labels) <= owner.labelCount else { throw .labelsExceedOwner }
        guard owner.isSubdomain(of: signature.signerName) else { throw .ownerOutsideSigner }
        guard signature.signerName == keyOwner else { throw .signerMismatch }
        guard key.protocol == 3 else { throw .badProtocol }
        guard key.isZoneKey else { throw .notZoneKey }
        guard !key.isRevoked else { throw .revokedKey }
        guard key.algorithm == signature.algorithm else { throw .algorithmMismatch }
        guard key.keyTag == signature.keyTag else { throw .keyTagMismatch }
    }

    /// The owner the records share; throws when there are none or they differ in owner, class or type.
    private static func commonOwner(of rrset: [DNSRecord]) throws(DNSSECError) -> DomainName {
        guard let first = rrset.first else { throw .emptyRRset }
        for record in rrset.dropFirst() where record.name != first.name || record.recordClass != first.recordClass || record.type != first.type {
            throw .inconsistentRRset
        }
        return first.name
    }

    /// The owner name the signature covers (RFC 4035 §5.3.2): `owner` in canonical form, or, when
    /// `labels` is less than its number of labels (a wildcard expansion, or the wildcard itself),
    /// `*.` followed by its rightmost `labels` labels.
    ///
    /// - Parameters:
    ///   - owner: the RRset's owner name.
    ///   - labels: the RRSIG's Labels field.
    /// - Throws: ``DNSSECError/labelsExceedOwner`` when `labels` exceeds the owner's labels.
    public static func signedOwner(_ owner: DomainName, labels: UInt8) throws(DNSSECError) -> DomainName {
        let canonical = owner.canonical
        let count = canonical.labelCount
        guard Int(labels) <= count else { throw .labelsExceedOwner }
        guard Int(labels) < count else { return canonical }
        let suffix = canonical.labels.suffix(Int(labels)).map(Array.init)
        // Never fails: the wildcard name is no longer than the owner.
        return (try? DomainName(labels: [[UInt8(ascii: "*")]] + suffix)) ?? canonical
    }

    /// The octets an RRSIG signs (RFC 4034 §3.1.8.1, §6.2, §6.3): the RRSIG RDATA without the
    /// signature, its signer name lower-cased, then each record of the RRset in canonical form
    /// (``signedOwner(_:labels:)``, type, class, the RRSIG's Original TTL, RDLENGTH and
    /// ``RecordData/canonical`` RDATA), sorted by RDATA, duplicates removed.
    ///
    /// - Parameters:
    ///   - rrset: the records of one RRset: one owner name, class and type.
    ///   - rrsig: the RRSIG record data (its signature is ignored).
    /// - Throws: ``DNSSECError/emptyRRset``, ``DNSSECError/inconsistentRRset``,
    ///   ``DNSSECError/typeCoveredMismatch``, ``DNSSECError/labelsExceedOwner``, or
    ///   ``DNSSECError/unwritableRData`` when a record's RDATA cannot be written.
    public static func signedData(rrset: [DNSRecord], rrsig: RecordData.RRSIG) throws(DNSSECError) -> [UInt8] {
        let owner = try signedOwner(try commonOwner(of: rrset), labels: rrsig.labels)
        guard rrset[0].type == rrsig.typeCovered else { throw .typeCoveredMismatch }

        var rdatas: [[UInt8]] = []
        rdatas.reserveCapacity(rrset.count)
        for record in rrset {
            guard let rdata = try? record.data.canonical.serialize(), rdata.count <= 0xFFFF else { throw .unwritableRData }
            rdatas.append(rdata)
        }
        rdatas.sort { $0.lexicographicallyPrecedes($1) }

        var data: [UInt8] = []
        data.reserveCapacity(18 + rrsig.signerName.wire.count + rdatas.reduce(0) { $0 + owner.wire.count + 10 + $1.count })
        appendUInt16(rrsig.typeCovered.rawValue, to: &data)
        data.append(rrsig.algorithm)
        data.append(rrsig.labels)
        appendUInt32(rrsig.originalTTL, to: &data)
        appendUInt32(rrsig.expiration, to: &data)
        appendUInt32(rrsig.inception, to: &data)
        appendUInt16(rrsig.keyTag, to: &data)
        data.append(contentsOf: rrsig.signerName.canonical.wire)

        var previous: [UInt8]? = nil
        for rdata in rdatas where rdata != previous {
            previous = rdata
            data.append(contentsOf: owner.wire)
            appendUInt16(rrsig.typeCovered.rawValue, to: &data)
            appendUInt16(rrset[0].recordClass.rawValue, to: &data)
            appendUInt32(rrsig.originalTTL, to: &data)
            appendUInt16(UInt16(rdata.count), to: &data)
            data.append(contentsOf: rdata)
        }
        return data
    }

    private static func appendUInt16(_ value: UInt16, to data: inout [UInt8]) {
        data.append(UInt8(value >> 8))
        data.append(UInt8(value & 0xFF))
    }

    private static func appendUInt32(_ value: UInt32, to data: inout [UInt8]) {
        appendUInt16(UInt16(value >> 16), to: &data)
        appendUInt16(UInt16(value & 0xFFFF), to: &data)
    }
}
