// SPDX-License-Identifier: Apache-2.0
// nsupdate(1) commands read into one DNSUpdate.

extension DNSUpdate {
    /// Reads the commands of an nsupdate(1) script into one update.
    ///
    /// Update and prerequisite commands (command words in any case; `update` before `add`,
    /// `delete` and `del` is optional):
    /// - `add NAME TTL [CLASS] TYPE RDATA`: add a record (TTL optional after `ttl`).
    /// - `delete NAME [TTL] [CLASS] [TYPE [RDATA]]` (or `del`): every RRset of the name, one
    ///   RRset (type ANY: every RRset), or one record; the TTL is ignored, as in nsupdate.
    /// - `prereq yxdomain NAME`, `prereq nxdomain NAME`: the name is in use, or not.
    /// - `prereq yxrrset NAME [CLASS] TYPE [RDATA]`: the RRset exists; with RDATA it is exactly
    ///   the records of all such lines for that name and type.
    /// - `prereq nxrrset NAME [CLASS] TYPE`: the RRset does not exist.
    ///
    /// Other commands: `zone NAME` sets the zone (the last one counts; without one, the `zone`
    /// argument gives it); `class CLASS` sets the zone's class (default IN; before any update
    /// or prerequisite); `ttl SECONDS` or `ttl none` sets or clears the default TTL of `add`.
    /// `send` ends the message: only comments and ignored commands may follow. `show`,
    /// `answer`, `debug`, `version`, `help` and `check-names` are ignored, as is everything
    /// after `quit`. `server`, `local`, `key`, `gsstsig`, `oldgsstsig`, `realm` and `lserver`
    /// set up the exchange, not the message, and are refused. Blank lines and lines starting
    /// with `;` or `#` are skipped.
    ///
    /// Names are read as nsupdate reads them: a name without a trailing dot is relative to the
    /// root (`www` is `www.`, not `www.` plus the zone), `@` is the root, and so are names in
    /// RDATA. An unquoted `;` in RDATA is data, as in nsupdate. An explicit class must be the
    /// zone's, a TTL at most 2147483647, and every owner must be in the zone.
    ///
    /// - Throws: ``UpdateScriptError`` naming the line and what is wrong with it.
    public init(nsupdate script: String, zone: DomainName? = nil) throws(UpdateScriptError) {
        var parser = NSUpdateParser(zone: zone)
        var lines = script.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if lines.last?.isEmpty == true { lines.removeLast() }  // the end of the last line
        var number = 0
        for line in lines {
            number += 1
            if try parser.read(line, number: number) == .quit { break }
        }
        self = try parser.update(lastLine: number)
    }
}

/// A line of an nsupdate script that could not be read: its number (from 1) and what is wrong.
public struct UpdateScriptError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line, counted from 1; for a script without a zone, its last line.
    public let line: Int
    /// What is wrong.
    public let message: String

    /// An error on `line` saying `message`.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// `line 3: TTL 'A' is not a number`.
    public var description: String { "line \(line): \(message)" }
}

/// The state of an nsupdate script being read.
private struct NSUpdateParser {
    enum Outcome {
        case next
        case quit
    }

    /// A prerequisite or update, with the line it came from, its owner, and whether that was
    /// written without a trailing dot.
    struct Entry {
        let line: Int
        let owner: DomainName
        let relative: Bool
        let apply: @Sendable (inout DNSUpdate) -> Void
    }

    var zone: DomainName?
    var zoneClass = RecordClass.in
    var defaultTTL: UInt32? = nil
    var entries: [Entry] = []
    var sent = false
    var number = 0

    init(zone: DomainName?) { self.zone = zone }

    mutating func read(_ text: Substring, number: Int) throws(UpdateScriptError) -> Outcome {
        self.number = number
        var line = Tokens(text)
        guard let first = line.next(), !first.hasPrefix(";"), !first.hasPrefix("#") else { return .next }
        let command = first.lowercased()
        switch command {
        case "show", "answer", "debug", "version", "help", "check-names", "checknames":
            return .next
        case "quit":
            return .quit
        case "send":
            try expectEnd(&line)
            sent = true
            return .next
        case "server", "local", "key", "gsstsig", "oldgsstsig", "realm", "lserver":
            throw failure("'\(first)' sets up how the update is sent, not the message: configure the transport instead")
        default:
            break
        }
        guard !sent else { throw failure("'\(first)' after send would start a second message; a script holds one") }
        switch command {
        case "zone":
            zone = try name(line.next(), "zone name").name
            try expectEnd(&line)
        case "class":
            guard entries.isEmpty else { throw failure("class must come before the prerequisites and updates") }
            guard let token = line.next() else { throw failure("class name is missing") }
            guard let recordClass = Self.recordClass(token) else { throw failure("'\(token)' is not a class") }
            zoneClass = recordClass
            try expectEnd(&line)
        case "ttl":
            guard let token = line.next() else { throw failure("TTL is missing") }
            defaultTTL = token.lowercased() == "none" ? nil : try ttl(token)
            try expectEnd(&line)
        case "update":
            guard let operation = line.next() else { throw failure("update needs add or delete") }
            switch operation.lowercased() {
            case "add": try add(&line)
            case "delete", "del": try delete(&line)
            default: throw failure("incorrect operation '\(operation)': update takes add or delete")
            }
        case "add":
            try add(&line)
        case "delete", "del":
            try delete(&line)
        case "prereq":
            try prerequisite(&line)
        default:
            throw failure("unknown command '\(first)'")
        }
        return .next
    }

