// SPDX-License-Identifier: Apache-2.0
// One DNSSEC signature checked by one OpenSSL call: RSA (RFC 3110, 5702), ECDSA (RFC 6605), EdDSA (RFC 8080).

internal import CDNSOpenSSL

/// Checks a signature over data with a DNSKEY's public key, in the key and signature formats
/// of its algorithm, with OpenSSL's EVP interface: one `EVP_DigestVerify` per call, no caching.
enum SignatureCheck {
    enum Outcome: Equatable {
        case valid
        case invalid(DNSSECError)
        case unsupported
    }

    /// RFC 3110 §2 limits the modulus and the exponent to 4096 bits each.
    static let maxRSAOctets = 512

    static func verify(_ algorithm: DNSSECAlgorithm, publicKey: [UInt8], signature: [UInt8], data: [UInt8]) -> Outcome {
        let key: KeyForm
        switch algorithm {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512:
            guard let spki = rsaSubjectPublicKeyInfo(publicKey) else { return .invalid(.malformedKey) }
            guard !signature.isEmpty, signature.count <= maxRSAOctets else { return .invalid(.malformedSignature) }
            key = .subjectPublicKeyInfo(spki)
        case .ecdsaP256SHA256, .ecdsaP384SHA384:
            let size = algorithm == .ecdsaP256SHA256 ? 32 : 48
            guard publicKey.count == 2 * size else { return .invalid(.malformedKey) }
            guard signature.count == 2 * size else { return .invalid(.malformedSignature) }
            key = .subjectPublicKeyInfo(ecSubjectPublicKeyInfo(publicKey, curve: algorithm == .ecdsaP256SHA256 ? DER.p256 : DER.p384))
        case .ed25519, .ed448:
            let (keySize, signatureSize) = algorithm == .ed25519 ? (32, 64) : (57, 114)
            guard publicKey.count == keySize else { return .invalid(.malformedKey) }
            guard signature.count == signatureSize else { return .invalid(.malformedSignature) }
            key = .raw(algorithm == .ed25519 ? EVP_PKEY_ED25519 : EVP_PKEY_ED448, publicKey)
        default:
            return .unsupported
        }
        let encodedSignature: [UInt8]
        switch algorithm {
        case .ecdsaP256SHA256, .ecdsaP384SHA384:
            // RFC 6605 §4: r and s, each as long as the curve's order; OpenSSL wants DER.
            let half = signature.count / 2
            encodedSignature = DER.sequence(DER.integer(signature[..<half]) + DER.integer(signature[half...]))
        default:
            encodedSignature = signature
        }
        defer { ERR_clear_error() }
        guard let pkey = key.makeKey() else { return .invalid(.malformedKey) }
        defer { EVP_PKEY_free(pkey) }
        guard let context = EVP_MD_CTX_new() else { return .invalid(.cryptoFailure) }
        defer { EVP_MD_CTX_free(context) }
        // Ed25519 and Ed448 hash internally (PureEdDSA): no digest.
        let digest: OpaquePointer? =
            switch algorithm {
            case .rsaSHA1, .rsaSHA1NSEC3SHA1: EVP_sha1()
            case .rsaSHA256, .ecdsaP256SHA256: EVP_sha256()
            case .ecdsaP384SHA384: EVP_sha384()
            case .rsaSHA512: EVP_sha512()
            default: nil
            }
        // Fails when the configuration refuses the algorithm (a crypto policy without SHA-1 signatures).
        guard EVP_DigestVerifyInit(context, nil, digest, nil, pkey) == 1 else { return .invalid(.cryptoFailure) }
        let result = encodedSignature.withUnsafeBufferPointer { signatureBytes in
            data.withUnsafeBufferPointer { dataBytes in
                EVP_DigestVerify(context, signatureBytes.baseAddress, signatureBytes.count, dataBytes.baseAddress, dataBytes.count)
            }
        }
        return result == 1 ? .valid : .invalid(.signatureMismatch)
    }

