// SPDX-License-Identifier: Apache-2.0
// CodePage conversions through iconv, against the octets Python's codecs give for each.

import Testing

@testable import DNSComponent

struct CodePageTests {
    /// Text and its octets in each supported code page (checked against Python's codecs).
    static let vectors: [(Int, String, [UInt8])] = [
        (65001, "café", [0x63, 0x61, 0x66, 0xC3, 0xA9]),
        (20127, "ok", [0x6F, 0x6B]),
        (28591, "café", [0x63, 0x61, 0x66, 0xE9]),
        (28592, "ł", [0xB3]),
        (1250, "ł", [0xB3]),
        (1251, "Привет", [0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]),
        (1252, "café €", [0x63, 0x61, 0x66, 0xE9, 0x20, 0x80]),
        (1253, "Ω", [0xD9]),
        (1254, "ğ", [0xF0]),
        (1200, "é", [0xE9, 0x00]),
        (1201, "é", [0x00, 0xE9]),
        (12000, "é", [0xE9, 0x00, 0x00, 0x00]),
        (12001, "é", [0x00, 0x00, 0x00, 0xE9]),
        (932, "日本ｱ", [0x93, 0xFA, 0x96, 0x7B, 0xB1]),
        (20932, "日本", [0xC6, 0xFC, 0xCB, 0xDC]),
        (50220, "a日本b", [0x61, 0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42, 0x62]),
        (10000, "é", [0x8E]),
    ]

    @Test func everySupportedCodePageHasAVector() {
        #expect(Set(Self.vectors.map(\.0)) == Set(CodePage.supported.keys))
    }

    @Test(arguments: vectors) func encodesAndDecodes(identifier: Int, text: String, octets: [UInt8]) throws {
        let codePage = try CodePage(identifier)
        #expect(try codePage.encode(text) == octets)
        #expect(codePage.decode(octets) == text)
    }

    @Test func textTheCodePageCannotHoldIsError434() throws {
        for (identifier, text) in [(20127, "é"), (28591, "€"), (1251, "日本"), (50220, "ｱ")] {
            let error = #expect(throws: DNSComponentError.self) { try CodePage(identifier).encode(text) }
            #expect(error?.code == 434, "\(identifier)")
        }
    }

    @Test func octetsItCannotDecodeAreReadAsUTF8() throws {
        #expect(try CodePage(932).decode([0x61, 0x81]) == "a\u{FFFD}")
        #expect(try CodePage(20127).decode([0x68, 0xC3, 0xA9]) == "hé")
        #expect(try CodePage(1201).decode([0x00]) == "\u{0}")
    }

    @Test func unknownCodePagesAreRefused() {
        let error = #expect(throws: DNSComponentError.self) { try CodePage(37) }
        #expect(error?.code == 10022)
    }
}
