// SPDX-License-Identifier: Apache-2.0
// DNS header opcodes.

/// The 4-bit header OPCODE.
public struct Opcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    public static let query = Opcode(rawValue: 0)
    public static let iquery = Opcode(rawValue: 1)
    public static let status = Opcode(rawValue: 2)
    public static let notify = Opcode(rawValue: 4)
    public static let update = Opcode(rawValue: 5)
    public static let dso = Opcode(rawValue: 6)

    private static let names = [0: "QUERY", 1: "IQUERY", 2: "STATUS", 4: "NOTIFY", 5: "UPDATE", 6: "DSO"]
    public var description: String { Self.names[Int(rawValue)] ?? "RESERVED\(rawValue)" }
}
