// SPDX-License-Identifier: Apache-2.0
// Splits presentation-format RDATA into tokens, as zone files do.

/// Splits presentation text into tokens: white space separates, `"…"` quotes,
/// `\` escapes (kept in the token for the field to decode), `(` `)` are ignored
/// outside quotes (multi-line records) and `;` starts a comment.
public struct TextScanner: Sendable {
    /// One token: its octets with escapes still in, and whether it was quoted.
    public struct Token: Sendable {
        public let raw: ArraySlice<UInt8>
        public let quoted: Bool

        /// The octets with `\X` and `\DDD` escapes decoded.
        public func decoded() throws -> [UInt8] {
            guard raw.contains(UInt8(ascii: "\\")) else { return Array(raw) }
            let text = Array(raw)
            var result: [UInt8] = []
            var index = 0
            while index < text.count {
                if text[index] == UInt8(ascii: "\\") {
                    let (octet, used) = try DomainName.unescape(text, at: index)
                    result.append(octet)
                    index += used
                } else {
                    result.append(text[index])
                    index += 1
                }
            }
            return result
        }

        /// The raw token as a string (escapes not decoded).
        public var text: String { String(decoding: raw, as: UTF8.self) }
    }

    private let text: [UInt8]
    private var index = 0

    public init(_ text: String) { self.text = Array(text.utf8) }

    /// Whether no token is left.
    public mutating func isAtEnd() -> Bool {
        skipSpace()
        return index >= text.count
    }

    /// The next token, or `nil` at the end.
    public mutating func next() throws -> Token? {
        skipSpace()
        guard index < text.count else { return nil }
        if text[index] == UInt8(ascii: "\"") {
            let start = index + 1
            index = start
            while index < text.count, text[index] != UInt8(ascii: "\"") {
                index += text[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < text.count else { throw TextFormatError(.badValue, "unterminated quoted string") }
            defer { index += 1 }
            return Token(raw: text[start..<index], quoted: true)
        }
        let start = index
        while index < text.count, !Self.isDelimiter(text[index]) {
            index += text[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        index = min(index, text.count)
        return Token(raw: text[start..<index], quoted: false)
    }

    /// The next token; throws `.missingValue` naming `field` at the end.
    public mutating func next(for field: String) throws -> Token {
        guard let token = try next() else { throw TextFormatError(.missingValue, "\(field) is missing") }
        return token
    }

    /// Every token left.
    public mutating func rest() throws -> [Token] {
        var tokens: [Token] = []
        while let token = try next() { tokens.append(token) }
        return tokens
    }

    private mutating func skipSpace() {
        while index < text.count {
            switch text[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                UInt8(ascii: "("), UInt8(ascii: ")"):
                index += 1
            case UInt8(ascii: ";"):
                while index < text.count, text[index] != UInt8(ascii: "\n") { index += 1 }
            default:
                return
            }
        }
    }

    private static func isDelimiter(_ octet: UInt8) -> Bool {
        switch octet {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }
}
