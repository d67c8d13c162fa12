// SPDX-License-Identifier: Apache-2.0
// DS digest types (IANA "Delegation Signer (DS) Resource Record (RR) Type Digest Algorithms").

/// The hash function of a DS record's digest (RFC 4034 §5.1.3, RFC 4509, RFC 6605).
///
/// ``isSupported`` follows RFC 8624 §3.3: SHA-1, SHA-256 and SHA-384 are computed here; GOST
/// and unknown types are not, and DS records using them are ignored.
///
/// ```swift
/// DigestType(2)               // .sha256
/// DigestType(2).digestLength  // 32
/// DigestType(3).isSupported   // false: GOST R 34.11-94
/// ```
public enum DigestType: Hashable, Sendable, CustomStringConvertible {
    /// 1, SHA-1 (RFC 4034).
    case sha1
    /// 2, SHA-256 (RFC 4509).
    case sha256
    /// 3, GOST R 34.11-94 (RFC 5933); not computed here.
    case gostR341194
    /// 4, SHA-384 (RFC 6605).
    case sha384
    /// Any other number.
    case unknown(UInt8)

    /// The digest type numbered `number`; ``unknown(_:)`` for numbers without a case of their own.
    public init(_ number: UInt8) {
        switch number {
        case 1: self = .sha1
        case 2: self = .sha256
        case 3: self = .gostR341194
        case 4: self = .sha384
        default: self = .unknown(number)
        }
    }

    /// The number carried in DS records.
    public var number: UInt8 {
        switch self {
        case .sha1: 1
        case .sha256: 2
        case .gostR341194: 3
        case .sha384: 4
        case .unknown(let number): number
        }
    }

    /// Whether digests of this type are computed here: SHA-1, SHA-256 and SHA-384.
    public var isSupported: Bool { digestLength != nil }

    /// The digest length in octets, or nil for types not computed here.
    public var digestLength: Int? {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        default: nil
        }
    }

    /// The IANA mnemonic (`SHA-256`), or the number for unknown types.
    public var description: String {
        switch self {
        case .sha1: "SHA-1"
        case .sha256: "SHA-256"
        case .gostR341194: "GOST R 34.11-94"
        case .sha384: "SHA-384"
        case .unknown(let number): String(number)
        }
    }

    /// Digest types compare by number, so `.unknown(2)` equals ``sha256``.
    public static func == (lhs: DigestType, rhs: DigestType) -> Bool { lhs.number == rhs.number }

    /// Hashes the number, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(number) }
}
