// SPDX-License-Identifier: Apache-2.0
// Dynamic UPDATE (RFC 2136): the typed builder, its records and the message's wire form.

/// A dynamic update (RFC 2136) being built: prerequisites the zone must meet, and the changes
/// to make if it does, all in one zone.
///
/// ```swift
/// var update = DNSUpdate(zone: try DomainName("example.org"))
/// update.require(.nameNotInUse(try DomainName("new.example.org")))
/// update.add(DNSRecord(name: try DomainName("new.example.org"), ttl: 300, data: address))
/// update.delete(.rrset(try DomainName("old.example.org"), .a))
/// let wire = try update.message(id: 0x4f2a).serialize()
/// ```
///
/// Records are written in the order given. ``DNSUpdate/init(nsupdate:zone:)`` reads the same
/// from nsupdate(1) commands.
public struct DNSUpdate: Hashable, Sendable {
    /// A prerequisite (RFC 2136 §2.4).
    public enum Prerequisite: Hashable, Sendable {
        /// An RRset of this owner and type exists, whatever its data (§2.4.1).
        case rrsetExists(DomainName, RecordType)
        /// The RRset of this owner and of each type given is exactly these records (§2.4.2);
        /// several requirements of one owner and type add up to one RRset.
        case rrsetMatches(DomainName, [RecordData])
        /// No RRset of this owner and type exists (§2.4.3).
        case rrsetDoesNotExist(DomainName, RecordType)
        /// The name owns at least one record (§2.4.4).
        case nameInUse(DomainName)
        /// The name owns no record (§2.4.5).
        case nameNotInUse(DomainName)
    }

    /// A deletion (RFC 2136 §2.5.2–2.5.4).
    public enum Deletion: Hashable, Sendable {
        /// Delete the RRset of this owner and type (§2.5.2).
        case rrset(DomainName, RecordType)
        /// Delete every RRset of this owner (§2.5.3).
        case allRRsets(DomainName)
        /// Delete the record of this owner and RDATA (§2.5.4).
        case record(DomainName, RecordData)
    }

    /// The zone updated.
    public let zone: DomainName
    /// The zone's class, written in the zone section and in added records.
    public let zoneClass: RecordClass
    /// The prerequisite section, in order.
    public private(set) var prerequisites: [UpdateRecord] = []
    /// The update section, in order.
    public private(set) var updates: [UpdateRecord] = []

    /// An empty update of `zone`, of class `zoneClass`.
    public init(zone: DomainName, zoneClass: RecordClass = .in) {
        self.zone = zone
        self.zoneClass = zoneClass
    }

    /// Adds a prerequisite.
    public mutating func require(_ prerequisite: Prerequisite) {
        switch prerequisite {
        case .rrsetExists(let name, let type):
            prerequisites.append(UpdateRecord(name: name, type: type, recordClass: .any))
        case .rrsetMatches(let name, let data):
            prerequisites += data.map { UpdateRecord(name: name, recordClass: zoneClass, ttl: 0, data: $0) }
        case .rrsetDoesNotExist(let name, let type):
            prerequisites.append(UpdateRecord(name: name, type: type, recordClass: .none))
        case .nameInUse(let name):
            prerequisites.append(UpdateRecord(name: name, type: .any, recordClass: .any))
        case .nameNotInUse(let name):
            prerequisites.append(UpdateRecord(name: name, type: .any, recordClass: .none))
        }
    }

    /// Adds a record to an RRset (RFC 2136 §2.5.1); it is written with the zone's class.
    public mutating func add(_ record: DNSRecord) {
        updates.append(UpdateRecord(name: record.name, recordClass: zoneClass, ttl: record.ttl, data: record.data))
    }

    /// Adds a record of `name`, `ttl` and `data` (RFC 2136 §2.5.1).
    public mutating func add(_ name: DomainName, ttl: UInt32, _ data: RecordData) {
        updates.append(UpdateRecord(name: name, recordClass: zoneClass, ttl: ttl, data: data))
    }

    /// Deletes an RRset, every RRset of a name, or one record.
    public mutating func delete(_ deletion: Deletion) {
        switch deletion {
        case .rrset(let name, let type):
            updates.append(UpdateRecord(name: name, type: type, recordClass: .any))
        case .allRRsets(let name):
            updates.append(UpdateRecord(name: name, type: .any, recordClass: .any))
        case .record(let name, let data):
            updates.append(UpdateRecord(name: name, recordClass: .none, ttl: 0, data: data))
        }
    }

    /// The UPDATE message: opcode UPDATE, no flags, the zone section (the zone, SOA, its class),
    /// then the prerequisites and updates.
    public func message(id: UInt16) -> UpdateMessage {
        UpdateMessage(
            id: id, zone: DNSQuestion(name: zone, type: .soa, recordClass: zoneClass), prerequisites: prerequisites,
            updates: updates)
    }
}

