// SPDX-License-Identifier: Apache-2.0
// Character-strings (RFC 1035 §3.3) and opaque data.

/// Appends `octets` as a quoted presentation string the way BIND prints it:
/// `"` and `\` backslashed, octets outside 0x20–0x7E as `\DDD`.
func appendQuoted<C: Collection<UInt8>>(_ octets: C, to text: inout [UInt8]) {
    text.append(UInt8(ascii: "\""))
    for octet in octets {
        switch octet {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            text.append(UInt8(ascii: "\\"))
            text.append(octet)
        case 0x20...0x7E:
            text.append(octet)
        default:
            DomainName.appendDecimalEscape(octet, to: &text)
        }
    }
    text.append(UInt8(ascii: "\""))
}

/// One character-string: with a length octet (HINFO, NAPTR, CAA tag) or filling the rest of
/// the RDATA (CAA value, URI target). Printed quoted unless `quoted` is false (CAA tag).
public struct CharacterStringCodec: FieldCodec {
    let prefixed: Bool
    let quoted: Bool
    /// Only 1–255 ASCII letters and digits are allowed (the CAA tag, RFC 8659 §4.1).
    let alphanumeric: Bool

    public init(prefixed: Bool = true, quoted: Bool = true, alphanumeric: Bool = false) {
        self.prefixed = prefixed
        self.quoted = quoted
        self.alphanumeric = alphanumeric
    }

    private func isAllowed(_ value: [UInt8]) -> Bool {
        !alphanumeric || !value.isEmpty && value.allSatisfy { ($0 | 0x20) &- 0x61 < 26 || $0 &- 0x30 < 10 }
    }

    public func read(_ reader: inout WireReader) throws -> [UInt8] {
        let value = prefixed ? try reader.readBytes(Int(try reader.readUInt8())) : reader.readRemainder()
        guard isAllowed(value) else { throw WireFormatError(.invalidField, offset: reader.position, detail: "tag must be letters and digits") }
        return value
    }

    public func write(_ value: [UInt8], to writer: inout WireWriter) throws {
        if prefixed {
            guard value.count <= 255 else { throw WireFormatError(.tooLong, detail: "character-string over 255 octets") }
            writer.writeUInt8(UInt8(value.count))
        }
        writer.writeBytes(value)
    }

    public func text(_ value: [UInt8]) -> String {
        var text: [UInt8] = []
        if quoted {
            appendQuoted(value, to: &text)
        } else {
            for octet in value { DomainName.appendEscaped(octet, to: &text) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    public func fieldValue(_ value: [UInt8]) -> String { String(decoding: value, as: UTF8.self) }
    public func fieldBytes(_ value: [UInt8]) -> [UInt8] { value }
    public var bytesAreText: Bool { true }

    public func parse(_ scanner: inout TextScanner) throws -> [UInt8] {
        let value = try scanner.next(for: "character-string").decoded()
        guard value.count <= 255 || !prefixed else { throw TextFormatError(.tooLong, "character-string over 255 octets") }
        guard isAllowed(value) else { throw TextFormatError(.badValue, "tag must be letters and digits") }
        return value
    }
}

/// An optional trailing character-string (ISDN subaddress): absent when the RDATA ends first.
public struct OptionalCharacterStringCodec: FieldCodec {
    private let string = CharacterStringCodec()

    public func read(_ reader: inout WireReader) throws -> [UInt8]? {
        reader.remaining > 0 ? try string.read(&reader) : nil
    }
    public func write(_ value: [UInt8]?, to writer: inout WireWriter) throws {
        if let value { try string.write(value, to: &writer) }
    }
    public func text(_ value: [UInt8]?) -> String { value.map(string.text) ?? "" }
    public func fieldValue(_ value: [UInt8]?) -> String { value.map(string.fieldValue) ?? "" }
    public func fieldBytes(_ value: [UInt8]?) -> [UInt8] { value ?? [] }
    public func parse(_ scanner: inout TextScanner) throws -> [UInt8]? {
        scanner.isAtEnd() ? nil : try string.parse(&scanner)
    }
    public func isPresent(_ value: [UInt8]?) -> Bool { value != nil }
    public var bytesAreText: Bool { true }
}

/// One or more character-strings filling the RDATA (TXT, SPF). The field value joins them.
public struct CharacterStringsCodec: FieldCodec {
    private let string = CharacterStringCodec()

    public func read(_ reader: inout WireReader) throws -> [[UInt8]] {
        var strings: [[UInt8]] = []
        repeat { strings.append(try string.read(&reader)) } while reader.remaining > 0
        return strings
    }
    public func write(_ value: [[UInt8]], to writer: inout WireWriter) throws {
        for item in value { try string.write(item, to: &writer) }
    }
    public func text(_ value: [[UInt8]]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(value.reduce(0) { $0 + $1.count + 3 })
        for (index, item) in value.enumerated() {
            if index > 0 { text.append(UInt8(ascii: " ")) }
            appendQuoted(item, to: &text)
        }
        return String(decoding: text, as: UTF8.self)
    }
    public func fieldValue(_ value: [[UInt8]]) -> String { String(decoding: fieldBytes(value), as: UTF8.self) }
    public func fieldBytes(_ value: [[UInt8]]) -> [UInt8] { Array(value.joined()) }
    public var bytesAreText: Bool { true }
    public func parse(_ scanner: inout TextScanner) throws -> [[UInt8]] {
        var strings = [try string.parse(&scanner)]
        while !scanner.isAtEnd() { strings.append(try string.parse(&scanner)) }
        return strings
    }
}

/// Opaque RDATA (NULL, OPT, unknown types), printed in the RFC 3597 generic form `\# 4 C0000201`.
public struct OpaqueCodec: FieldCodec {
    public func read(_ reader: inout WireReader) throws -> [UInt8] { reader.readRemainder() }
    public func write(_ value: [UInt8], to writer: inout WireWriter) { writer.writeBytes(value) }
    public func text(_ value: [UInt8]) -> String {
        value.isEmpty ? "\\# 0" : "\\# \(value.count) \(BaseEncoding.hex.encode(value))"
    }
    public func fieldValue(_ value: [UInt8]) -> String { BaseEncoding.hex.encode(value) }
    public func fieldBytes(_ value: [UInt8]) -> [UInt8] { value }
    public func parse(_ scanner: inout TextScanner) throws -> [UInt8] {
        guard try scanner.next(for: "\\#").text == "\\#" else {
            throw TextFormatError(.badValue, "opaque data needs the generic form \\# LENGTH HEX")
        }
        return try GenericRData.parseBody(&scanner)
    }
}

/// The RFC 3597 §5 generic RDATA form, `\# LENGTH HEX…`, accepted for every type.
enum GenericRData {
    /// Reads `LENGTH HEX…` after the `\#` token.
    static func parseBody(_ scanner: inout TextScanner) throws -> [UInt8] {
        let lengthText = try scanner.next(for: "RDATA length").text
        guard let length = Int(lengthText), length <= 0xFFFF else {
            throw TextFormatError(.badValue, "bad generic RDATA length \(lengthText)")
        }
        let hex = try scanner.rest().map(\.text).joined()
        guard let bytes = BaseEncoding.hex.decode(hex), bytes.count == length else {
            throw TextFormatError(.badValue, "generic RDATA is not \(length) octets of hex")
        }
        return bytes
    }
}
