// SPDX-License-Identifier: Apache-2.0
// The component's DNSSEC validation (DNSSECValidation and the settings after it) on the
// testbed's signed tree, with its trust anchor dnssec.test.; verdicts as delv's and
// unbound-host's (DNSSECDifferentialTests checks every name against both).

import DNSComponent
import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite struct DNSSECComponentTests {
    /// A synchronous component that validates from the testbed's anchor.
    func validating(_ settings: [String] = []) throws -> DNSComponent {
        let dns = try Testbed.component()
        try dns.config("DNSSECValidation=True")
        try dns.config("TrustAnchorFile=\(try Testbed.value("TESTBED_DNSSEC_ANCHOR_DS"))")
        for setting in settings { try dns.config(setting) }
        return dns
    }

    @Test func verdictsReadBackAfterEachQuery() throws {
        let dns = try validating()
        try dns.query("www.sub.nsec3.dnssec.test")
        #expect(dns.dnssecStatus == "Secure" && dns.dnssecEDE == -1 && dns.dnssecReason.isEmpty)
        #expect(dns.recordCount == 2 && dns.statusCode == 0)  // A and its RRSIG (DO is set)
        try dns.query("www.insecure.nsec.dnssec.test")
        #expect(dns.dnssecStatus == "Insecure" && dns.dnssecReason.contains("unsigned delegation"))
        try dns.query("www.testbed.test")
        #expect(dns.dnssecStatus == "Indeterminate" && dns.dnssecEDE == 5 && dns.recordCount == 1)
        dns.queryType = .text
        try dns.query("www.nsec.dnssec.test")  // NODATA, proven
        #expect(dns.dnssecStatus == "Secure" && dns.statusCode == 100)
        try dns.config("DNSSECValidation=False")
        try dns.query("www.nsec.dnssec.test")
        #expect(dns.dnssecStatus.isEmpty && dns.dnssecEDE == -1)
    }

    @Test func aBogusAnswerIsError228WithoutRecords() throws {
        let dns = try validating()
        #expect(errorCode { try dns.query("www.expired.dnssec.test") } == 228)
        #expect(dns.statusCode == 228 && dns.status.hasPrefix("DNSSEC validation failed."))
        #expect(dns.dnssecStatus == "Bogus" && dns.dnssecEDE == 7 && dns.recordCount == 0)
        try dns.config("DNSSECReturnBogus=True")
        try dns.query("www.expired.dnssec.test")
        #expect(dns.dnssecStatus == "Bogus" && dns.dnssecEDE == 7 && dns.recordCount == 2 && dns.statusCode == 0)
    }

    @Test func anAsynchronousBogusAnswerFiresTheErrorEvent() throws {
        let dns = try validating()
        try dns.setTimeout(0)
        var errors: [Int] = []
        var responses = 0
        dns.onError = { errors.append($0.errorCode) }
        dns.onResponse = { _ in responses += 1 }
        try dns.query("www.wrong-ds.dnssec.test")
        let deadline = Date().addingTimeInterval(10)
        while errors.isEmpty, responses == 0, Date() < deadline { try dns.doEvents() }
        #expect(errors == [228] && responses == 0 && dns.dnssecStatus == "Bogus" && dns.dnssecEDE == 9)
    }

    @Test func theRootAnchorsByDefaultMakeLoopbackNamesIndeterminateNeverBogus() throws {
        let dns = try Testbed.component()
        try dns.config("DNSSECValidation=True")
        try dns.query("www.dnssec.test")  // no root zone here: the root's DNSKEY cannot be had
        #expect(dns.dnssecStatus == "Indeterminate" && dns.dnssecEDE == 5 && dns.recordCount == 2)
    }

    @Test func negativeTrustAnchorsAndTheLimits() throws {
        let dns = try validating(["NegativeTrustAnchors=expired.dnssec.test,wrong-ds.dnssec.test"])
        try dns.query("www.expired.dnssec.test")
        #expect(dns.dnssecStatus == "Insecure" && dns.dnssecReason.contains("negative trust anchor"))
        // One RRSIG over 30 keys sharing its tag: two keys tried by default; one is too few.
        dns.queryType = .text
        try dns.query("a.keytrap.dnssec.test")
        #expect(dns.dnssecStatus == "Secure")
        try dns.config("DNSSECMaxValidationsPerRRset=1")
        #expect(errorCode { try dns.query("a.keytrap.dnssec.test") } == 228)
        #expect(dns.dnssecReason.contains("would need 2 checks, more than 1"))
        // 150 NSEC3 iterations above a limit of 100: Insecure, EDE 27.
        try dns.config("DNSSECMaxNSEC3Iterations=100")
        dns.queryType = .address
        try dns.query("nothere.nsec3-150.dnssec.test")
        #expect(dns.dnssecStatus == "Insecure" && dns.dnssecEDE == 27)
    }

    @Test func theClockSkewAllowance() throws {
        let dns = try validating()
        #expect(try dns.config("DNSSECClockSkew") == "-1")
        #expect(errorCode { try dns.query("www.notyet.dnssec.test") } == 228 && dns.dnssecEDE == 8)
        try dns.config("DNSSECClockSkew=\(8 * 86_400)")  // the signatures start in 7 days
        try dns.query("www.notyet.dnssec.test")
        #expect(dns.dnssecStatus == "Secure")
    }

    @Test func validatedKeysAreCachedAcrossQueries() throws {
        let dns = try validating(["LogLevel=2"])
        var fetches = 0
        dns.onLog = { if $0.message.contains("DNSSEC: fetching") { fetches += 1 } }
        try dns.query("www.alg13.dnssec.test")
        #expect(dns.dnssecStatus == "Secure" && fetches == 3)  // DNSKEY of the anchor, DS and DNSKEY of alg13
        fetches = 0
        dns.queryType = .text
        try dns.query("txt.alg13.dnssec.test")
        #expect(dns.dnssecStatus == "Secure" && fetches == 0)
        try dns.config("DNSSECMaxValidationsPerRRset=8")  // a DNSSEC setting: a new validator, an empty key cache
        try dns.query("txt.alg13.dnssec.test")
        #expect(fetches == 3)
    }

    @Test func oneFlippedOctetOfSignedDataIsBogus() throws {
        let relay = try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()))
        defer { relay.stop() }
        let dns = try validating()
        try dns.setDNSPort(Int(relay.port))
        relay.mode = .flipAddressOctet
        #expect(errorCode { try dns.query("www.alg13.dnssec.test") } == 228)
        #expect(dns.dnssecStatus == "Bogus" && dns.dnssecEDE == 6 && dns.dnssecReason.contains("verifies"))
        relay.mode = .pass
        try dns.query("www.alg13.dnssec.test")
        #expect(dns.dnssecStatus == "Secure")
    }

    @Test func theADBitIsTrustedOnlyWhenAskedTo() throws {
        // A server that claims AD on an unsigned answer.
        let server = try FakeServer { query, _ in
            var reply = FakeServer.reply(to: query)
            if reply.count > 3 { reply[3] |= 0x20 }
            return [.send(reply)]
        }
        defer { server.stop() }
        let dns = try validating()
        try dns.setDNSPort(Int(server.port))
        // Validated: the AD bit counts for nothing, and the fake's DNSKEY answer (an A record) is no key.
        #expect(errorCode { try dns.query("www.dnssec.test") } == 228 && dns.dnssecEDE == 9)
        try dns.config("DNSSECTrustAD=True")
        try dns.query("www.dnssec.test")
        #expect(dns.dnssecStatus == "Secure")
    }

    @Test func badSettingsAreRefused() throws {
        let dns = try DNSComponent()
        #expect(errorCode { try dns.config("TrustAnchorFile=/nonexistent/anchors") } == 10022)
        #expect(errorCode { try dns.config("NegativeTrustAnchors=bad..name") } == 10022)
        #expect(errorCode { try dns.config("DNSSECMaxValidationsPerRRset=0") } == 10022)
        #expect(errorCode { try dns.config("DNSSECClockSkew=-2") } == 10022)
        #expect(try dns.config("DNSSECValidation") == "False" && dns.dnssecEDE == -1)
    }
}

