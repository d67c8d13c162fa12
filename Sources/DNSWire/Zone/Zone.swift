// SPDX-License-Identifier: Apache-2.0
// A zone's records as RRsets, built from a full transfer and updated by incremental ones.

/// The records of one zone, held as RRsets (RFC 2181 §5), with its SOA and serial.
///
/// Build one from the records of an AXFR with ``init(origin:records:)``, bring it up to date
/// with the differences of an IXFR with ``apply(_:)-(ZoneDiff)``, and print it as a zone file
/// with ``zoneFileText``. A record is identified by its owner (without regard to case), type,
/// class and RDATA octets; the TTL of an RRset is that of the record added last.
///
/// ```swift
/// var zone = try Zone(origin: try DomainName("example.org"), records: axfrRecords)
/// try zone.apply(differences)      // all or nothing
/// print(zone.serial, zone.recordCount)
/// try zoneFileText.write(...)      // zone.zoneFileText loads in BIND
/// ```
public struct Zone: Hashable, Sendable {
    /// One RRset: the records sharing owner, type and class, with one TTL.
    public struct RRset: Hashable, Sendable {
        /// The owner, as first spelled.
        public let name: DomainName
        /// The records' type.
        public let type: RecordType
        /// The records' class.
        public let recordClass: RecordClass
        /// The TTL of the record added last.
        public internal(set) var ttl: UInt32
        /// The RDATA, keyed by its uncompressed wire octets, which identify a record.
        var members: [[UInt8]: RecordData]

        /// The number of records.
        public var count: Int { members.count }

        /// The RDATA of the records, ordered by their wire octets.
        public var data: [RecordData] {
            members.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
        }

        /// The records, ordered by their RDATA octets.
        public var records: [DNSRecord] {
            data.map { DNSRecord(name: name, recordClass: recordClass, ttl: ttl, data: $0) }
        }
    }

    /// Where an RRset is filed: owner (without regard to case), type and class.
    struct Key: Hashable, Sendable {
        let name: DomainName
        let type: RecordType
        let recordClass: RecordClass

        init(name: DomainName, type: RecordType, recordClass: RecordClass) {
            self.name = name
            self.type = type
            self.recordClass = recordClass
        }

        init(_ record: DNSRecord) { self.init(name: record.name, type: record.type, recordClass: record.recordClass) }
    }

    /// The zone's name; every record's owner is at or below it.
    public let origin: DomainName
    /// The SOA record, owned by ``origin``.
    public private(set) var soa: DNSRecord
    /// Every RRset but the SOA's.
    private var sets: [Key: RRset]
    /// The number of records in `sets`.
    private var storedCount: Int

    /// Builds a zone from its records, in any order (those of an AXFR, say).
    ///
    /// Exactly one SOA is required, owned by `origin`; further copies of it (the closing SOA of
    /// a transfer) are ignored, as are duplicate records.
    ///
    /// - Throws: ``ZoneError``: no SOA, an SOA elsewhere or a second one, a record outside the
    ///   zone, of another class than the SOA's, or of a meta type.
    public init(origin: DomainName, records: some Sequence<DNSRecord>) throws(ZoneError) {
        var soa: DNSRecord? = nil
        var soaOctets: [UInt8] = []
        var sets: [Key: RRset] = [:]
        var count = 0
        for record in records {
            if record.type == .soa {
                guard record.name == origin else { throw .soaNotAtOrigin(record, origin: origin) }
                let octets = try Self.octets(of: record)
                if let soa {
                    guard octets == soaOctets, record.recordClass == soa.recordClass else { throw .conflictingSOA(soa, record) }
                } else {
                    soa = record
                    soaOctets = octets
                }
                continue
            }
            try Self.check(record, origin: origin)
            if Self.insert(record, octets: try Self.octets(of: record), into: &sets) { count += 1 }
        }
        guard let soa else { throw .noSOA(origin: origin) }
        if let stray = sets.values.first(where: { $0.recordClass != soa.recordClass }), let record = stray.records.first {
            throw .wrongClass(record, zoneClass: soa.recordClass)
        }
        self.origin = origin
        self.soa = soa
        self.sets = sets
        storedCount = count
    }

    /// The SOA's serial.
    public var serial: Serial { Serial(soa.data.as(RecordData.SOA.self)?.serial ?? 0) }

