// SPDX-License-Identifier: Apache-2.0
// An IPv6 address value, printed per RFC 5952.

/// An IPv6 address, printed in the RFC 5952 canonical form.
public struct IPv6Address: Hashable, Sendable, CustomStringConvertible {
    /// The address as two big-endian halves, stored inline (no heap allocation).
    private var high: UInt64
    private var low: UInt64

    /// - Precondition: `bytes.count == 16`.
    public init<C: Collection<UInt8>>(bytes: C) {
        precondition(bytes.count == 16, "an IPv6 address has 16 octets")
        var halves = (UInt64(0), UInt64(0))
        for (index, byte) in bytes.enumerated() {
            if index < 8 { halves.0 = halves.0 << 8 | UInt64(byte) } else { halves.1 = halves.1 << 8 | UInt64(byte) }
        }
        (high, low) = halves
    }

    /// `::`, the unspecified address.
    public static let unspecified = IPv6Address(high: 0, low: 0)

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The sixteen octets in network order.
    public var bytes: [UInt8] {
        (0..<16).map { index in UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> (56 - 8 * (index % 8))) }
    }

    /// Parses RFC 4291 text: groups, one `::`, and an optional trailing dotted IPv4 part.
    public init?(_ text: some StringProtocol) {
        let chars = Array(text)
        var halves = [String]()
        var current = ""
        var index = 0
        while index < chars.count {
            if chars[index] == ":", index + 1 < chars.count, chars[index + 1] == ":" {
                halves.append(current)
                current = ""
                index += 2
            } else {
                current.append(chars[index])
                index += 1
            }
        }
        halves.append(current)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = IPv4Address(piece) {
                    result += v4.bytes
                } else {
                    guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16) else { return nil }
                    result += [UInt8(group >> 8), UInt8(group & 0xFF)]
                }
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 {
            guard head.count == 16 else { return nil }
            self.init(bytes: head)
        } else {
            guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
            self.init(bytes: head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail)
        }
    }

    /// RFC 5952: lower-case hex, no leading zeros, the longest run (first if tied) of two or
    /// more zero groups as `::`, and IPv4-mapped addresses with a dotted tail.
    public var description: String {
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: ($0 < 4 ? high : low) >> (48 - 16 * ($0 % 4))) }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "::ffff:" + IPv4Address(rawValue: UInt32(groups[6]) << 16 | UInt32(groups[7])).description
        }
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = max(end, index + 1)
        }
        // At most 39 characters, written into one buffer.
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 39) { text in
            var count = 0
            var group = 0
            while group < 8 {
                if group == bestStart {
                    // The separator before the run was left out: `::` stands for both.
                    text[count] = UInt8(ascii: ":")
                    text[count + 1] = UInt8(ascii: ":")
                    count += 2
                    group += bestLength
                    continue
                }
                let value = groups[group]
                var shift = value > 0xFFF ? 12 : value > 0xFF ? 8 : value > 0xF ? 4 : 0
                while shift >= 0 {
                    text[count] = digits[Int(value >> UInt16(shift)) & 0xF]
                    count += 1
                    shift -= 4
                }
                group += 1
                if group < 8, group != bestStart {
                    text[count] = UInt8(ascii: ":")
                    count += 1
                }
            }
            return count
        }
    }
}
