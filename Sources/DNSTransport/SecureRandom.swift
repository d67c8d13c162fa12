// SPDX-License-Identifier: Apache-2.0
// Unpredictable numbers for message IDs, drawn from the kernel CSPRNG in batches.

internal import Glibc

/// A cryptographically secure generator that refills a 512-octet buffer with one call to
/// glibc's `arc4random_buf` (getrandom(2) underneath), so a message ID costs no system
/// call of its own.
struct SecureRandom: RandomNumberGenerator {
    private var buffer = [UInt64](repeating: 0, count: 64)
    private var available = 0

    mutating func next() -> UInt64 {
        if available == 0 {
            buffer.withUnsafeMutableBytes { raw in if let base = raw.baseAddress { arc4random_buf(base, raw.count) } }
            available = buffer.count
        }
        available -= 1
        return buffer[available]
    }
}
