// SPDX-License-Identifier: Apache-2.0
// Why a DNSSEC computation or check did not succeed.

/// Why a signature did not verify, an RRset could not be put in canonical form, or a DS
/// digest could not be computed.
///
/// The first group are the RFC 4035 §5.3.1 conditions an RRSIG, its RRset and its key must
/// meet before any cryptography; the last group are what the cryptography found.
public enum DNSSECError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The RRset has no records.
    case emptyRRset
    /// The records differ in owner name, class or type, or the RRSIG's owner or class differs from theirs.
    case inconsistentRRset
    /// The RRSIG's Type Covered is not the RRset's type.
    case typeCoveredMismatch
    /// The RRSIG's Labels field exceeds the number of labels in the owner name (RFC 4035 §5.3.1).
    case labelsExceedOwner
    /// The RRset's owner is not at or below the RRSIG's Signer's Name.
    case ownerOutsideSigner
    /// The RRSIG's Signer's Name is not the owner of the DNSKEY.
    case signerMismatch
    /// The RRSIG's Key Tag is not the DNSKEY's key tag.
    case keyTagMismatch
    /// The RRSIG's algorithm is not the DNSKEY's.
    case algorithmMismatch
    /// The DNSKEY's Zone Key flag (bit 7) is clear: it may not verify zone data (RFC 4034 §2.1.1).
    case notZoneKey
    /// The DNSKEY's Protocol field is not 3 (RFC 4034 §2.1.2).
    case badProtocol
    /// The DNSKEY has the REVOKE flag (bit 8, RFC 5011 §3): it may not be used for validation.
    case revokedKey
    /// A record's RDATA could not be written in wire form.
    case unwritableRData
    /// The public key does not have the length or form its algorithm requires, or OpenSSL refused it.
    case malformedKey
    /// The signature does not have the length or form its algorithm requires.
    case malformedSignature
    /// The signature is well formed but does not verify: the data or the signature was altered,
    /// or another key made it.
    case signatureMismatch
    /// The DS digest type is not one computed here (see ``DigestType/isSupported``).
    case unsupportedDigestType(DigestType)
    /// OpenSSL failed where it should not (out of memory, or a provider without the hash function).
    case cryptoFailure

    /// A short English explanation.
    public var description: String {
        switch self {
        case .emptyRRset: "the RRset is empty"
        case .inconsistentRRset: "the records and the RRSIG do not share owner, class and type"
        case .typeCoveredMismatch: "the RRSIG covers another type"
        case .labelsExceedOwner: "the RRSIG's labels count exceeds the owner's labels"
        case .ownerOutsideSigner: "the owner is not within the signer's zone"
        case .signerMismatch: "the signer is not the key's owner"
        case .keyTagMismatch: "the key tag does not match"
        case .algorithmMismatch: "the algorithm does not match"
        case .notZoneKey: "the DNSKEY is not a zone key"
        case .badProtocol: "the DNSKEY's protocol is not 3"
        case .revokedKey: "the DNSKEY is revoked"
        case .unwritableRData: "a record's RDATA cannot be written"
        case .malformedKey: "the public key is malformed"
        case .malformedSignature: "the signature is malformed"
        case .signatureMismatch: "the signature does not verify"
        case .unsupportedDigestType(let type): "DS digest type \(type) is not supported"
        case .cryptoFailure: "OpenSSL failed"
        }
    }
}
