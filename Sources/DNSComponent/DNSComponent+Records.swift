// SPDX-License-Identifier: Apache-2.0
// Indexed record and field accessors over the selected section of the last response.

public import DNSWire

extension DNSComponent {
    /// The records of ``recordSource`` in the last response, typed.
    public var records: [DNSRecord] {
        guard let response else { return [] }
        switch recordSource {
        case .answer: return response.answers
        case .authority: return response.authorities
        case .additional: return response.additionals
        }
    }

    /// The number of records in ``recordSource``.
    public var recordCount: Int { records.count }

    /// Sets ``recordSource`` from its IPWorks number.
    /// - Throws: 222 for a value other than 0, 1 or 2.
    public func setRecordSource(_ value: Int) throws {
        guard let source = RecordSource(rawValue: value) else { throw ErrorCode.error(ErrorCode.invalidRecordSource) }
        recordSource = source
    }

    private func record(_ index: Int) throws -> DNSRecord {
        let all = records
        guard all.indices.contains(index) else {
            throw ErrorCode.error(ErrorCode.invalidRecordIndex, "Index \(index) is not in 0..<\(all.count).")
        }
        return all[index]
    }

    /// The owner name, without the trailing dot (the root is `.`).
    public func recordDomain(_ recordIndex: Int) throws -> String { try record(recordIndex).name.fieldValue }

    public func recordFieldCount(_ recordIndex: Int) throws -> Int { try record(recordIndex).data.fields.count }

    /// The selected field of the record (0 after each query).
    public func recordFieldIndex(_ recordIndex: Int) throws -> Int {
        _ = try record(recordIndex)
        return fieldIndexes.indices.contains(recordIndex) ? fieldIndexes[recordIndex] : 0
    }

    /// Selects the field that ``recordFieldName(_:)`` and ``recordFieldValue(_:)`` show.
    /// - Throws: 220 for a bad record index, 221 for a bad field index.
    public func setRecordFieldIndex(_ recordIndex: Int, _ fieldIndex: Int) throws {
        let count = try record(recordIndex).data.fields.count
        guard (0..<count).contains(fieldIndex) else {
            throw ErrorCode.error(ErrorCode.invalidFieldIndex, "Field index \(fieldIndex) is not in 0..<\(count).")
        }
        if fieldIndexes.count != recordCount { fieldIndexes = Array(repeating: 0, count: recordCount) }
        fieldIndexes[recordIndex] = fieldIndex
    }

    private func selectedField(_ recordIndex: Int) throws -> RecordData.Field {
        let fields = try record(recordIndex).data.fields
        let index = try recordFieldIndex(recordIndex)
        guard fields.indices.contains(index) else { throw ErrorCode.error(ErrorCode.invalidFieldIndex) }
        return fields[index]
    }

    public func recordFieldName(_ recordIndex: Int) throws -> String { try selectedField(recordIndex).name }

    /// The selected field's value as text (see the field value rule in the README).
    public func recordFieldValue(_ recordIndex: Int) throws -> String { text(of: try selectedField(recordIndex)) }

    /// The selected field's value as octets.
    public func recordFieldValueBytes(_ recordIndex: Int) throws -> [UInt8] { try selectedField(recordIndex).bytes }

    /// The record's RDATA as received (names decompressed).
    public func recordData(_ recordIndex: Int) throws -> [UInt8] { try record(recordIndex).data.serialize() }

    /// The record's type number (any 16-bit value).
    public func recordType(_ recordIndex: Int) throws -> Int { Int(try record(recordIndex).type.rawValue) }

    /// The type mnemonic (`MX`, `TYPE65280`).
    public func recordTypeName(_ recordIndex: Int) throws -> String { try record(recordIndex).type.description }

    public func recordTTL(_ recordIndex: Int) throws -> Int { Int(try record(recordIndex).ttl) }

    /// The value of the field named `fieldName` (any case) of the record.
    /// - Throws: 220 for a bad index, 221 when the record's type has no such field.
    public func getFieldValue(_ recordIndex: Int, _ fieldName: String) throws -> String {
        let record = try record(recordIndex)
        guard let field = record.data.fields.first(where: { $0.name.uppercased() == fieldName.uppercased() }) else {
            throw ErrorCode.error(ErrorCode.invalidFieldIndex, "\(record.type) has no field \"\(fieldName)\".")
        }
        return text(of: field)
    }

    /// A field's text under the current code page.
    private func text(of field: RecordData.Field) -> String {
        field.bytesAreText && settings.codePage != .utf8 ? settings.codePage.decode(field.bytes) : field.value
    }
}
