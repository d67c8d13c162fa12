// SPDX-License-Identifier: Apache-2.0
// Serial arithmetic, zones built from AXFR records, IXFR differences applied, zone file text.

import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

/// Versions 1, 2 and 3 of a small zone, and the differences between them (shared with the
/// transfer reader's tests).
enum ZoneTestData {
    static let origin = try! DomainName("example.org.")

    /// A record from owner (relative to the origin, `@` for it), TTL, type and RDATA text.
    static func rr(_ owner: String, _ ttl: UInt32, _ type: RecordType, _ rdata: String, class recordClass: RecordClass = .in) -> DNSRecord {
        let name = owner == "@" ? origin : try! DomainName(owner, origin: origin)
        return DNSRecord(name: name, recordClass: recordClass, ttl: ttl, data: try! RecordData(type: type, presentation: rdata))
    }

    static func soa(_ serial: UInt32) -> DNSRecord {
        rr("@", 3600, .soa, "ns1.example.org. hostmaster.example.org. \(serial) 7200 3600 1209600 300")
    }

    static let common = [
        rr("@", 3600, .ns, "ns1.example.org."), rr("ns1", 3600, .a, "192.0.2.53"), rr("@", 3600, .mx, "10 mail.example.org."),
        rr("mail", 3600, .a, "192.0.2.25"),
    ]

    /// The records of each version, without the closing SOA.
    static let version1 = [soa(1)] + common + [rr("www", 300, .a, "192.0.2.1"), rr("txt", 60, .txt, "\"v1\"")]
    static let version2 =
        [soa(2)] + common + [
            rr("www", 300, .a, "192.0.2.2"), rr("www", 300, .aaaa, "2001:db8::2"), rr("txt", 60, .txt, "\"v1\""),
        ]
    static let version3 =
        [soa(3)] + common + [
            rr("www", 300, .a, "192.0.2.2"), rr("www", 300, .aaaa, "2001:db8::2"), rr("txt", 120, .txt, "\"v3\""),
            rr("new", 300, .a, "192.0.2.3"),
        ]

    static let diff1to2 = try! ZoneDiff(
        oldSOA: soa(1), deleted: [rr("www", 300, .a, "192.0.2.1")], newSOA: soa(2),
        added: [rr("www", 300, .a, "192.0.2.2"), rr("www", 300, .aaaa, "2001:db8::2")])
    static let diff2to3 = try! ZoneDiff(
        oldSOA: soa(2), deleted: [rr("txt", 60, .txt, "\"v1\"")], newSOA: soa(3),
        added: [rr("txt", 120, .txt, "\"v3\""), rr("new", 300, .a, "192.0.2.3")])
    /// The condensed form: one difference from 1 to 3.
    static let diff1to3 = try! ZoneDiff(
        oldSOA: soa(1), deleted: [rr("www", 300, .a, "192.0.2.1"), rr("txt", 60, .txt, "\"v1\"")], newSOA: soa(3),
        added: [
            rr("www", 300, .a, "192.0.2.2"), rr("www", 300, .aaaa, "2001:db8::2"), rr("txt", 120, .txt, "\"v3\""),
            rr("new", 300, .a, "192.0.2.3"),
        ])
}

@Suite struct ZoneSerialTests {
    @Test func comparesAcrossTheWrap() {
        #expect(Serial(1).compare(2) == .less)
        #expect(Serial(2).compare(1) == .greater)
        #expect(Serial(7).compare(7) == .equal)
        #expect(Serial(0xFFFF_FFFF).compare(0) == .less)
        #expect(Serial(0).follows(0xFFFF_FFFF))
        #expect(Serial(1).precedes(0x7FFF_FFFF))
        #expect(Serial(0x8000_0001).precedes(0))
        #expect(!Serial(5).precedes(5) && !Serial(5).follows(5))
    }

