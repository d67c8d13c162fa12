// SPDX-License-Identifier: Apache-2.0
// The one error type for reading DNS presentation (zone file) text.

/// A failure to read DNS presentation text (names, RDATA, type mnemonics).
///
/// Equality and hashing compare only ``code``.
public struct TextFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set: new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// A token that does not fit the field being read.
        public static let badValue = Code("badValue")
        /// A `\` escape that is incomplete or out of range.
        public static let badEscape = Code("badEscape")
        /// The text ended before every field was read.
        public static let missingValue = Code("missingValue")
        /// Tokens left after the last field.
        public static let extraValue = Code("extraValue")
        /// A type mnemonic or number that is not known or valid.
        public static let unknownType = Code("unknownType")
        /// A name or label over the wire-format limits.
        public static let tooLong = Code("tooLong")
        /// An internationalized name that IDNA2008 rejects.
        public static let badIDN = Code("badIDN")
    }

    public var code: Code
    /// What was being read and why it failed.
    public var detail: String?

    public init(_ code: Code, _ detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        detail.map { "TextFormatError.\(code): \($0)" } ?? "TextFormatError.\(code)"
    }
}
