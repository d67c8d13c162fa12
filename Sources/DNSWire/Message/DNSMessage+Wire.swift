// SPDX-License-Identifier: Apache-2.0
// Reading and writing whole messages.

extension DNSMessage {
    /// Parses a whole message. Every length is checked; the octets must end exactly where
    /// the last section does.
    ///
    /// - Throws: ``WireFormatError``: `.truncated` (header, counts larger than content),
    ///   `.trailingMessageData`, `.badOPT` (OPT outside additional, twice, or not owned by the
    ///   root), `.invalidField` (TSIG not last), and any error of a name or RDATA.
    public init(wire bytes: [UInt8]) throws {
        var reader = WireReader(bytes)
        let id = try reader.readUInt16()
        let bits = try reader.readUInt16()
        let counts = (try reader.readUInt16(), try reader.readUInt16(), try reader.readUInt16(), try reader.readUInt16())
        var code = bits & 0x000F
        var questions: [DNSQuestion] = []
        questions.reserveCapacity(Int(counts.0))
        for _ in 0..<counts.0 {
            let name = try reader.readName()
            let type = RecordType(try reader.readUInt16())
            questions.append(DNSQuestion(name: name, type: type, recordClass: RecordClass(rawValue: try reader.readUInt16())))
        }
        var edns: EDNS? = nil
        let answers = try Self.readSection(&reader, count: counts.1, edns: &edns, takesOPT: false)
        let authorities = try Self.readSection(&reader, count: counts.2, edns: &edns, takesOPT: false)
        let additionals = try Self.readSection(&reader, count: counts.3, edns: &edns, takesOPT: true)
        if let high = edns?.extendedResponseCodeHigh { code |= UInt16(high) << 4 }
        // By index: iterating the records themselves would copy each one.
        if additionals.indices.dropLast().contains(where: { additionals[$0].type == .tsig }) {
            throw WireFormatError(.invalidField, detail: "TSIG is not the last record")
        }
        guard reader.remaining == 0 else {
            throw WireFormatError(.trailingMessageData, offset: reader.position, detail: "\(reader.remaining) octets after the message")
        }
        self.init(
            header: DNSHeader(id: id, flags: HeaderFlags(rawValue: bits), opcode: Opcode(rawValue: UInt8(bits >> 11 & 0x0F))),
            responseCode: ResponseCode(rawValue: code), questions: questions, answers: answers, authorities: authorities,
            additionals: additionals, edns: edns)
    }

    /// Reads a section's records. The OPT pseudo-record is read into `edns` (in the
    /// additional section, the one that `takesOPT`; at most one, owned by the root).
    private static func readSection(_ reader: inout WireReader, count: UInt16, edns: inout EDNS?, takesOPT: Bool) throws -> [DNSRecord] {
        var records: [DNSRecord] = []
        // An additional section holding only OPT, the usual one, then needs no storage.
        if count > 1 { records.reserveCapacity(Int(count)) }
        for _ in 0..<count {
            let name = try reader.readName()
            let type = RecordType(try reader.readUInt16())
            guard type == .opt else {
                records.append(try reader.readRecord(name: name, type: type))
                continue
            }
            guard takesOPT else { throw WireFormatError(.badOPT, detail: "OPT outside the additional section") }
            guard edns == nil else { throw WireFormatError(.badOPT, detail: "two OPT records") }
            guard name.isRoot else { throw WireFormatError(.badOPT, detail: "OPT owner is not the root") }
            edns = try EDNS(reading: &reader)
        }
        return records
    }

    /// Writes the message, compressing names where RFC 1035 allows.
    ///
    /// OPT goes at the end of the additional section, before a TSIG record if there is one.
    /// - Throws: ``WireFormatError/Code/tooLong`` for a section or message over the format's limits.
    public func serialize(compression: Bool = true) throws -> [UInt8] {
        try write(compression: compression, measuring: false).bytes
    }

    /// The length ``serialize(compression:)`` would produce, computed without storing octets.
    public func wireLength(compression: Bool = true) throws -> Int {
        try write(compression: compression, measuring: true).count
    }

    private func write(compression: Bool, measuring: Bool) throws -> WireWriter {
        // A lone question (a plain query) has nothing to compress against.
        let worthIt = questions.count > 1 || !answers.isEmpty || !authorities.isEmpty || !additionals.isEmpty
        var writer = WireWriter(compression: compression && worthIt, measuring: measuring)
        if edns == nil, responseCode.rawValue > 0x0F {
            throw WireFormatError(.invalidField, detail: "response code \(responseCode) needs EDNS")
        }
        let extraCount = additionals.count + (edns == nil ? 0 : 1)
        guard max(questions.count, answers.count, authorities.count, extraCount) <= 0xFFFF else {
            throw WireFormatError(.tooLong, detail: "section over 65535 entries")
        }
        writer.writeUInt16(header.id)
        writer.writeUInt16(header.flags.rawValue | UInt16(header.opcode.rawValue) << 11 | responseCode.rawValue & 0x0F)
        writer.writeUInt16(UInt16(questions.count))
        writer.writeUInt16(UInt16(answers.count))
        writer.writeUInt16(UInt16(authorities.count))
        writer.writeUInt16(UInt16(extraCount))
        for question in questions {
            writer.writeName(question.name, compress: true)
            writer.writeUInt16(question.type.rawValue)
            writer.writeUInt16(question.recordClass.rawValue)
        }
        for record in answers { try writer.writeRecord(record) }
        for record in authorities { try writer.writeRecord(record) }
        let optIndex = additionals.lastIndex(where: { $0.type == .tsig }) ?? additionals.endIndex
        for record in additionals[..<optIndex] { try writer.writeRecord(record) }
        try edns?.write(to: &writer, extendedResponseCodeHigh: UInt8(responseCode.rawValue >> 4))
        for record in additionals[optIndex...] { try writer.writeRecord(record) }
        guard writer.count <= 0xFFFF else { throw WireFormatError(.tooLong, detail: "message of \(writer.count) octets") }
        return writer
    }
}