    /// A public key as OpenSSL takes it in.
    private enum KeyForm {
        /// DER SubjectPublicKeyInfo (RFC 5280 §4.1), for `d2i_PUBKEY`.
        case subjectPublicKeyInfo([UInt8])
        /// A raw EdDSA key (RFC 8032) and its OpenSSL key type, for `EVP_PKEY_new_raw_public_key`.
        case raw(Int32, [UInt8])

        func makeKey() -> OpaquePointer? {
            switch self {
            case .subjectPublicKeyInfo(let der):
                return der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
                    var cursor = buffer.baseAddress
                    return d2i_PUBKEY(nil, &cursor, buffer.count)
                }
            case .raw(let type, let bytes):
                return bytes.withUnsafeBufferPointer { buffer in EVP_PKEY_new_raw_public_key(type, nil, buffer.baseAddress, buffer.count) }
            }
        }
    }

    /// An RFC 3110 §2 key (exponent length in 1 octet, or 0 and 2 octets; exponent; modulus) as
    /// SubjectPublicKeyInfo; nil when malformed or over 4096 bits.
    static func rsaSubjectPublicKeyInfo(_ key: [UInt8]) -> [UInt8]? {
        guard let first = key.first else { return nil }
        var index = 1
        var exponentLength = Int(first)
        if exponentLength == 0 {
            guard key.count >= 3 else { return nil }
            exponentLength = Int(key[1]) << 8 | Int(key[2])
            index = 3
        }
        guard exponentLength > 0, exponentLength <= maxRSAOctets, key.count - index > exponentLength else { return nil }
        let exponent = key[index..<index + exponentLength]
        let modulus = key[(index + exponentLength)...]
        guard modulus.count <= maxRSAOctets else { return nil }
        let rsaPublicKey = DER.sequence(DER.integer(modulus) + DER.integer(exponent))
        return DER.sequence(DER.sequence(DER.rsaEncryption + DER.null) + DER.bitString(rsaPublicKey))
    }

    /// An RFC 6605 §4 key (X ‖ Y) as SubjectPublicKeyInfo with an uncompressed point.
    static func ecSubjectPublicKeyInfo(_ key: [UInt8], curve: [UInt8]) -> [UInt8] {
        DER.sequence(DER.sequence(DER.ecPublicKey + curve) + DER.bitString([0x04] + key))
    }
}

/// The few DER (X.690) encodings the key and signature conversions need.
enum DER {
    /// OID 1.2.840.113549.1.1.1, rsaEncryption (RFC 8017).
    static let rsaEncryption: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    /// OID 1.2.840.10045.2.1, id-ecPublicKey (RFC 5480).
    static let ecPublicKey: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    /// OID 1.2.840.10045.3.1.7, secp256r1 (P-256).
    static let p256: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
    /// OID 1.3.132.0.34, secp384r1 (P-384).
    static let p384: [UInt8] = [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22]
    static let null: [UInt8] = [0x05, 0x00]

    /// A tag, its definite length and the content (lengths below 2^16, as every caller's are).
    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        let count = content.count
        var encoded: [UInt8] = [tag]
        if count < 0x80 {
            encoded.append(UInt8(count))
        } else if count <= 0xFF {
            encoded += [0x81, UInt8(count)]
        } else {
            encoded += [0x82, UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)]
        }
        return encoded + content
    }

    static func sequence(_ content: [UInt8]) -> [UInt8] { element(0x30, content) }

    static func bitString(_ content: [UInt8]) -> [UInt8] { element(0x03, [0] + content) }

    /// A non-negative INTEGER from big-endian octets: leading zeros dropped, one added before a set high bit.
    static func integer(_ bigEndian: ArraySlice<UInt8>) -> [UInt8] {
        var octets = Array(bigEndian.drop { $0 == 0 })
        if octets.first.map({ $0 & 0x80 != 0 }) ?? true { octets.insert(0, at: 0) }
        return element(0x02, octets)
    }
}
