// SPDX-License-Identifier: Apache-2.0
// Canonical name order, NSEC3 hashes and NSEC / NSEC3 denial proofs (RFC 4034 §6.1, RFC 4035 §5.4,
// RFC 5155 §5 and §8, RFC 6840 §4.1, RFC 9276) over BIND 9.18's signed fixture zones.

import Foundation
import Testing

@testable import DNSWire

/// The NSEC and NSEC3 records of the fixture zones (Scripts/fixtures/generate-dnssec-fixtures.sh).
private enum DenialFixtures {
    static let nsecZone = try! DomainName("dnssec.test.")
    static let nsec3Zone = try! DomainName("nsec3.test.")
    static let optOutZone = try! DomainName("optout.test.")

    static let nsecRecords = load("dnssec.test.signed")
    static let nsec3Records = load("nsec3.test.signed")
    static let optOutRecords = load("optout.test.signed")

    private static func load(_ file: String) -> [DNSRecord] {
        let text = try! String(contentsOf: fixtureURL("dnssec/\(file)"), encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(";") && !$0.allSatisfy(\.isWhitespace) }
            .compactMap(DNSSECFixtures.parseRecord)
    }

    /// The NSEC owned by `owner` (relative to dnssec.test.).
    static func nsec(_ owner: String) -> DNSRecord {
        let name = owner == "@" ? nsecZone : try! DomainName(owner, origin: nsecZone)
        return nsecRecords.first { $0.type == .nsec && $0.name == name }!
    }

    /// The NSEC3 records of a zone.
    static func nsec3s(_ records: [DNSRecord]) -> [DNSRecord] { records.filter { $0.type == .nsec3 } }

    /// The NSEC3PARAM at a zone's apex.
    static func parameters(_ records: [DNSRecord]) -> RecordData.NSEC3PARAM {
        records.first { $0.type == .nsec3param }!.data.as(RecordData.NSEC3PARAM.self)!
    }

    /// The NSEC3 matching `name` (relative to the zone): its owner label is the name's hash.
    static func nsec3(matching name: String, in records: [DNSRecord], zone: DomainName) -> DNSRecord {
        let owner = try! NSEC3Hash.hashedOwner(of: absolute(name, zone), zone: zone, parameters: parameters(records))
        return nsec3s(records).first { $0.name == owner }!
    }

    /// The NSEC3 covering `name`, found by comparing the decoded hashes here.
    static func nsec3(covering name: String, in records: [DNSRecord], zone: DomainName) -> DNSRecord {
        let hash = try! NSEC3Hash.hash(of: absolute(name, zone), parameters: parameters(records))
        return nsec3s(records).first { record in
            let owner = BaseEncoding.base32hex.decode(String(decoding: record.name.labels[0], as: UTF8.self))!
            let next = record.data.as(RecordData.NSEC3.self)!.nextHashedOwnerName
            let wraps = !owner.lexicographicallyPrecedes(next)
            let after = owner.lexicographicallyPrecedes(hash)
            let before = hash.lexicographicallyPrecedes(next)
            return wraps ? after || before : after && before
        }!
    }

    static func absolute(_ name: String, _ zone: DomainName) -> DomainName {
        name == "@" ? zone : try! DomainName(name, origin: zone)
    }

    /// A copy of an NSEC3 record with its data changed.
    static func modified(_ record: DNSRecord, _ change: (inout RecordData.NSEC3) -> Void) -> DNSRecord {
        var data = record.data.as(RecordData.NSEC3.self)!
        change(&data)
        return DNSRecord(name: record.name, recordClass: record.recordClass, ttl: record.ttl, data: try! RecordData(type: .nsec3, data))
    }
}

private func name(_ text: String) -> DomainName { try! DomainName(text) }

@Suite struct DenialProofTests {
    // MARK: - Canonical order (RFC 4034 §6.1)

