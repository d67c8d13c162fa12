// SPDX-License-Identifier: Apache-2.0
// What a cached response answers: the question, the flags that change an answer, and the route.

public import DNSWire

/// What a cached response is the answer to: the question (its name compared without regard to
/// ASCII case), the query flags that change an answer (DO, CD, RD), the route the query took
/// and the TSIG key that signed it. Two queries share a cache entry only when their keys are
/// equal.
///
/// The key is hashed once, when it is made: a lookup hashes one integer.
public struct CacheKey: Hashable, Sendable {
    /// The question's name, lower-cased (RFC 4343).
    public let name: DomainName
    /// The question's type.
    public let type: RecordType
    /// The question's class.
    public let recordClass: RecordClass
    /// The DO bit: the query asked for DNSSEC records (RFC 3225).
    public let dnssecOK: Bool
    /// The CD bit: the query asked the server not to validate (RFC 4035 §3.2.2).
    public let checkingDisabled: Bool
    /// The RD bit: the query asked for recursion.
    public let recursionDesired: Bool
    /// The caller's fingerprint of where and how the query went (servers, transport, TLS or
    /// DoH settings; e.g. their hash): answers from different routes are kept apart.
    public let route: Int
    /// The name of the TSIG key that signed the query, lower-cased; nil for an unsigned query.
    public let tsigKeyName: DomainName?
    private let precomputedHash: Int

    /// A key for `question` with the given flags, route and TSIG key name.
    /// - Parameters:
    ///   - question: The question asked; its name's case does not matter.
    ///   - dnssecOK: The query's DO bit.
    ///   - checkingDisabled: The query's CD bit.
    ///   - recursionDesired: The query's RD bit.
    ///   - route: The caller's fingerprint of the servers and transport asked.
    ///   - tsigKeyName: The name of the key that signs the query, if any.
    public init(
        question: DNSQuestion, dnssecOK: Bool = false, checkingDisabled: Bool = false, recursionDesired: Bool = true, route: Int = 0,
        tsigKeyName: DomainName? = nil
    ) {
        name = question.name.canonical
        type = question.type
        recordClass = question.recordClass
        self.dnssecOK = dnssecOK
        self.checkingDisabled = checkingDisabled
        self.recursionDesired = recursionDesired
        self.route = route
        self.tsigKeyName = tsigKeyName?.canonical
        var hasher = Hasher()
        name.wire.withUnsafeBytes { hasher.combine(bytes: $0) }
        hasher.combine(type.rawValue)
        hasher.combine(recordClass.rawValue)
        hasher.combine(UInt8(dnssecOK ? 1 : 0) | (checkingDisabled ? 2 : 0) | (recursionDesired ? 4 : 0))
        hasher.combine(route)
        if let tsigKeyName = self.tsigKeyName { tsigKeyName.wire.withUnsafeBytes { hasher.combine(bytes: $0) } }
        precomputedHash = hasher.finalize()
    }

    /// The key of `query`: its first question, its DO, CD and RD bits; nil when it has no question.
    /// - Parameters:
    ///   - query: The query message.
    ///   - route: The caller's fingerprint of the servers and transport asked.
    ///   - tsigKeyName: The name of the key that signs the query, if any.
    public init?(query: DNSMessage, route: Int = 0, tsigKeyName: DomainName? = nil) {
        guard let question = query.questions.first else { return nil }
        self.init(
            question: question, dnssecOK: query.edns?.dnssecOK ?? false, checkingDisabled: query.header.flags.contains(.cd),
            recursionDesired: query.header.flags.contains(.rd), route: route, tsigKeyName: tsigKeyName)
    }

    public static func == (lhs: CacheKey, rhs: CacheKey) -> Bool {
        lhs.precomputedHash == rhs.precomputedHash && lhs.name.wire == rhs.name.wire && lhs.type == rhs.type && lhs.recordClass == rhs.recordClass
            && lhs.dnssecOK == rhs.dnssecOK && lhs.checkingDisabled == rhs.checkingDisabled
            && lhs.recursionDesired == rhs.recursionDesired && lhs.route == rhs.route && lhs.tsigKeyName?.wire == rhs.tsigKeyName?.wire
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(precomputedHash) }
}
