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
        var column = 0
        for (index, field) in fields.enumerated() {
            text += field
            column += field.utf8.count
            guard index < fields.count - 1 else { break }
            let stop = columns[min(index, columns.count - 1)]
            if column < stop {
                let tabs = stop / 8 - column / 8
                text += String(repeating: "\t", count: tabs)
                column = stop
            } else {
                text += " "
                column += 1
            }
        }
        return text
    }
}

extension DNSRecord {
    /// The record as dig prints it in a section: `name.  TTL  CLASS  TYPE  RDATA`.
    public var description: String {
        DigText.line([name.description, String(ttl), recordClass.description, type.description, data.description])
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
