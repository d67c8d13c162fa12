// SPDX-License-Identifier: Apache-2.0
// How responses are validated with DNSSEC: trust anchors, work limits, the key cache's size.

public import DNSWire

/// The settings of DNSSEC validation (RFC 4033–4035, 5155), shared by the component's
/// `DNSSECValidation` and DNSClient's `dnssec:`.
public struct DNSSECSettings: Sendable {
    /// Where chains start: by default the root's KSKs (key tags 20326 and 38696); with
    /// negative trust anchors (RFC 7646), zones whose data is Insecure without a look.
    public var anchors: TrustAnchors {
        get { configuredAnchors ?? .root }
        set { configuredAnchors = newValue }
    }
    /// Nil until set: the built-in root anchors are read (and the record types they need made
    /// ready) only when a validator first asks, not for every component and client created.
    private var configuredAnchors: TrustAnchors?
    /// Bounds on verification work (KeyTrap, CVE-2023-50387), NSEC3 iterations and clock skew.
    public var limits = ValidationLimits()
    /// Take the server's AD bit as the verdict instead of validating: only for a validating
    /// resolver on this host (or behind a channel no one else can write to, RFC 4035 §4.9.3);
    /// an answer without AD is then Insecure.
    public var trustAD = false
    /// How many zones' facts (trusted keys, names that are no zone cut, insecure delegations,
    /// failures) the validator keeps.
    public var keyCacheSize = 1024
    /// Give a Bogus answer with its verdict instead of failing with
    /// ``TransportError/Code/dnssecBogus`` (the component's `DNSSECReturnBogus`; for callers
    /// that show why, as a debugging tool would).
    public var returnBogus = false

    public init() {}
}
