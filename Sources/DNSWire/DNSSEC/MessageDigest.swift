// SPDX-License-Identifier: Apache-2.0
// One OpenSSL message digest, for DS digests and NSEC3 hashes.

internal import CDNSOpenSSL

/// The digest of `data` with the OpenSSL hash `function`, exactly `length` octets; nil when
/// OpenSSL fails or gives another length (its error queue is cleared).
func messageDigest(_ data: [UInt8], with function: OpaquePointer, length: Int) -> [UInt8]? {
    var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var written: UInt32 = 0
    let done = data.withUnsafeBytes { input in
        output.withUnsafeMutableBufferPointer { out in EVP_Digest(input.baseAddress, input.count, out.baseAddress, &written, function, nil) }
    }
    guard done == 1, Int(written) == length else {
        ERR_clear_error()
        return nil
    }
    return Array(output[..<length])
}
