// SPDX-License-Identifier: Apache-2.0
// The encoding of one RDATA field: wire, presentation text, and component value.

/// How one kind of RDATA field is read, written, printed and parsed.
///
/// Record types pick codecs for their fields in their ``RecordSchema``; they never
/// implement these steps themselves. The component's field values follow one rule,
/// documented on ``fieldValue(_:)``.
public protocol FieldCodec: Sendable {
    associatedtype Value: Hashable & Sendable

    func read(_ reader: inout WireReader) throws -> Value
    func write(_ value: Value, to writer: inout WireWriter) throws
    /// The field's presentation text, exactly as BIND 9.18's `dig +short +nosplit` prints it.
    func text(_ value: Value) -> String
    /// The field's value as `DNSComponent` shows it. The rule, the same for every type:
    /// - domain names: presentation form without the trailing dot (the root is `.`);
    /// - character-strings: the raw octets as UTF-8 text, unquoted and unescaped
    ///   (TXT and SPF: all strings concatenated);
    /// - opaque data (NULL, OPT, unknown types): upper-case hex;
    /// - everything else: the field's presentation text.
    func fieldValue(_ value: Value) -> String
    /// The field's value as octets: raw octets for strings and opaque data, else UTF-8 of ``fieldValue(_:)``.
    func fieldBytes(_ value: Value) -> [UInt8]
    /// Reads the field from presentation tokens.
    func parse(_ scanner: inout TextScanner) throws -> Value
    /// Whether the field is present (only optional trailing fields can be absent).
    func isPresent(_ value: Value) -> Bool
    /// Whether ``fieldBytes(_:)`` is text in its own right (character-strings), which a
    /// reader may decode with another character set than UTF-8.
    var bytesAreText: Bool { get }
}

extension FieldCodec {
    public func fieldValue(_ value: Value) -> String { text(value) }
    public func fieldBytes(_ value: Value) -> [UInt8] { Array(fieldValue(value).utf8) }
    public func isPresent(_ value: Value) -> Bool { true }
    public var bytesAreText: Bool { false }
}

/// One named field of a record type: a codec bound to a stored property.
public struct RecordField<Record: Sendable>: Sendable {
    /// The field name the component shows (`PREFERENCE`, `EXCHANGE`, …).
    public let name: String
    let read: @Sendable (inout Record, inout WireReader) throws -> Void
    let write: @Sendable (Record, inout WireWriter) throws -> Void
    let text: @Sendable (Record) -> String
    let value: @Sendable (Record) -> String
    let bytes: @Sendable (Record) -> [UInt8]
    let parse: @Sendable (inout Record, inout TextScanner) throws -> Void
    let isPresent: @Sendable (Record) -> Bool
    let bytesAreText: Bool

    public init<Codec: FieldCodec>(
        _ name: String, _ key: any WritableKeyPath<Record, Codec.Value> & Sendable, _ codec: Codec
    ) {
        self.name = name
        read = { record, reader in record[keyPath: key] = try codec.read(&reader) }
        write = { record, writer in try codec.write(record[keyPath: key], to: &writer) }
        text = { record in codec.text(record[keyPath: key]) }
        value = { record in codec.fieldValue(record[keyPath: key]) }
        bytes = { record in codec.fieldBytes(record[keyPath: key]) }
        parse = { record, scanner in record[keyPath: key] = try codec.parse(&scanner) }
        isPresent = { record in codec.isPresent(record[keyPath: key]) }
        bytesAreText = codec.bytesAreText
    }
}

extension RecordField {
    /// A field whose encoding depends on other fields of the record (IPSECKEY's gateway, A6's
    /// suffix), or which shares octets with another field (AMTRELAY's relay type).
    init(
        name: String,
        read: @escaping @Sendable (inout Record, inout WireReader) throws -> Void,
        write: @escaping @Sendable (Record, inout WireWriter) throws -> Void,
        text: @escaping @Sendable (Record) -> String,
        value: @escaping @Sendable (Record) -> String,
        parse: @escaping @Sendable (inout Record, inout TextScanner) throws -> Void,
        isPresent: @escaping @Sendable (Record) -> Bool = { _ in true }
    ) {
        self.name = name
        self.read = read
        self.write = write
        self.text = text
        self.value = value
        bytes = { record in Array(value(record).utf8) }
        self.parse = parse
        self.isPresent = isPresent
        bytesAreText = false
    }
}
