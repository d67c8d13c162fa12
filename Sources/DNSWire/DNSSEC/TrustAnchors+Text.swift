// SPDX-License-Identifier: Apache-2.0
// Trust anchors from text: DS and DNSKEY records in zone-file form (what dnssec-dsfromkey and
// dnssec-keygen print), or BIND's `trust-anchors { … };` statement (what bind.keys holds).

extension TrustAnchors {
    /// Parses trust anchors from text, in either of two forms.
    ///
    /// **Zone-file form**, as `dnssec-dsfromkey` and `dnssec-keygen` print records:
    /// `owner [TTL] [IN] DS tag algorithm digest-type hex…` or
    /// `owner [TTL] [IN] DNSKEY flags 3 algorithm base64…`, any number of zones in one text. The
    /// hex or base64 may be split over several words, and a record over several lines inside
    /// `( … )`. `;` starts a comment; blank lines are skipped. `$ORIGIN name` sets the origin for
    /// relative owner names (`@` is the origin; without `$ORIGIN` names are absolute); `$TTL` is
    /// accepted and ignored (TTLs do not matter for anchors); any other directive, `$INCLUDE`
    /// among them, is refused. A line starting with a blank reuses the previous owner. The class,
    /// if given, must be IN.
    ///
    /// **BIND form**, as in `bind.keys` and `named.conf`: `trust-anchors { "name." static-ds|initial-ds|static-key|initial-key
    /// fields… "hex-or-base64"; … };`, also the older `managed-keys` and `trusted-keys` statements.
    /// `#`, `//` and `/* … */` are comments there. Initial and static anchors are both taken as
    /// static: RFC 5011 key management is not done here.
    ///
    /// - Parameters:
    ///   - text: the anchors.
    ///   - negative: a comma-separated list of negative trust anchors (see
    ///     ``negativeAnchors(parsing:)``).
    /// - Throws: ``TrustAnchorError`` with the line where the offending record starts: a type
    ///   other than DS or DNSKEY, RDATA that does not parse, a DS digest of the wrong length, a
    ///   revoked or non-zone DNSKEY, or anything else that is not a record.
    public init(parsing text: String, negative: String = "") throws(TrustAnchorError) {
        self.init()
        let bytes = Array(text.utf8)
        if AnchorTextParser.isBINDStatement(bytes) {
            try AnchorTextParser.parseBIND(bytes, into: &self)
        } else {
            try AnchorTextParser.parseZoneFile(bytes, into: &self)
        }
        negativeAnchors = try Self.negativeAnchors(parsing: negative)
    }

    /// Reads trust anchors from the file at `path` (see ``init(parsing:negative:)``).
    ///
    /// - Throws: ``TrustAnchorError/Code/unreadableFile`` when the file cannot be
    ///   read or is not UTF-8; otherwise the errors of ``init(parsing:negative:)``.
    public init(contentsOfFile path: String, negative: String = "") throws(TrustAnchorError) {
        let text: String
        do { text = try readTextFile(path) } catch { throw TrustAnchorError(.unreadableFile, error.description) }
        try self.init(parsing: text, negative: negative)
    }
}

/// The two text forms' tokenisers and grammars.
enum AnchorTextParser {
    struct Token {
        var text: String
        var line: Int
        var quoted = false
    }

    /// One record of zone-file text: its tokens, the line it starts on, and whether that line
    /// starts with a blank (the owner is the previous record's).
    struct Entry {
        var tokens: [Token] = []
        var line: Int
        var inheritsOwner: Bool
    }

    static let statements: Set<String> = ["trust-anchors", "managed-keys", "trusted-keys"]

    // MARK: - Zone-file form

