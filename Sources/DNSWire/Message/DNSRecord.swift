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
    /// A TTL with the most significant bit set reads as 0 (RFC 2181 §8); OPT's TTL field
    /// holds flags (RFC 6891 §6.1.3) and is kept as it is.
    mutating func readRecord() throws -> DNSRecord {
        let name = try readName()
        return try readRecord(name: name, type: RecordType(try readUInt16()))
    }

    /// Reads the rest of a record whose owner and type were read.
    mutating func readRecord(name: DomainName, type: RecordType) throws -> DNSRecord {
        let recordClass = RecordClass(rawValue: try readUInt16())
        let received = try readUInt32()
        let ttl = type == .opt || received <= 0x7FFF_FFFF ? received : 0
        let length = Int(try readUInt16())
        let data = try withLimit(length) { reader in try RecordData(type: type, reader: &reader) }
        return DNSRecord(name: name, recordClass: recordClass, ttl: ttl, data: data)
    }
}

extension WireWriter {
    /// Writes one resource record, filling in RDLENGTH.
    mutating func writeRecord(_ record: DNSRecord) throws {
        try writeRecord(name: record.name, type: record.type, class: record.recordClass.rawValue, ttl: record.ttl) { writer in
            try record.data.write(to: &writer)
        }
    }

    /// Writes a record's owner, type, class and TTL fields, then the RDATA `body` writes,
    /// filling in RDLENGTH.
    mutating func writeRecord(
        name: DomainName, type: RecordType, class recordClass: UInt16, ttl: UInt32, body: (inout WireWriter) throws -> Void
    ) throws {
        writeName(name, compress: true)
        writeUInt16(type.rawValue)
        writeUInt16(recordClass)
        writeUInt32(ttl)
        let lengthOffset = reserveUInt16()
        try body(&self)
        try backfillUInt16(at: lengthOffset)
    }
}
