// SPDX-License-Identifier: Apache-2.0
// A TSIG shared key, read from dig's `-y` form or from BIND key files, and the error type of TSIG.

/// A failure to read a TSIG key or to sign a message.
///
/// Equality and hashing compare only ``code``.
public struct TSIGError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An open set: new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. `badSecret`.
        public let description: String
        private init(_ description: String) { self.description = description }

        /// Key text that is not in the expected form (`[alg:]name:secret`, a key file statement).
        public static let badForm = Code("badForm")
        /// A secret that is not base64, or is empty.
        public static let badSecret = Code("badSecret")
        /// An algorithm name that is not one of ``TSIGAlgorithm``.
        public static let unknownAlgorithm = Code("unknownAlgorithm")
        /// A MAC truncation outside what RFC 8945 §5.2.2.1 allows.
        public static let badTruncation = Code("badTruncation")
        /// Octets to sign that are not a whole DNS message, already carry a TSIG, or would grow too long.
        public static let badMessage = Code("badMessage")
        /// OpenSSL could not compute the HMAC.
        public static let crypto = Code("crypto")
    }

    /// What kind of failure this is.
    public var code: Code
    /// What was being read and why it failed; never contains a secret.
    public var message: String

    /// An error with its code and a message for people.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the codes are equal (the messages are not compared).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `TSIGError.badSecret: the secret is not base64`.
    public var description: String { "TSIGError.\(code): \(message)" }
}

