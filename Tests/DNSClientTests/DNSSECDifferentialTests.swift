// SPDX-License-Identifier: Apache-2.0
// Our verdict on every name of the testbed's signed tree beside delv's (BIND 9.18) and
// unbound-host's (libunbound), all three given the same trust anchor (dnssec.test.). Where the
// references disagree, the verdict the RFC text supports is ours (see `disagreements`).

import DNSTransport
import DNSWire
import Foundation
import Testing

@testable import DNSClient
@testable import DNSTestSupport

@Suite struct DNSSECDifferentialTests {
    /// A test name and type.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let type: String
        var testDescription: String { "\(name) \(type)" }
    }

    static let proofZones = ["nsec", "nsec3", "nsec3-optout", "nsec3-150", "nsec3-150-optout", "nsec3-200"]
    static let algorithms = ["5", "7", "8", "10", "13", "14", "15", "16"]

    /// Every name of Scripts/testbed/README.md's DNSSEC tables.
    static let cases: [Case] =
        [Case(name: "www.dnssec.test", type: "A"), Case(name: "doesnotexist.dnssec.test", type: "A")]
        + algorithms.flatMap { [Case(name: "www.alg\($0).dnssec.test", type: "A"), Case(name: "nx.alg\($0).dnssec.test", type: "A")] }
        + proofZones.flatMap { zone in
            [
                ("www", "A"), ("www", "TXT"), ("doesnotexist", "A"), ("x.wild", "A"), ("x.y.wild", "TXT"), ("x.wild", "MX"), ("ent", "A"),
                ("www.sub", "A"), ("nx.sub", "A"), ("www.dname", "A"), ("www.insecure", "A"), ("cname-insecure", "A"), ("cname-out", "A"),
            ].map { Case(name: "\($0.0).\(zone).dnssec.test", type: $0.1) }
        }
        + [
            ("www.expired", "A"), ("www.notyet", "A"), ("www.wrong-ds", "A"), ("www.no-rrsig", "A"), ("a.no-rrsig", "TXT"), ("www.no-ksk", "A"),
            ("www.nsec-gap", "A"), ("a.nsec-gap", "TXT"), ("bb.nsec-gap", "A"), ("b.nsec-gap", "A"), ("www.keytrap", "A"),
            ("trap.keytrap", "A"), ("a.keytrap", "TXT"),
        ].map { Case(name: "\($0.0).dnssec.test", type: $0.1) }

    /// Where delv and unbound-host disagree, what RFC text supports, and so ours.
    static func disagreement(_ test: Case, delv: String, unbound: String) -> String? {
        // Ed448 (RFC 8624 §3.1: MAY validate): Debian's libunbound lacks it and takes the zone
        // as unsigned (RFC 4035 §5.2); we validate it, as delv does.
        if test.name.contains(".alg16.") { return delv }
        // Opt-out NXDOMAIN and wildcard NODATA: the NSEC3 covering the next closer name has the
        // opt-out flag, so the name may sit in an unsigned delegation (RFC 5155 §7.2.1: opt-out
        // spans prove nothing about insecure delegations), Unbound says Insecure; BIND,
        // Secure. RFC 5155 §9.2: "Opt-Out ... does not enable ... proof of non-existence" for
        // such names: Unbound's reading.
        if test.name.contains("optout") { return unbound }
        return nil
    }

    @Test(arguments: cases)
    func matchesDelvAndUnboundHost(_ test: Case) async throws {
        let delv = try Self.delvVerdict(test)
        let unbound = try Self.unboundVerdict(test)
        let ours = try await Self.ourVerdict(test)
        if ours.serverFailed {
            // named answers SERVFAIL (b.nsec-gap): nothing to validate; delv reports the
            // failed resolution, unbound-host an error.
            #expect(ours.verdict == "indeterminate" && delv == "bogus" && unbound == "error", "\(ours), delv \(delv), unbound-host \(unbound)")
            return
        }
        let settled = Self.disagreement(test, delv: delv, unbound: unbound)
        if settled == nil {
            #expect(delv == unbound, "delv \(delv), unbound-host \(unbound): a disagreement the test does not know")
        }
        let expected = settled ?? delv
        #expect(ours.comparable == expected, "ours \(ours), delv \(delv), unbound-host \(unbound)")
    }

    /// Our verdict: its state, `-neg` for NXDOMAIN or no answer of the type.
    struct Verdict: CustomStringConvertible {
        var verdict: String
        var negative: Bool
        var serverFailed: Bool
        var finding: ValidationFinding?

        /// As delv and unbound-host class it: Indeterminate (no anchor covers the data) is Insecure.
        var comparable: String {
            let state = verdict == "indeterminate" ? "insecure" : verdict
            return state == "bogus" ? state : state + (negative ? "-neg" : "")
        }

        var description: String { "\(comparable) [\(finding.map { "\($0)" } ?? "-")]" }
    }

    static func ourVerdict(_ test: Case) async throws -> Verdict {
        var settings = DNSSECSettings()
        settings.anchors = try TrustAnchors(contentsOfFile: try Testbed.value("TESTBED_DNSSEC_ANCHOR_DS"))
        settings.returnBogus = true
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: UInt16(try Testbed.port())))], dnssec: settings)
        let type = try #require(RecordType(mnemonic: test.type))
        let response = try await client.query(test.name, type: type)
        let finding = try #require(response.dnssec)
        var message = response.message
        // A partial chain (named does not follow a CNAME or DNAME into another zone): the
        // references follow it, and so does the verdict; so does the answer's class here.
        if let end = ResponseValidation.partialChainEnd(message, question: DNSQuestion(name: try DomainName(test.name), type: type)) {
            message = try await client.query(end, type: type).message
        }
        let negative = message.responseCode == .nxDomain || !message.answers.contains { $0.type == type }
        return Verdict(
            verdict: finding.state.rawValue.lowercased(), negative: negative, serverFailed: message.responseCode == .servFail, finding: finding)
    }

    /// delv's verdict, classed as Scripts/testbed/check.sh classes it.
    static func delvVerdict(_ test: Case) throws -> String {
        let output = try run(
            "/usr/bin/delv",
            [
                "@127.0.0.1", "-p", try Testbed.value("TESTBED_PORT"), "-a", try Testbed.value("TESTBED_DNSSEC_DELV_ANCHOR"), "+root=dnssec.test",
                test.name, test.type,
            ])
        let lines = output.split(separator: "\n").map(String.init)
        let negative = lines.contains { $0.hasPrefix("; negative response") } ? "-neg" : ""
        if lines.contains(where: { $0.contains("resolution failed: ") && !$0.hasSuffix("ncache nxdomain") && !$0.hasSuffix("ncache nxrrset") }) {
            return "bogus"
        }
        if lines.contains(where: { ["; unsigned answer", "; negative response, unsigned answer", "; authoritative"].contains($0) }) {
            return "insecure" + negative
        }
        if lines.contains(where: { ["; fully validated", "; negative response, fully validated"].contains($0) }) { return "secure" + negative }
        return "unknown: \(output)"
    }

    /// unbound-host's verdict, classed as Scripts/testbed/check.sh classes it.
    static func unboundVerdict(_ test: Case) throws -> String {
        let output = try run("/usr/bin/unbound-host", ["-C", try Testbed.value("TESTBED_DNSSEC_UNBOUND_CONF"), "-v", "-t", test.type, test.name])
        let negative = output.contains("not found: 3(NXDOMAIN)") || output.contains(" has no ") ? "-neg" : ""
        if output.contains("(BOGUS") { return "bogus" }
        if output.contains("(insecure)") { return "insecure" + negative }
        if output.contains("(secure)") { return "secure" + negative }
        if output.contains("(error)") { return "error" }
        return "unknown: \(output)"
    }

    /// Runs `tool` and gives its standard output and error together.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: Scripts/testbed/start.sh installs it")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        (process.standardOutput, process.standardError) = (pipe, pipe)
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output
    }
}
