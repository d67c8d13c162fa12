// SPDX-License-Identifier: Apache-2.0
// IPWorks code pages, converted with the C library's iconv.

internal import Glibc

/// A code page for turning domain text into octets and character-string octets into text
/// (IPWorks' `CodePage` setting; 65001, UTF-8, by default).
struct CodePage: Equatable {
    let identifier: Int
    /// The character set's name as iconv knows it (glibc's gconv modules, part of libc6).
    let charset: String

    static let utf8 = CodePage(identifier: 65001, charset: "UTF-8")

    /// The code pages it converts, by IPWorks identifier.
    static let supported: [Int: String] = [
        65001: "UTF-8", 20127: "ASCII", 28591: "ISO-8859-1", 28592: "ISO-8859-2", 1250: "CP1250", 1251: "CP1251",
        1252: "CP1252", 1253: "CP1253", 1254: "CP1254", 1200: "UTF-16LE", 1201: "UTF-16BE", 12000: "UTF-32LE",
        12001: "UTF-32BE", 932: "CP932", 20932: "EUC-JP", 50220: "ISO-2022-JP", 10000: "MACINTOSH",
    ]

    private init(identifier: Int, charset: String) {
        self.identifier = identifier
        self.charset = charset
    }

    /// - Throws: 10022 for a code page it cannot convert.
    init(_ identifier: Int) throws {
        guard let charset = Self.supported[identifier] else {
            throw ErrorCode.error(
                ErrorCode.invalidArgument,
                "CodePage \(identifier) is not supported; use one of \(Self.supported.keys.sorted().map(String.init).joined(separator: ", ")).")
        }
        self.init(identifier: identifier, charset: charset)
    }

    /// - Throws: 434 when `text` has characters the code page cannot hold.
    func encode(_ text: String) throws -> [UInt8] {
        guard let octets = Self.convert(Array(text.utf8), from: "UTF-8", to: charset) else {
            throw DNSComponentError(code: 434, message: "Unable to convert string to selected CodePage (\(identifier)).")
        }
        return octets
    }

    /// The text `bytes` hold in this code page; bytes it cannot decode are read as UTF-8
    /// (with replacement characters).
    func decode(_ bytes: [UInt8]) -> String {
        String(decoding: Self.convert(bytes, from: charset, to: "UTF-8") ?? bytes, as: UTF8.self)
    }

    /// `input` converted between character sets, or nil when a character has no equivalent,
    /// the input ends inside a character, or iconv does not know a character set.
    private static func convert(_ input: [UInt8], from source: String, to target: String) -> [UInt8]? {
        let converter = iconv_open(target, source)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        // Four octets out per octet in covers every pair here (a single-byte set to UTF-32
        // is the widest); ISO-2022-JP's shift sequences fit in the extra 8.
        var output = [UInt8](repeating: 0, count: input.count * 4 + 8)
        var input = input
        let written = input.withUnsafeMutableBytes { inputBytes in
            output.withUnsafeMutableBytes { outputBytes -> Int? in
                var inPointer = inputBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inputBytes.count
                var outPointer = outputBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outputBytes.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1,
                    iconv(converter, nil, nil, &outPointer, &outLeft) != -1
                else { return nil }
                return outputBytes.count - outLeft
            }
        }
        guard let written else { return nil }
        output.removeSubrange(written...)
        return output
    }
}