    /// RFC 4034 §6.1's example, in canonical order.
    static let rfc4034Order = [
        "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.",
        "\\001.z.example.", "*.z.example.", "\\200.z.example.",
    ]

    @Test func canonicalOrderMatchesRFC4034Example() throws {
        let names = try Self.rfc4034Order.map { try DomainName($0) }
        for (i, a) in names.enumerated() {
            for (j, b) in names.enumerated() {
                let order = a.canonicalCompare(b)
                #expect(i < j ? order < 0 : i > j ? order > 0 : order == 0, "\(a) vs \(b)")
                #expect((a < b) == (i < j), "the Comparable order agrees: \(a) vs \(b)")
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            #expect(names.shuffled(using: &generator).sorted { $0.canonicalCompare($1) < 0 } == names)
        }
        #expect(name("WWW.Example.").canonicalCompare(name("www.example.")) == 0)
        #expect(name("z.a.").canonicalCompare(name("a.b.")) < 0, "by the rightmost label first")
        #expect(name("ab.example.").canonicalCompare(name("a.example.")) > 0, "a label's prefix sorts first")
        #expect(DomainName.root.canonicalCompare(name("a.")) < 0)
    }

    @Test func nameHelpers() {
        #expect(name("a.b.example.").commonAncestor(with: name("C.B.example.")) == name("b.example."))
        #expect(name("a.example.").commonAncestor(with: name("b.test.")) == .root)
        #expect(name("a.b.example.").suffix(labels: 2) == name("b.example."))
        #expect(name("a.b.example.").suffix(labels: 9) == name("a.b.example."))
        #expect(name("example.").wildcard == name("*.example."))
    }

    // MARK: - NSEC3 hash (RFC 5155 §5, Appendix A)

    /// RFC 5155 Appendix A: salt AABBCCDD, 12 iterations (checked against BIND's nsec3hash too).
    @Test(arguments: [
        ("example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
        ("a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
        ("ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi"),
        ("ns1.example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
        ("ns2.example.", "q04jkcevqvmu85r014c7dkba38o0ji5r"),
        ("w.example.", "k8udemvp1j2f7eg6jebps17vp3n8i58h"),
        ("*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"),
        ("x.w.example.", "b4um86eghhds6nea196smvmlo4ors995"),
        ("y.w.example.", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"),
        ("x.y.w.example.", "2vptu5timamqttgl4luu9kg21e0aor3s"),
        ("xx.example.", "t644ebqk9bibcna874givr6joj62mlhv"),
        ("A.EXAMPLE.", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
    ])
    func rfc5155AppendixAHashes(_ owner: String, _ expected: String) throws {
        let hash = try NSEC3Hash.hash(of: try DomainName(owner), salt: [0xAA, 0xBB, 0xCC, 0xDD], iterations: 12)
        #expect(hash.count == 20)
        #expect(NSEC3Hash.label(hash) == expected)
    }

    /// Every name of the NSEC3 zones (empty non-terminals included) hashes to an owner BIND wrote,
    /// and every NSEC3 owner is such a hash; the opt-out zone has none for its unsigned delegation.
    @Test func fixtureOwnersAreTheHashesOfTheNames() throws {
        let cases: [(records: [DNSRecord], zone: DomainName, names: [String], absent: [String])] = [
            (DenialFixtures.nsec3Records, DenialFixtures.nsec3Zone, ["@", "ns", "mx", "any", "*.any", "secure", "unsigned"], []),
            (DenialFixtures.optOutRecords, DenialFixtures.optOutZone, ["@", "ns", "www", "secure"], ["unsigned"]),
        ]
        for (records, zone, names, absent) in cases {
            let parameters = DenialFixtures.parameters(records)
            let owners = Set(DenialFixtures.nsec3s(records).map(\.name))
            let hashed = try names.map { try NSEC3Hash.hashedOwner(of: DenialFixtures.absolute($0, zone), zone: zone, parameters: parameters) }
            #expect(Set(hashed) == owners, "\(zone)")
            for name in absent {
                let owner = try NSEC3Hash.hashedOwner(of: DenialFixtures.absolute(name, zone), zone: zone, parameters: parameters)
                #expect(!owners.contains(owner))
            }
        }
    }

    @Test func hashRefusesTooManyIterationsAndUnknownAlgorithms() {
        #expect(throws: NSEC3HashError.iterationsAboveLimit(151)) {
            try NSEC3Hash.hash(of: name("example."), salt: [], iterations: 151)
        }
        #expect(throws: NSEC3HashError.iterationsAboveLimit(65535)) {
            try NSEC3Hash.hash(of: name("example."), salt: [], iterations: 65535, limit: 2500)
        }
        #expect(throws: NSEC3HashError.iterationsAboveLimit(1)) {
            try NSEC3Hash.hash(of: name("example."), salt: [], iterations: 1, limit: 0)
        }
        #expect(throws: NSEC3HashError.unsupportedAlgorithm(2)) {
            try NSEC3Hash.hash(of: name("example."), algorithm: 2, salt: [], iterations: 0)
        }
        #expect((try? NSEC3Hash.hash(of: name("example."), salt: [], iterations: 150)) != nil)
    }

    @Test func bitmapsAndFlags() {
        let nsec = DenialFixtures.nsec("www").data.as(RecordData.NSEC.self)!
        #expect(nsec.typeBitmapContains(.a) && nsec.typeBitmapContains(.txt) && !nsec.typeBitmapContains(.mx))
        let optOut = DenialFixtures.nsec3s(DenialFixtures.optOutRecords)[0].data.as(RecordData.NSEC3.self)!
        #expect(optOut.isOptOut)
        #expect(!DenialFixtures.nsec3s(DenialFixtures.nsec3Records)[0].data.as(RecordData.NSEC3.self)!.isOptOut)
    }

    // MARK: - NSEC (dnssec.test.)

    private func nsec(_ claim: DenialProof.Claim, _ qname: String, _ owners: [String]) -> DenialProof.Result {
        nsec(claim, qname, .a, owners)
    }

    private func nsec(_ claim: DenialProof.Claim, _ qname: String, _ type: RecordType, _ owners: [String]) -> DenialProof.Result {
        DenialProof.check(
            claim, name: DenialFixtures.absolute(qname, DenialFixtures.nsecZone), type: type, zone: DenialFixtures.nsecZone,
            records: owners.map(DenialFixtures.nsec))
    }

    @Test func nsecNameError() {
        // nonexistent < ns1: Mail's NSEC covers it; the apex NSEC covers *.dnssec.test.
        #expect(nsec(.nameError, "nonexistent", ["Mail", "@"]) == .nxdomain)
        #expect(nsec(.nameError, "NonExistent", ["@", "Mail"]) == .nxdomain)
        #expect(nsec(.nameError, "nonexistent", ["Mail"]) == .bogus(.noCoveringRecord(name("*.dnssec.test."))))
        #expect(nsec(.nameError, "nonexistent", ["@"]) == .bogus(.noCoveringRecord(name("nonexistent.dnssec.test."))))
        #expect(nsec(.nameError, "nonexistent", []) == .bogus(.noRecords))
        // After www, wrapping to the apex: www's NSEC is the last one.
        #expect(nsec(.nameError, "zzz", ["www", "@"]) == .nxdomain)
        #expect(nsec(.nameError, "www", ["www", "@"]) == .bogus(.nameExists(name("www.dnssec.test."))))
        #expect(nsec(.nameError, "other.test.", ["www", "@"]) == .bogus(.outsideZone))
    }

    @Test func nsecNameErrorRefusesEmptyNonTerminalsWildcardsAndNamesBelowACut() {
        // tree is an empty non-terminal (secure's NSEC points to deep.tree).
        #expect(nsec(.nameError, "tree", ["secure", "@"]) == .bogus(.nameExists(name("tree.dnssec.test."))))
        // *.wild exists: x.wild would have been synthesized.
        #expect(nsec(.nameError, "x.wild", ["*.wild", "@"]) == .bogus(.wildcardExists(name("*.wild.dnssec.test."))))
        // RFC 6840 §4.1: unsigned's NSEC (NS, no SOA) "covers" host.unsigned but speaks only for the parent.
        #expect(nsec(.nameError, "host.unsigned", ["unsigned", "@"]) == .bogus(.ancestorDelegation))
    }

    @Test func nsecNoData() {
        #expect(nsec(.noData, "www", .mx, ["www"]) == .nodata)
        #expect(nsec(.noData, "WWW", .aaaa, ["www"]) == .nodata)
        #expect(nsec(.noData, "www", .a, ["www"]) == .bogus(.typeExists(.a)))
        #expect(nsec(.noData, "www", .txt, ["www"]) == .bogus(.typeExists(.txt)))
        // Alias has a CNAME: no NODATA for A there (RFC 6840 §4.3).
        #expect(nsec(.noData, "alias", .a, ["Alias"]) == .bogus(.cnameExists))
        // An empty non-terminal has no type at all.
        #expect(nsec(.noData, "tree", .a, ["secure"]) == .nodata)
        #expect(nsec(.noData, "nonexistent", .a, ["Mail", "@"]) == .bogus(.noMatchingRecord(name("nonexistent.dnssec.test."))))
        #expect(nsec(.noData, "www", .mx, ["Mail"]) == .bogus(.noMatchingRecord(name("www.dnssec.test."))))
    }

    @Test func nsecNoDataForDSAndDelegations() {
        // unsigned: NS RRSIG NSEC, no DS: an unsigned delegation (RFC 6840 §4.1, RFC 4035 §5.2).
        #expect(nsec(.noData, "unsigned", .ds, ["unsigned"]) == .insecureDelegation)
        #expect(nsec(.noData, "secure", .ds, ["secure"]) == .bogus(.typeExists(.ds)))
        // The parent-side NSEC at a cut proves nothing about other types.
        #expect(nsec(.noData, "unsigned", .a, ["unsigned"]) == .bogus(.ancestorDelegation))
        #expect(nsec(.noData, "secure", .txt, ["secure"]) == .bogus(.ancestorDelegation))
        // The apex NSEC (SOA set) is the child's: it cannot deny the DS above it.
        #expect(nsec(.noData, "@", .ds, ["@"]) == .bogus(.childApexForDS))
        #expect(nsec(.noData, "@", .aaaa, ["@"]) == .nodata)
        // No delegation at ns1: a plain NODATA for DS.
        #expect(nsec(.noData, "ns1", .ds, ["ns1"]) == .nodata)
    }

    @Test func nsecWildcardNoData() {
        // x.wild does not exist (covered by *.wild's NSEC); *.wild has A and TXT.
        #expect(nsec(.noData, "x.wild", .mx, ["*.wild"]) == .wildcardNoData)
        #expect(nsec(.noData, "x.wild", .a, ["*.wild"]) == .bogus(.typeExists(.a)))
        #expect(nsec(.noData, "x.wild", .mx, ["unsigned"]) == .bogus(.noMatchingRecord(name("x.wild.dnssec.test."))))
    }

    @Test func nsecWildcardAnswer() throws {
        // The labels of the RRSIG BIND made over *.wild A.
        let rrsig = try #require(DenialFixtures.nsecRecords.first { $0.type == .rrsig && $0.name == name("*.wild.dnssec.test.") })
        let labels = try #require(rrsig.data.as(RecordData.RRSIG.self)).labels
        #expect(labels == 3)
        #expect(nsec(.wildcardAnswer(labels: labels), "host.wild", ["*.wild"]) == .wildcardAnswer)
        #expect(nsec(.wildcardAnswer(labels: labels), "a.b.wild", ["*.wild"]) == .wildcardAnswer)
        #expect(nsec(.wildcardAnswer(labels: labels), "host.wild", ["@"]) == .bogus(.noCoveringRecord(name("host.wild.dnssec.test."))))
        // Claiming *.dnssec.test. for x.wild: wild exists, closer than the claimed encloser.
        #expect(nsec(.wildcardAnswer(labels: 2), "x.wild", ["*.wild"]) == .bogus(.closerNameExists))
        #expect(nsec(.wildcardAnswer(labels: 3), "www", ["www"]) == .bogus(.invalidWildcardLabels))
        #expect(nsec(.wildcardAnswer(labels: 1), "host.wild", ["*.wild"]) == .bogus(.invalidWildcardLabels))
    }

    // MARK: - NSEC3 (nsec3.test., optout.test.)

    private func nsec3(
        _ claim: DenialProof.Claim, _ qname: String, _ type: RecordType = .a, matching: [String] = [], covering: [String] = [],
        records: [DNSRecord] = DenialFixtures.nsec3Records, zone: DomainName = DenialFixtures.nsec3Zone,
        change: ((inout RecordData.NSEC3) -> Void)? = nil
    ) -> DenialProof.Result {
        var selected = matching.map { DenialFixtures.nsec3(matching: $0, in: records, zone: zone) }
        selected += covering.map { DenialFixtures.nsec3(covering: $0, in: records, zone: zone) }
        if let change { selected = selected.map { DenialFixtures.modified($0, change) } }
        return DenialProof.check(claim, name: DenialFixtures.absolute(qname, zone), type: type, zone: zone, records: selected)
    }

    @Test func nsec3NameError() {
        // Closest encloser nsec3.test. (matched), next closer nope (covered), *.nsec3.test. covered.
        #expect(nsec3(.nameError, "nope", matching: ["@"], covering: ["nope", "*"]) == .nxdomain)
        #expect(nsec3(.nameError, "a.b.nope", matching: ["@"], covering: ["nope", "*"]) == .nxdomain)
        #expect(nsec3(.nameError, "nope", matching: ["@"], covering: ["nope"]) == .bogus(.noCoveringRecord(name("*.nsec3.test."))))
        #expect(nsec3(.nameError, "nope", matching: ["@"], covering: ["*"]) == .bogus(.noCoveringRecord(name("nope.nsec3.test."))))
        #expect(nsec3(.nameError, "nope", covering: ["nope", "*"]) == .bogus(.noMatchingRecord(name("nsec3.test."))))
        #expect(nsec3(.nameError, "ns", matching: ["ns", "@"]) == .bogus(.nameExists(name("ns.nsec3.test."))))
        // *.any exists: x.any would have been synthesized.
        #expect(nsec3(.nameError, "x.any", matching: ["any", "*.any"], covering: ["x.any"]) == .bogus(.wildcardExists(name("*.any.nsec3.test."))))
        // The closest encloser unsigned is a cut (NS, no SOA): nothing below it is in this zone.
        #expect(nsec3(.nameError, "host.unsigned", matching: ["unsigned"], covering: ["host.unsigned", "*.unsigned"]) == .bogus(.ancestorDelegation))
    }

    @Test func nsec3NoData() {
        #expect(nsec3(.noData, "ns", .mx, matching: ["ns"]) == .nodata)
        #expect(nsec3(.noData, "ns", .a, matching: ["ns"]) == .bogus(.typeExists(.a)))
        // any is an empty non-terminal: its NSEC3 has an empty bit map.
        #expect(nsec3(.noData, "any", .txt, matching: ["any"]) == .nodata)
        #expect(nsec3(.noData, "ns", .mx, matching: ["mx"]) == .bogus(.noMatchingRecord(name("ns.nsec3.test."))))
        // A CNAME at the name: not NODATA (RFC 5155 §8.5).
        #expect(nsec3(.noData, "ns", .mx, matching: ["ns"], change: { $0.types.append(.cname) }) == .bogus(.cnameExists))
    }

    @Test func nsec3NoDataForDSAndDelegations() {
        #expect(nsec3(.noData, "unsigned", .ds, matching: ["unsigned"]) == .insecureDelegation)
        #expect(nsec3(.noData, "secure", .ds, matching: ["secure"]) == .bogus(.typeExists(.ds)))
        #expect(nsec3(.noData, "unsigned", .a, matching: ["unsigned"]) == .bogus(.ancestorDelegation))
        #expect(nsec3(.noData, "@", .ds, matching: ["@"]) == .bogus(.childApexForDS))
        #expect(nsec3(.noData, "mx", .ds, matching: ["mx"]) == .nodata)
    }

    @Test func nsec3OptOut() {
        let zone = DenialFixtures.optOutZone
        let records = DenialFixtures.optOutRecords
        // No NSEC3 for unsigned; the apex matches and an opt-out NSEC3 covers unsigned (RFC 5155 §8.6, §8.9).
        #expect(nsec3(.noData, "unsigned", .ds, matching: ["@"], covering: ["unsigned"], records: records, zone: zone) == .insecureDelegation)
        #expect(
            nsec3(.noData, "unsigned", .ds, matching: ["@"], covering: ["unsigned"], records: records, zone: zone, change: { $0.flags = 0 })
                == .bogus(.notOptOut))
        #expect(
            nsec3(.noData, "unsigned", .a, matching: ["@"], covering: ["unsigned"], records: records, zone: zone)
                == .bogus(.noMatchingRecord(name("unsigned.optout.test."))))
        #expect(
            nsec3(.noData, "unsigned", .ds, covering: ["unsigned"], records: records, zone: zone)
                == .bogus(.noMatchingRecord(name("unsigned.optout.test."))))
        #expect(nsec3(.noData, "secure", .ds, matching: ["secure"], records: records, zone: zone) == .bogus(.typeExists(.ds)))
        // A name error in an opt-out span proves nothing secure: an unsigned delegation may be there.
        #expect(nsec3(.nameError, "nope", matching: ["@"], covering: ["nope", "*"], records: records, zone: zone) == .insecure(.optOut))
    }

    @Test func nsec3WildcardNoData() {
        // x.any: closest encloser any (matched, an empty non-terminal), x.any covered, *.any matched with A.
        #expect(nsec3(.noData, "x.any", .mx, matching: ["any", "*.any"], covering: ["x.any"]) == .wildcardNoData)
        // The next closer name in an opt-out span: it may be an unsigned delegation (as Unbound).
        #expect(nsec3(.noData, "x.any", .mx, matching: ["any", "*.any"], covering: ["x.any"], change: { $0.flags = 1 }) == .insecure(.optOut))
        #expect(nsec3(.noData, "x.any", .a, matching: ["any", "*.any"], covering: ["x.any"]) == .bogus(.typeExists(.a)))
        #expect(nsec3(.noData, "x.any", .mx, matching: ["any"], covering: ["x.any"]) == .bogus(.noMatchingRecord(name("x.any.nsec3.test."))))
    }

    @Test func nsec3WildcardAnswer() throws {
        let rrsig = try #require(DenialFixtures.nsec3Records.first { $0.type == .rrsig && $0.name == name("*.any.nsec3.test.") })
        let labels = try #require(rrsig.data.as(RecordData.RRSIG.self)).labels
        #expect(labels == 3)
        #expect(nsec3(.wildcardAnswer(labels: labels), "x.any", covering: ["x.any"]) == .wildcardAnswer)
        #expect(nsec3(.wildcardAnswer(labels: labels), "x.any", covering: ["x.any"], change: { $0.flags = 1 }) == .insecure(.optOut))
        #expect(nsec3(.wildcardAnswer(labels: labels), "a.b.any", covering: ["b.any"]) == .wildcardAnswer)
        #expect(nsec3(.wildcardAnswer(labels: labels), "x.any", matching: ["any"]) == .bogus(.noCoveringRecord(name("x.any.nsec3.test."))))
        // Claiming *.nsec3.test. for x.any: the next closer any exists.
        #expect(nsec3(.wildcardAnswer(labels: 2), "x.any", matching: ["any"], covering: ["x.any"]) == .bogus(.closerNameExists))
    }

    @Test func nsec3IterationsAboveTheLimitAreInsecure() {
        let over: (inout RecordData.NSEC3) -> Void = { $0.iterations = 151 }
        #expect(nsec3(.nameError, "nope", matching: ["@"], covering: ["nope", "*"], change: over) == .insecure(.iterationsAboveLimit(151)))
        #expect(nsec3(.noData, "ns", .mx, matching: ["ns"], change: over) == .insecure(.iterationsAboveLimit(151)))
        #expect(nsec3(.wildcardAnswer(labels: 3), "x.any", covering: ["x.any"], change: over) == .insecure(.iterationsAboveLimit(151)))
        // A lower limit of the caller's.
        let records = [DenialFixtures.nsec3(matching: "ns", in: DenialFixtures.nsec3Records, zone: DenialFixtures.nsec3Zone)]
        let proof = NSEC3Proof(
            zone: DenialFixtures.nsec3Zone, records: records.map { DenialFixtures.modified($0) { $0.iterations = 10 } }, iterationLimit: 5)
        #expect(proof.noData(name("ns.nsec3.test."), type: .mx) == .insecure(.iterationsAboveLimit(10)))
    }

    @Test func nsec3UnknownAlgorithmsAndFlagsAreIgnored() {
        #expect(nsec3(.noData, "ns", .mx, matching: ["ns"], change: { $0.hashAlgorithm = 2 }) == .bogus(.noUsableNSEC3))
        #expect(nsec3(.noData, "ns", .mx, matching: ["ns"], change: { $0.flags = 0x81 }) == .bogus(.noUsableNSEC3))
        // An unknown-algorithm copy beside the real records changes nothing.
        let records = DenialFixtures.nsec3Records
        let zone = DenialFixtures.nsec3Zone
        let good = [DenialFixtures.nsec3(matching: "ns", in: records, zone: zone)]
        let unknown = good.map { DenialFixtures.modified($0) { $0.hashAlgorithm = 200 } }
        #expect(DenialProof.check(.noData, name: name("ns.nsec3.test."), type: .mx, zone: zone, records: unknown + good) == .nodata)
    }

    @Test func nsec3RecordsWithOtherParametersAreIgnored() {
        let records = DenialFixtures.nsec3Records
        let zone = DenialFixtures.nsec3Zone
        let qname = name("nope.nsec3.test.")
        let proof = ["@", "nope", "*"].enumerated().map { index, name in
            index == 0
                ? DenialFixtures.nsec3(matching: name, in: records, zone: zone)
                : DenialFixtures.nsec3(covering: name, in: records, zone: zone)
        }
        let stray = DenialFixtures.modified(proof[1]) { $0.salt = [0xBE, 0xEF] }
        let parameters = DenialFixtures.parameters(records)
        // With the zone's NSEC3PARAM, the stray record is ignored.
        #expect(DenialProof.check(.nameError, name: qname, type: .a, zone: zone, records: [stray] + proof, nsec3Parameters: parameters) == .nxdomain)
        // Without, the first record's parameters rule and the real ones are ignored.
        #expect(DenialProof.check(.nameError, name: qname, type: .a, zone: zone, records: [stray] + proof) != .nxdomain)
        #expect(DenialProof.check(.nameError, name: qname, type: .a, zone: zone, records: proof + [stray]) == .nxdomain)
        // NSEC3 records from another zone are not this zone's.
        #expect(
            DenialProof.check(.nameError, name: qname, type: .a, zone: zone, records: DenialFixtures.nsec3s(DenialFixtures.optOutRecords))
                == .bogus(.noRecords))
    }
}
