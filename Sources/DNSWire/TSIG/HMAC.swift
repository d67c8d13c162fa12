// SPDX-License-Identifier: Apache-2.0
// HMAC and constant-time comparison for TSIG, from OpenSSL's libcrypto.

import CDNSOpenSSL

extension TSIGAlgorithm {
    /// OpenSSL's message digest for the algorithm's hash function.
    var messageDigest: OpaquePointer? {
        switch self {
        case .hmacMD5: EVP_md5()
        case .hmacSHA1: EVP_sha1()
        case .hmacSHA224: EVP_sha224()
        case .hmacSHA256: EVP_sha256()
        case .hmacSHA384: EVP_sha384()
        case .hmacSHA512: EVP_sha512()
        }
    }
}

/// The two primitives TSIG needs, each one call into libcrypto.
enum MessageAuthentication {
    /// HMAC (RFC 2104) of `data` under `key`: ``TSIGAlgorithm/digestSize`` octets, or nil when
    /// OpenSSL refuses (an algorithm its configuration disables).
    static func hmac(_ algorithm: TSIGAlgorithm, key: [UInt8], data: [UInt8]) -> [UInt8]? {
        guard let digest = algorithm.messageDigest, key.count <= Int(Int32.max) else { return nil }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // A zero-length key still needs a valid pointer: OpenSSL reads no octet of it.
        let padded = key.isEmpty ? [0] : key
        let done = padded.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { dataBytes in
                output.withUnsafeMutableBufferPointer { out in
                    HMAC(digest, keyBytes.baseAddress, Int32(key.count), dataBytes.baseAddress, dataBytes.count, out.baseAddress, &length)
                }
            }
        }
        guard done != nil, Int(length) == algorithm.digestSize else { return nil }
        return Array(output[..<Int(length)])
    }

    /// Whether two octet strings of the same length are equal, in time that depends only on that length.
    static func constantTimeEqual(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0 }
        }
    }
}