/// A record of an UPDATE message's prerequisite or update section (RFC 2136 §2.4, §2.5).
///
/// Unlike a ``DNSRecord``, its RDATA may be empty whatever its type (RDLENGTH 0), as those
/// sections need with classes ANY and NONE; so it carries its type itself.
public struct UpdateRecord: Hashable, Sendable, CustomStringConvertible {
    /// The owner.
    public let name: DomainName
    /// The type, also when the RDATA is empty.
    public let type: RecordType
    /// The class: the zone's, ANY or NONE, which give the record its meaning.
    public let recordClass: RecordClass
    /// The TTL; 0 for everything but additions.
    public let ttl: UInt32
    /// The RDATA; nil when empty. A parsed record with RDLENGTH 0 has nil, whatever its type.
    public let data: RecordData?

    /// A record with empty RDATA.
    public init(name: DomainName, type: RecordType, recordClass: RecordClass, ttl: UInt32 = 0) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        data = nil
    }

    /// A record with RDATA, of its type.
    public init(name: DomainName, recordClass: RecordClass, ttl: UInt32, data: RecordData) {
        self.name = name
        type = data.type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// The same record.
    public init(_ record: DNSRecord) {
        self.init(name: record.name, recordClass: record.recordClass, ttl: record.ttl, data: record.data)
    }

    /// The record as a ``DNSRecord``; nil when its RDATA is empty.
    public var record: DNSRecord? {
        data.map { DNSRecord(name: name, recordClass: recordClass, ttl: ttl, data: $0) }
    }

    /// The record as dig prints it: `name.  TTL  CLASS  TYPE  RDATA`, the RDATA empty when it is.
    public var description: String {
        DigText.line([name.description, String(ttl), recordClass.description, type.description, data?.description ?? ""])
    }
}

/// An UPDATE message (RFC 2136 §2): header, zone section, prerequisites, updates and
/// additional records, read and written exactly.
///
/// ``DNSMessage`` cannot carry the empty RDATA of prerequisites and deletions, hence this
/// type. The OPT record is kept in ``edns`` as ``DNSMessage`` does; a TSIG record stays last
/// in ``additionals``.
public struct UpdateMessage: Hashable, Sendable, CustomStringConvertible {
    /// The header: ID, flags (QR in a response) and opcode UPDATE.
    public var header: DNSHeader
    /// The full response code: header RCODE plus OPT's extended bits.
    public var responseCode: ResponseCode
    /// The zone section: the zone, type SOA, its class. A response may leave it out (nil).
    public var zone: DNSQuestion?
    /// The prerequisite section (the answer section of a query).
    public var prerequisites: [UpdateRecord]
    /// The update section (the authority section of a query).
    public var updates: [UpdateRecord]
    /// The additional data section without the OPT record (RFC 2136 §2.6; TSIG last).
    public var additionals: [DNSRecord]
    /// The EDNS(0) data of the OPT record, if the message has one.
    public var edns: EDNS?

    /// A request: opcode UPDATE, no flags, NOERROR.
    public init(
        id: UInt16, zone: DNSQuestion?, prerequisites: [UpdateRecord] = [], updates: [UpdateRecord] = [],
        additionals: [DNSRecord] = [], edns: EDNS? = nil
    ) {
        header = DNSHeader(id: id, opcode: .update)
        responseCode = .noError
        self.zone = zone
        self.prerequisites = prerequisites
        self.updates = updates
        self.additionals = additionals
        self.edns = edns
    }

    /// The message ID.
    public var id: UInt16 {
        get { header.id }
        set { header.id = newValue }
    }

    /// Parses an UPDATE message; a record with RDLENGTH 0 reads with nil ``UpdateRecord/data``.
    ///
    /// - Throws: ``WireFormatError``: `.invalidField` for another opcode, more than one zone,
    ///   or TSIG not last; `.badOPT`; `.trailingMessageData`; any error of a name or RDATA.
    public init(wire bytes: [UInt8]) throws {
        var reader = WireReader(bytes)
        let id = try reader.readUInt16()
        let bits = try reader.readUInt16()
        let header = DNSHeader(id: id, flags: HeaderFlags(rawValue: bits), opcode: Opcode(rawValue: UInt8(bits >> 11 & 0x0F)))
        guard header.opcode == .update else {
            throw WireFormatError(.invalidField, offset: 2, detail: "opcode \(header.opcode), not UPDATE")
        }
        let counts = (try reader.readUInt16(), try reader.readUInt16(), try reader.readUInt16(), try reader.readUInt16())
        guard counts.0 <= 1 else { throw WireFormatError(.invalidField, offset: 4, detail: "\(counts.0) zones; UPDATE has one") }
        var zone: DNSQuestion? = nil
        if counts.0 == 1 {
            let name = try reader.readName()
            let type = RecordType(try reader.readUInt16())
            zone = DNSQuestion(name: name, type: type, recordClass: RecordClass(rawValue: try reader.readUInt16()))
        }
        let prerequisites = try (0..<counts.1).map { _ in try Self.readUpdateRecord(&reader) }
        let updates = try (0..<counts.2).map { _ in try Self.readUpdateRecord(&reader) }
        var additionals: [DNSRecord] = []
        var edns: EDNS? = nil
        var code = bits & 0x000F
        for _ in 0..<counts.3 {
            let record = try reader.readRecord()
            guard record.type == .opt else {
                additionals.append(record)
                continue
            }
            guard edns == nil else { throw WireFormatError(.badOPT, detail: "two OPT records") }
            guard record.name.isRoot else { throw WireFormatError(.badOPT, detail: "OPT owner is not the root") }
            let options = try EDNS(record: record)
            code |= UInt16(options.extendedResponseCodeHigh) << 4
            edns = options
        }
        if additionals.indices.dropLast().contains(where: { additionals[$0].type == .tsig }) {
            throw WireFormatError(.invalidField, detail: "TSIG is not the last record")
        }
        guard reader.remaining == 0 else {
            throw WireFormatError(.trailingMessageData, offset: reader.position, detail: "\(reader.remaining) octets after the message")
        }
        self.header = header
        responseCode = ResponseCode(rawValue: code)
        self.zone = zone
        self.prerequisites = prerequisites
        self.updates = updates
        self.additionals = additionals
        self.edns = edns
    }