    static func parseZoneFile(_ bytes: [UInt8], into anchors: inout TrustAnchors) throws(TrustAnchorError) {
        var origin = DomainName.root
        var lastOwner: DomainName?
        for entry in try zoneEntries(bytes) {
            var tokens = entry.tokens[...]
            let first = tokens.first!
            if !entry.inheritsOwner, !first.quoted, first.text.hasPrefix("$") {
                let argument = tokens.dropFirst()
                switch first.text.uppercased() {
                case "$ORIGIN":
                    guard argument.count == 1 else { throw TrustAnchorError(.syntax, line: entry.line, "$ORIGIN takes one name") }
                    origin = try name(argument.first!, origin: origin)
                case "$TTL":
                    guard argument.count == 1 else { throw TrustAnchorError(.syntax, line: entry.line, "$TTL takes one value") }
                default:
                    throw TrustAnchorError(.unsupportedDirective, line: entry.line, "\(first.text) is not supported in trust anchors")
                }
                continue
            }
            let owner: DomainName
            if entry.inheritsOwner {
                guard let lastOwner else { throw TrustAnchorError(.syntax, line: entry.line, "a record without an owner name") }
                owner = lastOwner
            } else {
                owner = first.text == "@" && !first.quoted ? origin : try name(first, origin: origin)
                tokens = tokens.dropFirst()
            }
            lastOwner = owner
            var recordClass = RecordClass.in
            for _ in 0..<2 {
                guard let token = tokens.first else { break }
                if isTTL(token.text) {
                    tokens = tokens.dropFirst()
                } else if let parsed = RecordClass(mnemonic: token.text) {
                    recordClass = parsed
                    tokens = tokens.dropFirst()
                } else {
                    break
                }
            }
            guard let typeToken = tokens.first else { throw TrustAnchorError(.syntax, line: entry.line, "no record type") }
            guard let type = RecordType(mnemonic: typeToken.text) else {
                throw TrustAnchorError(.syntax, line: entry.line, "\"\(typeToken.text)\" is not a TTL, class or record type")
            }
            guard recordClass == .in else {
                throw TrustAnchorError(.notAnAnchor, line: entry.line, "class \(recordClass): trust anchors are class IN")
            }
            try add(type: type, rdata: tokens.dropFirst().map(\.text).joined(separator: " "), owner: owner, line: entry.line, to: &anchors)
        }
    }

