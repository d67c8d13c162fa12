// SPDX-License-Identifier: Apache-2.0
// The system's DNS server from /etc/resolv.conf.

import Foundation

/// Reads `nameserver` lines of resolv.conf (resolv.conf(5)).
enum ResolvConf {
    /// The first `nameserver` address, or nil when there is none.
    static func firstNameserver(path: String = "/etc/resolv.conf") -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 2, fields[0] == "nameserver" { return String(fields[1]) }
        }
        return nil
    }
}
