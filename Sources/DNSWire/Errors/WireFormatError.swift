// SPDX-License-Identifier: Apache-2.0
// The one error type for reading and writing DNS wire format.

/// A failure to read or write DNS wire format.
///
/// Equality and hashing compare only ``code``, so tests can write
/// `#expect(throws: WireFormatError(.badPointer)) { … }`.
public struct WireFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set: new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// The data ended before the structure being read was complete.
        public static let truncated = Code("truncated")
        /// A label length octet used the reserved label types 01 or 10.
        public static let badLabelType = Code("badLabelType")
        /// A compression pointer that does not point strictly backwards.
        public static let badPointer = Code("badPointer")
        /// A domain name longer than 255 octets in wire form.
        public static let nameTooLong = Code("nameTooLong")
        /// A label longer than 63 octets.
        public static let labelTooLong = Code("labelTooLong")
        /// RDATA whose fields did not consume exactly RDLENGTH octets.
        public static let trailingData = Code("trailingData")
        /// Octets left after the last section of a message.
        public static let trailingMessageData = Code("trailingMessageData")
        /// A field value that is not allowed by its RFC (e.g. SVCB keys out of order).
        public static let invalidField = Code("invalidField")
        /// A message, RDATA or character-string larger than its length field can express.
        public static let tooLong = Code("tooLong")
        /// OPT in a section other than additional, or more than one OPT record.
        public static let badOPT = Code("badOPT")
    }

    public var code: Code
    /// Byte offset in the message where the problem was found, when known.
    public var offset: Int?
    /// A human description of the context, e.g. `"SVCB.SVCPARAMS: keys out of order"`.
    public var detail: String?

    public init(_ code: Code, offset: Int? = nil, detail: String? = nil) {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        var text = "WireFormatError.\(code)"
        if let detail { text += ": \(detail)" }
        if let offset { text += " at offset \(offset)" }
        return text
    }
}