/// A TSIG shared secret key (RFC 8945): its name, algorithm and secret.
///
/// ``description`` and the mirror never show the secret.
///
/// ```swift
/// let key = try TSIGKey(parsing: "hmac-sha256:tsigkey:c2VjcmV0LXNlY3JldA==")   // dig -y form
/// let keys = try TSIGKey.keys(inKeyFile: text)                                  // BIND key file
/// print(key)   // TSIGKey(name: tsigkey., algorithm: hmac-sha256, secret: 13 octets)
/// ```
public struct TSIGKey: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The algorithm `dig -y name:secret` uses when none is given: BIND 9.18's `dig` documents and
    /// uses `hmac-md5` (`hmac-sha256` only when built without MD5).
    public static let digDefaultAlgorithm = TSIGAlgorithm.hmacMD5

    /// The key name, sent as the TSIG record's owner.
    public let name: DomainName
    /// The HMAC algorithm.
    public let algorithm: TSIGAlgorithm
    /// The shared secret.
    public let secret: [UInt8]
    /// The number of MAC octets sent when signing: ``TSIGAlgorithm/digestSize`` unless the key
    /// truncates (BIND's `hmac-sha256-128`).
    public let macSize: Int

    /// A key that sends the full MAC.
    public init(name: DomainName, algorithm: TSIGAlgorithm, secret: [UInt8]) {
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
        self.macSize = algorithm.digestSize
    }

    /// A key that sends its MAC truncated to `macSize` octets (RFC 8945 §5.2.2.1).
    ///
    /// - Throws: ``TSIGError/Code/badTruncation`` unless `macSize` lies between
    ///   ``TSIGAlgorithm/minimumMACSize`` and ``TSIGAlgorithm/digestSize``.
    public init(name: DomainName, algorithm: TSIGAlgorithm, secret: [UInt8], macSize: Int) throws(TSIGError) {
        guard (algorithm.minimumMACSize...algorithm.digestSize).contains(macSize) else {
            throw TSIGError(
                .badTruncation,
                "a \(algorithm) MAC may be truncated to \(algorithm.minimumMACSize)…\(algorithm.digestSize) octets, not \(macSize)")
        }
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
        self.macSize = macSize
    }

    /// Parses `dig -y`'s form `[alg:]name:secret`, where `alg` is as ``TSIGAlgorithm/init(parsing:)``
    /// reads it, optionally followed by `-bits` to truncate the MAC (`hmac-sha256-128`; bits rounded
    /// up to whole octets, and at least RFC 8945's minimum), `name` is the key name (absolute with
    /// or without the final dot) and `secret` is base64. Without `alg`, the algorithm is
    /// ``digDefaultAlgorithm`` as in `dig`.
    ///
    /// - Throws: ``TSIGError`` `.badForm`, `.badSecret`, `.unknownAlgorithm`, `.badTruncation`.
    public init(parsing text: String) throws(TSIGError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts.contains(where: \.isEmpty) else {
            throw TSIGError(.badForm, "expected [algorithm:]name:secret")
        }
        let (algorithm, macSize) = try parts.count == 3 ? Self.algorithm(parsing: parts[0]) : (Self.digDefaultAlgorithm, nil)
        try self.init(name: Self.name(parts[parts.count - 2]), algorithm: algorithm, secret: Self.secret(parts.last!), macSize: macSize)
    }

    private init(name: DomainName, algorithm: TSIGAlgorithm, secret: [UInt8], macSize: Int?) throws(TSIGError) {
        if let macSize {
            try self.init(name: name, algorithm: algorithm, secret: secret, macSize: macSize)
        } else {
            self.init(name: name, algorithm: algorithm, secret: secret)
        }
    }

    /// Reads every `key` statement of a BIND key file (as `tsig-keygen` writes and `dig -k` reads):
    ///
    /// ```
    /// key "tsigkey." {           # comments: #, // and /* … */
    ///     algorithm hmac-sha256;
    ///     secret "c2VjcmV0LXNlY3JldA==";
    /// };
    /// ```
    ///
    /// The name may be quoted or not; `algorithm` (as ``TSIGAlgorithm/init(parsing:)`` reads it,
    /// with an optional `-bits` truncation) and `secret` are both required, once each, in any order.
    ///
    /// - Throws: ``TSIGError`` `.badForm` (any other statement or clause, unbalanced braces, a
    ///   duplicate key name, an unterminated string or comment), `.badSecret`, `.unknownAlgorithm`,
    ///   `.badTruncation`.
    public static func keys(inKeyFile text: String) throws(TSIGError) -> [TSIGKey] {
        var tokens = try KeyFileTokens(text)
        var keys: [TSIGKey] = []
        while let token = tokens.next() {
            guard token.word?.lowercased() == "key" else { throw TSIGError(.badForm, "line \(token.line): expected 'key', found \(token)") }
            let key = try readKeyStatement(&tokens)
            guard !keys.contains(where: { $0.name == key.name }) else {
                throw TSIGError(.badForm, "line \(token.line): key \(key.name) defined twice")
            }
            keys.append(key)
        }
        return keys
    }

    /// Reads `name { clause; … };` after the `key` keyword.
    private static func readKeyStatement(_ tokens: inout KeyFileTokens) throws(TSIGError) -> TSIGKey {
        let name = try self.name(tokens.expectValue("a key name"))
        try tokens.expect(.open)
        var algorithm: (TSIGAlgorithm, Int?)? = nil
        var secret: [UInt8]? = nil
        while true {
            guard let token = tokens.next() else { throw TSIGError(.badForm, "key \(name): missing '}'") }
            if token.kind == .close { break }
            switch token.word?.lowercased() {
            case "algorithm":
                guard algorithm == nil else { throw TSIGError(.badForm, "line \(token.line): key \(name) has two algorithms") }
                algorithm = try Self.algorithm(parsing: tokens.expectValue("an algorithm"))
            case "secret":
                guard secret == nil else { throw TSIGError(.badForm, "line \(token.line): key \(name) has two secrets") }
                secret = try Self.secret(tokens.expectValue("a secret"))
            default:
                throw TSIGError(.badForm, "line \(token.line): expected 'algorithm' or 'secret' in key \(name), found \(token)")
            }
            try tokens.expect(.semicolon)
        }
        try tokens.expect(.semicolon)
        guard let algorithm else { throw TSIGError(.badForm, "key \(name) has no algorithm") }
        guard let secret else { throw TSIGError(.badSecret, "key \(name) has no secret") }
        return try TSIGKey(name: name, algorithm: algorithm.0, secret: secret, macSize: algorithm.1)
    }

    /// An algorithm with an optional `-bits` suffix: the algorithm and the truncated MAC size in octets.
    private static func algorithm(parsing text: String) throws(TSIGError) -> (TSIGAlgorithm, Int?) {
        if let dash = text.lastIndex(of: "-"), let bits = Int(text[text.index(after: dash)...]),
            let algorithm = try? TSIGAlgorithm(parsing: String(text[..<dash]))
        {
            guard (1...algorithm.digestSize * 8).contains(bits) else {
                throw TSIGError(.badTruncation, "\(algorithm) digest bits must be 1…\(algorithm.digestSize * 8), not \(bits)")
            }
            return (algorithm, (bits + 7) / 8)
        }
        return (try TSIGAlgorithm(parsing: text), nil)
    }

    private static func name(_ text: String) throws(TSIGError) -> DomainName {
        do {
            return try DomainName(text)
        } catch {
            throw TSIGError(.badForm, "bad key name '\(text)': \(error)")
        }
    }

    /// Base64, ignoring white space as BIND does.
    private static func secret(_ text: String) throws(TSIGError) -> [UInt8] {
        let compact = String(text.unicodeScalars.filter { !" \t\r\n".unicodeScalars.contains($0) })
        guard let secret = BaseEncoding.base64.decode(compact) else { throw TSIGError(.badSecret, "the secret is not base64") }
        guard !secret.isEmpty else { throw TSIGError(.badSecret, "the secret is empty") }
        return secret
    }

    /// `TSIGKey(name: tsigkey., algorithm: hmac-sha256, secret: 32 octets)`: the secret's length, never its octets.
    public var description: String {
        let truncation = macSize == algorithm.digestSize ? "" : "-\(macSize * 8)"
        return "TSIGKey(name: \(name), algorithm: \(algorithm)\(truncation), secret: \(secret.count) octets)"
    }

    /// The same as ``description``: the secret stays hidden.
    public var debugDescription: String { description }

    /// A mirror without the secret, so `dump` and debuggers do not show it either.
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "algorithm": algorithm, "macSize": macSize, "secret": "\(secret.count) octets"])
    }
}

