// SPDX-License-Identifier: Apache-2.0
// SOA serial numbers and their RFC 1982 arithmetic.

/// A 32-bit SOA serial number, compared and incremented by RFC 1982 serial number arithmetic.
///
/// Serials wrap around, so 1 follows 4294967295. Two serials exactly 2^31 apart have no
/// defined order; ``Serial`` is therefore not `Comparable`, and ``compare(_:)`` answers nil
/// for such a pair.
///
/// ```swift
/// Serial(1).follows(4_294_967_295)       // true
/// Serial(0).compare(2_147_483_648)       // nil: undefined
/// Serial(5).adding(2_147_483_648)        // nil: over the largest increment
/// ```
public struct Serial: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// How one serial relates to another.
    public enum Order: Hashable, Sendable {
        /// The first serial comes before the second.
        case less
        /// The serials are the same.
        case equal
        /// The first serial comes after the second.
        case greater
    }

    /// The serial as the SOA record carries it.
    public var rawValue: UInt32
    /// The serial `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The serial `value`.
    public init(_ value: UInt32) { rawValue = value }
    /// The serial `value`, from an integer literal.
    public init(integerLiteral value: UInt32) { rawValue = value }

    /// The largest number that may be added to a serial, 2^31 − 1 (RFC 1982 §3.1).
    public static let maxIncrement: UInt32 = 0x7FFF_FFFF

    /// How `self` compares with `other` (RFC 1982 §3.2); nil when they are exactly 2^31 apart,
    /// where the order is undefined.
    public func compare(_ other: Serial) -> Order? {
        let distance = other.rawValue &- rawValue
        switch distance {
        case 0: return .equal
        case 0x8000_0000: return nil
        case ..<0x8000_0000: return .less
        default: return .greater
        }
    }

    /// Whether `self` comes before `other`; false when the order is undefined.
    public func precedes(_ other: Serial) -> Bool { compare(other) == .less }

    /// Whether `self` comes after `other`; false when the order is undefined.
    public func follows(_ other: Serial) -> Bool { compare(other) == .greater }

    /// The serial `increment` later, wrapping around (RFC 1982 §3.1); nil when `increment` is
    /// over ``maxIncrement``, for which the result is undefined.
    public func adding(_ increment: UInt32) -> Serial? {
        increment <= Self.maxIncrement ? Serial(rawValue &+ increment) : nil
    }

    /// The serial as a decimal number.
    public var description: String { String(rawValue) }
}
