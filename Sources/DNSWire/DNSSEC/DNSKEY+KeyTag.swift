// SPDX-License-Identifier: Apache-2.0
// A DNSKEY's key tag (RFC 4034 Appendix B), its flags, and its RDATA octets.

extension RecordData.DNSKEY {
    /// The Zone Key flag, bit 7 (RFC 4034 §2.1.1).
    public static let zoneKeyFlag: UInt16 = 0x0100
    /// The REVOKE flag, bit 8 (RFC 5011 §3).
    public static let revokeFlag: UInt16 = 0x0080
    /// The Secure Entry Point flag, bit 15 (RFC 4034 §2.1.1; a hint, not checked when validating).
    public static let secureEntryPointFlag: UInt16 = 0x0001

    /// Whether the Zone Key flag is set: only zone keys verify RRSIGs and match DS records.
    public var isZoneKey: Bool { flags & Self.zoneKeyFlag != 0 }
    /// Whether the REVOKE flag is set: a revoked key is not used for validation (RFC 5011 §2.1).
    public var isRevoked: Bool { flags & Self.revokeFlag != 0 }
    /// Whether the Secure Entry Point flag is set (conventionally a key-signing key).
    public var isSecureEntryPoint: Bool { flags & Self.secureEntryPointFlag != 0 }

    /// The key's algorithm.
    public var signingAlgorithm: DNSSECAlgorithm { DNSSECAlgorithm(algorithm) }

    /// The RDATA in wire form: flags, protocol, algorithm, public key (RFC 4034 §2.1).
    public var rdata: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + publicKey.count)
        bytes.append(UInt8(flags >> 8))
        bytes.append(UInt8(flags & 0xFF))
        bytes.append(self.protocol)
        bytes.append(algorithm)
        bytes.append(contentsOf: publicKey)
        return bytes
    }

    /// The key tag (RFC 4034 Appendix B): the ones-complement-style sum of the RDATA as 16-bit
    /// words. For algorithm 1 (RSA/MD5) it is instead the most significant 16 of the least
    /// significant 24 bits of the modulus (Appendix B.1), 0 for a key shorter than 3 octets.
    /// Key tags are not unique: several keys may share one.
    public var keyTag: UInt16 {
        if algorithm == 1 {
            guard publicKey.count >= 3 else { return 0 }
            return UInt16(publicKey[publicKey.count - 3]) << 8 | UInt16(publicKey[publicKey.count - 2])
        }
        var sum = UInt64(flags) + (UInt64(self.protocol) << 8) + UInt64(algorithm)
        for (index, byte) in publicKey.enumerated() {
            sum += index & 1 == 0 ? UInt64(byte) << 8 : UInt64(byte)
        }
        sum += (sum >> 16) & 0xFFFF
        return UInt16(truncatingIfNeeded: sum)
    }
}
