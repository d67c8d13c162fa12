// SPDX-License-Identifier: Apache-2.0
// The DNSSEC building blocks on the testbed's signed tree, a two-level chain walked by hand:
// the anchor's DS vouches for dnssec.test.'s keys, those for a child's DS, the DS for the
// child's keys, and those for the answer. The verdicts are delv's (Scripts/testbed/README.md).

import DNSTransport
import DNSWire
import Foundation
import Testing

@testable import DNSClient
@testable import DNSTestSupport

@Suite struct DNSSECChainTests {
    let client: DNSClient
    var options: QueryOptions {
        var options = QueryOptions()
        (options.dnssecOK, options.checkingDisabled) = (true, true)
        return options
    }

    init() throws {
        client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: UInt16(try Testbed.port())))])
    }

    var now: UInt32 { UInt32(Date().timeIntervalSince1970) }

    /// `type` at `name`: the records and the RRSIGs over them, from the answer section.
    func fetch(_ name: DomainName, _ type: RecordType) async throws -> (records: [DNSRecord], signatures: [DNSRecord]) {
        let answers = try await client.query(name, type: type, options: options).message.answers
        return (answers.filter { $0.type == type }, answers.filter { $0.type == .rrsig })
    }

    /// The verdict on `name` `type` in `zone`, one level below the anchor zone dnssec.test.
    func verdict(_ name: String, _ type: RecordType = .a, zone: String) async throws -> ValidationFinding {
        let anchors = try TrustAnchors(contentsOfFile: try Testbed.value("TESTBED_DNSSEC_ANCHOR_DS"))
        let top = try DomainName("dnssec.test.")
        let anchor = try #require(anchors.closestAnchor(for: top))
        var budget = ValidationBudget(ValidationLimits())
        let topKeys = try await fetch(top, .dnskey)
        let (topFinding, trustedTop) = RRsetValidation.validateKeys(
            topKeys.records, rrsigs: topKeys.signatures, owner: top, authority: anchor.authority, now: now, limits: ValidationLimits(),
            budget: &budget)
        guard topFinding.state == .secure else { return topFinding }
        let child = try DomainName(zone)
        let ds = try await fetch(child, .ds)
        let dsFinding = RRsetValidation.validate(
            rrset: ds.records, rrsigs: ds.signatures, keys: trustedTop, now: now, limits: ValidationLimits(), budget: &budget)
        guard dsFinding.state == .secure else { return dsFinding }
        var childBudget = ValidationBudget(ValidationLimits())
        let childKeys = try await fetch(child, .dnskey)
        let (keyFinding, trusted) = RRsetValidation.validateKeys(
            childKeys.records, rrsigs: childKeys.signatures, owner: child,
            authority: .ds(ds.records.compactMap { $0.data.as(RecordData.DS.self) }), now: now, limits: ValidationLimits(), budget: &childBudget)
        guard keyFinding.state == .secure else { return keyFinding }
        let question = DNSQuestion(name: try DomainName(name), type: type)
        let response = try await client.query(question.name, type: type, options: options).message
        var answerBudget = ValidationBudget(ValidationLimits())
        return ResponseValidation.validate(
            response, question: question, zone: child, keys: trusted, now: now, limits: ValidationLimits(), budget: &answerBudget)
    }

    @Test(arguments: ["alg5", "alg7", "alg8", "alg10", "alg13", "alg14", "alg15", "alg16"])
    func everyAlgorithmIsSecure(_ label: String) async throws {
        #expect(try await verdict("www.\(label).dnssec.test.", zone: "\(label).dnssec.test.") == .secure)
    }

    @Test func proofsAreSecure() async throws {
        #expect(try await verdict("nothere.nsec.dnssec.test.", zone: "nsec.dnssec.test.") == .secure)
        #expect(try await verdict("www.nsec.dnssec.test.", .mx, zone: "nsec.dnssec.test.") == .secure)
        #expect(try await verdict("nothere.nsec3.dnssec.test.", zone: "nsec3.dnssec.test.") == .secure)
        #expect(try await verdict("x.wild.nsec3.dnssec.test.", zone: "nsec3.dnssec.test.") == .secure)
    }

    @Test func brokenZonesAreBogusWithTheirReasons() async throws {
        #expect(try await verdict("www.expired.dnssec.test.", zone: "expired.dnssec.test.").ede == ValidationFinding.Code.signatureExpired)
        #expect(try await verdict("www.notyet.dnssec.test.", zone: "notyet.dnssec.test.").ede == ValidationFinding.Code.signatureNotYetValid)
        #expect(try await verdict("www.wrong-ds.dnssec.test.", zone: "wrong-ds.dnssec.test.").ede == ValidationFinding.Code.dnskeyMissing)
        #expect(try await verdict("www.no-ksk.dnssec.test.", zone: "no-ksk.dnssec.test.").ede == ValidationFinding.Code.dnskeyMissing)
        #expect(try await verdict("www.no-rrsig.dnssec.test.", zone: "no-rrsig.dnssec.test.").ede == ValidationFinding.Code.rrsigsMissing)
        #expect(try await verdict("b.nsec-gap.dnssec.test.", zone: "nsec-gap.dnssec.test.").state == .bogus)  // NODATA without its NSEC
        #expect(try await verdict("trap.keytrap.dnssec.test.", zone: "keytrap.dnssec.test.").state == .bogus)
    }
}