    /// Reads a record whose RDATA may be empty whatever its type.
    private static func readUpdateRecord(_ reader: inout WireReader) throws -> UpdateRecord {
        let name = try reader.readName()
        let type = RecordType(try reader.readUInt16())
        let recordClass = RecordClass(rawValue: try reader.readUInt16())
        let received = try reader.readUInt32()
        let ttl = received <= 0x7FFF_FFFF ? received : 0
        let length = Int(try reader.readUInt16())
        guard length > 0 else { return UpdateRecord(name: name, type: type, recordClass: recordClass, ttl: ttl) }
        let data = try reader.withLimit(length) { reader in try RecordData(type: type, reader: &reader) }
        return UpdateRecord(name: name, recordClass: recordClass, ttl: ttl, data: data)
    }

    /// Writes the message, compressing names where RFC 1035 allows; OPT goes at the end of the
    /// additional section, before a TSIG record if there is one.
    ///
    /// - Throws: ``WireFormatError/Code/tooLong`` for a section or message over the format's limits.
    public func serialize() throws -> [UInt8] {
        if edns == nil, responseCode.rawValue > 0x0F {
            throw WireFormatError(.invalidField, detail: "response code \(responseCode) needs EDNS")
        }
        let extraCount = additionals.count + (edns == nil ? 0 : 1)
        guard max(prerequisites.count, updates.count, extraCount) <= 0xFFFF else {
            throw WireFormatError(.tooLong, detail: "section over 65535 entries")
        }
        var writer = WireWriter()
        writer.writeUInt16(header.id)
        writer.writeUInt16(header.flags.rawValue | UInt16(header.opcode.rawValue) << 11 | responseCode.rawValue & 0x0F)
        writer.writeUInt16(zone == nil ? 0 : 1)
        writer.writeUInt16(UInt16(prerequisites.count))
        writer.writeUInt16(UInt16(updates.count))
        writer.writeUInt16(UInt16(extraCount))
        if let zone {
            writer.writeName(zone.name, compress: true)
            writer.writeUInt16(zone.type.rawValue)
            writer.writeUInt16(zone.recordClass.rawValue)
        }
        for record in prerequisites + updates {
            try writer.writeRecord(name: record.name, type: record.type, class: record.recordClass.rawValue, ttl: record.ttl) { writer in
                try record.data?.write(to: &writer)
            }
        }
        let tsigIndex = additionals.lastIndex(where: { $0.type == .tsig }) ?? additionals.endIndex
        for record in additionals[..<tsigIndex] { try writer.writeRecord(record) }
        try edns?.write(to: &writer, extendedResponseCodeHigh: UInt8(responseCode.rawValue >> 4))
        for record in additionals[tsigIndex...] { try writer.writeRecord(record) }
        guard writer.count <= 0xFFFF else { throw WireFormatError(.tooLong, detail: "message of \(writer.count) octets") }
        return writer.bytes
    }

    /// The message as dig and nsupdate print it, with the UPDATE section names.
    public var description: String {
        var lines: [String] = []
        lines.append(";; ->>HEADER<<- opcode: \(header.opcode), status: \(responseCode), id: \(header.id)")
        let flags = HeaderFlags.names.filter { header.flags.contains($0.0) }.map(\.1).joined(separator: " ")
        lines.append(
            ";; flags: \(flags); ZONE: \(zone == nil ? 0 : 1), PREREQ: \(prerequisites.count), "
                + "UPDATE: \(updates.count), ADDITIONAL: \(additionals.count + (edns == nil ? 0 : 1))")
        if let zone {
            lines += ["", ";; ZONE SECTION:"]
            lines.append(DigText.line([";\(zone.name)", zone.recordClass.description, zone.type.description], columns: DigText.questionColumns))
        }
        for (title, records) in [("PREREQUISITE", prerequisites), ("UPDATE", updates)] where !records.isEmpty {
            lines += ["", ";; \(title) SECTION:"]
            lines += records.map(\.description)
        }
        if !additionals.isEmpty {
            lines += ["", ";; ADDITIONAL SECTION:"]
            lines += additionals.map(\.description)
        }
        return lines.joined(separator: "\n")
    }
}
