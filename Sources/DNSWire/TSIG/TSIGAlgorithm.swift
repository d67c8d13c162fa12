// SPDX-License-Identifier: Apache-2.0
// The HMAC algorithms of TSIG (RFC 8945 §6): names, digest sizes and truncation limits.

/// A TSIG MAC algorithm (RFC 8945 §6), named in TSIG records by a domain name.
///
/// ```swift
/// let algorithm = try TSIGAlgorithm(parsing: "hmac-sha256")
/// algorithm.name            // hmac-sha256.
/// algorithm.digestSize      // 32
/// algorithm.minimumMACSize  // 16
/// ```
public enum TSIGAlgorithm: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// HMAC-MD5, named `hmac-md5.sig-alg.reg.int.` (only for compatibility; RFC 8945 §6).
    case hmacMD5 = "hmac-md5"
    /// HMAC-SHA1, named `hmac-sha1.`.
    case hmacSHA1 = "hmac-sha1"
    /// HMAC-SHA224, named `hmac-sha224.`.
    case hmacSHA224 = "hmac-sha224"
    /// HMAC-SHA256, named `hmac-sha256.` (the algorithm RFC 8945 requires every implementation to have).
    case hmacSHA256 = "hmac-sha256"
    /// HMAC-SHA384, named `hmac-sha384.`.
    case hmacSHA384 = "hmac-sha384"
    /// HMAC-SHA512, named `hmac-sha512.`.
    case hmacSHA512 = "hmac-sha512"

    /// The algorithm name carried in TSIG records, lower case.
    public var name: DomainName {
        switch self {
        case .hmacMD5: Self.names[0]
        case .hmacSHA1: Self.names[1]
        case .hmacSHA224: Self.names[2]
        case .hmacSHA256: Self.names[3]
        case .hmacSHA384: Self.names[4]
        case .hmacSHA512: Self.names[5]
        }
    }

    private static let names: [DomainName] = allCases.map { algorithm in
        let text = algorithm == .hmacMD5 ? "hmac-md5.sig-alg.reg.int." : algorithm.rawValue + "."
        return try! DomainName(text)
    }

    /// The length of the full MAC in octets (the hash function's output length).
    public var digestSize: Int {
        switch self {
        case .hmacMD5: 16
        case .hmacSHA1: 20
        case .hmacSHA224: 28
        case .hmacSHA256: 32
        case .hmacSHA384: 48
        case .hmacSHA512: 64
        }
    }

    /// The shortest truncated MAC RFC 8945 §5.2.2.1 allows: the larger of 10 octets and half
    /// the digest size, rounded up.
    public var minimumMACSize: Int { max(10, (digestSize + 1) / 2) }

    /// The name as BIND and `dig` write it in key files and `-y`: `hmac-sha256`, `hmac-md5`.
    public var description: String { rawValue }

    /// The algorithm a TSIG record names, compared without regard to case.
    ///
    /// - Throws: ``TSIGError/Code/unknownAlgorithm`` for any other name.
    public init(name: DomainName) throws(TSIGError) {
        guard let known = Self.allCases.first(where: { $0.name == name }) else {
            throw TSIGError(.unknownAlgorithm, "unknown TSIG algorithm \(name)")
        }
        self = known
    }

    /// Parses an algorithm as BIND's key files and `dig -y` write it: `hmac-md5`, `hmac-sha1`,
    /// `hmac-sha224`, `hmac-sha256`, `hmac-sha384` or `hmac-sha512`, in any case; the TSIG name
    /// (`hmac-md5.sig-alg.reg.int`, `hmac-sha256.`) is accepted too. The `hmac-` prefix is required,
    /// as in `dig`.
    ///
    /// - Throws: ``TSIGError/Code/unknownAlgorithm``.
    public init(parsing text: String) throws(TSIGError) {
        let lower = text.lowercased()
        let bare = lower.hasSuffix(".") ? String(lower.dropLast()) : lower
        if let known = Self(rawValue: bare) {
            self = known
        } else if bare == "hmac-md5.sig-alg.reg.int" {
            self = .hmacMD5
        } else {
            throw TSIGError(
                .unknownAlgorithm,
                "unknown TSIG algorithm '\(text)' (expected one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }
}
