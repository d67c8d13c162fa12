// SPDX-License-Identifier: Apache-2.0
// `dnsbench dnssec`: what DNSSEC validation costs on the testbed's signed tree: the validation
// work alone over captured responses with their zone's keys trusted (no round trip), a
// KeyTrap-style response within the work limits, and a cold chain from the anchor through
// DNSClient's DNSSECValidator.

import DNSClient
import DNSTransport
import DNSWire
import Glibc

/// `dnsbench dnssec --server S --port N --anchors FILE [--iterations N] [--keytrap-runs K]
/// [--chains M] [--json]`.
///
/// 1. Captures once, untimed, the trusted keys of alg13.dnssec.test. (the chain walked by hand
///    from the anchor, as DNSSECChainTests does) and the answer to `www.alg13.dnssec.test. A`
///    asked with DO and CD (one ECDSA P-256 RRSIG); then times N (default 20000)
///    `ResponseValidation.validate` calls on it, a fresh `ValidationBudget` each, every verdict
///    Secure with one verification (else it stops). Then, to tell where the time goes, N each of
///    `RRsetValidation.validate` on its A RRset alone, `RRSIGVerifier.verify` with the key its
///    RRSIG names, and `RRSIGVerifier.signedData`.
/// 2. KeyTrap: the keys of keytrap.dnssec.test. and the answers for `www.keytrap` and
///    `trap.keytrap` A (8 RRSIGs over 30 keys of one tag), each validated K times (default
///    300): verifications used, p50, p99 and maximum time; every verdict must be Bogus.
/// 3. Cold chain: M times (default 20) a new DNSClient and DNSSECValidator, the query for
///    `www.sub.nsec3.dnssec.test. A` with DO and its validation from the anchor (DNSKEY of
///    dnssec.test., DS and DNSKEY of nsec3 and sub.nsec3): the median time from the client's
///    creation to the verdict, which must be Secure.
func dnssecBenchmark(_ options: Options) async throws {
    let host = try options.required("server")
    let port = try options.integer("port", default: 53)
    let anchors = try TrustAnchors(contentsOfFile: try options.required("anchors"))
    let iterations = try options.integer("iterations", default: 20_000)
    let keytrapRuns = try options.integer("keytrap-runs", default: 300)
    let chains = try options.integer("chains", default: 20)
    let endpoint = ServerEndpoint(host: host, port: UInt16(port))
    let capture = Capture(client: try DNSClient(servers: [Nameserver(endpoint)]), anchors: anchors)
    let limits = ValidationLimits()

    // 1. One ECDSA P-256 answer, validated with its zone's keys.
    let alg13 = try DomainName("alg13.dnssec.test.")
    let alg13Keys = try await capture.trustedKeys(of: alg13)
    let question = DNSQuestion(name: try DomainName("www.alg13.dnssec.test."), type: .a)
    let response = try await capture.fetch(question.name, .a)
    let now = capture.now
    let answers = try rate(iterations) {
        var budget = ValidationBudget(limits)
        let finding = ResponseValidation.validate(
            response, question: question, zone: alg13, keys: alg13Keys, now: now, limits: limits, budget: &budget)
        guard finding.state == .secure, budget.used == 1 else {
            throw BenchError("www.alg13.dnssec.test. A: \(finding) after \(budget.used) verifications (want Secure after 1)")
        }
    }
    // Its pieces: the one RRSIG over the A RRset with the key it names, and the signed data alone.
    let rrset = response.answers.filter { $0.type == .a }
    let rrsigs = response.answers.filter { $0.type == .rrsig && $0.data.as(RecordData.RRSIG.self)?.typeCovered == .a }
    guard rrsigs.count == 1, let signature = rrsigs[0].data.as(RecordData.RRSIG.self) else {
        throw BenchError("www.alg13.dnssec.test. A has \(rrsigs.count) RRSIGs over A, not 1")
    }
    guard let key = alg13Keys.first(where: { $0.data.as(RecordData.DNSKEY.self)?.keyTag == signature.keyTag }) else {
        throw BenchError("no trusted key of alg13.dnssec.test. has tag \(signature.keyTag)")
    }
    let rrsetValidations = try rate(iterations) {
        var budget = ValidationBudget(limits)
        let finding = RRsetValidation.validate(rrset: rrset, rrsigs: rrsigs, keys: alg13Keys, now: now, limits: limits, budget: &budget)
        guard finding.state == .secure else { throw BenchError("www.alg13.dnssec.test. A RRset: \(finding)") }
    }
    let verifications = try rate(iterations) {
        guard case .verified = RRSIGVerifier.verify(rrset: rrset, rrsig: rrsigs[0], key: key) else {
            throw BenchError("the RRSIG over www.alg13.dnssec.test. A does not verify")
        }
    }
    let signedData = try rate(iterations) { blackHole(try RRSIGVerifier.signedData(rrset: rrset, rrsig: signature)) }

    // 2. KeyTrap: 8 RRSIGs over 30 colliding keys, within the limits.
    let keytrap = try DomainName("keytrap.dnssec.test.")
    let keytrapKeys = try await capture.trustedKeys(of: keytrap)
    var keytrapRows: [(label: String, verifications: Int, sorted: [Double])] = []
    for label in ["www", "trap"] {
        let trapQuestion = DNSQuestion(name: try DomainName("\(label).keytrap.dnssec.test."), type: .a)
        let trapResponse = try await capture.fetch(trapQuestion.name, .a)
        var used: Set<Int> = []
        var times: [Double] = []
        for run in 0..<(keytrapRuns + keytrapRuns / 10) {
            var budget = ValidationBudget(limits)
            let start = ContinuousClock.now
            let finding = ResponseValidation.validate(
                trapResponse, question: trapQuestion, zone: keytrap, keys: keytrapKeys, now: now, limits: limits, budget: &budget)
            let elapsed = milliseconds(start.duration(to: .now))
            guard finding.state == .bogus else { throw BenchError("\(trapQuestion.name) A: \(finding), not Bogus") }
            used.insert(budget.used)
            if run >= keytrapRuns / 10 { times.append(elapsed) }  // the first tenth warms up
        }
        guard used.count == 1, let count = used.first else { throw BenchError("\(trapQuestion.name) A: verifications used vary: \(used.sorted())") }
        keytrapRows.append((label, count, times.sorted()))
    }

    // 3. The cold chain: a new client and validator each time, nothing cached.
    let deep = try DomainName("www.sub.nsec3.dnssec.test.")
    var chainTimes: [Double] = []
    for _ in 0..<chains {
        let start = ContinuousClock.now
        let client = try DNSClient(servers: [Nameserver(endpoint)])
        let validator = DNSSECValidator(client: client, anchors: anchors, limits: limits)
        var query = QueryOptions()
        query.dnssecOK = true
        let answer = try await client.query(deep, type: .a, options: query)
        let verdict = await validator.validate(answer.message)
        let elapsed = milliseconds(start.duration(to: .now))
        guard verdict.state == .secure else { throw BenchError("\(deep) A: \(verdict), not Secure") }
        chainTimes.append(elapsed)
    }
    chainTimes.sort()

    if options.flags.contains("json") {
        var fields = [
            "\"answers_per_s\": \(answers.perSecond)", "\"ns_per_answer\": \(answers.nanoseconds)",
            "\"rrset_validate_per_s\": \(rrsetValidations.perSecond)", "\"rrsig_verify_per_s\": \(verifications.perSecond)",
            "\"signed_data_ns\": \(signedData.nanoseconds)",
        ]
        for row in keytrapRows {
            fields += [
                "\"keytrap_\(row.label)_verifications\": \(row.verifications)", "\"keytrap_\(row.label)_ms\": \(percentile(row.sorted, 0.5))",
                "\"keytrap_\(row.label)_p99_ms\": \(percentile(row.sorted, 0.99))", "\"keytrap_\(row.label)_max_ms\": \(row.sorted.last ?? 0)",
            ]
        }
        fields += ["\"cold_chain_ms\": \(percentile(chainTimes, 0.5))", "\"cold_chain_max_ms\": \(chainTimes.last ?? 0)", "\"chains\": \(chains)"]
        print("{" + fields.joined(separator: ", ") + "}")
    } else {
        print("www.alg13 A validated:   \(fixed(answers.perSecond)) answers/s, \(fixed(answers.nanoseconds)) ns each (\(iterations))")
        print("  RRsetValidation alone: \(fixed(rrsetValidations.perSecond))/s, \(fixed(rrsetValidations.nanoseconds)) ns each")
        print("  RRSIGVerifier.verify:  \(fixed(verifications.perSecond))/s, \(fixed(verifications.nanoseconds)) ns each")
        print("  signedData alone:      \(fixed(signedData.nanoseconds)) ns each")
        for row in keytrapRows {
            print(
                "\(padded("\(row.label).keytrap A (Bogus):", 24)) \(row.verifications) verifications, p50 \(fixed(percentile(row.sorted, 0.5), 3)) ms, "
                    + "p99 \(fixed(percentile(row.sorted, 0.99), 3)) ms, max \(fixed(row.sorted.last ?? 0, 3)) ms (\(keytrapRuns))")
        }
        print(
            "cold chain www.sub.nsec3 A (Secure): median \(fixed(percentile(chainTimes, 0.5), 2)) ms, max \(fixed(chainTimes.last ?? 0, 2)) ms (\(chains))"
        )
    }
}

