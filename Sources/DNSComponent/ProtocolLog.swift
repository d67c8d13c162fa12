// SPDX-License-Identifier: Apache-2.0
// The `DNSProtocolLog` setting's nslookup-style account of a response.

import DNSTransport
import DNSWire

/// Writes a response the way `nslookup -debug` describes one.
enum ProtocolLog {
    static func text(for message: DNSMessage, server: SocketAddress?) -> String {
        var lines = [
            "Server:\t\t\(server?.ipAddress ?? "(the response cache)")", "Address:\t\(server?.description ?? "-")", "", "Got answer:",
            "    HEADER:",
        ]
        lines.append("\topcode = \(message.header.opcode), id = \(message.id), rcode = \(message.responseCode)")
        let flagNames: [(HeaderFlags, String)] = [
            (.qr, "response"), (.aa, "auth. answer"), (.tc, "truncation"), (.rd, "want recursion"),
            (.ra, "recursion avail."), (.ad, "authentic data"), (.cd, "checking disabled"),
        ]
        lines.append("\theader flags:  " + flagNames.filter { message.header.flags.contains($0.0) }.map(\.1).joined(separator: ", "))
        lines.append(
            "\tquestions = \(message.questions.count),  answers = \(message.answers.count),  "
                + "authority records = \(message.authorities.count),  additional = \(message.additionals.count)")
        lines += ["", "    QUESTIONS:"]
        lines += message.questions.map { "\t\($0.name.fieldValue), type = \($0.type), class = \($0.recordClass)" }
        for (title, records) in [
            ("ANSWERS", message.answers), ("AUTHORITY RECORDS", message.authorities), ("ADDITIONAL RECORDS", message.additionals),
        ]
        where !records.isEmpty {
            lines.append("    \(title):")
            for record in records {
                lines.append("    ->  \(record.name.fieldValue)")
                lines += record.data.fields.map { "\t\($0.name.lowercased()) = \($0.value)" }
                lines.append("\tttl = \(record.ttl)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
