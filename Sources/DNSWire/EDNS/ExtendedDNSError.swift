// SPDX-License-Identifier: Apache-2.0
// Extended DNS errors (RFC 8914) and their code table.

/// An extended DNS error: an INFO-CODE and optional UTF-8 text (RFC 8914 §2).
public struct ExtendedDNSError: Hashable, Sendable, CustomStringConvertible {
    public var infoCode: UInt16
    public var extraText: String

    public init(infoCode: UInt16, extraText: String = "") {
        self.infoCode = infoCode
        self.extraText = extraText
    }

    /// The purposes of INFO-CODEs 0–29 (RFC 8914 §4 and the IANA registry).
    public static let purposes: [UInt16: String] = [
        0: "Other Error", 1: "Unsupported DNSKEY Algorithm", 2: "Unsupported DS Digest Type", 3: "Stale Answer",
        4: "Forged Answer", 5: "DNSSEC Indeterminate", 6: "DNSSEC Bogus", 7: "Signature Expired",
        8: "Signature Not Yet Valid", 9: "DNSKEY Missing", 10: "RRSIGs Missing", 11: "No Zone Key Bit Set",
        12: "NSEC Missing", 13: "Cached Error", 14: "Not Ready", 15: "Blocked", 16: "Censored", 17: "Filtered",
        18: "Prohibited", 19: "Stale NXDOMAIN Answer", 20: "Not Authoritative", 21: "Not Supported",
        22: "No Reachable Authority", 23: "Network Error", 24: "Invalid Data", 25: "Signature Expired before Valid",
        26: "Too Early", 27: "Unsupported NSEC3 Iterations Value", 28: "Unable to conform to policy",
        29: "Synthesized",
    ]

    /// The registry's purpose for ``infoCode``, or nil for an unassigned code.
    public var purpose: String? { Self.purposes[infoCode] }

    /// `18 (Prohibited): text`, like dig.
    public var description: String {
        var text = "\(infoCode)"
        if let purpose { text += " (\(purpose))" }
        if !extraText.isEmpty { text += ": (\(extraText))" }
        return text
    }
}
