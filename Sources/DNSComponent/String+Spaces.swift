// SPDX-License-Identifier: Apache-2.0
// Trimming the spaces around a setting's text, without Foundation's character sets.

import DNSWire

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (any Unicode space; line breaks
    /// stay), as Foundation's `trimmingCharacters(in: .whitespaces)` gives it, without the
    /// cost of its first use (a component trims `dnsServer` on its first query).
    var trimmingSpaces: String { String(trimming { $0.isWhitespace && !$0.isNewline }) }
}
