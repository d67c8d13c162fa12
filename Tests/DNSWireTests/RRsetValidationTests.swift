// SPDX-License-Identifier: Apache-2.0
// RRsets and DNSKEY sets against keys and DS records, with BIND's signed fixture zone: the
// verdicts, their Extended DNS Error codes, and the bounds on verification work.

import Testing

@testable import DNSWire

@Suite struct RRsetValidationTests {
    let zone = DNSSECFixtures.signed
    /// 2027-01-01: inside the fixtures' signature window (2026-2036).
    let now: UInt32 = 1_798_761_600

    func rrset(_ name: String, _ type: RecordType) throws -> [DNSRecord] {
        let owner = try DomainName(name)
        return zone.records.filter { $0.name == owner && $0.type == type }
    }

    func validate(_ rrset: [DNSRecord], keys: [DNSRecord]? = nil, now: UInt32? = nil, limits: ValidationLimits = ValidationLimits())
        -> (ValidationFinding, used: Int)
    {
        var budget = ValidationBudget(limits)
        let finding = RRsetValidation.validate(
            rrset: rrset, rrsigs: zone.signatures, keys: keys ?? zone.keys, now: now ?? self.now, limits: limits, budget: &budget)
        return (finding, budget.used)
    }

    @Test func aSignedRRsetIsSecureWithOneVerification() throws {
        let (finding, used) = validate(try rrset("www.dnssec.test", .a))
        #expect(finding == .secure && used == 1)
    }

    @Test func theReasonsOfBogusAnswers() throws {
        let www = try rrset("www.dnssec.test", .a)
        #expect(validate(www, now: 2_145_916_800 + 86_400 * 400).0.ede == ValidationFinding.Code.signatureExpired)  // 2039
        #expect(validate(www, now: 1_735_689_600).0.ede == ValidationFinding.Code.signatureNotYetValid)  // 2025-01-01
        #expect(validate(www, keys: []).0.ede == ValidationFinding.Code.dnskeyMissing)
        var forged = www
        forged[0].data = try RecordData(type: .a, presentation: "192.0.2.66")
        let (bogus, used) = validate(forged)
        #expect(bogus.state == .bogus && bogus.ede == ValidationFinding.Code.dnssecBogus && used == 8)  // one per algorithm
        let unsigned = [DNSRecord(name: try DomainName("nothere.dnssec.test"), ttl: 60, data: try RecordData(type: .a, presentation: "192.0.2.1"))]
        #expect(validate(unsigned).0.ede == ValidationFinding.Code.rrsigsMissing)
    }

    @Test func verificationsAreBoundedPerRRsetAndPerResponse() throws {
        var forged = try rrset("www.dnssec.test", .a)
        forged[0].data = try RecordData(type: .a, presentation: "192.0.2.66")
        var limits = ValidationLimits()
        limits.verificationsPerRRset = 3
        // Eight RRSIGs (one per algorithm) would need eight checks: refused before any.
        let (perRRset, used) = validate(forged, limits: limits)
        #expect(perRRset.state == .bogus && used == 0 && perRRset.reason.contains("would need 8 checks, more than 3"))
        limits.verificationsPerRRset = 8
        limits.verificationsPerResponse = 2
        let (perResponse, spent) = validate(forged, limits: limits)
        #expect(perResponse.state == .bogus && spent == 2 && perResponse.reason.contains("spent"))
    }

