// SPDX-License-Identifier: Apache-2.0
// The DNS JSON API (`application/dns-json`, as Google and Cloudflare serve it) read into a DNS message.

internal import DNSWire

/// Reads a JSON answer into a ``DNSMessage``: `Status` is the response code, the flags
/// come from `TC`, `RD`, `RA`, `AD` and `CD`, and each record's `data` is parsed from
/// presentation text by the wire layer, so the records are the same as over the wire.
/// Members it does not know (`Comment`, `edns_client_subnet`, ...) are ignored.
enum DoHJSON {
    /// - Parameter id: the message ID to give the answer (JSON has none).
    /// - Throws: ``TransportError/Code/httpBody`` for JSON that is not a DNS answer.
    static func message(from body: [UInt8], id: UInt16) throws(TransportError) -> DNSMessage {
        let answer: JSONValue
        do { answer = try JSONValue(parsing: body) } catch { throw TransportError(.httpBody, "JSON answer: \(error)") }
        guard case .object = answer else { throw TransportError(.httpBody, "JSON answer is not an object") }
        let status = try integer(answer["Status"], "Status", in: 0...4095)
        var flags: HeaderFlags = .qr
        for (flag, key) in [(HeaderFlags.tc, "TC"), (.rd, "RD"), (.ra, "RA"), (.ad, "AD"), (.cd, "CD")]
        where try optionalBool(answer[key], key) { flags.insert(flag) }
        let questions = try list(answer["Question"], "Question").map { question throws(TransportError) in
            DNSQuestion(name: try name(question["name"]), type: try recordType(question["type"]))
        }
        return DNSMessage(
            header: DNSHeader(id: id, flags: flags), responseCode: ResponseCode(rawValue: UInt16(status)),
            questions: questions, answers: try records(answer["Answer"], "Answer"),
            authorities: try records(answer["Authority"], "Authority"), additionals: try records(answer["Additional"], "Additional"),
            edns: status > 15 ? EDNS() : nil)
    }

    private static func records(_ value: JSONValue?, _ key: String) throws(TransportError) -> [DNSRecord] {
        try list(value, key).map { record throws(TransportError) in
            let type = try recordType(record["type"])
            guard case .string(let text) = record["data"] else { throw TransportError(.httpBody, "JSON \(key) record without a data string") }
            let data: RecordData
            do { data = try RecordData(type: type, presentation: text) } catch {
                throw TransportError(.httpBody, "JSON \(type) data \"\(text)\": \(error)")
            }
            let ttl = record["TTL"] == nil ? 0 : UInt32(try integer(record["TTL"], "TTL", in: 0...Int(UInt32.max)))
            return DNSRecord(name: try name(record["name"]), ttl: ttl, data: data)
        }
    }

    /// An absent member or `null` is an empty list.
    private static func list(_ value: JSONValue?, _ key: String) throws(TransportError) -> [JSONValue] {
        switch value {
        case nil, .null?: return []
        case .array(let elements)?: return elements
        default: throw TransportError(.httpBody, "JSON \(key) is not a list")
        }
    }

    private static func integer(_ value: JSONValue?, _ key: String, in range: ClosedRange<Int>) throws(TransportError) -> Int {
        guard case .number(let number) = value, let integer = Int(exactly: number), range.contains(integer) else {
            throw TransportError(.httpBody, "JSON \(key) is not a whole number in \(range.lowerBound)-\(range.upperBound)")
        }
        return integer
    }

    private static func recordType(_ value: JSONValue?) throws(TransportError) -> RecordType {
        RecordType(rawValue: UInt16(try integer(value, "type", in: 0...65535)))
    }

    private static func optionalBool(_ value: JSONValue?, _ key: String) throws(TransportError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .bool(let set)?: return set
        default: throw TransportError(.httpBody, "JSON \(key) is not true or false")
        }
    }

    private static func name(_ value: JSONValue?) throws(TransportError) -> DomainName {
        guard case .string(let text) = value else { throw TransportError(.httpBody, "JSON name is not a string") }
        do { return try DomainName(text) } catch { throw TransportError(.httpBody, "JSON name \"\(text)\": \(error)") }
    }
}
