// SPDX-License-Identifier: Apache-2.0
// The one description of a record type: its code and its fields in wire order.

/// The payload of one record type: a value type with a default value that its
/// ``RecordSchema`` fills in field by field.
public protocol RecordDataType: Hashable, Sendable {
    init()
}

/// Everything the package knows about one record type: its code and its fields in wire
/// order. Wire parsing and writing, presentation text in both directions, and the
/// component's field names and values are all driven by this one list.
public final class RecordSchema<Data: RecordDataType>: Sendable {
    public let type: RecordType
    public let fields: [RecordField<Data>]
    private let customText: (@Sendable (Data) -> String)?
    private let customParse: (@Sendable (inout TextScanner) throws -> Data)?
    private let customWrite: (@Sendable (Data, inout WireWriter) throws -> Void)?
    private let generic: (@Sendable (Data) -> [UInt8]?)?
    /// Reads all fields; built once in `init`, where it is specialized for `Data`.
    private let readAll: @Sendable (inout WireReader) throws -> Data

    /// - Parameters:
    ///   - type: the record type this schema describes.
    ///   - fields: the type's fields in wire order (in text order where `read` and `write` are given).
    ///   - text: replaces "field texts joined by spaces" where the RFC orders text differently (LOC, DHCID),
    ///     or prints exactly what the fields would, directly, for the common types.
    ///   - parse: the matching text parser.
    ///   - read: replaces "fields read in turn" where the wire order is not the fields' order (HIP),
    ///     or reads exactly what the fields would, directly, for the common types.
    ///   - write: the matching writer.
    ///   - generic: the RDATA octets of values that have no presentation form of their own, which
    ///     print in the RFC 3597 generic form as BIND prints them (an AMTRELAY relay of an unknown
    ///     type); nil for every other value.
    public init(
        _ type: RecordType, _ fields: [RecordField<Data>],
        text: (@Sendable (Data) -> String)? = nil, parse: (@Sendable (inout TextScanner) throws -> Data)? = nil,
        read: (@Sendable (inout WireReader) throws -> Data)? = nil, write: (@Sendable (Data, inout WireWriter) throws -> Void)? = nil,
        generic: (@Sendable (Data) -> [UInt8]?)? = nil
    ) {
        self.type = type
        self.fields = fields
        customText = text
        customParse = parse
        customWrite = write
        self.generic = generic
        if let read {
            readAll = read
        } else {
            let readers = fields.map(\.read)
            readAll = { reader in
                var data = Data()
                for read in readers { try read(&data, &reader) }
                return data
            }
        }
    }

    func read(_ reader: inout WireReader) throws -> Data { try readAll(&reader) }

    func write(_ data: Data, to writer: inout WireWriter) throws {
        if let customWrite { return try customWrite(data, &writer) }
        for field in fields { try field.write(data, &writer) }
    }

    func text(_ data: Data) -> String {
        if let octets = generic?(data) { return OpaqueCodec().text(octets) }
        if let customText { return customText(data) }
        var text = ""
        for field in fields {
            let value = field.text(data)
            guard !value.isEmpty else { continue }
            if !text.isEmpty { text += " " }
            text += value
        }
        return text
    }

    func parse(_ scanner: inout TextScanner) throws -> Data {
        if let customParse { return try customParse(&scanner) }
        var data = Data()
        for field in fields { try field.parse(&data, &scanner) }
        return data
    }
}

/// The type-erased face of a ``RecordSchema``, for tables keyed by type code. Class-bound,
/// so copying one out of a table is a retain.
protocol AnyRecordSchema: AnyObject, Sendable {
    var type: RecordType { get }
    var fieldNames: [String] { get }
    func readAny(_ reader: inout WireReader) throws -> any RecordDataType
    func writeAny(_ data: any RecordDataType, to writer: inout WireWriter) throws
    func textAny(_ data: any RecordDataType) -> String
    func parseAny(_ scanner: inout TextScanner) throws -> any RecordDataType
    func fieldsAny(_ data: any RecordDataType) -> [RecordData.Field]
    func accepts(_ data: any RecordDataType) -> Bool
}

extension RecordSchema: AnyRecordSchema {
    var fieldNames: [String] { fields.map(\.name) }

    func readAny(_ reader: inout WireReader) throws -> any RecordDataType { try read(&reader) }

    // RecordData checks `accepts` on creation, so the casts below always succeed.
    func writeAny(_ data: any RecordDataType, to writer: inout WireWriter) throws {
        if let data = data as? Data { try write(data, to: &writer) }
    }

    func textAny(_ data: any RecordDataType) -> String { textOpened(data) }

    /// `text` on the opened existential: comparing the types costs less than a dynamic cast,
    /// which instantiates `Optional<Data>` on every call (a zone transfer prints 100,000 records).
    private func textOpened<Value: RecordDataType>(_ data: Value) -> String {
        guard Value.self == Data.self else { return "" }
        return withUnsafePointer(to: data) { $0.withMemoryRebound(to: Data.self, capacity: 1) { text($0.pointee) } }
    }

    func parseAny(_ scanner: inout TextScanner) throws -> any RecordDataType { try parse(&scanner) }

    func fieldsAny(_ data: any RecordDataType) -> [RecordData.Field] {
        guard let data = data as? Data else { return [] }
        return fields.filter { $0.isPresent(data) }.map { field in
            RecordData.Field(name: field.name, value: field.value(data), bytes: field.bytes(data), bytesAreText: field.bytesAreText)
        }
    }

    func accepts(_ data: any RecordDataType) -> Bool { data is Data }
}
