// SPDX-License-Identifier: Apache-2.0
// A resource record: owner, type, class, TTL and data.

/// A resource record. Its type is the type of its ``data``.
public struct DNSRecord: Hashable, Sendable, CustomStringConvertible {
    public var name: DomainName
    public var recordClass: RecordClass
    public var ttl: UInt32
    public var data: RecordData

    public var type: RecordType { data.type }

    public init(name: DomainName, recordClass: RecordClass = .in, ttl: UInt32, data: RecordData) {
        self.name = name
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }
}

extension WireReader {
    /// Reads one resource record (RFC 1035 §4.1.3); the RDATA must fill exactly RDLENGTH.
    mutating func readRecord() throws -> DNSRecord {
        let name = try readName()
        let type = RecordType(try readUInt16())
        let recordClass = RecordClass(rawValue: try readUInt16())
        let ttl = try readUInt32()
        let length = Int(try readUInt16())
        let data = try withLimit(length) { reader in try RecordData(type: type, reader: &reader) }
        return DNSRecord(name: name, recordClass: recordClass, ttl: ttl, data: data)
    }
}

extension WireWriter {
    /// Writes one resource record, filling in RDLENGTH.
    mutating func writeRecord(_ record: DNSRecord) throws {
        writeName(record.name, compress: true)
        writeUInt16(record.type.rawValue)
        writeUInt16(record.recordClass.rawValue)
        writeUInt32(record.ttl)
        let lengthOffset = reserveUInt16()
        try record.data.write(to: &self)
        try backfillUInt16(at: lengthOffset)
    }
}
