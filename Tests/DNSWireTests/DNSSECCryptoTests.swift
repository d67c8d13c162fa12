// SPDX-License-Identifier: Apache-2.0
// DNSSEC's cryptographic core (RFC 4034, 4035, 5702, 6605, 8080) against BIND 9.18's signed zones,
// key files and DS records, and every refusal.

import Foundation
import Synchronization
import Testing

@testable import DNSWire

/// Tests/DNSWireTests/Fixtures/dnssec/, written by Scripts/fixtures/generate-dnssec-fixtures.sh.
struct DNSSECFixtures {
    /// One signed zone: its records, its apex DNSKEYs and its RRSIGs.
    struct SignedZone: CustomTestStringConvertible, Sendable {
        let origin: DomainName
        let records: [DNSRecord]
        /// The algorithms the zone is signed with (one ZSK each).
        let algorithms: Set<UInt8>
        var testDescription: String { origin.description }

        var keys: [DNSRecord] { records.filter { $0.type == .dnskey && $0.name == origin } }
        var signatures: [DNSRecord] { records.filter { $0.type == .rrsig } }

        /// The RRset `rrsig` covers: the records at its owner of its type covered.
        func rrset(for rrsig: DNSRecord) -> [DNSRecord] {
            let covered = rrsig.data.as(RecordData.RRSIG.self)!.typeCovered
            return records.filter { $0.name == rrsig.name && $0.type == covered }
        }

        /// The apex DNSKEY with the RRSIG's key tag and algorithm.
        func key(for rrsig: DNSRecord) -> DNSRecord? {
            let signature = rrsig.data.as(RecordData.RRSIG.self)!
            return keys.first { key in
                let dnskey = key.data.as(RecordData.DNSKEY.self)!
                return dnskey.keyTag == signature.keyTag && dnskey.algorithm == signature.algorithm
            }
        }

        /// The RRSIGs at `name` over `type`, one per algorithm.
        func signatures(at name: String, over type: RecordType) -> [DNSRecord] {
            let owner = try! DomainName(name)
            return signatures.filter { $0.name == owner && $0.data.as(RecordData.RRSIG.self)!.typeCovered == type }
        }
    }

    /// One key file: the key tag and algorithm its name gives, and its DNSKEY record.
    struct KeyFile: CustomTestStringConvertible, Sendable {
        let fileName: String
        let tag: UInt16
        let algorithm: UInt8
        let record: DNSRecord
        var testDescription: String { fileName }
    }

    static let algorithms: Set<UInt8> = [5, 7, 8, 10, 13, 14, 15, 16]

    static let zones: [SignedZone] = [
        SignedZone(origin: try! DomainName("dnssec.test."), records: zoneFile("dnssec.test.signed"), algorithms: algorithms),
        SignedZone(origin: try! DomainName("nsec3.test."), records: zoneFile("nsec3.test.signed"), algorithms: algorithms.subtracting([5])),
    ]
    static var signed: SignedZone { zones[0] }

    static let keyFiles: [KeyFile] = lines("keys.txt").map { name in
        // K<zone>+<algorithm>+<tag>.key
        let parts = name.dropLast(4).split(separator: "+")
        let record = lines("keys/\(name)").compactMap(parseRecord).first!
        return KeyFile(fileName: name, tag: UInt16(parts[2])!, algorithm: UInt8(parts[1])!, record: record)
    }

    /// dnssec-dsfromkey's output: `owner IN DS tag algorithm digest-type digest`.
    static let dsRecords: [DNSRecord] = lines("ds.txt").compactMap(parseRecord)

    private static func lines(_ file: String) -> [String] {
        let text = try! String(contentsOf: fixtureURL("dnssec/\(file)"), encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(";") && !$0.allSatisfy(\.isWhitespace) }
    }

    private static func zoneFile(_ file: String) -> [DNSRecord] { lines(file).map { parseRecord($0)! } }

    /// A record line as BIND writes it: owner, optional TTL, class, type, RDATA to the end of the line.
    static func parseRecord(_ line: String) -> DNSRecord? {
        var rest = Substring(line)
        func token() -> String {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            let word = rest.prefix { $0 != " " && $0 != "\t" }
            rest = rest.dropFirst(word.count)
            return String(word)
        }
        let owner = token()
        var field = token()
        var ttl: UInt32 = 0
        if let number = UInt32(field) {
            ttl = number
            field = token()
        }
        guard let recordClass = RecordClass(mnemonic: field), let type = RecordType(mnemonic: token()) else { return nil }
        let rdata = rest.trimmingCharacters(in: .whitespaces)
        return DNSRecord(
            name: try! DomainName(owner), recordClass: recordClass, ttl: ttl, data: try! RecordData(type: type, presentation: rdata))
    }
}