    @Test func exactlyHalfwayIsUndefined() {
        #expect(Serial(0).compare(0x8000_0000) == nil)
        #expect(Serial(0x8000_0000).compare(0) == nil)
        #expect(Serial(123).compare(Serial(123 + 0x8000_0000)) == nil)
        #expect(!Serial(0).precedes(0x8000_0000) && !Serial(0).follows(0x8000_0000))
    }

    @Test func additionIsLimited() {
        #expect(Serial(0xFFFF_FFFF).adding(1) == 0)
        #expect(Serial(10).adding(Serial.maxIncrement) == Serial(10 &+ 0x7FFF_FFFF))
        #expect(Serial(10).adding(0x8000_0000) == nil)
        #expect(Serial(10).adding(0)?.compare(10) == .equal)
        let later = Serial(0xFFFF_FFF0).adding(0x7FFF_FFFF)!
        #expect(later.follows(0xFFFF_FFF0))
    }

    @Test func printsAsANumber() {
        #expect(Serial(2_024_010_101).description == "2024010101")
    }
}

@Suite struct ZoneTests {
    typealias Data = ZoneTestData

    @Test func buildsFromTransferRecords() throws {
        let records = Data.version1 + [Data.soa(1)]  // with the closing SOA, as an AXFR carries it
        let zone = try Zone(origin: Data.origin, records: records)
        #expect(zone.serial == 1)
        #expect(zone.recordCount == Data.version1.count)
        #expect(zone.soa == Data.soa(1))
        #expect(zone.recordClass == .in)
        #expect(zone.records.first == Data.soa(1))
        #expect(Set(zone.records) == Set(Data.version1))
        #expect(zone.rrset(try DomainName("WWW.example.org."), .a)?.data == [try RecordData(type: .a, presentation: "192.0.2.1")])
        #expect(zone.rrset(Data.origin, .soa)?.records == [Data.soa(1)])
        #expect(zone.rrset(try DomainName("nothing.example.org."), .a) == nil)
        #expect(zone.contains(Data.rr("www", 1, .a, "192.0.2.1")))
        #expect(!zone.contains(Data.rr("www", 300, .a, "192.0.2.9")))
    }

    @Test func duplicatesMakeOneRecordAndTheLastTTLWins() throws {
        let zone = try Zone(
            origin: Data.origin,
            records: [Data.soa(1), Data.rr("a", 60, .a, "192.0.2.1"), Data.rr("A", 90, .a, "192.0.2.1"), Data.rr("a", 30, .a, "192.0.2.2")])
        let rrset = try #require(zone.rrset(try DomainName("a.example.org."), .a))
        #expect(rrset.count == 2)
        #expect(rrset.ttl == 30)
        #expect(zone.recordCount == 3)
    }

