// SPDX-License-Identifier: Apache-2.0
// A domain name as a sequence of labels of octets.

/// A domain name: a sequence of labels, each up to 63 octets, at most 255 octets in wire form.
///
/// Labels are octets, not characters. Equality and hashing ignore ASCII case only
/// (RFC 4343); ``canonical`` gives the lower-cased form used by DNSSEC (RFC 4034 §6.2).
/// Names are always absolute: ``description`` ends with a dot.
///
/// ```swift
/// let name = try DomainName("www.Example.org")
/// name == (try DomainName("WWW.example.org."))   // true
/// name.description                                 // "www.Example.org."
/// ```
public struct DomainName: Hashable, Sendable, Comparable {
    /// The uncompressed wire form: length-prefixed labels ending with the zero-length root label.
    public let wire: [UInt8]

    /// The root name, `.`.
    public static let root = DomainName(uncheckedWire: [0])

    /// The longest name, in wire octets.
    public static let maxWireLength = 255
    /// The longest label, in octets.
    public static let maxLabelLength = 63

    init(uncheckedWire: [UInt8]) { wire = uncheckedWire }

    /// Builds a name from its labels (without the root label).
    ///
    /// - Throws: ``WireFormatError`` `.labelTooLong`, `.nameTooLong`, or `.invalidField` for an empty label.
    public init<S: Sequence>(labels: S) throws where S.Element: Collection<UInt8> {
        var wire: [UInt8] = []
        for label in labels {
            guard !label.isEmpty else { throw WireFormatError(.invalidField, detail: "empty label") }
            guard label.count <= Self.maxLabelLength else { throw WireFormatError(.labelTooLong) }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
        }
        wire.append(0)
        guard wire.count <= Self.maxWireLength else { throw WireFormatError(.nameTooLong) }
        self.wire = wire
    }

    /// The labels from the leftmost, without the root label.
    public var labels: [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var index = 0
        while wire[index] != 0 {
            let length = Int(wire[index])
            result.append(wire[index + 1...index + length])
            index += length + 1
        }
        return result
    }

    /// The number of labels, not counting the root.
    public var labelCount: Int {
        var count = 0
        var index = 0
        while wire[index] != 0 {
            count += 1
            index += Int(wire[index]) + 1
        }
        return count
    }

    public var isRoot: Bool { wire.count == 1 }

    /// The name with ASCII letters lower-cased (RFC 4034 §6.2 canonical form).
    public var canonical: DomainName { DomainName(uncheckedWire: Self.lowercased(wire[...])) }

    /// The name without its leftmost label; the root's parent is the root.
    public var parent: DomainName {
        isRoot ? self : DomainName(uncheckedWire: Array(wire[(Int(wire[0]) + 1)...]))
    }

    /// Whether `self` equals `other` or lies below it.
    public func isSubdomain(of other: DomainName) -> Bool {
        guard wire.count >= other.wire.count else { return false }
        var name = self
        while name.wire.count > other.wire.count { name = name.parent }
        return name == other
    }

    static func lowercased(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
    }

    // Length octets are all below 64, so folding the whole wire form only touches letters.
    public static func == (lhs: DomainName, rhs: DomainName) -> Bool {
        guard lhs.wire.count == rhs.wire.count else { return false }
        for (a, b) in zip(lhs.wire, rhs.wire) where a != b {
            guard a | 0x20 == b | 0x20, (a | 0x20) &- 0x61 < 26 else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        for byte in wire { hasher.combine(byte &- 0x41 < 26 ? byte | 0x20 : byte) }
    }

    /// DNSSEC canonical ordering (RFC 4034 §6.1): by labels from the right, lower-cased octets.
    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        let left = lhs.labels.reversed().map { lowercased($0) }
        let right = rhs.labels.reversed().map { lowercased($0) }
        for (a, b) in zip(left, right) where a != b { return a.lexicographicallyPrecedes(b) }
        return left.count < right.count
    }
}
