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
        // At most four tabs (a column of 32) or one space after each field.
        let capacity = fields.reduce(fields.count * 4) { $0 + $1.utf8.count }
        return String(unsafeUninitializedCapacity: capacity) { text in
            var line = Line(text: text)
            for (index, field) in fields.enumerated() {
                line.append(field, padTo: index == fields.count - 1 ? nil : columns[min(index, columns.count - 1)])
            }
            return line.count
        }
    }
}

extension DNSRecord {
    /// The record as dig prints it in a section: `name.  TTL  CLASS  TYPE  RDATA`, written
    /// straight into the string (a zone transfer prints a hundred thousand of them).
    public var description: String {
        let rdata = data.description
        let classText = recordClass.description
        let typeText = type.description
        let capacity = name.maxPresentationLength + rdata.utf8.count + classText.utf8.count + typeText.utf8.count + 40
        return String(unsafeUninitializedCapacity: capacity) { text in
            var line = DigText.Line(text: text)
            let columns = DigText.recordColumns
            line.count = name.write(into: text, at: 0, trailingDot: true)
            line.column = line.count
            line.pad(to: columns[0])
            line.append(String(ttl), padTo: columns[1])
            line.append(classText, padTo: columns[2])
            line.append(typeText, padTo: columns[3])
            line.append(rdata, padTo: nil)
            return line.count
        }
    }
}

extension DigText {
    /// A line written into a buffer field by field in dig's columns.
    struct Line {
        let text: UnsafeMutableBufferPointer<UInt8>
        /// Octets written.
        var count = 0
        /// Where the line's display has got to (a tab moves to the next multiple of 8).
        var column = 0

        /// The field, then tabs up to the column `stop`, or one space when it reaches past it.
        mutating func append(_ field: String, padTo stop: Int?) {
            var field = field
            field.withUTF8 { octets in
                _ = UnsafeMutableBufferPointer(rebasing: text[count..<count + octets.count]).initialize(from: octets)
                count += octets.count
                column += octets.count
            }
            if let stop { pad(to: stop) }
        }

        mutating func pad(to stop: Int) {
            guard column < stop else {
                text[count] = UInt8(ascii: " ")
                count += 1
                column += 1
                return
            }
            for _ in 0..<(stop / 8 - column / 8) {
                text[count] = UInt8(ascii: "\t")
                count += 1
            }
            column = stop
        }
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
