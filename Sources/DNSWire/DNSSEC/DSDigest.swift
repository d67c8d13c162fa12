// SPDX-License-Identifier: Apache-2.0
// DS digests of DNSKEYs (RFC 4034 §5.1.4, RFC 4509, RFC 6605) and matching a DS to a DNSKEY.

internal import CDNSOpenSSL

/// The digest a DS record holds for a DNSKEY, and whether a DS designates a DNSKEY.
///
/// ```swift
/// let digest = try DSDigest.digest(of: key, owner: zone, type: .sha256)
/// DSDigest.matches(ds: ds, dnskey: key, owner: zone)   // true when `ds` designates `key`
/// ```
public enum DSDigest {
    /// The digest of `key` owned by `owner` (RFC 4034 §5.1.4): the hash of the owner name in
    /// canonical (lower-case, uncompressed) wire form followed by the DNSKEY RDATA.
    ///
    /// - Parameters:
    ///   - key: the DNSKEY.
    ///   - owner: the DNSKEY's owner name (the zone apex); its case does not matter.
    ///   - type: the hash function.
    /// - Returns: ``DigestType/digestLength`` octets.
    /// - Throws: ``DNSSECError/unsupportedDigestType(_:)`` for a type not computed here;
    ///   ``DNSSECError/cryptoFailure`` when OpenSSL fails.
    public static func digest(of key: RecordData.DNSKEY, owner: DomainName, type: DigestType) throws(DNSSECError) -> [UInt8] {
        let function: OpaquePointer?
        switch type {
        case .sha1: function = EVP_sha1()
        case .sha256: function = EVP_sha256()
        case .sha384: function = EVP_sha384()
        default: throw .unsupportedDigestType(type)
        }
        guard let function, let length = type.digestLength,
            let digest = messageDigest(owner.canonical.wire + key.rdata, with: function, length: length)
        else { throw .cryptoFailure }
        return digest
    }

    /// Whether `ds` designates `dnskey` owned by `owner` (RFC 4035 §5.2): the key tags and
    /// algorithms are equal, the key is a zone key with protocol 3, and the digest, of a
    /// supported type, is the key's. False for digest types not computed here.
    ///
    /// - Parameters:
    ///   - ds: the DS record data, from the parent zone.
    ///   - dnskey: a DNSKEY from the child zone's apex.
    ///   - owner: the owner name the DS and the DNSKEY share (the child zone).
    public static func matches(ds: RecordData.DS, dnskey: RecordData.DNSKEY, owner: DomainName) -> Bool {
        guard ds.algorithm == dnskey.algorithm, ds.keyTag == dnskey.keyTag, dnskey.isZoneKey, dnskey.protocol == 3 else {
            return false
        }
        guard let digest = try? digest(of: dnskey, owner: owner, type: DigestType(ds.digestType)) else { return false }
        return digest == ds.digest
    }
}

extension RecordData.DNSKEY {
    /// A DS record designating this key at `owner` (RFC 4034 §5.1).
    ///
    /// - Parameters:
    ///   - owner: the key's owner name (the zone apex).
    ///   - digestType: the hash function.
    /// - Throws: the errors of ``DSDigest/digest(of:owner:type:)``.
    public func ds(owner: DomainName, digestType: DigestType) throws(DNSSECError) -> RecordData.DS {
        var ds = RecordData.DS()
        ds.keyTag = keyTag
        ds.algorithm = algorithm
        ds.digestType = digestType.number
        ds.digest = try DSDigest.digest(of: self, owner: owner, type: digestType)
        return ds
    }
}
