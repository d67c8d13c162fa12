// SPDX-License-Identifier: Apache-2.0
// Canonical DNS name order (RFC 4034 §6.1) and the name arithmetic denial proofs need.

extension DomainName {
    /// Compares two names in DNSSEC canonical order (RFC 4034 §6.1): label by label from the
    /// rightmost, each label as a string of octets with ASCII letters lower-cased, a label that
    /// is a prefix of another sorting first, and a name that is a suffix of another (an ancestor)
    /// sorting first.
    ///
    /// - Returns: a negative number when `self` sorts before `other`, zero when the names are
    ///   equal ignoring case, a positive number when `self` sorts after `other`.
    public func canonicalCompare(_ other: DomainName) -> Int {
        let left = labelOffsets
        let right = other.labelOffsets
        var i = left.count - 1
        var j = right.count - 1
        while i >= 0, j >= 0 {
            let order = Self.compareLabels(wire, at: left[i], other.wire, at: right[j])
            if order != 0 { return order }
            i -= 1
            j -= 1
        }
        return left.count - right.count
    }

    /// The offsets in ``wire`` of the length octets of the labels, from the leftmost, without the root.
    private var labelOffsets: [Int] {
        var offsets: [Int] = []
        var index = 0
        while wire[index] != 0 {
            offsets.append(index)
            index += Int(wire[index]) + 1
        }
        return offsets
    }

    private static func compareLabels(_ a: [UInt8], at i: Int, _ b: [UInt8], at j: Int) -> Int {
        let lengthA = Int(a[i])
        let lengthB = Int(b[j])
        for k in 0..<min(lengthA, lengthB) {
            let x = a[i + 1 + k] &- 0x41 < 26 ? a[i + 1 + k] | 0x20 : a[i + 1 + k]
            let y = b[j + 1 + k] &- 0x41 < 26 ? b[j + 1 + k] | 0x20 : b[j + 1 + k]
            if x != y { return Int(x) - Int(y) }
        }
        return lengthA - lengthB
    }

    /// The nearest name that both `self` and `other` are at or below (the root at worst),
    /// comparing labels without regard to ASCII case.
    public func commonAncestor(with other: DomainName) -> DomainName {
        var a = self
        var b = other
        while a.wire.count > b.wire.count { a = a.parent }
        while b.wire.count > a.wire.count { b = b.parent }
        while a != b {
            a = a.parent
            b = b.parent
        }
        return a
    }

    /// The name with its rightmost `count` labels (all of them when `count` is at least
    /// ``labelCount``).
    public func suffix(labels count: Int) -> DomainName {
        var name = self
        var excess = labelCount - max(count, 0)
        while excess > 0 {
            name = name.parent
            excess -= 1
        }
        return name
    }

    /// The wildcard name at this name, `*.<self>` (RFC 4592), or nil when it would exceed 255 octets.
    public var wildcard: DomainName? {
        guard wire.count + 2 <= Self.maxWireLength else { return nil }
        return DomainName(uncheckedWire: [1, UInt8(ascii: "*")] + wire)
    }
}
