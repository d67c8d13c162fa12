// SPDX-License-Identifier: Apache-2.0
// DNSSEC validation of a response a DNSClient got, step by step: the chains from the closest
// trust anchors down to the zones that signed it, DS and DNSKEY fetched through the client.

public import DNSTransport
public import DNSWire

/// Validates responses with DNSSEC (RFC 4033–4035, 5155) through a client made without
/// validation of its own (or whose queries turn it off): for each zone the response's
/// records come from, from the closest of its trust anchors down one label at a time, it
/// fetches each DS RRset (with DO and CD set), verifies it with the keys above, and the
/// child's DNSKEY RRset with it; a proven absence of DS at a delegation makes that zone's data
/// Insecure. The answer is then checked with the signers' keys. A fetch that fails makes the
/// verdict Indeterminate (EDE 5), never Bogus; so does a name no anchor covers. Keys and
/// proofs are kept in the validator's key cache. With `trace`, each step is told as `delv
/// +vtrace` tells it.
///
/// ```swift
/// let validator = DNSSECValidator(client: client, anchors: try TrustAnchors(contentsOfFile: "anchors.ds"))
/// let response = try await client.query("www.example", options: validating)   // DO set
/// let verdict = await validator.validate(response.message)
/// ```
public final class DNSSECValidator: Sendable {
    public let client: DNSClient
    public let validator: ResponseValidator
    public var anchors: TrustAnchors { validator.settings.anchors }
    public var limits: ValidationLimits { validator.settings.limits }

    /// - Parameters:
    ///   - client: the client DS and DNSKEY RRsets are fetched through.
    ///   - anchors: the trust anchors (by default the root's KSKs).
    ///   - limits: the bounds on verification work.
    public init(client: DNSClient, anchors: TrustAnchors = .root, limits: ValidationLimits = ValidationLimits()) {
        self.client = client
        var settings = DNSSECSettings()
        (settings.anchors, settings.limits) = (anchors, limits)
        validator = ResponseValidator(settings: settings)
    }

    /// The verdict on `response` (an answer to its first question, asked with the DO bit), at
    /// `now` (seconds since 1970; nil: the system clock). `trace` gets a line per step of the
    /// chain: each zone, its DS and DNSKEY key tags and algorithms, and each verdict.
    public func validate(_ response: DNSMessage, now: UInt32? = nil, trace: ((String) -> Void)? = nil) async -> ValidationFinding {
        let check = validator.check(response, now: now, trace: trace)
        var step = check.start()
        var options = client.defaultOptions
        options.dnssecValidation = false
        while true {
            switch step {
            case .done(let finding):
                return finding
            case .fetch(let name, let type):
                let result: Result<DNSMessage, TransportError>
                do {
                    result = .success(try await client.send(ResponseValidator.fetchQuery(name, type, like: response), options: options).message)
                } catch {
                    result = .failure(error)
                }
                step = check.resume(with: result)
            }
        }
    }
}
