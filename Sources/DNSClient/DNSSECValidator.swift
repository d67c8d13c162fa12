// SPDX-License-Identifier: Apache-2.0
// DNSSEC validation of a response through a DNSClient: the chain from the closest trust anchor
// down to the zone that signed the answer, DS and DNSKEY fetched through the client.

import DNSTransport
public import DNSWire
internal import Glibc

/// Validates responses with DNSSEC (RFC 4033–4035, 5155): from the closest of its trust anchors,
/// down one label at a time to the zone that signed the answer, it fetches each DS RRset (with
/// DO and CD set) through the client, verifies it with the keys above, and the child's DNSKEY
/// RRset with it; a proven absence of DS at a delegation makes the answer Insecure, a name
/// that is no zone cut is passed on the way down. The answer itself is then checked with the
/// signer's keys (`ResponseValidation`). A fetch that fails makes the verdict Indeterminate
/// (EDE 5), never Bogus; so does a name no anchor covers. Each fetched response has its own
/// `ValidationBudget`.
///
/// ```swift
/// let validator = DNSSECValidator(client: client, anchors: try TrustAnchors(contentsOfFile: "anchors.ds"))
/// let response = try await client.query("www.example", options: validating)   // DO set
/// let verdict = await validator.validate(response.message)
/// ```
public final class DNSSECValidator: Sendable {
    public let client: DNSClient
    public let anchors: TrustAnchors
    public let limits: ValidationLimits

    /// - Parameters:
    ///   - client: the client DS and DNSKEY RRsets are fetched through.
    ///   - anchors: the trust anchors (by default the root's KSKs).
    ///   - limits: the bounds on verification work.
    public init(client: DNSClient, anchors: TrustAnchors = .root, limits: ValidationLimits = ValidationLimits()) {
        self.client = client
        self.anchors = anchors
        self.limits = limits
    }

    /// The verdict on `response` (an answer to its first question, asked with the DO bit), at
    /// `now` (seconds since 1970; nil: the system clock). `trace` gets a line per step of the
    /// chain: each zone, its DS and DNSKEY key tags and algorithms, and each verdict.
    public func validate(_ response: DNSMessage, now: UInt32? = nil, trace: ((String) -> Void)? = nil) async -> ValidationFinding {
        let now = now ?? UInt32(clamping: Int(time(nil)))
        guard let question = response.questions.first else {
            return ValidationFinding(.indeterminate, ede: ValidationFinding.Code.dnssecIndeterminate, "the response has no question")
        }
        if anchors.isUnderNegativeAnchor(question.name) { return ValidationFinding(.insecure, "\(question.name) is under a negative trust anchor") }
        let signer = (response.answers + response.authorities).lazy.compactMap { $0.data.as(RecordData.RRSIG.self)?.signerName }.first
        let target = signer ?? question.name
        guard let anchor = anchors.closestAnchor(for: target) else {
            return ValidationFinding(.indeterminate, ede: ValidationFinding.Code.dnssecIndeterminate, "no trust anchor covers \(target)")
        }
        var zone = anchor.zone
        trace?("\(zone) trust anchor: \(Self.describe(anchor.authority))")
        var keys: [DNSRecord]
        switch await trustedKeys(of: zone, authority: anchor.authority, now: now, trace: trace) {
        case .success(let found): keys = found
        case .failure(let finding): return finding
        }
        // Down to the signer, one label at a time.
        var depth = zone.labelCount
        while depth < target.labelCount {
            depth += 1
            let child = target.suffix(labels: depth)
            let ds: DNSMessage
            do { ds = try await fetch(child, .ds) } catch {
                return ValidationFinding(.indeterminate, ede: ValidationFinding.Code.dnssecIndeterminate, "DS of \(child) not fetched: \(error)")
            }
            let set = ds.answers.filter { $0.type == .ds && $0.name == child }
            var budget = ValidationBudget(limits)
            if set.isEmpty {
                // No DS: a name inside the zone (passed on), or a delegation to an unsigned zone.
                let proof = ResponseValidation.validate(
                    ds, question: DNSQuestion(name: child, type: .ds), zone: zone, keys: keys, now: now, limits: limits, budget: &budget)
                trace?("\(child) no DS: " + (proof.state == .secure ? "inside \(zone)" : "\(proof)"))
                guard proof.state == .secure else { return proof }
                continue
            }
            let verdict = RRsetValidation.validate(
                rrset: set, rrsigs: ds.answers.filter { $0.type == .rrsig }, keys: keys, now: now, limits: limits, budget: &budget)
            let dsSet = set.compactMap { $0.data.as(RecordData.DS.self) }
            trace?("\(child) \(Self.describe(.ds(dsSet))): \(verdict)")
            guard verdict.state == .secure else { return verdict }
            switch await trustedKeys(of: child, authority: .ds(dsSet), now: now, trace: trace) {
            case .success(let found): (zone, keys) = (child, found)
            case .failure(let finding): return finding
            }
        }
        var budget = ValidationBudget(limits)
        let verdict = ResponseValidation.validate(
            response, question: question, zone: zone, keys: keys, now: now, limits: limits, budget: &budget)
        trace?("\(question) \(response.responseCode), signed by \(zone): \(verdict)")
        return verdict
    }

    /// DS or anchor keys as `DS tag/algorithm …` or `DNSKEY tag/algorithm …`.
    private static func describe(_ authority: RRsetValidation.Authority) -> String {
        switch authority {
        case .ds(let set): "DS " + set.map { "\($0.keyTag)/\($0.algorithm)" }.joined(separator: " ")
        case .anchorKeys(let keys): "DNSKEY " + keys.map { "\($0.keyTag)/\($0.algorithm)" }.joined(separator: " ")
        }
    }

    /// The DNSKEY RRset of `zone`, fetched and checked against `authority`: its trusted zone keys.
    private func trustedKeys(
        of zone: DomainName, authority: RRsetValidation.Authority, now: UInt32, trace: ((String) -> Void)?
    ) async -> KeysOrFinding {
        let response: DNSMessage
        do { response = try await fetch(zone, .dnskey) } catch {
            return .failure(
                ValidationFinding(.indeterminate, ede: ValidationFinding.Code.dnssecIndeterminate, "DNSKEY of \(zone) not fetched: \(error)"))
        }
        var budget = ValidationBudget(limits)
        let dnskeys = response.answers.filter { $0.type == .dnskey }
        let (finding, trusted) = RRsetValidation.validateKeys(
            dnskeys, rrsigs: response.answers.filter { $0.type == .rrsig }, owner: zone, authority: authority, now: now, limits: limits,
            budget: &budget)
        let tags = dnskeys.compactMap { $0.data.as(RecordData.DNSKEY.self) }.map {
            "\($0.keyTag)/\($0.algorithm)" + ($0.isSecureEntryPoint ? " (KSK)" : "") + ($0.isRevoked ? " (revoked)" : "")
        }
        trace?("\(zone) DNSKEY \(tags.joined(separator: " ")): \(finding)")
        return finding.state == .secure ? .success(trusted) : .failure(finding)
    }

    /// A zone's trusted keys, or why there are none.
    private enum KeysOrFinding {
        case success([DNSRecord])
        case failure(ValidationFinding)
    }

    /// `type` at `name` with DO and CD set: the records and signatures as the server has them.
    private func fetch(_ name: DomainName, _ type: RecordType) async throws(TransportError) -> DNSMessage {
        var options = client.defaultOptions
        (options.dnssecOK, options.checkingDisabled) = (true, true)
        if options.ednsPayloadSize == nil { options.ednsPayloadSize = 1232 }
        return try await client.query(name, type: type, options: options).message
    }
}
