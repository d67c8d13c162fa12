// SPDX-License-Identifier: Apache-2.0
// Resource record class codes, an open set.

/// A resource record class. Unknown values print as `CLASS300` (RFC 3597 §5).
public struct RecordClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt16) { self.rawValue = value }

    public static let `in`: RecordClass = 1
    public static let chaos: RecordClass = 3
    public static let hesiod: RecordClass = 4
    public static let none: RecordClass = 254
    public static let any: RecordClass = 255

    private static let mnemonics: [RecordClass: String] = [.in: "IN", .chaos: "CH", .hesiod: "HS", .none: "NONE", .any: "ANY"]

    public var description: String { self == .in ? "IN" : Self.mnemonics[self] ?? "CLASS\(rawValue)" }

    /// Parses `IN`, `CH`, `HS`, `NONE`, `ANY` (any case) or `CLASSnnn`.
    public init?(mnemonic text: String) {
        let upper = text.uppercased()
        if let known = Self.mnemonics.first(where: { $0.value == upper })?.key {
            self = known
        } else if upper.hasPrefix("CLASS"), let number = UInt16(upper.dropFirst(5)) {
            self.init(rawValue: number)
        } else {
            return nil
        }
    }
}
