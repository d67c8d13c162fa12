// SPDX-License-Identifier: Apache-2.0
// Internationalized domain names through libidn2 (IDNA2008 with UTS #46 mapping).

internal import CIDN2

/// Conversions between Unicode domain names and their ASCII (A-label) form.
///
/// `toASCII` applies IDNA2008 with UTS #46 non-transitional mapping (so `faß.de` stays
/// `xn--fa-hia.de`), label by label; labels that are already ASCII, including `_service`
/// labels and existing `xn--` labels, pass through untouched.
///
/// ```swift
/// try IDNA.toASCII("bücher.example")        // "xn--bcher-kva.example"
/// IDNA.toUnicode("xn--bcher-kva.example")   // "bücher.example"
/// ```
public enum IDNA {
    /// Label separators UTS #46 maps to `.`: full stop, ideographic, full-width and half-width full stops.
    private static let separators: Set<Character> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]

    /// Converts a Unicode name to its ASCII form.
    ///
    /// - Throws: ``TextFormatError/Code/badIDN`` with libidn2's reason for a label IDNA2008 rejects.
    public static func toASCII(_ name: String) throws -> String {
        guard !name.allSatisfy(\.isASCII) else { return name }
        let labels = name.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        return try labels.map { label in
            guard !label.allSatisfy(\.isASCII) else { return String(label) }
            var output: UnsafeMutablePointer<CChar>? = nil
            let flags = Int32(IDN2_NONTRANSITIONAL.rawValue | IDN2_NFC_INPUT.rawValue)
            let status = idn2_to_ascii_8z(String(label), &output, flags)
            defer { free(output) }
            guard status == IDN2_OK.rawValue, let output else {
                throw TextFormatError(.badIDN, "\(label): \(String(cString: idn2_strerror(status)))")
            }
            return String(cString: output)
        }.joined(separator: ".")
    }

    /// Converts A-labels (`xn--…`) back to Unicode for display; a label that does not
    /// decode is left as it is.
    public static func toUnicode(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { label in
            guard label.lowercased().hasPrefix("xn--") else { return String(label) }
            var output: UnsafeMutablePointer<CChar>? = nil
            let status = idn2_to_unicode_8z8z(String(label), &output, 0)
            defer { free(output) }
            guard status == IDN2_OK.rawValue, let output else { return String(label) }
            return String(cString: output)
        }.joined(separator: ".")
    }
}

extension DomainName {
    /// Parses a name that may contain Unicode labels, converting them with ``IDNA/toASCII(_:)``.
    public init(idn text: String, origin: DomainName = .root) throws {
        try self.init(IDNA.toASCII(text), origin: origin)
    }

    /// The name for display, A-labels converted to Unicode.
    public var unicodeDescription: String { IDNA.toUnicode(description) }
}
