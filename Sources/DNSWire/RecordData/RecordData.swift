// SPDX-License-Identifier: Apache-2.0
// The RDATA of one record: its type code and a typed payload.

/// The RDATA of a resource record: its ``type`` and a typed payload described by the
/// type's ``RecordSchema``. Unknown types hold their octets as ``Unknown`` (RFC 3597).
///
/// ```swift
/// let data = try RecordData(type: .mx, presentation: "10 mail.example.org.")
/// data.as(RecordData.MX.self)?.exchange     // mail.example.org.
/// data.fields.map(\.name)                   // ["PREFERENCE", "EXCHANGE"]
/// data.description                          // "10 mail.example.org."
/// ```
public struct RecordData: Hashable, Sendable, CustomStringConvertible {
    /// One field as the component shows it: name, text value and octets.
    public struct Field: Hashable, Sendable {
        public let name: String
        public let value: String
        public let bytes: [UInt8]
        /// Whether ``bytes`` are the field's text (character-strings), so they may be decoded
        /// with another character set; otherwise ``value`` is the text.
        public let bytesAreText: Bool
    }

    public let type: RecordType
    /// The typed payload; use ``as(_:)`` to get it as its concrete type.
    public let value: any RecordDataType

    private var schema: any AnyRecordSchema { RecordCatalog.schema(for: type) }

    /// Wraps a typed payload.
    ///
    /// - Throws: ``WireFormatError/Code/invalidField`` when `value` is not the payload type
    ///   the catalog lists for `type` (``Opaque`` for types without their own).
    public init(type: RecordType, _ value: some RecordDataType) throws(WireFormatError) {
        guard RecordCatalog.schema(for: type).accepts(value) else {
            throw WireFormatError(.invalidField, detail: "\(Swift.type(of: value)) is not the payload of \(type)")
        }
        self.type = type
        self.value = value
    }

    /// Reads RDATA of `type` from a reader confined to exactly its octets.
    init(type: RecordType, reader: inout WireReader) throws {
        self.type = type
        value = try RecordCatalog.schema(for: type).readAny(&reader)
    }

    /// Reads RDATA of `type` from its own octets (no compression pointers can resolve).
    public init(type: RecordType, wire: [UInt8]) throws {
        self.type = type
        value = try Self.readValue(type: type, wire: wire)
    }

    private static func readValue(type: RecordType, wire: [UInt8]) throws -> any RecordDataType {
        var reader = WireReader(wire)
        let value = try RecordCatalog.schema(for: type).readAny(&reader)
        guard reader.remaining == 0 else { throw WireFormatError(.trailingData, offset: reader.position) }
        return value
    }

    /// Parses presentation text, or the RFC 3597 generic form `\# LENGTH HEX` for any type.
    ///
    /// - Throws: ``TextFormatError`` for bad text; ``WireFormatError`` when generic data does not parse.
    public init(type: RecordType, presentation text: String) throws {
        var scanner = TextScanner(text)
        var probe = scanner
        self.type = type
        if let first = try probe.next(), !first.quoted, first.text == "\\#" {
            value = try Self.readValue(type: type, wire: try GenericRData.parseBody(&probe))
            return
        }
        value = try RecordCatalog.schema(for: type).parseAny(&scanner)
        guard scanner.isAtEnd() else { throw TextFormatError(.extraValue, "unexpected text after \(type) RDATA") }
    }

    /// The payload as `T`, or nil if it is another type.
    public func `as`<T: RecordDataType>(_: T.Type) -> T? { value as? T }

    /// The fields present, in wire order.
    public var fields: [Field] { schema.fieldsAny(value) }

    /// The presentation text, as `dig +short +nosplit` prints it.
    public var description: String { schema.textAny(value) }

    /// The uncompressed wire form.
    public func serialize() throws -> [UInt8] {
        var writer = WireWriter(compression: false)
        try write(to: &writer)
        return writer.bytes
    }

    /// Writes the RDATA (without RDLENGTH).
    public func write(to writer: inout WireWriter) throws { try schema.writeAny(value, to: &writer) }

    public static func == (lhs: RecordData, rhs: RecordData) -> Bool {
        lhs.type == rhs.type && lhs.value.isEqual(to: rhs.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(value)
    }
}

extension RecordDataType {
    func isEqual(to other: any RecordDataType) -> Bool { (other as? Self) == self }
}
