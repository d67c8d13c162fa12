// SPDX-License-Identifier: Apache-2.0
// DNSSEC signing algorithms (IANA "DNS Security Algorithm Numbers") and which of them this package validates.

/// A DNSSEC signing algorithm, as DNSKEY, RRSIG and DS records number it (RFC 4034 Appendix A.1).
///
/// ``isSupported`` follows RFC 8624 §3.1: the algorithms a validator must or may validate are
/// supported; the deprecated, reserved and unknown ones are not, and signatures made with
/// them are treated as absent.
///
/// ```swift
/// DNSSECAlgorithm(13)               // .ecdsaP256SHA256
/// DNSSECAlgorithm(13).isSupported   // true
/// DNSSECAlgorithm(3).isSupported    // false: DSA
/// DNSSECAlgorithm(200)              // .unknown(200)
/// ```
public enum DNSSECAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// 1, RSA/MD5 (RFC 3110); must not be validated (RFC 8624).
    case rsaMD5
    /// 2, Diffie-Hellman (RFC 2539); not a signing algorithm.
    case diffieHellman
    /// 3, DSA/SHA-1 (RFC 2536); must not be validated (RFC 8624).
    case dsa
    /// 5, RSA/SHA-1 (RFC 3110).
    case rsaSHA1
    /// 6, DSA-NSEC3-SHA1 (RFC 5155); must not be validated (RFC 8624).
    case dsaNSEC3SHA1
    /// 7, RSASHA1-NSEC3-SHA1 (RFC 5155): RSA/SHA-1 in zones that use NSEC3.
    case rsaSHA1NSEC3SHA1
    /// 8, RSA/SHA-256 (RFC 5702).
    case rsaSHA256
    /// 10, RSA/SHA-512 (RFC 5702).
    case rsaSHA512
    /// 12, GOST R 34.10-2001 (RFC 5933); not validated here (RFC 8624: may).
    case eccGOST
    /// 13, ECDSA with curve P-256 and SHA-256 (RFC 6605).
    case ecdsaP256SHA256
    /// 14, ECDSA with curve P-384 and SHA-384 (RFC 6605).
    case ecdsaP384SHA384
    /// 15, Ed25519 (RFC 8080).
    case ed25519
    /// 16, Ed448 (RFC 8080).
    case ed448
    /// Any other number: reserved (0, 4, 9, 11), unassigned, or private (252–255).
    case unknown(UInt8)

    /// The algorithm numbered `number`; ``unknown(_:)`` for numbers without a case of their own.
    public init(_ number: UInt8) {
        switch number {
        case 1: self = .rsaMD5
        case 2: self = .diffieHellman
        case 3: self = .dsa
        case 5: self = .rsaSHA1
        case 6: self = .dsaNSEC3SHA1
        case 7: self = .rsaSHA1NSEC3SHA1
        case 8: self = .rsaSHA256
        case 10: self = .rsaSHA512
        case 12: self = .eccGOST
        case 13: self = .ecdsaP256SHA256
        case 14: self = .ecdsaP384SHA384
        case 15: self = .ed25519
        case 16: self = .ed448
        default: self = .unknown(number)
        }
    }

    /// The algorithm number carried in DNSKEY, RRSIG and DS records.
    public var number: UInt8 {
        switch self {
        case .rsaMD5: 1
        case .diffieHellman: 2
        case .dsa: 3
        case .rsaSHA1: 5
        case .dsaNSEC3SHA1: 6
        case .rsaSHA1NSEC3SHA1: 7
        case .rsaSHA256: 8
        case .rsaSHA512: 10
        case .eccGOST: 12
        case .ecdsaP256SHA256: 13
        case .ecdsaP384SHA384: 14
        case .ed25519: 15
        case .ed448: 16
        case .unknown(let number): number
        }
    }

    /// Whether signatures with this algorithm are verified here: RSASHA1 (5), RSASHA1-NSEC3-SHA1 (7),
    /// RSASHA256 (8), RSASHA512 (10), ECDSAP256SHA256 (13), ECDSAP384SHA384 (14), ED25519 (15) and
    /// ED448 (16), the algorithms RFC 8624 §3.1 lists for validation.
    public var isSupported: Bool {
        switch self {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .ed448: true
        default: false
        }
    }

    /// The IANA mnemonic (`RSASHA256`, `ECDSAP256SHA256`), or the number for unknown algorithms.
    public var description: String {
        switch self {
        case .rsaMD5: "RSAMD5"
        case .diffieHellman: "DH"
        case .dsa: "DSA"
        case .rsaSHA1: "RSASHA1"
        case .dsaNSEC3SHA1: "DSA-NSEC3-SHA1"
        case .rsaSHA1NSEC3SHA1: "RSASHA1-NSEC3-SHA1"
        case .rsaSHA256: "RSASHA256"
        case .rsaSHA512: "RSASHA512"
        case .eccGOST: "ECC-GOST"
        case .ecdsaP256SHA256: "ECDSAP256SHA256"
        case .ecdsaP384SHA384: "ECDSAP384SHA384"
        case .ed25519: "ED25519"
        case .ed448: "ED448"
        case .unknown(let number): String(number)
        }
    }

    /// Algorithms compare by number, so `.unknown(8)` equals ``rsaSHA256``.
    public static func == (lhs: DNSSECAlgorithm, rhs: DNSSECAlgorithm) -> Bool { lhs.number == rhs.number }

    /// Hashes the number, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(number) }
}