extension DNSSECComponentTests {
    /// The samples' `--json` `dnssec` object: status, ede (or null), reason; the validator's
    /// code in the top-level `ede` list; a Bogus answer prints it with no records and exits 1.
    @Test func theJSONContractOfDnsqueryAndAsyncClient() throws {
        let anchors = "TrustAnchorFile=\(try Testbed.value("TESTBED_DNSSEC_ANCHOR_DS"))"
        let port = try Testbed.value("TESTBED_PORT")
        let query = ["--server", "127.0.0.1", "--port", port, "--config", "DNSSECValidation=True", "--config", anchors, "--json"]
        func object(_ text: String) throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
        }
        let secure = try runSample("dnsquery", query + ["www.sub.nsec3.dnssec.test"])
        let secureDNSSEC = try #require(try object(secure.output)["dnssec"] as? [String: Any])
        #expect(secure.status == 0 && secureDNSSEC["status"] as? String == "Secure" && secureDNSSEC["ede"] is NSNull)
        let bogus = try runSample("dnsquery", query + ["www.expired.dnssec.test"])
        let bogusObject = try object(bogus.output)
        let bogusDNSSEC = try #require(bogusObject["dnssec"] as? [String: Any])
        #expect(bogus.status == 1 && bogusObject["statusCode"] as? Int == 228 && (bogusObject["records"] as? [Any])?.isEmpty == true)
        #expect(bogusDNSSEC["status"] as? String == "Bogus" && bogusDNSSEC["ede"] as? Int == 7 && bogusObject["ede"] as? [Int] == [7])
        #expect((bogusDNSSEC["reason"] as? String)?.contains("expired") == true)
        let plain = try runSample("dnsquery", ["--server", "127.0.0.1", "--port", port, "--json", "www.testbed.test"])
        #expect(try object(plain.output)["dnssec"] == nil)

        let client = ["--server", "127.0.0.1:\(port)", "--config", "DNSSECValidation=True", "--config", anchors, "--json"]
        let lines = try runSample("async-client", client + ["www.sub.nsec3.dnssec.test", "www.expired.dnssec.test", "www.testbed.test"])
        let objects = try lines.output.split(separator: "\n").map { try object(String($0)) }
        #expect(lines.status == 1 && objects.count == 3)
        #expect((objects[0]["dnssec"] as? [String: Any])?["status"] as? String == "Secure")
        #expect((objects[1]["dnssec"] as? [String: Any])?["ede"] as? Int == 7 && (objects[1]["error"] as? [String: Any])?["code"] as? Int == 228)
        #expect(objects[1]["records"] == nil && objects[1]["ede"] as? [Int] == [7])
        #expect((objects[2]["dnssec"] as? [String: Any])?["status"] as? String == "Indeterminate" && objects[2]["ede"] as? [Int] == [5])
    }
}