/// A copy of `record` with other RDATA.
private func replacing(_ record: DNSRecord, data: some RecordDataType) -> DNSRecord {
    DNSRecord(name: record.name, recordClass: record.recordClass, ttl: record.ttl, data: try! RecordData(type: record.type, data))
}

private func rrsigData(_ record: DNSRecord) -> RecordData.RRSIG { record.data.as(RecordData.RRSIG.self)! }
private func dnskeyData(_ record: DNSRecord) -> RecordData.DNSKEY { record.data.as(RecordData.DNSKEY.self)! }

@Suite struct DNSSECCryptoTests {
    // MARK: - Signatures over BIND's zones

    @Test(arguments: DNSSECFixtures.zones)
    func everyRRSIGInTheZoneVerifies(_ zone: DNSSECFixtures.SignedZone) throws {
        var verified: Set<String> = []
        for rrsig in zone.signatures {
            let signature = rrsigData(rrsig)
            let key = try #require(zone.key(for: rrsig), "no key \(signature.keyTag) for \(rrsig)")
            let verdict = RRSIGVerifier.verify(rrset: zone.rrset(for: rrsig), rrsig: rrsig, key: key)
            if dnskeyData(key).isRevoked {
                #expect(verdict == .failed(.revokedKey), "\(rrsig)")
            } else {
                #expect(verdict == .verified, "\(rrsig)")
                verified.insert("\(signature.algorithm) \(signature.typeCovered)")
            }
        }
        // Every algorithm signed every kind of RRset the tests promise, each verified above.
        var types: [RecordType] = [.soa, .ns, .mx, .a, .dnskey]
        types += zone.origin == DNSSECFixtures.signed.origin ? [.nsec, .aaaa, .txt, .cname, .srv] : [.nsec3, .nsec3param]
        for algorithm in zone.algorithms {
            for type in types { #expect(verified.contains("\(algorithm) \(type)"), "algorithm \(algorithm) over \(type)") }
        }
    }

    @Test func theRevokedKeySignedTheDNSKEYSetAndIsRefused() throws {
        let zone = DNSSECFixtures.signed
        let revoked = try #require(zone.keys.first { dnskeyData($0).isRevoked })
        let rrsig = try #require(zone.signatures(at: "dnssec.test.", over: .dnskey).first { rrsigData($0).keyTag == dnskeyData(revoked).keyTag })
        #expect(RRSIGVerifier.verify(rrset: zone.rrset(for: rrsig), rrsig: rrsig, key: revoked) == .failed(.revokedKey))
        // The same key and signature without the REVOKE bit: the key tag no longer matches.
        var unrevoked = dnskeyData(revoked)
        unrevoked.flags &= ~RecordData.DNSKEY.revokeFlag
        #expect(
            RRSIGVerifier.verify(rrset: zone.rrset(for: rrsig), rrsig: rrsig, key: replacing(revoked, data: unrevoked)) == .failed(.keyTagMismatch))
    }

    @Test(arguments: DNSSECFixtures.zones)
    func aWildcardExpansionVerifiesFromTheLabelsCount(_ zone: DNSSECFixtures.SignedZone) throws {
        let wildcard = zone.origin == DNSSECFixtures.signed.origin ? "*.wild.dnssec.test." : "*.any.nsec3.test."
        let expanded = try DomainName(zone.origin == DNSSECFixtures.signed.origin ? "Host.Deep.WILD.dnssec.test." : "x.any.nsec3.test.")
        let signatures = zone.signatures(at: wildcard, over: .a)
        #expect(Set(signatures.map { rrsigData($0).algorithm }) == zone.algorithms)
        for rrsig in signatures {
            let signature = rrsigData(rrsig)
            #expect(Int(signature.labels) == (try DomainName(wildcard)).labelCount - 1)
            let answer = zone.rrset(for: rrsig).map { DNSRecord(name: expanded, recordClass: $0.recordClass, ttl: 60, data: $0.data) }
            let answerSignature = DNSRecord(name: expanded, recordClass: rrsig.recordClass, ttl: 60, data: rrsig.data)
            let key = try #require(zone.key(for: rrsig))
            #expect(RRSIGVerifier.verify(rrset: answer, rrsig: answerSignature, key: key) == .verified, "\(rrsig)")
            #expect(try RRSIGVerifier.signedOwner(expanded, labels: signature.labels) == (try DomainName(wildcard)))
            // Claiming one more label signs another owner name: the signature no longer covers it.
            var claimed = signature
            claimed.labels += 1
            #expect(RRSIGVerifier.verify(rrset: answer, signature: claimed, key: dnskeyData(key), keyOwner: key.name) == .failed(.signatureMismatch))
        }
    }