    func update(lastLine: Int) throws(UpdateScriptError) -> DNSUpdate {
        guard let zone else {
            throw UpdateScriptError(line: lastLine, message: "no zone: give a zone command or the zone argument")
        }
        var update = DNSUpdate(zone: zone, zoneClass: zoneClass)
        for entry in entries {
            guard entry.owner.isInZone(zone) else {
                let hint = entry.relative ? " (a name without a trailing dot is relative to the root, as in nsupdate)" : ""
                throw UpdateScriptError(line: entry.line, message: "\(entry.owner) is not in the zone \(zone)\(hint)")
            }
            entry.apply(&update)
        }
        return update
    }

    // MARK: - Commands

    /// `add NAME TTL [CLASS] TYPE RDATA`.
    private mutating func add(_ line: inout Tokens) throws(UpdateScriptError) {
        let owner = try name(line.next(), "owner name")
        let ttl: UInt32
        if let token = line.peek(), token.allSatisfy(\.isNumber) {
            line.skip()
            ttl = try self.ttl(token)
        } else if let defaultTTL {
            ttl = defaultTTL
        } else {
            throw failure("TTL '\(line.peek() ?? "")' is not a number")
        }
        try optionalClass(&line)
        let type = try self.type(line.next())
        guard !type.isMeta else { throw failure("\(type) is a meta type, which cannot be added") }
        guard let data = try rdata(line.rest(), type, required: true) else { return }
        record(owner) { $0.add(owner.name, ttl: ttl, data) }
    }

    /// `delete NAME [TTL] [CLASS] [TYPE [RDATA]]`.
    private mutating func delete(_ line: inout Tokens) throws(UpdateScriptError) {
        let owner = try name(line.next(), "owner name")
        if let token = line.peek(), token.allSatisfy(\.isNumber) {
            line.skip()
            _ = try ttl(token)
        }
        try optionalClass(&line)
        guard let token = line.next() else { return record(owner) { $0.delete(.allRRsets(owner.name)) } }
        let type = try self.type(token)
        let data = try rdata(line.rest(), type, required: false)
        switch (type, data) {
        case (.any, nil):
            record(owner) { $0.delete(.allRRsets(owner.name)) }
        case (_, nil):
            guard !type.isMeta else { throw failure("\(type) is a meta type") }
            record(owner) { $0.delete(.rrset(owner.name, type)) }
        case (_, let data?):
            record(owner) { $0.delete(.record(owner.name, data)) }
        }
    }

    /// `prereq nxdomain|yxdomain NAME`, `prereq nxrrset NAME [CLASS] TYPE`,
    /// `prereq yxrrset NAME [CLASS] TYPE [RDATA]`.
    private mutating func prerequisite(_ line: inout Tokens) throws(UpdateScriptError) {
        guard let kind = line.next() else { throw failure("prereq needs nxdomain, yxdomain, nxrrset or yxrrset") }
        let owner = try name(line.next(), "owner name")
        switch kind.lowercased() {
        case "nxdomain":
            try expectEnd(&line)
            record(owner) { $0.require(.nameNotInUse(owner.name)) }
        case "yxdomain":
            try expectEnd(&line)
            record(owner) { $0.require(.nameInUse(owner.name)) }
        case "nxrrset":
            try optionalClass(&line)
            let type = try self.type(line.next())
            guard type == .any || !type.isMeta else { throw failure("\(type) is a meta type") }
            try expectEnd(&line)
            record(owner) { $0.require(.rrsetDoesNotExist(owner.name, type)) }
        case "yxrrset":
            try optionalClass(&line)
            let type = try self.type(line.next())
            if let data = try rdata(line.rest(), type, required: false) {
                record(owner) { $0.require(.rrsetMatches(owner.name, [data])) }
            } else {
                guard type == .any || !type.isMeta else { throw failure("\(type) is a meta type") }
                record(owner) { $0.require(.rrsetExists(owner.name, type)) }
            }
        default:
            throw failure("incorrect prerequisite '\(kind)': prereq takes nxdomain, yxdomain, nxrrset or yxrrset")
        }
    }

