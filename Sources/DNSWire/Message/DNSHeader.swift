// SPDX-License-Identifier: Apache-2.0
// The fixed 12-octet message header, without its section counts.

/// The single-bit header flags (RFC 1035 §4.1.1, RFC 4035 §3.2).
public struct HeaderFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue & Self.mask }

    /// Bit positions as they sit in the header's second 16-bit word.
    public static let qr = HeaderFlags(rawValue: 0x8000)
    public static let aa = HeaderFlags(rawValue: 0x0400)
    public static let tc = HeaderFlags(rawValue: 0x0200)
    public static let rd = HeaderFlags(rawValue: 0x0100)
    public static let ra = HeaderFlags(rawValue: 0x0080)
    public static let z = HeaderFlags(rawValue: 0x0040)
    public static let ad = HeaderFlags(rawValue: 0x0020)
    public static let cd = HeaderFlags(rawValue: 0x0010)

    static let mask: UInt16 = 0x87F0
    /// dig's lower-case names, in dig's order.
    static let names: [(HeaderFlags, String)] = [(.qr, "qr"), (.aa, "aa"), (.tc, "tc"), (.rd, "rd"), (.ra, "ra"), (.ad, "ad"), (.cd, "cd")]
}

/// The message header: ID, flags, opcode and the low four bits of the response code.
/// Section counts are not stored; they are computed when a message is written.
public struct DNSHeader: Hashable, Sendable {
    public var id: UInt16
    public var flags: HeaderFlags
    public var opcode: Opcode

    public init(id: UInt16 = 0, flags: HeaderFlags = [], opcode: Opcode = .query) {
        self.id = id
        self.flags = flags
        self.opcode = opcode
    }
}
