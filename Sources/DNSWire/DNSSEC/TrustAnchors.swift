// SPDX-License-Identifier: Apache-2.0
// DNSSEC trust anchors (RFC 4033 §3.1, RFC 4035 §4.4), negative trust anchors (RFC 7646), and the
// built-in IANA root anchors (RFC 9718).

/// The DNSSEC trust anchors a validator starts from: per zone, DS and/or DNSKEY records, plus
/// negative trust anchors (RFC 7646), zones at and below which validation is not done.
///
/// ```swift
/// var anchors = try TrustAnchors(parsing: ". IN DS 20326 8 2 E06D44B8…")
/// anchors.negativeAnchors = [try DomainName("broken.example.")]
/// anchors.closestAnchor(for: try DomainName("www.example.org."))   // (., .ds([…]))
/// ```
///
/// DS anchors of algorithms or digest types not supported here are kept: the validator then finds
/// the zone Insecure. DNSKEY anchors must be zone keys without the REVOKE bit.
public struct TrustAnchors: Sendable {
    /// The DS anchors, by zone.
    public private(set) var dsAnchors: [DomainName: [RecordData.DS]] = [:]
    /// The DNSKEY anchors, by zone.
    public private(set) var keyAnchors: [DomainName: [RecordData.DNSKEY]] = [:]
    /// Negative trust anchors (RFC 7646): zones at and below which validation is not done.
    public var negativeAnchors: [DomainName] = []

    /// No anchors at all.
    public init() {}

    /// The zones that have anchors, in canonical order.
    public var zones: [DomainName] { Set(dsAnchors.keys).union(keyAnchors.keys).sorted() }

    /// Whether there are no positive anchors.
    public var isEmpty: Bool { dsAnchors.isEmpty && keyAnchors.isEmpty }

    /// Adds a DS anchor for `zone`. Duplicates are dropped.
    ///
    /// - Throws: ``TrustAnchorError/Code/badDigestLength`` when the digest type is
    ///   supported and the digest has the wrong length.
    public mutating func add(_ ds: RecordData.DS, for zone: DomainName) throws(TrustAnchorError) {
        if let length = DigestType(ds.digestType).digestLength, ds.digest.count != length {
            throw TrustAnchorError(
                .badDigestLength, "DS \(ds.keyTag) for \(zone): \(ds.digest.count) octets for \(DigestType(ds.digestType)), not \(length)")
        }
        if dsAnchors[zone]?.contains(ds) == true { return }
        dsAnchors[zone, default: []].append(ds)
    }

    /// Adds a DNSKEY anchor for `zone`. Duplicates are dropped.
    ///
    /// - Throws: ``TrustAnchorError/Code/revokedKey`` for a key with the REVOKE bit;
    ///   ``TrustAnchorError/Code/notAZoneKey`` for a key without the Zone Key flag or
    ///   with a protocol other than 3.
    public mutating func add(_ key: RecordData.DNSKEY, for zone: DomainName) throws(TrustAnchorError) {
        guard !key.isRevoked else { throw TrustAnchorError(.revokedKey, "DNSKEY \(key.keyTag) for \(zone) has the REVOKE flag") }
        guard key.isZoneKey, key.protocol == 3 else {
            throw TrustAnchorError(.notAZoneKey, "DNSKEY \(key.keyTag) for \(zone) is not a zone key with protocol 3")
        }
        if keyAnchors[zone]?.contains(key) == true { return }
        keyAnchors[zone, default: []].append(key)
    }

    /// Adds every anchor of `other`, and its negative anchors.
    public mutating func merge(_ other: TrustAnchors) {
        for (zone, set) in other.dsAnchors {
            for ds in set where dsAnchors[zone]?.contains(ds) != true { dsAnchors[zone, default: []].append(ds) }
        }
        for (zone, set) in other.keyAnchors {
            for key in set where keyAnchors[zone]?.contains(key) != true { keyAnchors[zone, default: []].append(key) }
        }
        for name in other.negativeAnchors where !negativeAnchors.contains(name) { negativeAnchors.append(name) }
    }