    /// The zone's class, the SOA's.
    public var recordClass: RecordClass { soa.recordClass }

    /// The number of records, the SOA included.
    public var recordCount: Int { storedCount + 1 }

    /// The RRset of `name` and `type` in the zone's class, if the zone has one.
    public func rrset(_ name: DomainName, _ type: RecordType) -> RRset? {
        if type == .soa { return name == origin ? soaRRset : nil }
        return sets[Key(name: name, type: type, recordClass: recordClass)]
    }

    /// Whether the zone holds `record`: same owner (without regard to case), type, class and
    /// RDATA octets; the TTL does not matter.
    public func contains(_ record: DNSRecord) -> Bool {
        guard let octets = try? Self.octets(of: record) else { return false }
        if record.type == .soa { return record.name == origin && record.recordClass == soa.recordClass && octets == soaOctets }
        return sets[Key(record)]?.members[octets] != nil
    }

    /// Every RRset in canonical order: the SOA first, then by owner (RFC 4034 §6.1), type and class.
    public var rrsets: [RRset] {
        let ordered = sets.values.map { (key: Self.canonicalKey($0.name), rrset: $0) }.sorted { left, right in
            if left.key != right.key { return Self.precedes(left.key, right.key) }
            if left.rrset.type != right.rrset.type { return left.rrset.type < right.rrset.type }
            return left.rrset.recordClass.rawValue < right.rrset.recordClass.rawValue
        }
        return [soaRRset] + ordered.map(\.rrset)
    }

    /// Every record in canonical order: the SOA first, then by owner, type, class and RDATA.
    public var records: [DNSRecord] { rrsets.flatMap(\.records) }

    /// Applies one difference of an IXFR; see ``apply(_:)-(Sequence<ZoneDiff>)``.
    public mutating func apply(_ difference: ZoneDiff) throws(ZoneError) {
        try apply(CollectionOfOne(difference))
    }

    /// Applies the differences of an IXFR (RFC 1995) in order, all or nothing.
    ///
    /// Each difference must start at the zone's serial at that point and end at a later one
    /// (RFC 1982); each deleted record must be in the zone. Its deletions are made first, then
    /// its additions (an RRset takes the TTL of the record added last), then its new SOA
    /// replaces the old.
    ///
    /// - Throws: ``ZoneError``; the zone is then as it was before the call.
    public mutating func apply(_ differences: some Sequence<ZoneDiff>) throws(ZoneError) {
        var saved: [Key: RRset?] = [:]
        let savedSOA = soa
        let savedCount = storedCount
        do throws(ZoneError) {
            for difference in differences { try apply(difference, saving: &saved) }
        } catch {
            for (key, rrset) in saved { sets[key] = rrset }
            soa = savedSOA
            storedCount = savedCount
            throw error
        }
    }

    /// Zones are equal when they have the same origin, SOA record and RRsets (owners compared
    /// without regard to case, TTLs included).
    public static func == (lhs: Zone, rhs: Zone) -> Bool {
        lhs.origin == rhs.origin && lhs.soa == rhs.soa && lhs.sets == rhs.sets
    }