    /// Splits zone-file text into records: `;` comments dropped, `( … )` joined, quoted strings kept whole.
    static func zoneEntries(_ bytes: [UInt8]) throws(TrustAnchorError) -> [Entry] {
        var entries: [Entry] = []
        var current: Entry?
        var depth = 0
        var openedAt = 0
        var line = 1
        var lineStartsBlank = bytes.first == UInt8(ascii: " ") || bytes.first == UInt8(ascii: "\t")
        var index = 0
        func append(_ token: Token) {
            if current == nil { current = Entry(line: token.line, inheritsOwner: lineStartsBlank) }
            current!.tokens.append(token)
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                if depth == 0, let entry = current {
                    entries.append(entry)
                    current = nil
                }
                line += 1
                index += 1
                lineStartsBlank = index < bytes.count && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t"))
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: ";"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "("):
                if depth == 0 { openedAt = line }
                depth += 1
                index += 1
            case UInt8(ascii: ")"):
                guard depth > 0 else { throw TrustAnchorError(.syntax, line: line, "\")\" without \"(\"") }
                depth -= 1
                index += 1
            case UInt8(ascii: "\""):
                let start = line
                append(Token(text: try quoted(bytes, &index, &line), line: start, quoted: true))
            default:
                let start = index
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                        index += 2
                        continue
                    }
                    if isSpace(byte) || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")
                        || byte == UInt8(ascii: "\"")
                    {
                        break
                    }
                    index += 1
                }
                append(Token(text: String(decoding: bytes[start..<index], as: UTF8.self), line: line))
            }
        }
        guard depth == 0 else { throw TrustAnchorError(.syntax, line: openedAt, "\"(\" without \")\"") }
        if let entry = current { entries.append(entry) }
        return entries
    }

    /// A TTL: a number, or BIND's units form (`1d2h`).
    static func isTTL(_ text: String) -> Bool {
        guard let first = text.utf8.first, first &- UInt8(ascii: "0") < 10 else { return false }
        return text.utf8.allSatisfy { $0 &- UInt8(ascii: "0") < 10 || "smhdwSMHDW".utf8.contains($0) }
    }

    // MARK: - BIND form

    /// Whether the first thing in the text, past `#`, `;`, `//` and `/* … */` comment lines, is a
    /// `trust-anchors`, `managed-keys` or `trusted-keys` statement.
    static func isBINDStatement(_ bytes: [UInt8]) -> Bool {
        var inBlockComment = false
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let text = String(decoding: line, as: UTF8.self)[...].trimmingWhitespace
            if inBlockComment {
                if text.contains("*/") { inBlockComment = false }
                continue
            }
            if text.isEmpty || text.hasPrefix("#") || text.hasPrefix(";") || text.hasPrefix("//") { continue }
            if text.hasPrefix("/*") {
                inBlockComment = !text.contains("*/")
                continue
            }
            let word = text.prefix { !$0.isWhitespace && $0 != "{" }
            return statements.contains(String(word).lowercased())
        }
        return false
    }

    static func parseBIND(_ bytes: [UInt8], into anchors: inout TrustAnchors) throws(TrustAnchorError) {
        let tokens = try bindTokens(bytes)
        var index = 0
        var lastLine = 1
        func next(_ what: String) throws(TrustAnchorError) -> Token {
            guard index < tokens.count else { throw TrustAnchorError(.syntax, line: lastLine, "the text ends where \(what) should be") }
            index += 1
            lastLine = tokens[index - 1].line
            return tokens[index - 1]
        }
        func expect(_ punctuation: String) throws(TrustAnchorError) {
            let token = try next("\"\(punctuation)\"")
            guard !token.quoted, token.text == punctuation else {
                throw TrustAnchorError(.syntax, line: token.line, "\"\(punctuation)\" expected, not \"\(token.text)\"")
            }
        }
        while index < tokens.count {
            let statement = try next("a statement")
            guard !statement.quoted, statements.contains(statement.text.lowercased()) else {
                throw TrustAnchorError(.syntax, line: statement.line, "\"\(statement.text)\" is not a trust-anchors statement")
            }
            try expect("{")
            while true {
                let nameToken = try next("a zone name or \"}\"")
                if !nameToken.quoted, nameToken.text == "}" { break }
                let owner = try name(nameToken, origin: .root)
                var kind = "static-key"
                if index < tokens.count, !tokens[index].quoted,
                    ["static-key", "initial-key", "static-ds", "initial-ds"].contains(tokens[index].text.lowercased())
                {
                    kind = try next("an anchor type").text.lowercased()
                }
                var fields: [String] = []
                while true {
                    let token = try next("\";\"")
                    if !token.quoted, token.text == ";" { break }
                    guard token.quoted || !["{", "}"].contains(token.text) else {
                        throw TrustAnchorError(.syntax, line: token.line, "\"\(token.text)\" inside an anchor")
                    }
                    fields.append(token.text)
                }
                let type: RecordType = kind.hasSuffix("-ds") ? .ds : .dnskey
                try add(type: type, rdata: fields.joined(separator: " "), owner: owner, line: nameToken.line, to: &anchors)
            }
            try expect(";")
        }
    }

    /// Splits named.conf text into words, quoted strings and the punctuation `{`, `}`, `;`.
    static func bindTokens(_ bytes: [UInt8]) throws(TrustAnchorError) -> [Token] {
        var tokens: [Token] = []
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let following = index + 1 < bytes.count ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "\n") {
                line += 1
                index += 1
            } else if isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "/") && following == UInt8(ascii: "/")) {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), following == UInt8(ascii: "*") {
                let start = line
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) {
                    if bytes[index] == UInt8(ascii: "\n") { line += 1 }
                    index += 1
                }
                guard index + 1 < bytes.count else { throw TrustAnchorError(.syntax, line: start, "\"/*\" without \"*/\"") }
                index += 2
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ";") {
                tokens.append(Token(text: String(UnicodeScalar(byte)), line: line))
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                let start = line
                tokens.append(Token(text: try quoted(bytes, &index, &line), line: start, quoted: true))
            } else {
                let start = index
                while index < bytes.count, !isSpace(bytes[index]), !"{};\"".utf8.contains(bytes[index]) { index += 1 }
                tokens.append(Token(text: String(decoding: bytes[start..<index], as: UTF8.self), line: line))
            }
        }
        return tokens
    }

    // MARK: - Shared

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    /// The contents of the quoted string starting at `index` (a `"`), which may span lines;
    /// `index` moves past the closing quote.
    static func quoted(_ bytes: [UInt8], _ index: inout Int, _ line: inout Int) throws(TrustAnchorError) -> String {
        let startLine = line
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        guard index < bytes.count else { throw TrustAnchorError(.syntax, line: startLine, "a quoted string without its closing quote") }
        defer { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    static func name(_ token: Token, origin: DomainName) throws(TrustAnchorError) -> DomainName {
        do {
            return try DomainName(token.text, origin: origin)
        } catch {
            throw TrustAnchorError(.syntax, line: token.line, "\"\(token.text)\" is not a domain name: \(error)")
        }
    }

    /// Parses DS or DNSKEY RDATA and adds it to `anchors`; any other type is refused.
    static func add(type: RecordType, rdata: String, owner: DomainName, line: Int, to anchors: inout TrustAnchors) throws(TrustAnchorError) {
        guard type == .ds || type == .dnskey else {
            throw TrustAnchorError(.notAnAnchor, line: line, "\(owner) \(type): only DS and DNSKEY records are trust anchors")
        }
        let data: RecordData
        do {
            data = try RecordData(type: type, presentation: rdata)
        } catch {
            throw TrustAnchorError(.badRecordData, line: line, "\(owner) \(type): \(error)")
        }
        do {
            if let ds = data.as(RecordData.DS.self) {
                try anchors.add(ds, for: owner)
            } else if let key = data.as(RecordData.DNSKEY.self) {
                try anchors.add(key, for: owner)
            }
        } catch {
            var located = error
            located.line = line
            throw located
        }
    }
}
