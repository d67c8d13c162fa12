// SPDX-License-Identifier: Apache-2.0
// Whole messages printed the way dig prints them.

/// dig's column layout for record lines: owner, TTL, class, type and RDATA start at
/// columns 0, 24, 32, 40 and 48 with tab stops every 8; a field that reaches past the
/// next column is followed by one space instead.
enum DigText {
    static let recordColumns = [24, 32, 40, 48]
    /// A question line has no TTL: the class starts at the class column.
    static let questionColumns = [32, 40]

    static func line(_ fields: [String], columns: [Int] = recordColumns) -> String {
        var text = ""
        text.reserveCapacity(fields.reduce(fields.count * 2) { $0 + $1.utf8.count })
        var column = 0
        for (index, field) in fields.enumerated() {
            append(field, to: &text, column: &column, last: index == fields.count - 1, stop: columns[min(index, columns.count - 1)])
        }
        return text
    }

    /// Appends `field`, then (unless it is the `last`) tabs up to the column `stop`, or one
    /// space when the field reaches past it.
    static func append(_ field: String, to text: inout String, column: inout Int, last: Bool, stop: Int) {
        text += field
        column += field.utf8.count
        guard !last else { return }
        if column < stop {
            for _ in 0..<(stop / 8 - column / 8) { text += "\t" }
            column = stop
        } else {
            text += " "
            column += 1
        }
    }
}

extension DNSRecord {
    /// The record as dig prints it in a section: `name.  TTL  CLASS  TYPE  RDATA`.
    public var description: String {
        let owner = name.description
        let rdata = data.description
        var text = ""
        text.reserveCapacity(owner.utf8.count + rdata.utf8.count + 32)
        var column = 0
        let columns = DigText.recordColumns
        DigText.append(owner, to: &text, column: &column, last: false, stop: columns[0])
        DigText.append(String(ttl), to: &text, column: &column, last: false, stop: columns[1])
        DigText.append(recordClass.description, to: &text, column: &column, last: false, stop: columns[2])
        DigText.append(type.description, to: &text, column: &column, last: false, stop: columns[3])
        DigText.append(rdata, to: &text, column: &column, last: true, stop: columns[3])
        return text
    }
}

extension DNSMessage: CustomStringConvertible {
    /// The message as `dig` prints it, from the header line to the last section.
    public var description: String {
        var lines: [String] = []
        lines.append(";; ->>HEADER<<- opcode: \(header.opcode), status: \(responseCode), id: \(header.id)")
        let flags = HeaderFlags.names.filter { header.flags.contains($0.0) }.map(\.1).joined(separator: " ")
        let additionalCount = additionals.count + (edns == nil ? 0 : 1)
        lines.append(
            ";; flags: \(flags); QUERY: \(questions.count), ANSWER: \(answers.count), "
                + "AUTHORITY: \(authorities.count), ADDITIONAL: \(additionalCount)")
        if let edns {
            lines += ["", ";; OPT PSEUDOSECTION:"]
            lines.append("; EDNS: version: \(edns.version), flags:\(edns.dnssecOK ? " do" : ""); udp: \(edns.udpPayloadSize)")
            lines += edns.options.map { "; \($0)" }
        }
        if !questions.isEmpty {
            lines += ["", ";; QUESTION SECTION:"]
            lines += questions.map { question in
                DigText.line(
                    [";\(question.name)", question.recordClass.description, question.type.description],
                    columns: DigText.questionColumns)
            }
        }
        for (title, records) in [("ANSWER", answers), ("AUTHORITY", authorities), ("ADDITIONAL", additionals)]
        where !records.isEmpty {
            lines += ["", ";; \(title) SECTION:"]
            lines += records.map(\.description)
        }
        return lines.joined(separator: "\n")
    }
}