    @Test func refusesWhatIsNotOneZone() throws {
        let origin = Data.origin
        #expect(throws: ZoneError.noSOA(origin: origin)) { try Zone(origin: origin, records: Data.common) }
        let foreignSOA = DNSRecord(name: try DomainName("example.net."), ttl: 3600, data: Data.soa(1).data)
        #expect(throws: ZoneError.soaNotAtOrigin(foreignSOA, origin: origin)) { try Zone(origin: origin, records: [foreignSOA]) }
        #expect(throws: ZoneError.conflictingSOA(Data.soa(1), Data.soa(2))) {
            try Zone(origin: origin, records: [Data.soa(1), Data.soa(2)])
        }
        let outside = DNSRecord(name: try DomainName("www.example.net."), ttl: 60, data: try RecordData(type: .a, presentation: "192.0.2.1"))
        #expect(throws: ZoneError.outsideZone(outside, origin: origin)) { try Zone(origin: origin, records: [Data.soa(1), outside]) }
        // A name ending like the origin is not below it.
        let lookalike = DNSRecord(name: try DomainName("badexample.org."), ttl: 60, data: outside.data)
        #expect(throws: ZoneError.outsideZone(lookalike, origin: origin)) { try Zone(origin: origin, records: [Data.soa(1), lookalike]) }
        let chaos = Data.rr("txt", 60, .txt, "\"x\"", class: .chaos)
        #expect(throws: ZoneError.wrongClass(chaos, zoneClass: .in)) { try Zone(origin: origin, records: [chaos, Data.soa(1)]) }
        let opt = DNSRecord(name: origin, ttl: 0, data: try RecordData(type: .opt, wire: []))
        #expect(throws: ZoneError.metaType(opt)) { try Zone(origin: origin, records: [Data.soa(1), opt]) }
    }

    @Test func incrementalDifferencesGiveTheZoneAFreshTransferGives() throws {
        var zone = try Zone(origin: Data.origin, records: Data.version1)
        try zone.apply(Data.diff1to2)
        #expect(zone == (try Zone(origin: Data.origin, records: Data.version2)))
        try zone.apply(Data.diff2to3)
        let fresh = try Zone(origin: Data.origin, records: Data.version3)
        #expect(zone == fresh)
        #expect(zone.zoneFileText == fresh.zoneFileText)
        #expect(zone.rrset(try DomainName("txt.example.org."), .txt)?.ttl == 120)

        var sequence = try Zone(origin: Data.origin, records: Data.version1)
        try sequence.apply([Data.diff1to2, Data.diff2to3])
        #expect(sequence == fresh)

        var condensed = try Zone(origin: Data.origin, records: Data.version1)
        try condensed.apply(Data.diff1to3)
        #expect(condensed == fresh)
    }

    @Test func deletionsMatchOwnerWithoutCaseAndIgnoreTTL() throws {
        var zone = try Zone(origin: Data.origin, records: Data.version1)
        let diff = try ZoneDiff(oldSOA: Data.soa(1), deleted: [Data.rr("WwW", 9999, .a, "192.0.2.1")], newSOA: Data.soa(2), added: [])
        try zone.apply(diff)
        #expect(zone.rrset(try DomainName("www.example.org."), .a) == nil)
        #expect(zone.recordCount == Data.version1.count - 1)
    }

    @Test func aDifferenceThatDoesNotApplyLeavesTheZoneUnchanged() throws {
        let original = try Zone(origin: Data.origin, records: Data.version1)
        var zone = original
        let missing = Data.rr("www", 300, .a, "192.0.2.99")
        let bad = try ZoneDiff(
            oldSOA: Data.soa(2), deleted: [Data.rr("www", 300, .aaaa, "2001:db8::2"), missing], newSOA: Data.soa(3),
            added: [Data.rr("late", 60, .a, "192.0.2.4")])
        // The first difference applies, the second fails midway: nothing of either remains.
        #expect(throws: ZoneError.missingRecord(missing)) { try zone.apply([Data.diff1to2, bad]) }
        #expect(zone == original)
        #expect(zone.recordCount == original.recordCount)
        #expect(zone.zoneFileText == original.zoneFileText)

        #expect(throws: ZoneError.serialMismatch(zone: 1, difference: 2)) { try zone.apply(Data.diff2to3) }
        #expect(zone == original)

        let backwards = try ZoneDiff(oldSOA: Data.soa(1), deleted: [], newSOA: Data.soa(1), added: [])
        #expect(throws: ZoneError.serialNotAfter(old: 1, new: 1)) { try zone.apply(backwards) }
        let outside = DNSRecord(name: try DomainName("x.example.net."), ttl: 1, data: try RecordData(type: .a, presentation: "192.0.2.1"))
        let escaping = try ZoneDiff(oldSOA: Data.soa(1), deleted: [Data.rr("www", 300, .a, "192.0.2.1")], newSOA: Data.soa(2), added: [outside])
        #expect(throws: ZoneError.outsideZone(outside, origin: Data.origin)) { try zone.apply(escaping) }
        let soaInside = try ZoneDiff(oldSOA: Data.soa(1), deleted: [Data.soa(1)], newSOA: Data.soa(2), added: [])
        #expect(throws: ZoneError.misplacedSOA(Data.soa(1))) { try zone.apply(soaInside) }
        #expect(zone == original)
        #expect(throws: ZoneError.notSOA(Data.common[0])) {
            try ZoneDiff(oldSOA: Data.common[0], deleted: [], newSOA: Data.soa(2), added: [])
        }
    }

    @Test func aLargeZoneTakesASmallDifferenceAndCopiesStayApart() throws {
        let records = (0..<20_000).map { index in
            ZoneTestData.rr("host\(index)", 300, .a, "10.\(index >> 16).\(index >> 8 & 0xFF).\(index & 0xFF)")
        }
        var zone = try Zone(origin: ZoneTestData.origin, records: [ZoneTestData.soa(1)] + records)
        let original = zone
        let diff = try ZoneDiff(
            oldSOA: ZoneTestData.soa(1), deleted: [records[5]], newSOA: ZoneTestData.soa(2), added: [ZoneTestData.rr("extra", 1, .a, "10.9.9.9")])
        try zone.apply(diff)
        #expect(zone.recordCount == 20_001 && zone.serial == 2 && !zone.contains(records[5]))
        #expect(original.recordCount == 20_001 && original.serial == 1 && original.contains(records[5]))
        #expect(zone.zoneFileText.split(separator: "\n").count == 20_002)
    }

    @Test func errorsSayWhatIsWrong() {
        let record = ZoneTestData.rr("www", 300, .a, "192.0.2.99")
        #expect(ZoneError.missingRecord(record).description.contains("www.example.org. 300 IN A 192.0.2.99"))
        #expect(ZoneError.serialMismatch(zone: 1, difference: 2).description == "the difference starts at serial 2, the zone is at 1")
    }

    @Test func recordsComeInCanonicalOrderWithTheSOAFirst() throws {
        // The example of RFC 4034 §6.1, in the zone "example."
        let origin = try DomainName("example.")
        let names = [
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.",
            "*.z.example.", "\\200.z.example.",
        ]
        let soa = DNSRecord(name: origin, ttl: 60, data: ZoneTestData.soa(1).data)
        let records = try names.reversed().map { name in
            DNSRecord(name: try DomainName(name), ttl: 60, data: try RecordData(type: .txt, presentation: "x"))
        }
        let zone = try Zone(origin: origin, records: records + [soa])
        #expect(zone.records.map(\.name.description) == ["example."] + names)
        #expect(zone.records.first?.type == .soa)
        let lines = zone.zoneFileText.split(separator: "\n")
        #expect(lines.first == "$ORIGIN example.")
        #expect(lines.dropFirst().first?.hasPrefix("example.") == true && lines.dropFirst().first?.contains("SOA") == true)
        #expect(zone.description == zone.zoneFileText)
    }

    // MARK: - named-checkzone

    /// A zone of many record types, escaped and wildcard owners included, that BIND's default
    /// checks accept (hosts named in NS, MX and SRV have addresses; odd owners hold TXT).
    static let representative: [DNSRecord] = {
        typealias D = ZoneTestData
        let signature = "AHPsJm1PtK2/PRBKpxT58RAy/Yq22IKfxAtSyG9khdeSjMLr1GRvP+PzdL4R2QW/S+J1+obziJ2CqffcXkHdMg=="
        let key = "gzX6VtSHVi3iSPR778cnQzNAUd3/zCwJJ19mVFSZAxdZR0XuF8CPeYzX3OC6gVXc2hT2OYwdFUURZSChMwF8CQ=="
        return [
            D.soa(2_024_010_101),
            D.rr("@", 3600, .ns, "ns1.example.org."), D.rr("@", 3600, .ns, "ns2.example.org."),
            D.rr("ns1", 3600, .a, "192.0.2.53"), D.rr("ns2", 3600, .aaaa, "2001:db8::53"),
            D.rr("@", 3600, .mx, "10 mail.example.org."), D.rr("@", 3600, .mx, "20 mail2.example.org."),
            D.rr("mail", 3600, .a, "192.0.2.25"), D.rr("mail", 3600, .aaaa, "2001:db8::25"), D.rr("mail2", 3600, .a, "192.0.2.26"),
            D.rr("www", 300, .a, "192.0.2.80"), D.rr("www", 300, .a, "192.0.2.81"), D.rr("www", 300, .aaaa, "2001:db8::80"),
            D.rr("txt", 60, .txt, #""hello world" "say \"hi\"" "semi;colon" "back\\slash" plain"#),
            D.rr("_sip._tcp", 60, .srv, "10 20 5060 sip.example.org."), D.rr("sip", 60, .a, "192.0.2.60"),
            D.rr("@", 3600, .caa, #"0 issue "ca.example.net""#), D.rr("@", 3600, .caa, #"128 iodef "mailto:security@example.org""#),
            D.rr("host", 3600, .sshfp, "4 2 cef2c8d0a0a0c2a8b137af7ed4a8df67820431a4ac2d4962ef0d989fb4d0cf9e"),
            D.rr("_443._tcp.www", 3600, .tlsa, "3 1 1 16058d40ff834e025ad15ec37ee5c0ed9df770c37ba2491cc5d8fc0db93696eb"),
            D.rr("sub", 3600, .ns, "ns.sub.example.org."), D.rr("ns.sub", 3600, .a, "192.0.2.100"),
            D.rr("sub", 3600, .ds, "12345 13 2 f9c7af7ebcbf098b9f5f37361d1b168bb2e5b98d930ceef0f055377a8c94db61"),
            D.rr("@", 3600, .dnskey, "257 3 13 \(key)"),
            D.rr("@", 3600, .rrsig, "SOA 13 2 3600 20300101000000 20240101000000 12345 example.org. \(signature)"),
            D.rr("@", 3600, .nsec, "_sip._tcp.example.org. NS SOA MX TXT RRSIG NSEC DNSKEY CAA"),
            D.rr("@", 0, .nsec3param, "1 0 10 AABBCCDD"),
            D.rr("2vptu5timamqttgl4luu9kg21e0aor3s", 3600, .nsec3, "1 0 10 AABBCCDD 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3T A RRSIG"),
            D.rr("www", 300, .https, #"1 . alpn="h2,h3" ipv4hint=192.0.2.80"#),
            D.rr("_svc", 300, .svcb, "1 svc.example.net. port=8443"),
            D.rr("loc", 3600, .loc, "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"),
            D.rr("naptr", 3600, .naptr, #"100 10 "U" "E2U+sip" "!^.*$!sip:info@example.org!" ."#),
            D.rr("*.wild", 60, .a, "192.0.2.99"), D.rr("*", 60, .txt, "\"wildcard\""),
            D.rr("a\\.b", 60, .txt, "\"dot in a label\""), D.rr("sp\\032ace", 60, .txt, "\"space\""),
            D.rr("\\$dollar", 60, .txt, "\"dollar\""), D.rr("\\@at", 60, .txt, "\"at\""), D.rr("semi\\;colon", 60, .txt, "\"semicolon\""),
            D.rr("\\(paren\\)", 60, .txt, "\"parentheses\""), D.rr("quote\\\"d", 60, .txt, "\"quote\""), D.rr("\\200byte", 60, .txt, "\"octet\""),
            D.rr("xn--bcher-kva", 60, .a, "192.0.2.7"),
            D.rr("alias", 60, .cname, "www.example.org."), D.rr("ptr", 60, .ptr, "www.example.org."),
            D.rr("hinfo", 60, .hinfo, #""PC" "Linux""#), D.rr("redirect", 60, .dname, "example.net."),
            D.rr("unknown", 60, RecordType(65280), ##"\# 4 C0000201"##),
        ]
    }()

    @Test(.enabled(if: Self.checkzone != nil || ProcessInfo.processInfo.environment["CI"] != nil))
    func namedCheckzoneAcceptsTheZoneFile() throws {
        guard let tool = Self.checkzone else {
            Issue.record("named-checkzone is missing: Scripts/install-deps.sh bind9-utils")
            return
        }
        let zone = try Zone(origin: ZoneTestData.origin, records: Self.representative)
        #expect(zone.recordCount == Self.representative.count)
        let (status, output) = try Self.check(tool, zone: zone, options: [])
        #expect(status == 0, "named-checkzone refused:\n\(output)\n\(zone.zoneFileText)")
        #expect(output.contains("OK"))
        let (_, dump) = try Self.check(tool, zone: zone, options: ["-D", "-o", "-"])
        let dumped = dump.split(separator: "\n").filter { !$0.hasPrefix(";") && !$0.hasPrefix("zone ") && $0 != "OK" && !$0.isEmpty }
        #expect(dumped.count == zone.recordCount, "\(dump)")
    }

    /// Every record type of the golden vectors that BIND loads (Fixtures/records.json, from
    /// Scripts/fixtures/records.zone): named-checkzone reads our text back into the same records.
    @Test(.enabled(if: Self.checkzone != nil || ProcessInfo.processInfo.environment["CI"] != nil))
    func namedCheckzoneReadsEveryVectorTypeBack() throws {
        guard let tool = Self.checkzone else {
            Issue.record("named-checkzone is missing: Scripts/install-deps.sh bind9-utils")
            return
        }
        let origin = try DomainName("fixtures.test.")
        let records = try RecordVector.all.filter { ["bind", "bind-direct"].contains($0.source) }.compactMap { vector -> DNSRecord? in
            let name = try DomainName(vector.owner)
            let type = RecordType(vector.code)
            guard name.isSubdomain(of: origin), type != .opt, !(128...255).contains(vector.code) else { return nil }
            return DNSRecord(name: name, ttl: 3600, data: try RecordData(type: type, wire: hex(vector.wire)))
        }
        let zone = try Zone(origin: origin, records: records)
        #expect(zone.recordCount > 200)
        let (status, output) = try Self.check(tool, zone: zone, options: ["-i", "none", "-D", "-o", "-"])
        #expect(status == 0, "named-checkzone refused:\n\(output)")
        // BIND's own dump of our text, read back: the same records.
        let dumped = output.split(separator: "\n").filter { !$0.hasPrefix(";") && !$0.hasPrefix("zone ") && $0 != "OK" && !$0.isEmpty }
        #expect(dumped.count == zone.recordCount)
        let again = try Zone(origin: origin, records: dumped.map(Self.parseDumpLine))
        #expect(again == zone)
    }

    /// One line of `named-checkzone -D` output (owner, TTL, class, type, RDATA) as a record.
    private static func parseDumpLine(_ line: Substring) throws -> DNSRecord {
        let fields = line.split(maxSplits: 4, omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "\t" })
        let type = try #require(RecordType(mnemonic: String(fields[3])))
        return DNSRecord(
            name: try DomainName(String(fields[0])), recordClass: try #require(RecordClass(mnemonic: String(fields[2]))),
            ttl: try #require(UInt32(fields[1])), data: try RecordData(type: type, presentation: fields.count > 4 ? String(fields[4]) : ""))
    }

    static let checkzone: String? = {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin"]
        return path.map { "\($0)/named-checkzone" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Writes the zone to a temporary file and runs named-checkzone on it; returns the exit
    /// status and what it printed on standard output (its warnings go to standard error).
    private static func check(_ tool: String, zone: Zone, options: [String]) throws -> (Int32, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("zone.db")
        try zone.zoneFileText.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = options + [zone.origin.description, file.path]
        let output = Pipe()
        let errors = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self))
    }
}
