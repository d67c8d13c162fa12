// SPDX-License-Identifier: Apache-2.0
// The NSEC3 hash of an owner name (RFC 5155 §5), with an iteration cap checked before any hashing (RFC 9276).

internal import CDNSOpenSSL

/// Why an NSEC3 hash was not computed.
public enum NSEC3HashError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The hash algorithm is not SHA-1 (1), the only one defined (RFC 5155 §11).
    case unsupportedAlgorithm(UInt8)
    /// The iterations exceed the caller's limit; nothing was hashed (RFC 9276 §3.2).
    case iterationsAboveLimit(UInt16)
    /// OpenSSL failed where it should not.
    case cryptoFailure

    /// A short English explanation.
    public var description: String {
        switch self {
        case .unsupportedAlgorithm(let algorithm): "NSEC3 hash algorithm \(algorithm) is not supported"
        case .iterationsAboveLimit(let iterations): "\(iterations) NSEC3 iterations exceed the limit"
        case .cryptoFailure: "OpenSSL failed"
        }
    }
}

/// The NSEC3 hash function (RFC 5155 §5): `IH(salt, x, 0) = H(x || salt)`,
/// `IH(salt, x, k) = H(IH(salt, x, k-1) || salt)`, the result `IH(salt, owner, iterations)` with the
/// owner name in canonical (lower-case, uncompressed) wire form.
///
/// ```swift
/// let hash = try NSEC3Hash.hash(of: try DomainName("example."), salt: [0xAA, 0xBB, 0xCC, 0xDD], iterations: 12)
/// NSEC3Hash.label(hash)   // "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"
/// ```
public enum NSEC3Hash {
    /// The SHA-1 hash algorithm number (RFC 5155 §11).
    public static let sha1: UInt8 = 1
    /// The length of a SHA-1 NSEC3 hash, in octets.
    public static let sha1Length = 20
    /// The iteration limit RFC 9276 §3.2 suggests to validators: above it, answers are insecure.
    public static let defaultIterationLimit: UInt16 = 150

    /// The hash of `name` with the given parameters.
    ///
    /// The limit is checked first: with more than `limit` iterations nothing is hashed.
    ///
    /// - Parameters:
    ///   - name: the owner name; its case does not matter.
    ///   - algorithm: the NSEC3 hash algorithm; only SHA-1 (1) is computed.
    ///   - salt: the salt, possibly empty.
    ///   - iterations: the number of additional hash iterations.
    ///   - limit: the most iterations accepted.
    /// - Returns: the ``sha1Length`` octets of the hash.
    /// - Throws: ``NSEC3HashError/iterationsAboveLimit(_:)``, ``NSEC3HashError/unsupportedAlgorithm(_:)``,
    ///   ``NSEC3HashError/cryptoFailure``.
    public static func hash(
        of name: DomainName, algorithm: UInt8 = sha1, salt: [UInt8], iterations: UInt16, limit: UInt16 = defaultIterationLimit
    ) throws(NSEC3HashError) -> [UInt8] {
        guard iterations <= limit else { throw .iterationsAboveLimit(iterations) }
        guard algorithm == sha1 else { throw .unsupportedAlgorithm(algorithm) }
        guard let function = EVP_sha1() else { throw .cryptoFailure }
        var digest = name.canonical.wire
        for _ in 0...Int(iterations) {
            guard let next = messageDigest(digest + salt, with: function, length: sha1Length) else { throw .cryptoFailure }
            digest = next
        }
        return digest
    }

    /// The hash of `name` with the parameters of an NSEC3 or NSEC3PARAM record.
    ///
    /// - Throws: the errors of ``hash(of:algorithm:salt:iterations:limit:)``.
    public static func hash(
        of name: DomainName, parameters: RecordData.NSEC3PARAM, limit: UInt16 = defaultIterationLimit
    ) throws(NSEC3HashError) -> [UInt8] {
        try hash(of: name, algorithm: parameters.hashAlgorithm, salt: parameters.salt, iterations: parameters.iterations, limit: limit)
    }

    /// The hash as an owner label: base32hex (RFC 4648 §7) without padding, in lower case.
    public static func label(_ hash: [UInt8]) -> String {
        BaseEncoding.base32hex.encode(hash).lowercased()
    }

    /// The hashed owner name of `name` in `zone`: the ``label(_:)`` of its hash prepended to `zone`.
    ///
    /// - Throws: the errors of ``hash(of:algorithm:salt:iterations:limit:)``.
    public static func hashedOwner(
        of name: DomainName, zone: DomainName, parameters: RecordData.NSEC3PARAM, limit: UInt16 = defaultIterationLimit
    ) throws(NSEC3HashError) -> DomainName {
        let label = Array(label(try hash(of: name, parameters: parameters, limit: limit)).utf8)
        guard let owner = try? DomainName(labels: [label] + zone.labels.map(Array.init)) else { throw .cryptoFailure }
        return owner
    }
}

extension RecordData.NSEC3 {
    /// The Opt-Out flag (RFC 5155 §3.1.2.1): the span may hold unsigned delegations.
    public var isOptOut: Bool { flags & 0x01 != 0 }

    /// The hash parameters, as an NSEC3PARAM (its flags are zero).
    public var parameters: RecordData.NSEC3PARAM {
        var parameters = RecordData.NSEC3PARAM()
        parameters.hashAlgorithm = hashAlgorithm
        parameters.iterations = iterations
        parameters.salt = salt
        return parameters
    }

    /// Whether the type bit map lists `type`.
    public func typeBitmapContains(_ type: RecordType) -> Bool { types.contains(type) }
}

extension RecordData.NSEC {
    /// Whether the type bit map lists `type`.
    public func typeBitmapContains(_ type: RecordType) -> Bool { types.contains(type) }
}
