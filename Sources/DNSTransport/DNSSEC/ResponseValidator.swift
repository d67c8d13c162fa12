// SPDX-License-Identifier: Apache-2.0
// DNSSEC validation of whole responses: the chains to every zone a response's records come
// from, as a sans-I/O step machine any driver (the engine, an async caller) can run.

public import DNSWire
internal import Glibc

/// Validates responses with its settings and a ``KeyCache`` shared by all of them. Each
/// response gets a ``ResponseCheck`` that says which DS and DNSKEY RRsets it needs (fetched
/// by its driver with DO and CD set) and then gives the verdict.
public final class ResponseValidator: Sendable {
    public let settings: DNSSECSettings
    public let keyCache: KeyCache

    public init(settings: DNSSECSettings = DNSSECSettings()) {
        self.settings = settings
        keyCache = KeyCache(capacity: settings.keyCacheSize)
    }

    /// A check of `response` (an answer to its first question, asked with DO set) at `now`
    /// (seconds since 1970; nil: the system clock). `trace` gets a line per step of each chain.
    public func check(_ response: DNSMessage, now: UInt32? = nil, trace: ((String) -> Void)? = nil) -> ResponseCheck {
        ResponseCheck(response: response, validator: self, now: now ?? UInt32(truncatingIfNeeded: time(nil)), trace: trace)
    }

    /// The query for a DS or DNSKEY RRset the chain needs: DO and CD set (RFC 4035 §3.2.2, the
    /// records as the server has them), RD as in `original`, its EDNS size or 1232.
    public static func fetchQuery(_ name: DomainName, _ type: RecordType, like original: DNSMessage) -> DNSMessage {
        let size = max(original.edns?.udpPayloadSize ?? 1232, 1232)
        var query = DNSMessage.query(
            name: name, type: type, id: 0, recursionDesired: original.header.flags.contains(.rd),
            edns: EDNS(udpPayloadSize: size, dnssecOK: true))
        query.header.flags.insert(.cd)
        return query
    }
}

/// The validation of one response: ``start()``, then ``resume(with:)`` with the answer to each
/// ``Step/fetch(_:_:)`` until ``Step/done(_:)``. The chains to the zones the response needs
/// (`ResponseValidation.zonesNeeded(_:question:)`) are walked one after the other. A partial
/// CNAME or DNAME chain (`ResponseValidation.partialChainEnd(_:question:)`) is followed: the
/// question is asked again at its end, and that answer validated too, so the verdict covers
/// the whole chain (as delv's and Unbound's do); at most 8 such steps.
public final class ResponseCheck {
    public enum Step {
        /// Fetch this RRset (``ResponseValidator/fetchQuery(_:_:like:)``) and resume with the response.
        case fetch(DomainName, RecordType)
        /// The verdict.
        case done(ValidationFinding)
    }

    private let response: DNSMessage
    private let validator: ResponseValidator
    private let now: UInt32
    private let trace: ((String) -> Void)?
    private var targets: [DomainName] = []
    private var trust: [DomainName: ZoneTrust] = [:]
    private var walk: ChainWalk?
    /// How many partial chains were followed before this response.
    private let hops: Int
    /// The verdict on this response, while the rest of its partial chain is checked.
    private var own: ValidationFinding?
    /// The check of the rest of the chain (nil until its answer came).
    private var rest: ResponseCheck?

    init(response: DNSMessage, validator: ResponseValidator, now: UInt32, trace: ((String) -> Void)?, hops: Int = 0) {
        (self.response, self.validator, self.now, self.trace, self.hops) = (response, validator, now, trace, hops)
    }

    public func start() -> Step {
        guard let question = response.questions.first else {
            return .done(ChainWalk.indeterminate("the response has no question"))
        }
        guard response.responseCode == .noError || response.responseCode == .nxDomain else {
            return .done(ChainWalk.indeterminate("the server answered \(response.responseCode): nothing to validate"))
        }
        if validator.settings.trustAD {
            return .done(
                response.header.flags.contains(.ad) ? .secure : ValidationFinding(.insecure, "the server did not set AD (DNSSECTrustAD)"))
        }
        targets = ResponseValidation.zonesNeeded(response, question: question)
        return next()
    }

    public func resume(with result: Result<DNSMessage, TransportError>) -> Step {
        if let rest { return combined(rest.resume(with: result)) }
        if let own {
            // The answer at the end of the partial chain.
            switch result {
            case .success(let response):
                let rest = ResponseCheck(response: response, validator: validator, now: now, trace: trace, hops: hops + 1)
                self.rest = rest
                return combined(rest.start())
            case .failure(let error):
                return .done(.combining([own, ChainWalk.indeterminate("the rest of the chain not fetched: \(error)")]))
            }
        }
        guard var walk else { return next() }
        return settle(walk.resume(with: result), of: &walk)
    }

    /// The rest of the chain's step, with this response's verdict once it is done.
    private func combined(_ step: Step) -> Step {
        guard case .done(let finding) = step, let own else { return step }
        return .done(.combining([own, finding]))
    }

    /// The next chain to walk, or the verdict when every chain is known.
    private func next() -> Step {
        while let target = targets.first {
            targets.removeFirst()
            var walk = ChainWalk(target: target, settings: validator.settings, cache: validator.keyCache, now: now, trace: trace)
            if case .fetch(let name, let type) = settle(walk.start(), of: &walk) { return .fetch(name, type) }
        }
        walk = nil
        return verdict()
    }

    private func settle(_ step: ChainWalk.Step, of walk: inout ChainWalk) -> Step {
        switch step {
        case .fetch(let name, let type):
            self.walk = walk
            return .fetch(name, type)
        case .done(let zoneTrust):
            trust[walk.target] = zoneTrust
            self.walk = nil
            return targets.isEmpty ? verdict() : next()
        }
    }

    private func verdict() -> Step {
        let question = response.questions[0]
        var budget = ValidationBudget(validator.settings.limits)
        let finding = ResponseValidation.validate(
            response, question: question,
            trust: { [trust] name in trust[name] ?? .finding(ChainWalk.indeterminate("no chain to \(name)")) },
            now: now, limits: validator.settings.limits, budget: &budget)
        let zones = trust.values.compactMap { if case .keys(let zone, _) = $0 { zone } else { nil } }
        let signers = Set(zones).sorted().map(\.description).joined(separator: ", ")
        trace?("\(question) \(response.responseCode)" + (signers.isEmpty ? "" : ", signed by \(signers)") + ": \(finding)")
        if finding.state != .bogus, let end = ResponseValidation.partialChainEnd(response, question: question) {
            guard hops < 8 else { return .done(ChainWalk.indeterminate("a chain of more than 8 partial answers")) }
            own = finding
            trace?("\(end) \(question.type): the chain goes on")
            return .fetch(end, question.type)
        }
        return .done(finding)
    }
}
