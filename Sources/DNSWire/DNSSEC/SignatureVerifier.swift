// SPDX-License-Identifier: Apache-2.0
// One DNSKEY's public key made ready for OpenSSL once, and the bounded pool that keeps such keys
// between signatures.

internal import CDNSOpenSSL

/// A DNSKEY's public key as an OpenSSL key, with (for RSA and ECDSA) a verification context whose
/// digest is set, so each signature costs one hash and one `EVP_PKEY_verify`, as `openssl speed`
/// measures it. Setting up a context is what costs: OpenSSL 3 looks up the signature and digest
/// implementations on every `EVP_DigestVerifyInit`.
///
/// A verifier is used by one thread at a time: `VerifierPool` hands it out and takes it back.
final class SignatureVerifier: @unchecked Sendable {
    private let key: OpaquePointer
    /// For RSA and ECDSA: a context initialised for verification with `digest`. Nil for EdDSA,
    /// which hashes inside the signature scheme (PureEdDSA, RFC 8032).
    private let context: OpaquePointer?
    private let digest: OpaquePointer?

    /// Takes ownership of `key` (freed with the verifier, or at once when this throws
    /// `cryptoFailure`: OpenSSL cannot set up the verification, as under a crypto policy that
    /// refuses the digest).
    init(key: OpaquePointer, digest: OpaquePointer?) throws(DNSSECError) {
        self.key = key
        self.digest = digest
        guard let digest else {
            context = nil
            return
        }
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            EVP_PKEY_free(key)
            throw .cryptoFailure
        }
        guard EVP_PKEY_verify_init(context) == 1, EVP_PKEY_CTX_set_signature_md(context, digest) == 1 else {
            EVP_PKEY_CTX_free(context)
            EVP_PKEY_free(key)
            throw .cryptoFailure
        }
        self.context = context
    }

    deinit {
        EVP_PKEY_CTX_free(context)
        EVP_PKEY_free(key)
    }

    /// Whether `signature` (in OpenSSL's form: DER for ECDSA) is this key's over `data`.
    func verify(_ signature: [UInt8], over data: [UInt8]) -> SignatureCheck.Outcome {
        defer { ERR_clear_error() }
        guard let context, let digest else { return verifyPure(signature, over: data) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { hash -> SignatureCheck.Outcome in
            var length: UInt32 = 0
            let hashed = data.withUnsafeBufferPointer { EVP_Digest($0.baseAddress, $0.count, hash.baseAddress, &length, digest, nil) }
            guard hashed == 1 else { return .invalid(.cryptoFailure) }
            let result = signature.withUnsafeBufferPointer { EVP_PKEY_verify(context, $0.baseAddress, $0.count, hash.baseAddress, Int(length)) }
            return result == 1 ? .valid : .invalid(.signatureMismatch)
        }
    }

    private func verifyPure(_ signature: [UInt8], over data: [UInt8]) -> SignatureCheck.Outcome {
        guard let context = EVP_MD_CTX_new() else { return .invalid(.cryptoFailure) }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return .invalid(.cryptoFailure) }
        let result = signature.withUnsafeBufferPointer { signatureBytes in
            data.withUnsafeBufferPointer { dataBytes in
                EVP_DigestVerify(context, signatureBytes.baseAddress, signatureBytes.count, dataBytes.baseAddress, dataBytes.count)
            }
        }
        return result == 1 ? .valid : .invalid(.signatureMismatch)
    }
}

/// Verifiers by algorithm and public key, at most `capacity` of them. `checkOut` takes one out
/// (a thread that finds none, or finds it out with another thread, makes its own) and `checkIn`
/// puts it back; when full, an arbitrary one makes room. A key trusted for many answers is thus
/// read once, and a flood of distinct keys (KeyTrap) costs a bounded amount of memory.
final class VerifierPool: Sendable {
    struct Key: Hashable {
        let algorithm: UInt8
        let publicKey: [UInt8]
    }

    static let capacity = 256
    static let shared = VerifierPool()

    private init() {}

    private let verifiers = Locked<[Key: SignatureVerifier]>([:])

    func checkOut(_ key: Key) -> SignatureVerifier? {
        verifiers.withLock { $0.removeValue(forKey: key) }
    }

    func checkIn(_ verifier: SignatureVerifier, as key: Key) {
        verifiers.withLock { verifiers in
            guard verifiers[key] == nil else { return }
            if verifiers.count >= Self.capacity { verifiers.remove(at: verifiers.startIndex) }
            verifiers[key] = verifier
        }
    }

    var count: Int { verifiers.withLock { $0.count } }
}