    // MARK: - Fields

    private mutating func record(_ owner: (name: DomainName, relative: Bool), _ apply: @escaping @Sendable (inout DNSUpdate) -> Void) {
        entries.append(Entry(line: number, owner: owner.name, relative: owner.relative, apply: apply))
    }

    private func name(_ token: String?, _ what: String) throws(UpdateScriptError) -> (name: DomainName, relative: Bool) {
        guard let token else { throw failure("\(what) is missing") }
        if token == "@" { return (.root, true) }
        do {
            return (try DomainName(token), !token.hasSuffix(".") || token.hasSuffix("\\."))
        } catch {
            throw failure("'\(token)' is not a domain name: \(Self.reason(error))")
        }
    }

    private func ttl(_ token: String) throws(UpdateScriptError) -> UInt32 {
        guard token.allSatisfy(\.isNumber), !token.isEmpty else { throw failure("TTL '\(token)' is not a number") }
        guard let value = UInt32(token), value <= 0x7FFF_FFFF else {
            throw failure("TTL '\(token)' is out of range (0 to 2147483647)")
        }
        return value
    }

    /// Takes a class token if one comes next; it must be the zone's. ANY and NONE are types here.
    private func optionalClass(_ line: inout Tokens) throws(UpdateScriptError) {
        guard let token = line.peek(), let recordClass = Self.recordClass(token) else { return }
        line.skip()
        guard recordClass == zoneClass else { throw failure("class \(recordClass) is not the zone's class, \(zoneClass)") }
    }

    private static func recordClass(_ token: String) -> RecordClass? {
        guard let recordClass = RecordClass(mnemonic: token), recordClass != .any, recordClass != .none else { return nil }
        return recordClass
    }

    private func type(_ token: String?) throws(UpdateScriptError) -> RecordType {
        guard let token else { throw failure("type is missing") }
        guard let type = RecordType(mnemonic: token) else { throw failure("'\(token)' is not a record type") }
        return type
    }

    /// RDATA of `type` from the rest of the line; nil when there is none and none is required.
    private func rdata(_ text: String, _ type: RecordType, required: Bool) throws(UpdateScriptError) -> RecordData? {
        guard !text.isEmpty else {
            if required { throw failure("\(type) RDATA is missing") }
            return nil
        }
        guard type != .any else { throw failure("type ANY takes no RDATA") }
        guard !type.isMeta else { throw failure("\(type) is a meta type") }
        do {
            return try RecordData(type: type, presentation: Self.semicolonsAsData(text))
        } catch {
            throw failure("bad \(type) RDATA '\(text)': \(Self.reason(error))")
        }
    }

    /// Escapes each `;` outside quotes, which nsupdate takes as data, not as a comment.
    private static func semicolonsAsData(_ text: String) -> String {
        guard text.contains(";") else { return text }
        var result = ""
        var quoted = false
        var escaped = false
        for character in text {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";", !quoted {
                result.append("\\")
            }
            result.append(character)
        }
        return result
    }

    private func expectEnd(_ line: inout Tokens) throws(UpdateScriptError) {
        if let extra = line.next() { throw failure("unexpected '\(extra)'") }
    }

    private func failure(_ message: String) -> UpdateScriptError { UpdateScriptError(line: number, message: message) }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? TextFormatError { return error.detail ?? error.code.description }
        if let error = error as? WireFormatError { return error.detail ?? error.code.description }
        return "\(error)"
    }
}

/// The words of one line, split at white space (a backslash keeps the next character in the word).
private struct Tokens {
    private let text: [Character]
    private var index = 0

    init(_ line: Substring) { text = Array(line) }

    mutating func next() -> String? {
        skipSpace()
        guard index < text.count else { return nil }
        let start = index
        while index < text.count, !text[index].isWhitespace {
            index += text[index] == "\\" ? 2 : 1
        }
        index = min(index, text.count)
        return String(text[start..<index])
    }

    func peek() -> String? {
        var copy = self
        return copy.next()
    }

    mutating func skip() { _ = next() }

    /// The rest of the line, without surrounding white space.
    mutating func rest() -> String {
        skipSpace()
        var end = text.count
        while end > index, text[end - 1].isWhitespace { end -= 1 }
        defer { index = text.count }
        return String(text[index..<end])
    }

    private mutating func skipSpace() {
        while index < text.count, text[index].isWhitespace { index += 1 }
    }
}

extension RecordType {
    /// Whether the type is a meta type (OPT, or 128–255: TKEY, TSIG, the query types), which
    /// cannot be zone data.
    fileprivate var isMeta: Bool { self == .opt || (128...255).contains(rawValue) }
}
