// SPDX-License-Identifier: Apache-2.0
// Trimming the spaces around a setting's text, without Foundation's character sets.

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (any Unicode space; line breaks
    /// stay), as Foundation's `trimmingCharacters(in: .whitespaces)` gives it, without the
    /// cost of its first use (a component trims `dnsServer` on its first query).
    var trimmingSpaces: String {
        let isSpace = { (character: Character) in character.isWhitespace && !character.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
