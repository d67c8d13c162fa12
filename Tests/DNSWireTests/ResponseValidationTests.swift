// SPDX-License-Identifier: Apache-2.0
// Whole responses from BIND's signed fixture zones, with the zone's keys trusted: answers,
// CNAMEs, wildcard expansions, NXDOMAIN and NODATA proofs, and what breaks them.

import Testing

@testable import DNSWire

@Suite struct ResponseValidationTests {
    let zone = DNSSECFixtures.signed
    /// 2027-01-01: inside the fixtures' signature window.
    let now: UInt32 = 1_798_761_600

    func name(_ text: String) -> DomainName { try! DomainName(text) }

    /// The records of `type` at `owner` and the RRSIGs over them.
    func signed(_ owner: String, _ type: RecordType, in zone: DNSSECFixtures.SignedZone? = nil) -> [DNSRecord] {
        let zone = zone ?? self.zone
        let at = name(owner)
        return zone.records.filter { $0.name == at && $0.type == type } + zone.signatures(at: owner, over: type)
    }

    /// The NSEC records (with their RRSIGs) that match or cover `names`.
    func nsecs(for names: [String]) -> [DNSRecord] {
        let all = zone.records.filter { $0.type == .nsec }
        var chosen: [DNSRecord] = []
        for text in names {
            let target = name(text)
            let hit = all.first { nsec in
                let next = nsec.data.as(RecordData.NSEC.self)!.nextDomainName
                let afterOwner = nsec.name.canonicalCompare(target) <= 0
                let beforeNext = target.canonicalCompare(next) < 0 || next.canonicalCompare(zone.origin) == 0
                return afterOwner && beforeNext
            }
            if let hit, !chosen.contains(hit) { chosen += [hit] + zone.signatures(at: hit.name.description, over: .nsec) }
        }
        return chosen
    }

    func validate(_ question: DNSQuestion, code: ResponseCode = .noError, answers: [DNSRecord] = [], authority: [DNSRecord] = [])
        -> ValidationFinding
    {
        var message = DNSMessage.query(name: question.name, type: question.type, id: 1)
        message.header.flags = [.qr, .aa]
        message.responseCode = code
        message.answers = answers
        message.authorities = authority
        var budget = ValidationBudget(ValidationLimits())
        return ResponseValidation.validate(
            message, question: question, zone: zone.origin, keys: zone.keys, now: now, limits: ValidationLimits(), budget: &budget)
    }

    @Test func answersAndCNAMEChains() {
        #expect(validate(DNSQuestion(name: name("www.dnssec.test."), type: .a), answers: signed("www.dnssec.test.", .a)) == .secure)
        let alias = signed("Alias.dnssec.test.", .cname)
        let target = alias[0].data.as(RecordData.SingleName.self)!.name.description
        let chain = alias + signed(target, .a)
        #expect(validate(DNSQuestion(name: name("alias.dnssec.test."), type: .a), answers: chain) == .secure)
        var forged = signed("www.dnssec.test.", .a)
        forged[0].data = try! RecordData(type: .a, presentation: "192.0.2.66")
        #expect(validate(DNSQuestion(name: name("www.dnssec.test."), type: .a), answers: forged).state == .bogus)
    }

    @Test func aWildcardAnswerNeedsItsProof() {
        let expanded = signed("*.wild.dnssec.test.", .a).map { record -> DNSRecord in
            var record = record
            record.name = name("x.wild.dnssec.test.")
            return record
        }
        let question = DNSQuestion(name: name("x.wild.dnssec.test."), type: .a)
        #expect(validate(question, answers: expanded, authority: nsecs(for: ["x.wild.dnssec.test."])) == .secure)
        #expect(validate(question, answers: expanded).ede == ValidationFinding.Code.nsecMissing)
    }

    @Test func nxdomainAndNodataProofs() {
        let missing = DNSQuestion(name: name("nothere.dnssec.test."), type: .a)
        let proof = nsecs(for: ["nothere.dnssec.test.", "*.dnssec.test."]) + signed("dnssec.test.", .soa)
        #expect(validate(missing, code: .nxDomain, authority: proof) == .secure)
        #expect(validate(missing, code: .nxDomain, authority: signed("dnssec.test.", .soa)).ede == ValidationFinding.Code.nsecMissing)
        // Half a proof: the wildcard is not shown absent.
        #expect(validate(missing, code: .nxDomain, authority: nsecs(for: ["nothere.dnssec.test."])).state == .bogus)
        let noMX = DNSQuestion(name: name("www.dnssec.test."), type: .mx)
        #expect(validate(noMX, authority: nsecs(for: ["www.dnssec.test."])) == .secure)
        // An NSEC that says the name has the type does not prove NODATA.
        let hasA = DNSQuestion(name: name("www.dnssec.test."), type: .a)
        #expect(validate(hasA, authority: nsecs(for: ["www.dnssec.test."])).state == .bogus)
        // NXDOMAIN claimed for a name whose NSEC proves it exists.
        #expect(validate(hasA, code: .nxDomain, authority: nsecs(for: ["www.dnssec.test."])).state == .bogus)
        // A forged NSEC does not verify.
        var forged = nsecs(for: ["www.dnssec.test."])
        if let index = forged.firstIndex(where: { $0.type == .nsec }) {
            var nsec = forged[index].data.as(RecordData.NSEC.self)!
            nsec.types.removeAll { $0 == .a }
            forged[index].data = try! RecordData(type: .nsec, nsec)
        }
        #expect(validate(hasA, authority: forged).state == .bogus)
    }

    @Test func recordsOfAnotherZoneAreNotThisStepsToJudge() {
        let other = DNSSECFixtures.zones[1]
        let answers = signed("mx.nsec3.test.", .a, in: other)
        let finding = validate(DNSQuestion(name: name("mx.nsec3.test."), type: .a), answers: answers)
        #expect(answers.count > 1 && finding.state == .indeterminate)
    }
}
