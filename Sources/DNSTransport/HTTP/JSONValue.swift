// SPDX-License-Identifier: Apache-2.0
// A JSON text (RFC 8259) read into values: what the DNS JSON API needs, without Foundation.

/// One JSON value. Objects keep their members in order; a repeated key is kept each time
/// and ``subscript(_:)`` finds the first.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// Nesting deeper than this is refused, so reading is bounded by the input alone.
    static let maximumDepth = 64

    /// Reads the whole of `text` as one value (whitespace around it allowed).
    ///
    /// - Throws: ``JSONError`` naming the offset of the first octet that breaks the grammar,
    ///   for text that is not UTF-8, and for nesting deeper than ``maximumDepth``.
    init(parsing text: [UInt8]) throws(JSONError) {
        var reader = JSONReader(text)
        self = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.atEnd else { throw reader.error("text after the value") }
    }

    /// The member named `key` of an object; nil for a missing key or a value that is not an object.
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    static func == (left: JSONValue, right: JSONValue) -> Bool {
        switch (left, right) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.elementsEqual(b) { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}

/// Why a JSON text could not be read.
struct JSONError: Error, CustomStringConvertible {
    let description: String
}

/// The reader behind ``JSONValue/init(parsing:)``: one pass, every index checked.
private struct JSONReader {
    private let text: [UInt8]
    private var index = 0

    init(_ text: [UInt8]) { self.text = text }

    var atEnd: Bool { index == text.count }

    func error(_ what: String) -> JSONError { JSONError(description: "JSON: \(what) at offset \(index)") }

    mutating func skipWhitespace() {
        while index < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws(JSONError) -> JSONValue {
        guard depth < JSONValue.maximumDepth else { throw error("nesting deeper than \(JSONValue.maximumDepth)") }
        skipWhitespace()
        guard index < text.count else { throw error("end of text where a value belongs") }
        switch text[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return .number(try number())
        }
    }

    private mutating func object(depth: Int) throws(JSONError) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return .object(members) }
        repeat {
            skipWhitespace()
            guard index < text.count, text[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try string()
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { throw error("expected ':'") }
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { throw error("expected ',' or '}'") }
        return .object(members)
    }

    private mutating func array(depth: Int) throws(JSONError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return .array(elements) }
        repeat {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "]")) else { throw error("expected ',' or ']'") }
        return .array(elements)
    }

    /// Consumes `octet` if it comes next.
    private mutating func take(_ octet: UInt8) -> Bool {
        guard index < text.count, text[index] == octet else { return false }
        index += 1
        return true
    }

    /// `word` (true, false or null), read as `value`.
    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard text.count - index >= count,
            word.withUTF8Buffer({ $0.elementsEqual(text[index..<index + count]) })
        else { throw error("unknown literal") }
        index += count
        return value
    }

    /// A number as the grammar allows it (no leading zeros, no '+', no bare '.'), converted
    /// by the standard library.
    private mutating func number() throws(JSONError) -> Double {
        let start = index
        _ = take(UInt8(ascii: "-"))
        guard index < text.count, isDigit(text[index]) else { throw error("expected a value") }
        if text[index] == UInt8(ascii: "0") { index += 1 } else { digits() }
        if take(UInt8(ascii: ".")) {
            guard index < text.count, isDigit(text[index]) else { throw error("expected a digit after '.'") }
            digits()
        }
        if index < text.count, text[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") { index += 1 }
            guard index < text.count, isDigit(text[index]) else { throw error("expected an exponent") }
            digits()
        }
        guard let value = Double(String(decoding: text[start..<index], as: UTF8.self)), value.isFinite else {
            throw error("number out of range")
        }
        return value
    }

    private func isDigit(_ octet: UInt8) -> Bool { (0x30...0x39).contains(octet) }

    private mutating func digits() {
        while index < text.count, isDigit(text[index]) { index += 1 }
    }

    /// A string from its opening quote: escapes decoded (`\uXXXX` surrogate pairs joined),
    /// control characters refused, the octets checked as UTF-8.
    private mutating func string() throws(JSONError) -> String {
        index += 1
        var octets: [UInt8] = []
        while true {
            guard index < text.count else { throw error("unterminated string") }
            let octet = text[index]
            index += 1
            switch octet {
            case UInt8(ascii: "\""):
                guard let string = String(validating: octets, as: UTF8.self) else { throw error("string that is not UTF-8") }
                return string
            case UInt8(ascii: "\\"):
                try escape(into: &octets)
            case 0..<0x20:
                index -= 1
                throw error("control character in a string")
            default:
                octets.append(octet)
            }
        }
    }

    private mutating func escape(into octets: inout [UInt8]) throws(JSONError) {
        guard index < text.count else { throw error("unterminated string") }
        let octet = text[index]
        index += 1
        switch octet {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): octets.append(octet)
        case UInt8(ascii: "b"): octets.append(0x08)
        case UInt8(ascii: "f"): octets.append(0x0C)
        case UInt8(ascii: "n"): octets.append(0x0A)
        case UInt8(ascii: "r"): octets.append(0x0D)
        case UInt8(ascii: "t"): octets.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hexQuad())
            if (0xD800..<0xDC00).contains(scalar) {
                guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")) else { throw error("lone surrogate") }
                let low = UInt32(try hexQuad())
                guard (0xDC00..<0xE000).contains(low) else { throw error("lone surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("lone surrogate") }
            octets.append(contentsOf: String(Character(unicode)).utf8)
        default:
            index -= 1
            throw error("unknown escape")
        }
    }

    private mutating func hexQuad() throws(JSONError) -> UInt16 {
        guard text.count - index >= 4,
            let value = UInt16(String(decoding: text[index..<index + 4], as: UTF8.self), radix: 16),
            text[index..<index + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
        else { throw error("expected four hex digits") }
        index += 4
        return value
    }
}