    @Test func namesInRDataAreLowerCasedExceptNSECsNextName() throws {
        let zone = DNSSECFixtures.signed
        // The MX, SOA, NS, CNAME and SRV RRsets carry upper-case names; any case verifies.
        for type in [RecordType.mx, .soa, .ns] {
            for rrsig in zone.signatures(at: "dnssec.test.", over: type) {
                let key = try #require(zone.key(for: rrsig))
                let shouted = try zone.rrset(for: rrsig).map { record in
                    DNSRecord(
                        name: record.name, recordClass: record.recordClass, ttl: record.ttl,
                        data: try RecordData(type: record.type, presentation: record.data.description.uppercased()))
                }
                guard !dnskeyData(key).isRevoked else { continue }
                #expect(RRSIGVerifier.verify(rrset: shouted, rrsig: rrsig, key: key) == .verified, "\(rrsig)")
            }
        }
        // RFC 6840 §5.1: NSEC's next name keeps its case. BIND wrote `Alias.dnssec.test.` and signed it so.
        let nsec = try #require(
            zone.records.first { record in
                guard let next = record.data.as(RecordData.NSEC.self)?.nextDomainName else { return false }
                return next.wire != next.canonical.wire
            })
        var lowered = try #require(nsec.data.as(RecordData.NSEC.self))
        lowered.nextDomainName = lowered.nextDomainName.canonical
        let nsecSignatures = zone.signatures(at: nsec.name.description, over: .nsec)
        #expect(Set(nsecSignatures.map { rrsigData($0).algorithm }) == DNSSECFixtures.algorithms)
        for rrsig in nsecSignatures {
            let key = try #require(zone.key(for: rrsig))
            #expect(RRSIGVerifier.verify(rrset: [nsec], rrsig: rrsig, key: key) == .verified)
            #expect(RRSIGVerifier.verify(rrset: [replacing(nsec, data: lowered)], rrsig: rrsig, key: key) == .failed(.signatureMismatch))
        }
    }

    @Test func canonicalRDataLowerCasesTheRFC4034Types() throws {
        let lowered: [(RecordType, String, String)] = [
            (.mx, "10 Mail.Example.", "10 mail.example."),
            (.soa, "NS.Example. Admin.Example. 1 2 3 4 5", "ns.example. admin.example. 1 2 3 4 5"),
            (.cname, "WWW.Example.", "www.example."),
            (.srv, "0 5 5060 SIP.Example.", "0 5 5060 sip.example."),
            (.naptr, "1 2 \"U\" \"E2U+sip\" \"\" Host.Example.", "1 2 \"U\" \"E2U+sip\" \"\" host.example."),
            (.rrsig, "A 13 2 3600 20360101000000 20260101000000 1 Example. AAAA", "A 13 2 3600 20360101000000 20260101000000 1 example. AAAA"),
        ]
        for (type, text, canonical) in lowered {
            let data = try RecordData(type: type, presentation: text)
            #expect(data.canonical.description == (try RecordData(type: type, presentation: canonical)).description, "\(type)")
            #expect(try data.canonical.serialize() == (try RecordData(type: type, presentation: canonical)).serialize(), "\(type)")
        }
        for (type, text) in [(RecordType.nsec, "Next.Example. A NSEC"), (.svcb, "1 Target.Example."), (.txt, "\"Text\"")] {
            let data = try RecordData(type: type, presentation: text)
            #expect(try data.canonical.serialize() == data.serialize(), "\(type) keeps its case")
        }
    }

    @Test func orderAndDuplicatesOfTheRRsetDoNotMatter() throws {
        let zone = DNSSECFixtures.signed
        for rrsig in zone.signatures(at: "www.dnssec.test.", over: .a) {
            let key = try #require(zone.key(for: rrsig))
            let records = zone.rrset(for: rrsig)
            #expect(records.count == 3)
            #expect(RRSIGVerifier.verify(rrset: records.reversed() + [records[1]], rrsig: rrsig, key: key) == .verified)
            // Dropping a record changes the signed data.
            #expect(RRSIGVerifier.verify(rrset: Array(records.dropLast()), rrsig: rrsig, key: key) == .failed(.signatureMismatch))
        }
    }

    @Test(arguments: DNSSECFixtures.zones)
    func oneFlippedOctetFails(_ zone: DNSSECFixtures.SignedZone) throws {
        let owner = zone.origin.description
        for rrsig in zone.signatures(at: owner, over: .mx) {
            let key = try #require(zone.key(for: rrsig))
            let records = zone.rrset(for: rrsig)
            // The MX preference's low octet.
            var wire = try records[0].data.serialize()
            wire[1] ^= 0x01
            let altered = [replacing(records[0], data: try RecordData(type: .mx, wire: wire).as(RecordData.MX.self)!)] + records.dropFirst()
            #expect(RRSIGVerifier.verify(rrset: altered, rrsig: rrsig, key: key) == .failed(.signatureMismatch), "\(rrsig)")
            // One octet in the middle of the signature.
            var signature = rrsigData(rrsig)
            signature.signature[signature.signature.count / 2] ^= 0x40
            #expect(
                RRSIGVerifier.verify(rrset: records, rrsig: replacing(rrsig, data: signature), key: key) == .failed(.signatureMismatch), "\(rrsig)")
            // The original TTL, which the signature covers.
            var ttl = rrsigData(rrsig)
            ttl.originalTTL += 1
            #expect(RRSIGVerifier.verify(rrset: records, rrsig: replacing(rrsig, data: ttl), key: key) == .failed(.signatureMismatch))
            // The received TTL is not covered.
            let aged = records.map { DNSRecord(name: $0.name, recordClass: $0.recordClass, ttl: 17, data: $0.data) }
            #expect(RRSIGVerifier.verify(rrset: aged, rrsig: rrsig, key: key) == .verified)
        }
    }

    @Test func anotherKeyOfTheSameAlgorithmFails() throws {
        let zone = DNSSECFixtures.signed
        let rrsig = try #require(zone.signatures(at: "dnssec.test.", over: .soa).first { rrsigData($0).algorithm == 13 })
        let keys = zone.keys.filter { dnskeyData($0).algorithm == 13 }
        #expect(keys.count == 2)
        let other = try #require(keys.first { dnskeyData($0).keyTag != rrsigData(rrsig).keyTag })
        #expect(RRSIGVerifier.verify(rrset: zone.rrset(for: rrsig), rrsig: rrsig, key: other) == .failed(.keyTagMismatch))
        // The other key's tag written into the RRSIG: every check passes but the signature.
        var retagged = rrsigData(rrsig)
        retagged.keyTag = dnskeyData(other).keyTag
        #expect(
            RRSIGVerifier.verify(rrset: zone.rrset(for: rrsig), rrsig: replacing(rrsig, data: retagged), key: other)
                == .failed(.signatureMismatch))
    }

    // MARK: - The RFC 4035 §5.3.1 conditions

    @Test func keysAndSignaturesThatMayNotBeUsedAreRefused() throws {
        let zone = DNSSECFixtures.signed
        let rrsig = try #require(zone.signatures(at: "www.dnssec.test.", over: .a).first { rrsigData($0).algorithm == 15 })
        let key = try #require(zone.key(for: rrsig))
        let records = zone.rrset(for: rrsig)
        let signature = rrsigData(rrsig)
        let dnskey = dnskeyData(key)
        func verify(
            _ rrset: [DNSRecord] = records, _ signature: RecordData.RRSIG = signature, _ dnskey: RecordData.DNSKEY = dnskey,
            owner: DomainName = key.name
        ) -> RRSIGVerifier.Verdict {
            RRSIGVerifier.verify(rrset: rrset, signature: signature, key: dnskey, keyOwner: owner)
        }
        #expect(verify() == .verified)

        var nonZone = dnskey
        nonZone.flags &= ~RecordData.DNSKEY.zoneKeyFlag
        #expect(verify(records, signature, nonZone) == .failed(.notZoneKey))
        var revoked = dnskey
        revoked.flags |= RecordData.DNSKEY.revokeFlag
        #expect(verify(records, signature, revoked) == .failed(.revokedKey))
        var protocol2 = dnskey
        protocol2.protocol = 2
        #expect(verify(records, signature, protocol2) == .failed(.badProtocol))
        var otherAlgorithm = dnskey
        otherAlgorithm.algorithm = 16
        #expect(verify(records, signature, otherAlgorithm) == .failed(.algorithmMismatch))
        var otherTag = signature
        otherTag.keyTag &+= 1
        #expect(verify(records, otherTag, dnskey) == .failed(.keyTagMismatch))

        #expect(verify(owner: try DomainName("other.test.")) == .failed(.signerMismatch))
        var outside = signature
        outside.signerName = try DomainName("elsewhere.test.")
        #expect(verify(records, outside, owner: outside.signerName) == .failed(.ownerOutsideSigner))
        var tooManyLabels = signature
        tooManyLabels.labels = 4
        #expect(verify(records, tooManyLabels) == .failed(.labelsExceedOwner))
        var otherType = signature
        otherType.typeCovered = .aaaa
        #expect(verify(records, otherType) == .failed(.typeCoveredMismatch))
        #expect(verify([]) == .failed(.emptyRRset))
        let stranger = DNSRecord(name: try DomainName("ns1.dnssec.test."), ttl: 3600, data: records[0].data)
        #expect(verify(records + [stranger]) == .failed(.inconsistentRRset))
        let chaos = DNSRecord(name: records[0].name, recordClass: .chaos, ttl: 3600, data: records[0].data)
        #expect(verify(records + [chaos]) == .failed(.inconsistentRRset))
        // The RRSIG record must have the RRset's owner.
        let moved = DNSRecord(name: try DomainName("ns1.dnssec.test."), ttl: 3600, data: rrsig.data)
        #expect(RRSIGVerifier.verify(rrset: records, rrsig: moved, key: key) == .failed(.inconsistentRRset))
        #expect(throws: DNSSECError.labelsExceedOwner) { try RRSIGVerifier.signedData(rrset: records, rrsig: tooManyLabels) }
    }

    @Test(arguments: [UInt8(1), 2, 3, 6, 12, 200, 253])
    func unsupportedAlgorithmsAreReported(_ number: UInt8) throws {
        let zone = DNSSECFixtures.signed
        let rrsig = try #require(zone.signatures(at: "www.dnssec.test.", over: .a).first)
        var dnskey = RecordData.DNSKEY()
        dnskey.flags = RecordData.DNSKEY.zoneKeyFlag
        dnskey.algorithm = number
        dnskey.publicKey = Array(repeating: 0x5A, count: 64)
        var signature = rrsigData(rrsig)
        signature.algorithm = number
        signature.keyTag = dnskey.keyTag
        let verdict = RRSIGVerifier.verify(rrset: zone.rrset(for: rrsig), signature: signature, key: dnskey, keyOwner: zone.origin)
        #expect(verdict == .unsupported(DNSSECAlgorithm(number)))
        #expect(!DNSSECAlgorithm(number).isSupported)
    }

    @Test func algorithmAndDigestNumbers() {
        for number in UInt8.min...UInt8.max {
            #expect(DNSSECAlgorithm(number).number == number)
            #expect(DigestType(number).number == number)
            #expect(DNSSECAlgorithm(number).isSupported == DNSSECFixtures.algorithms.contains(number))
            #expect(DigestType(number).isSupported == [1, 2, 4].contains(number))
        }
        #expect(DNSSECAlgorithm.unknown(8) == .rsaSHA256)
        #expect(DNSSECAlgorithm(13).description == "ECDSAP256SHA256")
        #expect(DigestType(4).description == "SHA-384")
    }

    // MARK: - Public key formats

    @Test func rsaKeysTakeBothExponentLengthForms() throws {
        let key = try #require(DNSSECFixtures.signed.keys.first { dnskeyData($0).algorithm == 8 && !dnskeyData($0).isRevoked })
        let short = dnskeyData(key).publicKey
        let exponentLength = Int(short[0])
        // RFC 3110 §2: a zero octet, then the length in two octets.
        let long = [0, 0, UInt8(exponentLength)] + short[1...]
        #expect(SignatureCheck.rsaPublicKey(long) == SignatureCheck.rsaPublicKey(short))
        #expect(SignatureCheck.rsaPublicKey(short) != nil)
        #expect(SignatureCheck.rsaPublicKey([]) == nil)
        #expect(SignatureCheck.rsaPublicKey([0, 0, 0, 1, 2]) == nil, "exponent of length 0")
        #expect(SignatureCheck.rsaPublicKey(Array(short.prefix(exponentLength + 1))) == nil, "no modulus")
        #expect(SignatureCheck.rsaPublicKey([3, 1, 0, 1] + Array(repeating: 0xC5, count: 513)) == nil, "over 4096 bits")
    }

    /// Each RRSIG over www.dnssec.test. A (one per algorithm) with its key and signed data.
    func signaturesOverWWW() throws -> [(signature: RecordData.RRSIG, dnskey: RecordData.DNSKEY, data: [UInt8], algorithm: DNSSECAlgorithm)] {
        let zone = DNSSECFixtures.signed
        return try zone.signatures(at: "www.dnssec.test.", over: .a).map { rrsig in
            let signature = rrsigData(rrsig)
            let data = try RRSIGVerifier.signedData(rrset: zone.rrset(for: rrsig), rrsig: signature)
            return (signature, dnskeyData(try #require(zone.key(for: rrsig))), data, DNSSECAlgorithm(signature.algorithm))
        }
    }

    @Test func malformedKeysAndSignaturesAreRefused() throws {
        for (signature, dnskey, data, algorithm) in try signaturesOverWWW() {
            #expect(SignatureCheck.verify(algorithm, publicKey: dnskey.publicKey, signature: signature.signature, data: data) == .valid)
            #expect(
                SignatureCheck.verify(algorithm, publicKey: dnskey.publicKey, signature: signature.signature, data: data + [0])
                    == .invalid(.signatureMismatch))
            let shortKey = Array(dnskey.publicKey.dropLast())
            let keyVerdict = SignatureCheck.verify(algorithm, publicKey: shortKey, signature: signature.signature, data: data)
            #expect(keyVerdict == .invalid(.malformedKey) || keyVerdict == .invalid(.signatureMismatch), "\(algorithm)")
            if ![5, 7, 8, 10].contains(signature.algorithm) {
                #expect(SignatureCheck.verify(algorithm, publicKey: shortKey, signature: signature.signature, data: data) == .invalid(.malformedKey))
            }
            #expect(
                SignatureCheck.verify(algorithm, publicKey: dnskey.publicKey, signature: Array(signature.signature.dropLast()), data: data)
                    != .valid)
            #expect(SignatureCheck.verify(algorithm, publicKey: dnskey.publicKey, signature: [], data: data) == .invalid(.malformedSignature))
        }
        // A P-256 "key" that is not a point on the curve.
        let notAPoint = [UInt8](repeating: 1, count: 64)
        #expect(
            SignatureCheck.verify(.ecdsaP256SHA256, publicKey: notAPoint, signature: Array(repeating: 1, count: 64), data: [1])
                == .invalid(.malformedKey))
    }

    // MARK: - Pooled keys

    @Test func aPooledKeyStillRefusesAForgedSignature() throws {
        for (signature, dnskey, data, algorithm) in try signaturesOverWWW() {
            let verify = { (data: [UInt8]) in
                SignatureCheck.verify(algorithm, publicKey: dnskey.publicKey, signature: signature.signature, data: data)
            }
            // The first call makes the verifier, the others take it from the pool, alternating verdicts.
            for _ in 0..<3 {
                #expect(verify(data) == .valid, "\(algorithm)")
                #expect(verify(data + [0]) == .invalid(.signatureMismatch), "\(algorithm)")
            }
            let key = VerifierPool.Key(algorithm: signature.algorithm, publicKey: dnskey.publicKey)
            let pooled = try #require(VerifierPool.shared.checkOut(key), "\(algorithm) was not pooled")
            #expect(pooled.verify(signature.signature, over: data + [1]) != .valid)
            VerifierPool.shared.checkIn(pooled, as: key)
        }
    }

    @Test func oneKeyVerifiesOnManyThreadsAtOnce() throws {
        let zone = DNSSECFixtures.signed
        let rrsig = try #require(zone.signatures(at: "www.dnssec.test.", over: .a).first { rrsigData($0).algorithm == 13 })
        let signature = rrsigData(rrsig)
        let publicKey = dnskeyData(try #require(zone.key(for: rrsig))).publicKey
        let data = try RRSIGVerifier.signedData(rrset: zone.rrset(for: rrsig), rrsig: signature)
        let wrong = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            let forged = index % 2 == 1
            let signed = forged ? data + [0] : data
            let outcome = SignatureCheck.verify(.ecdsaP256SHA256, publicKey: publicKey, signature: signature.signature, data: signed)
            if outcome != (forged ? .invalid(.signatureMismatch) : .valid) { wrong.withLock { $0 += 1 } }
        }
        #expect(wrong.withLock { $0 } == 0)
    }

    @Test func thePoolKeepsAtMostItsCapacity() {
        // Distinct Ed25519 keys (OpenSSL takes any 32 octets): each is checked in after its failed check.
        for index in 0..<(VerifierPool.capacity + 40) {
            let key = [UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8)] + Array(repeating: 0x5A, count: 30)
            let outcome = SignatureCheck.verify(.ed25519, publicKey: key, signature: Array(repeating: 1, count: 64), data: [1])
            #expect(outcome == .invalid(.signatureMismatch))
            #expect(VerifierPool.shared.count <= VerifierPool.capacity)
        }
    }

    // MARK: - Key tags and DS digests

    @Test(arguments: DNSSECFixtures.keyFiles)
    func keyTagsAreTheOnesDnssecKeygenChose(_ file: DNSSECFixtures.KeyFile) {
        let dnskey = dnskeyData(file.record)
        #expect(dnskey.keyTag == file.tag)
        #expect(dnskey.algorithm == file.algorithm)
        #expect(dnskey.isZoneKey)
    }

    @Test func everyKeyFileIsInItsSignedZone() {
        #expect(DNSSECFixtures.keyFiles.count == 17)
        let zoneKeys = Set(DNSSECFixtures.zones.flatMap(\.keys))
        for file in DNSSECFixtures.keyFiles {
            #expect(zoneKeys.contains { $0.name == file.record.name && $0.data == file.record.data }, "\(file.fileName)")
        }
    }

    @Test func keyTagOfAlgorithm1IsFromTheModulus() {
        var key = RecordData.DNSKEY()
        key.flags = 256
        key.algorithm = 1
        key.publicKey = [3, 1, 0, 1, 0xAB, 0xCD, 0x12, 0x34, 0x56]
        #expect(key.keyTag == 0x1234)
        key.algorithm = 5
        #expect(key.keyTag != 0x1234)
    }

    /// RFC 4034 §5.4: the DS example, an independent known answer.
    @Test func rfc4034Example() throws {
        let key = try #require(
            DNSSECFixtures.parseRecord(
                "dskey.example.com. 86400 IN DNSKEY 256 3 5 AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/ "
                    + "2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9Xzc "
                    + "nOf+EPbtG9DMBmADjFDc2w/rljwvFw=="))
        let ds = try #require(DNSSECFixtures.parseRecord("dskey.example.com. 86400 IN DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"))
        let dnskey = dnskeyData(key)
        #expect(dnskey.keyTag == 60485)
        let expected = try #require(ds.data.as(RecordData.DS.self))
        #expect(try dnskey.ds(owner: key.name, digestType: .sha1) == expected)
        #expect(DSDigest.matches(ds: expected, dnskey: dnskey, owner: try DomainName("DSKEY.Example.COM.")))
    }

    @Test func dsDigestsAreTheOnesDnssecDsfromkeyComputed() throws {
        let records = DNSSECFixtures.dsRecords
        // Three digest types for every key but the revoked one, which dnssec-dsfromkey skips.
        #expect(records.count == 3 * (DNSSECFixtures.keyFiles.count - 1))
        #expect(Set(records.map { $0.data.as(RecordData.DS.self)!.digestType }) == [1, 2, 4])
        for record in records {
            let ds = try #require(record.data.as(RecordData.DS.self))
            let file = try #require(
                DNSSECFixtures.keyFiles.first { $0.tag == ds.keyTag && $0.algorithm == ds.algorithm && $0.record.name == record.name })
            let dnskey = dnskeyData(file.record)
            let type = DigestType(ds.digestType)
            #expect(try DSDigest.digest(of: dnskey, owner: record.name, type: type) == ds.digest, "\(record)")
            #expect(try dnskey.ds(owner: record.name, digestType: type) == ds)
            #expect(DSDigest.matches(ds: ds, dnskey: dnskey, owner: record.name))
            // The owner's case does not matter; another owner, digest or key does.
            let shouted = try DomainName(record.name.description.uppercased())
            #expect(DSDigest.matches(ds: ds, dnskey: dnskey, owner: shouted))
            #expect(!DSDigest.matches(ds: ds, dnskey: dnskey, owner: try DomainName("other.test.")))
            var flipped = ds
            flipped.digest[0] ^= 0x80
            #expect(!DSDigest.matches(ds: flipped, dnskey: dnskey, owner: record.name))
            var nonZone = dnskey
            nonZone.flags &= ~RecordData.DNSKEY.zoneKeyFlag
            var retagged = ds
            retagged.keyTag = nonZone.keyTag
            #expect(!DSDigest.matches(ds: retagged, dnskey: nonZone, owner: record.name), "not a zone key")
        }
        let file = DNSSECFixtures.keyFiles[0]
        var gost = try dnskeyData(file.record).ds(owner: file.record.name, digestType: .sha256)
        gost.digestType = 3
        #expect(!DSDigest.matches(ds: gost, dnskey: dnskeyData(file.record), owner: file.record.name))
        #expect(throws: DNSSECError.unsupportedDigestType(.gostR341194)) {
            try DSDigest.digest(of: dnskeyData(file.record), owner: file.record.name, type: .gostR341194)
        }
        #expect(throws: DNSSECError.unsupportedDigestType(.unknown(9))) {
            try DSDigest.digest(of: dnskeyData(file.record), owner: file.record.name, type: DigestType(9))
        }
    }

    // MARK: - Validity period

    @Test func theFixturesSignaturesAreValidFrom2026To2036() throws {
        let rrsig = try #require(DNSSECFixtures.signed.signatures.first)
        let signature = rrsigData(rrsig)
        #expect(signature.inception == 1_767_225_600)  // 2026-01-01T00:00:00Z
        #expect(signature.expiration == 2_082_758_400)  // 2036-01-01T00:00:00Z
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 1_900_000_000) == .valid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 1_767_225_599) == .notYetValid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 2_082_758_401) == .expired)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 1_767_225_600) == .valid, "inception itself")
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 2_082_758_400) == .valid, "expiration itself")
        #expect(RRSIGVerifier.defaultSkew(for: signature) == 86400)
    }

    @Test func skewWidensTheWindowAtBothEnds() {
        var signature = RecordData.RRSIG()
        signature.inception = 1_000_000
        signature.expiration = 1_000_000 + 86400
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 1_000_000 - 100) == .notYetValid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 1_000_000 - 100, skew: 100) == .valid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 1_000_000 - 101, skew: 100) == .notYetValid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 1_086_400 + 100, skew: 100) == .valid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 1_086_400 + 101, skew: 100) == .expired)
        // Ten years ago, or a hundred years on: serial arithmetic, not a plain comparison.
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 0x8000_0000) == .expired)
        // 10 % of a day is 8640 s; of a week, over a day; of ten minutes, under an hour.
        #expect(RRSIGVerifier.defaultSkew(for: signature) == 8640)
        signature.expiration = signature.inception + 7 * 86400 * 2
        #expect(RRSIGVerifier.defaultSkew(for: signature) == 86400)
        signature.expiration = signature.inception + 600
        #expect(RRSIGVerifier.defaultSkew(for: signature) == 3600)
        signature.expiration = signature.inception - 600
        #expect(RRSIGVerifier.defaultSkew(for: signature) == 3600, "an expiration before the inception")
        #expect(RRSIGVerifier.validityWindow(of: signature, now: signature.inception) == .expired)
    }

    @Test func theWindowMayWrapAround2106() {
        var signature = RecordData.RRSIG()
        signature.inception = 0xFFFF_0000
        signature.expiration = 0x0001_0000
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 0xFFFF_FFF0) == .valid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 5) == .valid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 0x0001_0001) == .expired)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 0xFFFE_FFFF) == .notYetValid)
        #expect(RRSIGVerifier.validityWindow(of: signature, now: 0x0001_0000 &+ 0x8000_0000) == .expired, "undefined order counts as outside")
        #expect(RRSIGVerifier.defaultSkew(for: signature) == 0x2_0000 / 10)
    }
}
