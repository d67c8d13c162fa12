// SPDX-License-Identifier: Apache-2.0
// IPWorks code pages mapped onto Foundation's string encodings.

import Foundation

/// A code page for turning domain text into octets and character-string octets into text
/// (IPWorks' `CodePage` setting; 65001, UTF-8, by default).
struct CodePage: Equatable {
    let identifier: Int
    let encoding: String.Encoding

    static let utf8 = CodePage(identifier: 65001, encoding: .utf8)

    /// The code pages Foundation can convert, by IPWorks identifier.
    static let supported: [Int: String.Encoding] = [
        65001: .utf8, 20127: .ascii, 28591: .isoLatin1, 28592: .isoLatin2, 1250: .windowsCP1250,
        1251: .windowsCP1251, 1252: .windowsCP1252, 1253: .windowsCP1253, 1254: .windowsCP1254,
        1200: .utf16LittleEndian, 1201: .utf16BigEndian, 12000: .utf32LittleEndian, 12001: .utf32BigEndian,
        932: .shiftJIS, 20932: .japaneseEUC, 50220: .iso2022JP, 10000: .macOSRoman,
    ]

    init(identifier: Int, encoding: String.Encoding) {
        self.identifier = identifier
        self.encoding = encoding
    }

    /// - Throws: 10022 for a code page Foundation cannot convert.
    init(_ identifier: Int) throws {
        guard let encoding = Self.supported[identifier] else {
            throw ErrorCode.error(
                ErrorCode.invalidArgument,
                "CodePage \(identifier) is not supported; use one of \(Self.supported.keys.sorted().map(String.init).joined(separator: ", ")).")
        }
        self.init(identifier: identifier, encoding: encoding)
    }

    /// - Throws: 434 when `text` has characters the code page cannot hold.
    func encode(_ text: String) throws -> [UInt8] {
        guard let data = text.data(using: encoding) else {
            throw DNSComponentError(code: 434, message: "Unable to convert string to selected CodePage (\(identifier)).")
        }
        return [UInt8](data)
    }

    func decode(_ bytes: [UInt8]) -> String {
        String(data: Data(bytes), encoding: encoding) ?? String(decoding: bytes, as: UTF8.self)
    }
}
