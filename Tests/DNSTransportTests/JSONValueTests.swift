// SPDX-License-Identifier: Apache-2.0
// The JSON reader behind DoH's JSON answers: RFC 8259's grammar, accepted and refused.

import Testing

@testable import DNSTransport

struct JSONValueTests {
    private func parse(_ text: String) throws(JSONError) -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5e2, 0.125, true, false, null], "b": {"c": "d"}, "": []} "#)
        #expect(
            value
                == .object([
                    ("a", .array([.number(1), .number(-250), .number(0.125), .bool(true), .bool(false), .null])),
                    ("b", .object([("c", .string("d"))])), ("", .array([])),
                ]))
        #expect(value["b"]?["c"] == .string("d") && value["missing"] == nil && value["a"]?["c"] == nil)
        #expect(try parse("{}") == .object([]) && parse("[ ]") == .array([]) && parse("4294967295") == .number(4_294_967_295))
    }

    @Test func decodesEscapes() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u00e9\u65E5 \ud83d\ude00""#) == .string("é日 😀"))
        #expect(try parse("\"café 😀\"") == .string("café 😀"))
    }

    @Test func theFirstOfARepeatedKeyIsFound() throws {
        #expect(try parse(#"{"k": 1, "k": 2}"#)["k"] == .number(1))
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "[1 2]", #"{"a" 1}"#, #"{"a":1,}"#, "{1:2}", "01", "+1", "1.", ".5", "-", "1e", "1e+",
        "0x10", "NaN", "Infinity", "1e999", "tru", "nul", "True", #""abc"#, #""\x""#, #""\u12""#, #""\u12G4""#,
        #""\ud800""#, #""\ud800\u0041""#, #""\udc00""#, "\"a\u{1}b\"", "\"tab\there\"", "1 2", "{} x", "[1]]",
    ])
    func refusesWhatTheGrammarDoesNot(text: String) {
        #expect(throws: JSONError.self) { try parse(text) }
    }

    @Test func refusesOctetsThatAreNotUTF8() {
        #expect(throws: JSONError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test func nestingIsBounded() throws {
        let depth = JSONValue.maximumDepth
        _ = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        let deep = String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)
        let error = #expect(throws: JSONError.self) { try parse(deep) }
        #expect(error?.description.contains("nesting") == true)
        #expect(throws: JSONError.self) { try parse(String(repeating: "[", count: 100_000)) }
    }

    @Test func errorsNameTheOffset() {
        let error = #expect(throws: JSONError.self) { try parse(#"{"a": tru}"#) }
        #expect(error?.description == "JSON: unknown literal at offset 6")
    }
}