/// Fetches with DO and CD through one client and walks the chain by hand from the anchor.
private struct Capture {
    let client: DNSClient
    let anchors: TrustAnchors
    let now = UInt32(time(nil))
    let limits = ValidationLimits()

    func fetch(_ name: DomainName, _ type: RecordType) async throws -> DNSMessage {
        var options = QueryOptions()
        (options.dnssecOK, options.checkingDisabled) = (true, true)
        return try await client.query(name, type: type, options: options).message
    }

    /// The trusted zone keys of `zone`, a zone cut at every label from the closest anchor down
    /// (as below dnssec.test.): the anchor's DNSKEYs, then each child's DS and DNSKEYs.
    func trustedKeys(of zone: DomainName) async throws -> [DNSRecord] {
        guard let anchor = anchors.closestAnchor(for: zone) else { throw BenchError("no trust anchor covers \(zone)") }
        var keys = try await validatedKeys(of: anchor.zone, authority: anchor.authority)
        var depth = anchor.zone.labelCount
        while depth < zone.labelCount {
            depth += 1
            let child = zone.suffix(labels: depth)
            let answers = try await fetch(child, .ds).answers
            let ds = answers.filter { $0.type == .ds && $0.name == child }
            var budget = ValidationBudget(limits)
            let finding = RRsetValidation.validate(
                rrset: ds, rrsigs: answers.filter { $0.type == .rrsig }, keys: keys, now: now, limits: limits, budget: &budget)
            guard finding.state == .secure else { throw BenchError("DS of \(child): \(finding)") }
            keys = try await validatedKeys(of: child, authority: .ds(ds.compactMap { $0.data.as(RecordData.DS.self) }))
        }
        return keys
    }

    private func validatedKeys(of zone: DomainName, authority: RRsetValidation.Authority) async throws -> [DNSRecord] {
        let answers = try await fetch(zone, .dnskey).answers
        var budget = ValidationBudget(limits)
        let (finding, trusted) = RRsetValidation.validateKeys(
            answers.filter { $0.type == .dnskey }, rrsigs: answers.filter { $0.type == .rrsig }, owner: zone, authority: authority, now: now,
            limits: limits, budget: &budget)
        guard finding.state == .secure else { throw BenchError("DNSKEY of \(zone): \(finding)") }
        return trusted
    }
}

/// Runs `body` `iterations` times after a warm-up (a tenth as many, at least 1000): calls per
/// second and nanoseconds per call.
private func rate(_ iterations: Int, _ body: () throws -> Void) throws -> (perSecond: Double, nanoseconds: Double) {
    for _ in 0..<max(1000, iterations / 10) { try body() }
    let start = ContinuousClock.now
    for _ in 0..<iterations { try body() }
    let seconds = milliseconds(start.duration(to: .now)) / 1000
    return (Double(iterations) / seconds, seconds / Double(iterations) * 1e9)
}

private func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}

private func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}
