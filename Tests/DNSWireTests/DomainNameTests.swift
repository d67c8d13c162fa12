// SPDX-License-Identifier: Apache-2.0
// Domain names: text escapes both ways, limits, case, ordering, IDN.

import DNSWire
import Testing

@testable import DNSTestSupport

@Suite struct DomainNameTests {
    @Test func parsesAndPrintsPlainNames() throws {
        let name = try DomainName("www.Example.org")
        #expect(name.description == "www.Example.org.")
        #expect(name.fieldValue == "www.Example.org")
        #expect(name.labelCount == 3)
        #expect(name.wire == hex("03 777777 07 4578616d706c65 03 6f7267 00"))
        #expect(try DomainName(".") == .root)
        #expect(DomainName.root.description == ".")
        #expect(DomainName.root.fieldValue == ".")
    }

    @Test func escapesBothWays() throws {
        let name = try DomainName(#"a\.b.c\032d.\200x.\"q\"."#)
        #expect(name.labels.map(Array.init) == [Array("a.b".utf8), Array("c d".utf8), [200, 0x78], Array("\"q\"".utf8)])
        #expect(name.description == #"a\.b.c\032d.\200x.\"q\"."#)
        #expect(try DomainName(name.description) == name)
        #expect(try DomainName(#"\@\$\(\)\;\\"#).description == #"\@\$\(\)\;\\."#)
    }

    @Test func rejectsBadText() {
        #expect(throws: TextFormatError(.badValue)) { try DomainName("a..b") }
        #expect(throws: TextFormatError(.badValue)) { try DomainName("") }
        #expect(throws: TextFormatError(.badEscape)) { try DomainName(#"a\25"#) }
        #expect(throws: TextFormatError(.badEscape)) { try DomainName(#"a\256"#) }
        #expect(throws: TextFormatError(.badEscape)) { try DomainName(#"a\"#) }
        #expect(throws: TextFormatError(.tooLong)) { try DomainName(String(repeating: "a", count: 64)) }
        let long = Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")
        #expect(throws: TextFormatError(.tooLong)) { try DomainName(long) }
        #expect(throws: WireFormatError(.labelTooLong)) { try DomainName(labels: [[UInt8](repeating: 97, count: 64)]) }
    }

    @Test func equalityIgnoresASCIICaseOnly() throws {
        #expect(try DomainName("WWW.EXAMPLE.ORG") == DomainName("www.example.org"))
        #expect(try DomainName("WWW.EXAMPLE.ORG").hashValue == DomainName("www.example.org").hashValue)
        #expect(try DomainName(#"\200"#) != DomainName(#"\224"#))  // 0x80 vs 0xE0 differ by 0x20 but are not letters
        #expect(try DomainName("[") != DomainName("{"))
        #expect(try DomainName("A.Example").canonical.description == "a.example.")
    }

    @Test func relativeNamesTakeTheOrigin() throws {
        #expect(try DomainName("www", origin: DomainName("example.org")).description == "www.example.org.")
        #expect(try DomainName("www.", origin: DomainName("example.org")).description == "www.")
    }

    @Test func canonicalOrderingFollowsRFC4034() throws {
        let names = try [
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.",
            #"\001.z.example."#, "*.z.example.", #"\200.z.example."#,
        ].map { try DomainName($0) }
        #expect(names.shuffled().sorted() == names)
        #expect(try DomainName("www.example.org").isSubdomain(of: DomainName("EXAMPLE.org")))
        #expect(try !DomainName("example.org").isSubdomain(of: DomainName("www.example.org")))
    }

    @Test func idnConvertsBothWays() throws {
        #expect(try IDNA.toASCII("bücher.example") == "xn--bcher-kva.example")
        #expect(try IDNA.toASCII("faß.de") == "xn--fa-hia.de")  // non-transitional: ß is kept
        #expect(try IDNA.toASCII("ÖBB.at") == "xn--bb-eka.at")  // UTS #46 maps to lower case
        #expect(try IDNA.toASCII("例え。テスト") == "xn--r8jz45g.xn--zckzah")
        #expect(try IDNA.toASCII("_sip._tcp.example.com") == "_sip._tcp.example.com")
        #expect(try IDNA.toASCII("_dmarc.bücher.example") == "_dmarc.xn--bcher-kva.example")
        #expect(IDNA.toUnicode("xn--bcher-kva.example.") == "bücher.example.")
        #expect(IDNA.toUnicode("xn--zz.example") == "xn--zz.example")
        #expect(throws: TextFormatError(.badIDN)) { try IDNA.toASCII("\u{0300}ab.example") }  // a label may not start with a combining mark
        #expect(try DomainName(idn: "bücher.example").description == "xn--bcher-kva.example.")
        #expect(try DomainName(idn: "bücher.example").unicodeDescription == "bücher.example.")
    }
}

@Suite struct ReverseNameTests {
    @Test func reverseNamesOfBothFamilies() throws {
        #expect(DomainName(reverseOf: IPv4Address("192.0.2.1")!).description == "1.2.0.192.in-addr.arpa.")
        let v6 = DomainName(reverseOf: IPv6Address("2001:db8::567:89ab")!)
        #expect(v6.description == "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")
        #expect(v6 == (try DomainName(v6.description)))
    }
}