/// `DNSSECValidator` on the testbed's signed tree: the chain walked from the anchor down to the
/// signer, with delv's verdicts (Scripts/testbed/README.md).
@Suite struct DNSSECValidatorTests {
    func verdict(_ name: String, _ type: RecordType = .a) async throws -> ValidationFinding {
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: UInt16(try Testbed.port())))])
        let validator = DNSSECValidator(client: client, anchors: try TrustAnchors(contentsOfFile: try Testbed.value("TESTBED_DNSSEC_ANCHOR_DS")))
        var options = QueryOptions()
        options.dnssecOK = true
        let response = try await client.query(name, type: type, options: options)
        return await validator.validate(response.message)
    }

    @Test(arguments: [
        "www.alg5.dnssec.test.", "www.alg8.dnssec.test.", "www.alg13.dnssec.test.", "www.alg15.dnssec.test.", "www.alg16.dnssec.test.",
        "www.sub.nsec.dnssec.test.", "www.sub.nsec3.dnssec.test.", "x.wild.nsec.dnssec.test.", "nothere.nsec.dnssec.test.",
        "nothere.nsec3.dnssec.test.",
    ])
    func secureNames(_ name: String) async throws {
        #expect(try await verdict(name) == .secure)
    }

    @Test func insecureDelegationsAndNamesNoAnchorCovers() async throws {
        #expect(try await verdict("www.insecure.nsec.dnssec.test.").state == .insecure)
        #expect(try await verdict("www.insecure.nsec3.dnssec.test.").state == .insecure)
        let outside = try await verdict("www.testbed.test.")
        #expect(outside.state == .indeterminate && outside.ede == ValidationFinding.Code.dnssecIndeterminate)
    }

    @Test func brokenZonesAreBogus() async throws {
        #expect(try await verdict("www.expired.dnssec.test.").ede == ValidationFinding.Code.signatureExpired)
        #expect(try await verdict("www.wrong-ds.dnssec.test.").ede == ValidationFinding.Code.dnskeyMissing)
        #expect(try await verdict("www.no-rrsig.dnssec.test.").state == .bogus)
        #expect(try await verdict("trap.keytrap.dnssec.test.").state == .bogus)
    }
}

extension DNSSECValidatorTests {
    /// The dnssec-check sample's contract: a line per step of the chain, then `verdict: …`; exit
    /// status 0 for Secure and Insecure, 1 for Bogus and Indeterminate.
    @Test func theDNSSECCheckSample() throws {
        let common = ["--port", try Testbed.value("TESTBED_PORT"), "--anchors", try Testbed.value("TESTBED_DNSSEC_ANCHOR_DS")]
        let secure = try runSample("dnssec-check", common + ["www.sub.nsec3.dnssec.test."])
        let lines = secure.output.split(separator: "\n")
        #expect(secure.status == 0 && lines.last == "verdict: Secure", "\(secure)")
        #expect(lines.first?.hasPrefix("dnssec.test. trust anchor: DS ") == true)
        #expect(lines.contains { $0.hasPrefix("sub.nsec3.dnssec.test. DNSKEY ") && $0.contains("(KSK)") && $0.hasSuffix(": Secure") })
        let bogus = try runSample("dnssec-check", common + ["www.wrong-ds.dnssec.test.", "A"])
        #expect(bogus.status == 1 && bogus.output.hasSuffix("verdict: Bogus (EDE 9): no DNSKEY of wrong-ds.dnssec.test. matches its DS\n"))
        let insecure = try runSample("dnssec-check", common + ["www.insecure.nsec.dnssec.test."])
        #expect(insecure.status == 0 && insecure.output.contains("verdict: Insecure"))
        #expect(try runSample("dnssec-check", ["--bogus-flag"]).status == 2)
    }
}

