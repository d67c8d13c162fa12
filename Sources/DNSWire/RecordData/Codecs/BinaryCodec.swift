// SPDX-License-Identifier: Apache-2.0
// Binary fields printed as hex, base32hex or base64.

/// A binary field: the rest of the RDATA, or preceded by an 8- or 16-bit length.
public struct BinaryCodec: FieldCodec {
    public enum Length: Sendable {
        /// Fills the RDATA (DS digest, DNSKEY key, RRSIG signature).
        case remainder
        /// One length octet (NSEC3 salt and next hashed owner).
        case prefixed8
        /// Two length octets, printed before the data (TSIG MAC and other data).
        case prefixed16
    }

    let encoding: BaseEncoding
    let length: Length
    /// What an empty value prints as (`-` for an NSEC3 salt).
    let empty: String
    /// Whether the RFC forbids an empty value (NSEC3's next hashed owner name).
    let nonEmpty: Bool
    /// Whether a `.prefixed16` value of length 0 still prints the separator before its (empty)
    /// data, as BIND prints TKEY key data (`0  0`); TSIG's prints `0` alone.
    let separatesEmpty: Bool

    public init(
        _ encoding: BaseEncoding, length: Length = .remainder, empty: String = "", nonEmpty: Bool = false, separatesEmpty: Bool = false
    ) {
        self.encoding = encoding
        self.length = length
        self.empty = empty
        self.nonEmpty = nonEmpty
        self.separatesEmpty = separatesEmpty
    }

    public func read(_ reader: inout WireReader) throws -> [UInt8] {
        let value: [UInt8]
        switch length {
        case .remainder: value = reader.readRemainder()
        case .prefixed8: value = try reader.readBytes(Int(try reader.readUInt8()))
        case .prefixed16: value = try reader.readBytes(Int(try reader.readUInt16()))
        }
        guard !(nonEmpty && value.isEmpty) else { throw WireFormatError(.invalidField, offset: reader.position, detail: "empty binary field") }
        return value
    }

    public func write(_ value: [UInt8], to writer: inout WireWriter) throws {
        switch length {
        case .remainder: break
        case .prefixed8:
            guard value.count <= 0xFF else { throw WireFormatError(.tooLong, detail: "field over 255 octets") }
            writer.writeUInt8(UInt8(value.count))
        case .prefixed16:
            guard value.count <= 0xFFFF else { throw WireFormatError(.tooLong, detail: "field over 65535 octets") }
            writer.writeUInt16(UInt16(value.count))
        }
        writer.writeBytes(value)
    }

    public func text(_ value: [UInt8]) -> String {
        guard length == .prefixed16 else { return fieldValue(value) }
        return value.isEmpty ? (separatesEmpty ? "0 " : "0") : "\(value.count) \(encoding.encode(value))"
    }

    public func fieldValue(_ value: [UInt8]) -> String { value.isEmpty ? empty : encoding.encode(value) }

    public func parse(_ scanner: inout TextScanner) throws -> [UInt8] {
        switch length {
        case .prefixed8:
            let token = try scanner.next(for: "binary field").text
            if token == empty && !empty.isEmpty { return [] }
            return try decode(token)
        case .prefixed16:
            let countText = try scanner.next(for: "length").text
            guard let count = Int(countText), count <= 0xFFFF else { throw TextFormatError(.badValue, "bad length \(countText)") }
            let value = count == 0 ? [] : try decode(try scanner.next(for: "binary field").text)
            guard value.count == count else { throw TextFormatError(.badValue, "length \(count) does not match data") }
            return value
        case .remainder:
            let text = try scanner.rest().map(\.text).joined()
            if text == empty && !empty.isEmpty { return [] }
            return try decode(text)
        }
    }

    private func decode(_ text: String) throws -> [UInt8] {
        guard let bytes = encoding.decode(text) else { throw TextFormatError(.badValue, "bad \(encoding) data \(text)") }
        guard !(nonEmpty && bytes.isEmpty) else { throw TextFormatError(.badValue, "empty binary field") }
        let limit = length == .prefixed8 ? 0xFF : 0xFFFF
        guard bytes.count <= limit else { throw TextFormatError(.tooLong, "binary field over \(limit) octets") }
        return bytes
    }
}