    /// The anchors of exactly `zone` as what vouches for its DNSKEY RRset, or nil when it has none.
    ///
    /// DS anchors give ``RRsetValidation/Authority/ds(_:)`` and DNSKEY anchors
    /// ``RRsetValidation/Authority/anchorKeys(_:)``; a zone with both gives
    /// ``RRsetValidation/Authority/ds(_:)`` with the DS anchors followed by SHA-256 DS records of
    /// the DNSKEY anchors not already designated.
    public func authority(for zone: DomainName) -> RRsetValidation.Authority? {
        let ds = dsAnchors[zone] ?? []
        let keys = keyAnchors[zone] ?? []
        if ds.isEmpty { return keys.isEmpty ? nil : .anchorKeys(keys) }
        if keys.isEmpty { return .ds(ds) }
        var all = ds
        for key in keys where !ds.contains(where: { DSDigest.matches(ds: $0, dnskey: key, owner: zone) }) {
            guard let derived = try? key.ds(owner: zone, digestType: .sha256), !all.contains(derived) else { continue }
            all.append(derived)
        }
        return .ds(all)
    }

    /// The anchor zone that is the closest ancestor-or-self of `name` (names compare ignoring
    /// ASCII case) and what vouches for its DNSKEY RRset (see ``authority(for:)``), or nil when
    /// no anchor zone encloses `name`. Negative anchors are not consulted here: see
    /// ``isUnderNegativeAnchor(_:)``.
    public func closestAnchor(for name: DomainName) -> (zone: DomainName, authority: RRsetValidation.Authority)? {
        var zone = name
        while true {
            if let authority = authority(for: zone) { return (zone, authority) }
            if zone.labelCount == 0 { return nil }
            zone = zone.parent
        }
    }

    /// Whether `name` is at or below one of the ``negativeAnchors`` (RFC 7646 §1.1), ignoring case.
    public func isUnderNegativeAnchor(_ name: DomainName) -> Bool {
        negativeAnchors.contains { anchor in
            name.labelCount >= anchor.labelCount && name.suffix(labels: anchor.labelCount) == anchor
        }
    }

    /// Parses a comma-separated list of negative trust anchor names (`"a.example, b.example."`);
    /// names without a trailing dot are absolute. Empty items are skipped.
    ///
    /// - Throws: ``TrustAnchorError/Code/syntax`` naming the item that is not a domain name.
    public static func negativeAnchors(parsing list: String) throws(TrustAnchorError) -> [DomainName] {
        var names: [DomainName] = []
        for item in list.split(separator: ",") {
            let text = item.trimmingWhitespace
            guard !text.isEmpty else { continue }
            do {
                names.append(try DomainName(text))
            } catch {
                throw TrustAnchorError(.syntax, "negative trust anchor \"\(text)\": \(error)")
            }
        }
        return names
    }
}

extension Substring {
    /// The text without leading and trailing ASCII spaces, tabs and line breaks.
    var trimmingWhitespace: String { String(trimming { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) }
}

/// Why trust anchors could not be read, and where.
public struct TrustAnchorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set: new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// Text that is not a record, directive or `trust-anchors` statement.
        public static let syntax = Code("syntax")
        /// A record of a type other than DS or DNSKEY, or of a class other than IN.
        public static let notAnAnchor = Code("notAnAnchor")
        /// DS or DNSKEY RDATA that does not parse.
        public static let badRecordData = Code("badRecordData")
        /// A DS digest of a supported type with the wrong length.
        public static let badDigestLength = Code("badDigestLength")
        /// A DNSKEY with the REVOKE flag (RFC 5011 §2.1).
        public static let revokedKey = Code("revokedKey")
        /// A DNSKEY without the Zone Key flag, or with a protocol other than 3.
        public static let notAZoneKey = Code("notAZoneKey")
        /// A `$` directive other than `$ORIGIN` and `$TTL`.
        public static let unsupportedDirective = Code("unsupportedDirective")
        /// A file that could not be read.
        public static let unreadableFile = Code("unreadableFile")
    }

    /// What went wrong.
    public var code: Code
    /// The 1-based line of the text where the offending record or statement starts; 0 when the
    /// error is not about a line of text.
    public var line: Int
    /// A description of the problem.
    public var detail: String

    /// An error with `code` at `line`.
    public init(_ code: Code, line: Int = 0, _ detail: String) {
        self.code = code
        self.line = line
        self.detail = detail
    }

    public var description: String { line > 0 ? "line \(line): \(code): \(detail)" : "\(code): \(detail)" }
}