/// A DNSClient made with `dnssec:`: every answer validated, the verdict on `DNSResponse.dnssec`.
@Suite struct DNSClientValidationTests {
    func client(returnBogus: Bool = false, servers: [Nameserver]? = nil) throws -> DNSClient {
        var settings = DNSSECSettings()
        settings.anchors = try TrustAnchors(contentsOfFile: try Testbed.value("TESTBED_DNSSEC_ANCHOR_DS"))
        settings.returnBogus = returnBogus
        let testbed = [Nameserver(ServerEndpoint(host: "127.0.0.1", port: UInt16(try Testbed.port())))]
        return try DNSClient(servers: servers ?? testbed, dnssec: settings)
    }

    @Test func answersCarryTheirVerdict() async throws {
        let client = try client()
        let secure = try await client.query("www.dname.nsec3.dnssec.test", type: .a)  // a DNAME into a zone below a DS
        #expect(secure.dnssec == .secure)
        #expect(secure.message.edns?.dnssecOK == true && secure.message.header.flags.contains(.cd))
        let wildcard = try await client.query("x.y.wild.nsec.dnssec.test", type: .txt)
        #expect(wildcard.dnssec == .secure)
        var options = client.defaultOptions
        options.dnssecValidation = false
        #expect(try await client.query("www.expired.dnssec.test", options: options).dnssec == nil)
    }

    @Test func aBogusAnswerThrowsWithItsVerdict() async throws {
        let error = await #expect(throws: TransportError.self) { try await client().query("trap.keytrap.dnssec.test") }
        #expect(error?.code == .dnssecBogus && error?.dnssec?.state == .bogus && error?.dnssec?.ede == ValidationFinding.Code.dnssecBogus)
        let returned = try await client(returnBogus: true).query("www.no-ksk.dnssec.test")
        #expect(returned.dnssec?.state == .bogus && returned.dnssec?.ede == ValidationFinding.Code.dnskeyMissing && !returned.message.answers.isEmpty)
    }

    @Test func aFetchThatFailsIsIndeterminateNeverBogus() async throws {
        // The answer comes, then the server goes silent for the DS and DNSKEY fetches.
        let relay = try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()))
        defer { relay.stop() }
        var options = QueryOptions()
        (options.timeout, options.retransmitInterval) = (.milliseconds(400), .milliseconds(100))
        let client = try client(servers: [Nameserver(ServerEndpoint(host: relay.address, port: relay.port))])
        var plain = options
        (plain.dnssecValidation, plain.dnssecOK, plain.checkingDisabled) = (false, true, true)
        let answer = try await client.query("www.alg8.dnssec.test", options: plain)
        relay.mode = .drop
        let validator = DNSSECValidator(client: client, anchors: client.validator!.settings.anchors)
        let verdict = await validator.validate(answer.message)
        #expect(
            verdict.state == .indeterminate && verdict.ede == ValidationFinding.Code.dnssecIndeterminate && verdict.reason.contains("not fetched"))
    }

    @Test func aCancelledTaskEndsItsValidation() async throws {
        let relay = try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()))
        defer { relay.stop() }
        let client = try client(servers: [Nameserver(ServerEndpoint(host: relay.address, port: relay.port))])
        relay.mode = .delay(.seconds(2))
        let task = Task { try await client.query("www.alg10.dnssec.test") }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = await task.result
        #expect(throws: TransportError.self) { try result.get() }
        #expect(await client.isIdle)
    }
}