/// The tokens of a BIND configuration file: words, quoted strings, `{`, `}` and `;`, without comments.
private struct KeyFileTokens {
    struct Token: CustomStringConvertible {
        enum Kind { case word, quoted, open, close, semicolon }
        let kind: Kind
        let text: String
        let line: Int
        /// The text of a word or quoted string.
        var word: String? { kind == .word || kind == .quoted ? text : nil }
        var description: String { kind == .quoted ? "\"\(text)\"" : "'\(text)'" }
    }

    private var tokens: [Token] = []
    private var index = 0

    init(_ text: String) throws(TSIGError) {
        let chars = Array(text.unicodeScalars)
        var line = 1
        var at = 0
        func peek(_ offset: Int) -> Unicode.Scalar? { at + offset < chars.count ? chars[at + offset] : nil }
        while at < chars.count {
            let char = chars[at]
            switch char {
            case "\n":
                line += 1
                at += 1
            case " ", "\t", "\r":
                at += 1
            case "#":
                while at < chars.count, chars[at] != "\n" { at += 1 }
            case "/" where peek(1) == "/":
                while at < chars.count, chars[at] != "\n" { at += 1 }
            case "/" where peek(1) == "*":
                let start = line
                at += 2
                while at < chars.count, !(chars[at] == "*" && peek(1) == "/") {
                    if chars[at] == "\n" { line += 1 }
                    at += 1
                }
                guard at < chars.count else { throw TSIGError(.badForm, "line \(start): unterminated /* comment") }
                at += 2
            case "{", "}", ";":
                tokens.append(Token(kind: char == "{" ? .open : char == "}" ? .close : .semicolon, text: String(char), line: line))
                at += 1
            case "\"":
                let start = line
                var value = String.UnicodeScalarView()
                at += 1
                while at < chars.count, chars[at] != "\"" {
                    if chars[at] == "\\", at + 1 < chars.count { at += 1 }
                    if chars[at] == "\n" { line += 1 }
                    value.append(chars[at])
                    at += 1
                }
                guard at < chars.count else { throw TSIGError(.badForm, "line \(start): unterminated string") }
                at += 1
                tokens.append(Token(kind: .quoted, text: String(value), line: start))
            default:
                var value = String.UnicodeScalarView()
                while at < chars.count, !" \t\r\n{};\"#".unicodeScalars.contains(chars[at]),
                    !(chars[at] == "/" && (peek(1) == "/" || peek(1) == "*"))
                {
                    value.append(chars[at])
                    at += 1
                }
                tokens.append(Token(kind: .word, text: String(value), line: line))
            }
        }
    }

    mutating func next() -> Token? {
        guard index < tokens.count else { return nil }
        defer { index += 1 }
        return tokens[index]
    }

    /// The next token, which must be a word or a quoted string.
    mutating func expectValue(_ what: String) throws(TSIGError) -> String {
        guard let token = next() else { throw TSIGError(.badForm, "expected \(what), found the end of the file") }
        guard let word = token.word else { throw TSIGError(.badForm, "line \(token.line): expected \(what), found \(token)") }
        return word
    }

    /// The next token, which must be `kind`.
    mutating func expect(_ kind: Token.Kind) throws(TSIGError) {
        let expected = kind == .open ? "'{'" : kind == .close ? "'}'" : "';'"
        guard let token = next() else { throw TSIGError(.badForm, "expected \(expected), found the end of the file") }
        guard token.kind == kind else { throw TSIGError(.badForm, "line \(token.line): expected \(expected), found \(token)") }
    }
}
