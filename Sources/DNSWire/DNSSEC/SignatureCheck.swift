// SPDX-License-Identifier: Apache-2.0
// One DNSSEC signature checked by one OpenSSL call: RSA (RFC 3110, 5702), ECDSA (RFC 6605), EdDSA (RFC 8080).

internal import CDNSOpenSSL

/// Checks a signature over data with a DNSKEY's public key, in the key and signature formats
/// of its algorithm, with OpenSSL's EVP interface. The key is made into a `SignatureVerifier`
/// once and kept in `VerifierPool`; results are never cached.
///
/// Keys are not read with `d2i_PUBKEY`: it goes through OpenSSL 3's decoder framework, which
/// costs more than the verification itself (~110 µs for a P-256 or RSA-1024 key, against ~60 µs
/// for a P-256 verification; Benchmarks/run-dnssec.sh). An ECDSA key is a copy of its curve's
/// parameters (made once) with the point set; an RSA key is read from its PKCS #1 form with
/// `d2i_PublicKey`.
enum SignatureCheck {
    enum Outcome: Equatable {
        case valid
        case invalid(DNSSECError)
        case unsupported
    }

    /// RFC 3110 §2 limits the modulus and the exponent to 4096 bits each.
    static let maxRSAOctets = 512

    static func verify(_ algorithm: DNSSECAlgorithm, publicKey: [UInt8], signature: [UInt8], data: [UInt8]) -> Outcome {
        switch algorithm {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512:
            guard !signature.isEmpty, signature.count <= maxRSAOctets else { return .invalid(.malformedSignature) }
        case .ecdsaP256SHA256, .ecdsaP384SHA384:
            let size = algorithm == .ecdsaP256SHA256 ? 32 : 48
            guard publicKey.count == 2 * size else { return .invalid(.malformedKey) }
            guard signature.count == 2 * size else { return .invalid(.malformedSignature) }
        case .ed25519, .ed448:
            let (keySize, signatureSize) = algorithm == .ed25519 ? (32, 64) : (57, 114)
            guard publicKey.count == keySize else { return .invalid(.malformedKey) }
            guard signature.count == signatureSize else { return .invalid(.malformedSignature) }
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
        let poolKey = VerifierPool.Key(algorithm: algorithm.number, publicKey: publicKey)
        let verifier: SignatureVerifier
        if let pooled = VerifierPool.shared.checkOut(poolKey) {
            verifier = pooled
        } else {
            switch makeVerifier(algorithm, publicKey: publicKey) {
            case .success(let made): verifier = made
            case .failure(let error): return .invalid(error)
            }
        }
        defer { VerifierPool.shared.checkIn(verifier, as: poolKey) }
        return verifier.verify(encodedSignature, over: data)
    }

    /// The key read into OpenSSL with the digest its algorithm signs with (none for EdDSA).
    private static func makeVerifier(_ algorithm: DNSSECAlgorithm, publicKey: [UInt8]) -> Result<SignatureVerifier, DNSSECError> {
        defer { ERR_clear_error() }
        let key: OpaquePointer?
        switch algorithm {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512:
            guard let der = rsaPublicKey(publicKey) else { return .failure(.malformedKey) }
            key = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
                var cursor = buffer.baseAddress
                return d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, buffer.count)
            }
        case .ecdsaP256SHA256, .ecdsaP384SHA384:
            guard let curve = algorithm == .ecdsaP256SHA256 ? Curve.p256 : Curve.p384 else { return .failure(.cryptoFailure) }
            key = ecKey(curve, point: [0x04] + publicKey)
        default:
            let type = algorithm == .ed25519 ? EVP_PKEY_ED25519 : EVP_PKEY_ED448
            key = publicKey.withUnsafeBufferPointer { EVP_PKEY_new_raw_public_key(type, nil, $0.baseAddress, $0.count) }
        }
        guard let key else { return .failure(.malformedKey) }
        let digest: OpaquePointer?
        switch algorithm {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1: digest = Digest.sha1
        case .rsaSHA256, .ecdsaP256SHA256: digest = Digest.sha256
        case .ecdsaP384SHA384: digest = Digest.sha384
        case .rsaSHA512: digest = Digest.sha512
        default: return Result { () throws(DNSSECError) in try SignatureVerifier(key: key, digest: nil) }
        }
        guard let digest else {
            EVP_PKEY_free(key)
            return .failure(.cryptoFailure)
        }
        return Result { () throws(DNSSECError) in try SignatureVerifier(key: key, digest: digest) }
    }

    /// A copy of a parameters-only key with an uncompressed point (SEC 1 §2.3.3) set; OpenSSL
    /// checks the point is on the curve.
    private static func ecKey(_ curve: OpaquePointer, point: [UInt8]) -> OpaquePointer? {
        guard let key = EVP_PKEY_dup(curve) else { return nil }
        guard point.withUnsafeBufferPointer({ EVP_PKEY_set1_encoded_public_key(key, $0.baseAddress, $0.count) }) == 1 else {
            EVP_PKEY_free(key)
            return nil
        }
        return key
    }

    /// The digests RSA and ECDSA sign, fetched once (an implicit fetch on every use costs a
    /// lookup in OpenSSL 3's method store); nil when the configuration has none.
    private enum Digest {
        nonisolated(unsafe) static let sha1 = EVP_MD_fetch(nil, "SHA1", nil)
        nonisolated(unsafe) static let sha256 = EVP_MD_fetch(nil, "SHA256", nil)
        nonisolated(unsafe) static let sha384 = EVP_MD_fetch(nil, "SHA384", nil)
        nonisolated(unsafe) static let sha512 = EVP_MD_fetch(nil, "SHA512", nil)
    }

    /// The parameters-only keys of the ECDSA curves, made once and only copied (never changed;
    /// `EVP_PKEY_dup` only reads its source); nil when OpenSSL cannot make them.
    private enum Curve {
        nonisolated(unsafe) static let p256 = parameters("P-256")
        nonisolated(unsafe) static let p384 = parameters("P-384")

        static func parameters(_ group: String) -> OpaquePointer? {
            guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { return nil }
            defer { EVP_PKEY_CTX_free(context) }
            var key: OpaquePointer?
            guard EVP_PKEY_paramgen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, group) == 1, EVP_PKEY_paramgen(context, &key) == 1
            else { return nil }
            return key
        }
    }

    /// An RFC 3110 §2 key (exponent length in 1 octet, or 0 and 2 octets; exponent; modulus) as
    /// DER RSAPublicKey; nil when malformed or over 4096 bits.
    static func rsaPublicKey(_ key: [UInt8]) -> [UInt8]? {
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
        return DER.sequence(DER.integer(modulus) + DER.integer(exponent))
    }
}

/// The few DER (X.690) encodings the key and signature conversions need.
enum DER {
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

    /// A non-negative INTEGER from big-endian octets: leading zeros dropped, one added before a set high bit.
    static func integer(_ bigEndian: ArraySlice<UInt8>) -> [UInt8] {
        var octets = Array(bigEndian.drop { $0 == 0 })
        if octets.first.map({ $0 & 0x80 != 0 }) ?? true { octets.insert(0, at: 0) }
        return element(0x02, octets)
    }
}
