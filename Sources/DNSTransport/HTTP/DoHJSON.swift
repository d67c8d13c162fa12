// SPDX-License-Identifier: Apache-2.0
// The DNS JSON API (`application/dns-json`, as Google and Cloudflare serve it) read into a DNS message.

internal import DNSWire
internal import FoundationEssentials

/// Reads a JSON answer into a ``DNSMessage``: `Status` is the response code, the flags
/// come from `TC`, `RD`, `RA`, `AD` and `CD`, and each record's `data` is parsed from
/// presentation text by the wire layer, so the records are the same as over the wire.
enum DoHJSON {
    private struct Answer: Decodable {
        let status: Int
        let tc, rd, ra, ad, cd: Bool?
        let question: [Question]?
        let answer, authority, additional: [Record]?

        enum CodingKeys: String, CodingKey {
            case status = "Status"
            case tc = "TC"
            case rd = "RD"
            case ra = "RA"
            case ad = "AD"
            case cd = "CD"
            case question = "Question"
            case answer = "Answer"
            case authority = "Authority"
            case additional = "Additional"
        }
    }

    private struct Question: Decodable {
        let name: String
        let type: Int
    }

    private struct Record: Decodable {
        let name: String
        let type: Int
        let ttl: UInt32?
        let data: String

        enum CodingKeys: String, CodingKey {
            case name, type, data
            case ttl = "TTL"
        }
    }

    /// - Parameter id: the message ID to give the answer (JSON has none).
    /// - Throws: ``TransportError/Code/httpBody`` for JSON that is not a DNS answer.
    static func message(from body: [UInt8], id: UInt16) throws(TransportError) -> DNSMessage {
        do {
            return try decode(body, id: id)
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError(.httpBody, "JSON answer: \(error)")
        }
    }

    private static func decode(_ body: [UInt8], id: UInt16) throws -> DNSMessage {
        let answer = try JSONDecoder().decode(Answer.self, from: Data(body))
        guard (0...4095).contains(answer.status) else { throw TransportError(.httpBody, "JSON Status \(answer.status) is not an RCODE") }
        var flags: HeaderFlags = .qr
        for (flag, set) in [(HeaderFlags.tc, answer.tc), (.rd, answer.rd), (.ra, answer.ra), (.ad, answer.ad), (.cd, answer.cd)]
        where set == true { flags.insert(flag) }
        return DNSMessage(
            header: DNSHeader(id: id, flags: flags), responseCode: ResponseCode(rawValue: UInt16(answer.status)),
            questions: try (answer.question ?? []).map { DNSQuestion(name: try DomainName($0.name), type: try recordType($0.type)) },
            answers: try records(answer.answer), authorities: try records(answer.authority),
            additionals: try records(answer.additional), edns: answer.status > 15 ? EDNS() : nil)
    }

    private static func recordType(_ value: Int) throws -> RecordType {
        guard let type = UInt16(exactly: value) else { throw TransportError(.httpBody, "JSON type \(value) is not 0-65535") }
        return RecordType(rawValue: type)
    }

    private static func records(_ list: [Record]?) throws -> [DNSRecord] {
        try (list ?? []).map { record in
            let type = try recordType(record.type)
            let data: RecordData
            do {
                data = try RecordData(type: type, presentation: record.data)
            } catch {
                throw TransportError(.httpBody, "JSON \(type) data \"\(record.data)\": \(error)")
            }
            return DNSRecord(name: try DomainName(record.name), ttl: record.ttl ?? 0, data: data)
        }
    }
}