    /// Hashes what ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(origin)
        hasher.combine(soa)
        hasher.combine(sets)
    }

    // MARK: - Changing RRsets

    /// One difference, noting in `saved` each RRset as it was before this call first changed it.
    private mutating func apply(_ difference: ZoneDiff, saving saved: inout [Key: RRset?]) throws(ZoneError) {
        guard difference.oldSerial == serial else { throw .serialMismatch(zone: serial, difference: difference.oldSerial) }
        guard difference.newSerial.follows(difference.oldSerial) else {
            throw .serialNotAfter(old: difference.oldSerial, new: difference.newSerial)
        }
        let newSOA = difference.newSOA
        guard newSOA.name == origin else { throw .soaNotAtOrigin(newSOA, origin: origin) }
        guard newSOA.recordClass == recordClass else { throw .wrongClass(newSOA, zoneClass: recordClass) }
        for record in difference.deleted {
            guard record.type != .soa else { throw .misplacedSOA(record) }
            let key = Key(record)
            let octets = try Self.octets(of: record)
            if saved.index(forKey: key) == nil { saved.updateValue(sets[key], forKey: key) }
            guard sets[key]?.members.removeValue(forKey: octets) != nil else { throw .missingRecord(record) }
            if sets[key]?.members.isEmpty == true { sets[key] = nil }
            storedCount -= 1
        }
        for record in difference.added {
            guard record.type != .soa else { throw .misplacedSOA(record) }
            try Self.check(record, origin: origin)
            guard record.recordClass == recordClass else { throw .wrongClass(record, zoneClass: recordClass) }
            let key = Key(record)
            let octets = try Self.octets(of: record)
            if saved.index(forKey: key) == nil { saved.updateValue(sets[key], forKey: key) }
            if Self.insert(record, octets: octets, into: &sets) { storedCount += 1 }
        }
        soa = newSOA
    }

    /// Files `record` in its RRset, whose TTL becomes the record's; false when it was there already.
    private static func insert(_ record: DNSRecord, octets: [UInt8], into sets: inout [Key: RRset]) -> Bool {
        let key = Key(record)
        guard let index = sets.index(forKey: key) else {
            sets[key] = RRset(name: record.name, type: record.type, recordClass: record.recordClass, ttl: record.ttl, members: [octets: record.data])
            return true
        }
        sets.values[index].ttl = record.ttl
        return sets.values[index].members.updateValue(record.data, forKey: octets) == nil
    }

    /// Checks what every record but the SOA must satisfy: inside the zone, not of a meta type.
    private static func check(_ record: DNSRecord, origin: DomainName) throws(ZoneError) {
        guard record.name.isInZone(origin) else { throw .outsideZone(record, origin: origin) }
        let code = record.type.rawValue
        guard code != RecordType.opt.rawValue, !(128...255).contains(code) else { throw .metaType(record) }
    }

    /// The record's uncompressed RDATA, kept per record: in a buffer sized to it, not to a message.
    private static func octets(of record: DNSRecord) throws(ZoneError) -> [UInt8] {
        do {
            var writer = WireWriter(compression: false, capacity: 32)
            try record.data.write(to: &writer)
            return writer.bytes
        } catch {
            throw .unwritable(record, reason: "\(error)")
        }
    }

    private var soaOctets: [UInt8] { (try? soa.data.serialize()) ?? [] }

    private var soaRRset: RRset {
        RRset(name: soa.name, type: .soa, recordClass: soa.recordClass, ttl: soa.ttl, members: [soaOctets: soa.data])
    }

    // MARK: - Canonical order

    /// The owner's labels from the right, lower-cased, each ended by 0 (octets 0 and 1 escaped
    /// as 1 1 and 1 2): compared octet by octet, these keys give the canonical order of
    /// RFC 4034 §6.1, where a label sorts before every longer label it begins.
    private static func canonicalKey(_ name: DomainName) -> [UInt8] {
        let wire = name.wire
        var starts: [Int] = []
        var index = 0
        while wire[index] != 0 {
            starts.append(index)
            index += Int(wire[index]) + 1
        }
        var key: [UInt8] = []
        key.reserveCapacity(wire.count + 8)
        for start in starts.reversed() {
            for octet in wire[(start + 1)...(start + Int(wire[start]))] {
                let folded = octet &- 0x41 < 26 ? octet | 0x20 : octet
                if folded < 2 {
                    key.append(1)
                    key.append(folded + 1)
                } else {
                    key.append(folded)
                }
            }
            key.append(0)
        }
        return key
    }

    private static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.withUnsafeBufferPointer { a in
            right.withUnsafeBufferPointer { b in
                for index in 0..<min(a.count, b.count) where a[index] != b[index] { return a[index] < b[index] }
                return a.count < b.count
            }
        }
    }
}

/// One difference of an incremental zone transfer (RFC 1995 §4): the records deleted from
/// the version of the old SOA and those added to make the version of the new SOA.
public struct ZoneDiff: Hashable, Sendable {
    /// The SOA of the version the difference starts from.
    public let oldSOA: DNSRecord
    /// The records deleted, without the SOA.
    public let deleted: [DNSRecord]
    /// The SOA of the version the difference leads to.
    public let newSOA: DNSRecord
    /// The records added, without the SOA.
    public let added: [DNSRecord]
    /// The old SOA's serial.
    public let oldSerial: Serial
    /// The new SOA's serial.
    public let newSerial: Serial

