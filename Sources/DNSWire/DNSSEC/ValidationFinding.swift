// SPDX-License-Identifier: Apache-2.0
// What DNSSEC validation concluded, and why, in RFC 4035 §4.3's states and RFC 8914's codes.

/// The security status of validated data (RFC 4035 §4.3).
public enum ValidationState: String, Hashable, Sendable {
    /// A chain of signed DNSKEY and DS RRsets leads from a trust anchor to the data.
    case secure = "Secure"
    /// A signed chain proves the data is not signed (an insecure delegation, or only algorithms
    /// or digests this validator does not support).
    case insecure = "Insecure"
    /// A chain should exist but does not verify: the data is not to be trusted.
    case bogus = "Bogus"
    /// No trust anchor covers the data, or what the chain needs could not be fetched.
    case indeterminate = "Indeterminate"
}

/// A validation verdict with its reason: an Extended DNS Error code (RFC 8914) and text, for
/// anything but Secure.
public struct ValidationFinding: Hashable, Sendable, CustomStringConvertible {
    public var state: ValidationState
    /// The RFC 8914 INFO-CODE (nil for Secure).
    public var ede: UInt16?
    public var reason: String

    public init(_ state: ValidationState, ede: UInt16? = nil, _ reason: String = "") {
        self.state = state
        self.ede = ede
        self.reason = reason
    }

    public static let secure = ValidationFinding(.secure)

    /// The verdict on data that needs all of `findings`: the first Bogus, else the first
    /// Indeterminate, else the first Insecure, else Secure.
    public static func combining(_ findings: [ValidationFinding]) -> ValidationFinding {
        for state in [ValidationState.bogus, .indeterminate, .insecure] {
            if let finding = findings.first(where: { $0.state == state }) { return finding }
        }
        return .secure
    }

    /// RFC 8914's codes the validator gives.
    public enum Code {
        public static let other: UInt16 = 0
        public static let unsupportedDNSKEYAlgorithm: UInt16 = 1
        public static let unsupportedDSDigestType: UInt16 = 2
        public static let dnssecIndeterminate: UInt16 = 5
        public static let dnssecBogus: UInt16 = 6
        public static let signatureExpired: UInt16 = 7
        public static let signatureNotYetValid: UInt16 = 8
        public static let dnskeyMissing: UInt16 = 9
        public static let rrsigsMissing: UInt16 = 10
        public static let noZoneKeyBitSet: UInt16 = 11
        public static let nsecMissing: UInt16 = 12
        public static let unsupportedNSEC3Iterations: UInt16 = 27
    }

    public var description: String {
        state == .secure ? "Secure" : "\(state.rawValue) (EDE \(ede.map(String.init) ?? "-")): \(reason)"
    }
}

/// Bounds on a response's validation work, against hostile key and signature sets
/// (KeyTrap, CVE-2023-50387; CVE-2023-50868).
public struct ValidationLimits: Hashable, Sendable {
    /// Signature verifications tried for one RRset.
    public var verificationsPerRRset = 8
    /// Signature verifications tried for one response (each response a chain fetches has its own).
    public var verificationsPerResponse = 16
    /// DNSKEYs tried for one RRSIG or DS: keys sharing a key tag and algorithm beyond this are
    /// not tried.
    public var keysPerTag = 2
    /// NSEC3 iterations above this make a proof Insecure (RFC 9276 §3.2).
    public var nsec3Iterations = 150
    /// Allowance for clocks that disagree, in seconds; nil: 10% of each signature's lifetime,
    /// clamped to 1 h–24 h (as Unbound).
    public var clockSkew: UInt32?

    public init() {}
}

/// The signature verifications a response has left (``ValidationLimits/verificationsPerResponse``).
public struct ValidationBudget: Sendable {
    public private(set) var used = 0
    public let limit: Int

    public init(_ limits: ValidationLimits) { limit = limits.verificationsPerResponse }

    /// Takes one verification; false when none is left.
    mutating func take() -> Bool {
        guard used < limit else { return false }
        used += 1
        return true
    }
}

extension ValidationFinding: Encodable {
    private enum CodingKeys: String, CodingKey {
        case status, ede, reason
    }

    /// `{"status": "Secure"|"Insecure"|"Bogus"|"Indeterminate", "ede": code or null, "reason": text}`:
    /// the `dnssec` object of the samples' `--json` output.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state.rawValue, forKey: .status)
        try container.encode(ede.map(Int.init), forKey: .ede)
        try container.encode(reason, forKey: .reason)
    }
}