    /// KeyTrap: many keys sharing the RRSIG's key tag and algorithm. Swapping two 16-bit words of
    /// the public key keeps the key tag (a one's-complement-style sum) but makes another key.
    @Test func keysSharingATagAreTriedAtMostKeysPerTag() throws {
        let www = try rrset("www.dnssec.test", .a)
        let signature = try #require(zone.signatures(at: "www.dnssec.test", over: .a).first { $0.data.as(RecordData.RRSIG.self)!.algorithm == 8 })
        let real = try #require(zone.key(for: signature))
        var colliding: [DNSRecord] = []
        for index in stride(from: 4, to: 44, by: 4) {
            var key = real.data.as(RecordData.DNSKEY.self)!
            key.publicKey.swapAt(index, index + 2)
            key.publicKey.swapAt(index + 1, index + 3)
            #expect(key.keyTag == real.data.as(RecordData.DNSKEY.self)!.keyTag)
            colliding.append(DNSRecord(name: real.name, ttl: real.ttl, data: try RecordData(type: .dnskey, key)))
        }
        var budget = ValidationBudget(ValidationLimits())
        let finding = RRsetValidation.validate(
            rrset: www, rrsigs: [signature], keys: colliding + [real], now: now, limits: ValidationLimits(), budget: &budget)
        #expect(finding.state == .bogus && budget.used == 2)  // the real key is past the bound
    }

    @Test func aDNSKEYSetIsTrustedThroughItsDS() throws {
        let owner = try DomainName("dnssec.test")
        let dnskeys = try rrset("dnssec.test", .dnskey)
        let ksk = try #require(
            dnskeys.first { $0.data.as(RecordData.DNSKEY.self)!.isSecureEntryPoint && $0.data.as(RecordData.DNSKEY.self)!.algorithm == 13 })
        let ds = try ksk.data.as(RecordData.DNSKEY.self)!.ds(owner: owner, digestType: .sha256)
        var budget = ValidationBudget(ValidationLimits())
        let (finding, trusted) = RRsetValidation.validateKeys(
            dnskeys, rrsigs: zone.signatures, owner: owner, authority: .ds([ds]), now: now, limits: ValidationLimits(), budget: &budget)
        #expect(finding == .secure)
        #expect(trusted.count == dnskeys.count - 1)  // every zone key but the revoked one
        // Every DS record dnssec-dsfromkey wrote for a key BIND signed the DNSKEY set with works too.
        let written = DNSSECFixtures.dsRecords.compactMap { $0.data.as(RecordData.DS.self) }.filter { $0.keyTag == ds.keyTag }
        #expect(written.count == 3)
        for record in written {
            var budget = ValidationBudget(ValidationLimits())
            #expect(
                RRsetValidation.validateKeys(
                    dnskeys, rrsigs: zone.signatures, owner: owner, authority: .ds([record]), now: now, limits: ValidationLimits(), budget: &budget
                ).0 == .secure)
        }
    }

    @Test func whatADSSetCannotVouchFor() throws {
        let owner = try DomainName("dnssec.test")
        let dnskeys = try rrset("dnssec.test", .dnskey)
        func check(_ set: [RecordData.DS]) -> ValidationFinding {
            var budget = ValidationBudget(ValidationLimits())
            return RRsetValidation.validateKeys(
                dnskeys, rrsigs: zone.signatures, owner: owner, authority: .ds(set), now: now, limits: ValidationLimits(), budget: &budget
            ).0
        }
        var wrong = RecordData.DS()
        (wrong.keyTag, wrong.algorithm, wrong.digestType, wrong.digest) = (1, 13, 2, Array(repeating: 7, count: 32))
        #expect(check([wrong]).ede == ValidationFinding.Code.dnskeyMissing)
        var gost = wrong
        gost.digestType = 3
        #expect(
            check([gost])
                == ValidationFinding(
                    .insecure, ede: ValidationFinding.Code.unsupportedDSDigestType, "no DS for dnssec.test. with a supported digest type"))
        var dsa = wrong
        dsa.algorithm = 3
        #expect(check([dsa]).state == .insecure && check([dsa]).ede == ValidationFinding.Code.unsupportedDNSKEYAlgorithm)
        // A DS for the revoked key, which signed the DNSKEY RRset: a revoked key vouches for nothing.
        let revoked = try #require(dnskeys.first { $0.data.as(RecordData.DNSKEY.self)!.isRevoked })
        let revokedDS = try revoked.data.as(RecordData.DNSKEY.self)!.ds(owner: owner, digestType: .sha256)
        #expect(check([revokedDS]).state == .bogus, "\(check([revokedDS])) \(revoked) \(revokedDS)")
        #expect(check([revokedDS, wrong]).state == .bogus)
    }
}