    /// - Throws: ``ZoneError/notSOA(_:)`` when `oldSOA` or `newSOA` is not an SOA record.
    public init(oldSOA: DNSRecord, deleted: [DNSRecord], newSOA: DNSRecord, added: [DNSRecord]) throws(ZoneError) {
        guard let old = oldSOA.data.as(RecordData.SOA.self) else { throw .notSOA(oldSOA) }
        guard let new = newSOA.data.as(RecordData.SOA.self) else { throw .notSOA(newSOA) }
        self.oldSOA = oldSOA
        self.deleted = deleted
        self.newSOA = newSOA
        self.added = added
        oldSerial = Serial(old.serial)
        newSerial = Serial(new.serial)
    }
}

/// Why a ``Zone`` could not be built or a ``ZoneDiff`` not applied.
public enum ZoneError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The records hold no SOA.
    case noSOA(origin: DomainName)
    /// An SOA record owned by another name than the origin.
    case soaNotAtOrigin(DNSRecord, origin: DomainName)
    /// Two SOA records with different data.
    case conflictingSOA(DNSRecord, DNSRecord)
    /// A record whose owner is not at or below the origin.
    case outsideZone(DNSRecord, origin: DomainName)
    /// A record of another class than the zone's.
    case wrongClass(DNSRecord, zoneClass: RecordClass)
    /// A record of a meta type (OPT, TSIG, a query type…), which zone data cannot hold.
    case metaType(DNSRecord)
    /// A difference whose old or new SOA is not an SOA record.
    case notSOA(DNSRecord)
    /// A difference that starts from another serial than the zone's.
    case serialMismatch(zone: Serial, difference: Serial)
    /// A difference whose new serial does not follow its old one (RFC 1982).
    case serialNotAfter(old: Serial, new: Serial)
    /// A difference deletes a record the zone does not hold.
    case missingRecord(DNSRecord)
    /// An SOA record among a difference's deleted or added records.
    case misplacedSOA(DNSRecord)
    /// A record whose RDATA cannot be written.
    case unwritable(DNSRecord, reason: String)

    /// What is wrong, for people.
    public var description: String {
        switch self {
        case .noSOA(let origin): "no SOA record for \(origin)"
        case .soaNotAtOrigin(let record, let origin): "an SOA record owned by \(record.name), not by the origin \(origin)"
        case .conflictingSOA(let first, let second): "two SOA records: \(first.data) and \(second.data)"
        case .outsideZone(let record, let origin): "\(record.name) \(record.type) is not at or below the origin \(origin)"
        case .wrongClass(let record, let zoneClass):
            "\(record.name) \(record.type) is of class \(record.recordClass), the zone of class \(zoneClass)"
        case .metaType(let record): "\(record.name) \(record.type): a meta type cannot be zone data"
        case .notSOA(let record): "a difference's SOA is a \(record.type) record (\(record.name))"
        case .serialMismatch(let zone, let difference): "the difference starts at serial \(difference), the zone is at \(zone)"
        case .serialNotAfter(let old, let new): "the difference goes from serial \(old) to \(new), which does not follow it"
        case .missingRecord(let record): "the difference deletes a record the zone does not hold: \(Self.line(record))"
        case .misplacedSOA(let record): "an SOA record among a difference's deleted or added records: \(Self.line(record))"
        case .unwritable(let record, let reason): "\(record.name) \(record.type) cannot be written: \(reason)"
        }
    }

    private static func line(_ record: DNSRecord) -> String {
        "\(record.name) \(record.ttl) \(record.recordClass) \(record.type) \(record.data)"
    }
}

extension DomainName {
    /// Whether the name is `zone` or lies below it (without regard to case), without allocating.
    func isInZone(_ zone: DomainName) -> Bool {
        let name = wire
        let suffix = zone.wire
        guard name.count >= suffix.count else { return false }
        var index = 0
        while name.count - index > suffix.count { index += Int(name[index]) + 1 }
        guard name.count - index == suffix.count else { return false }
        for (a, b) in zip(name[index...], suffix) where a != b {
            guard a | 0x20 == b | 0x20, (a | 0x20) &- 0x61 < 26 else { return false }
        }
        return true
    }
}
