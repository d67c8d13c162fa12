// SPDX-License-Identifier: Apache-2.0
// Trust anchors: parsing both text forms, the errors with their lines, the closest-anchor lookup,
// negative anchors, and the built-in root anchors.

import Foundation
import Testing

@testable import DNSWire

private func name(_ text: String) -> DomainName { try! DomainName(text) }

private func fixtureText(_ file: String) throws -> String {
    try String(contentsOf: fixtureURL("dnssec/\(file)"), encoding: .utf8)
}

@Suite struct TrustAnchorTests {
    // MARK: - Fixtures

    @Test func dsTxtParsesToTheFixtureDSRecords() throws {
        let anchors = try TrustAnchors(parsing: try fixtureText("ds.txt"))
        // Two zones, in the order dnssec-dsfromkey wrote them.
        let expected = Dictionary(grouping: DNSSECFixtures.dsRecords, by: \.name).mapValues { $0.map { $0.data.as(RecordData.DS.self)! } }
        #expect(anchors.zones == [name("dnssec.test."), name("nsec3.test.")])
        #expect(anchors.dsAnchors == expected)
        #expect(anchors.dsAnchors.values.map(\.count).reduce(0, +) == DNSSECFixtures.dsRecords.count)
        #expect(anchors.keyAnchors.isEmpty)
    }

    @Test func dsTxtFromTheFileReadsTheSame() throws {
        let fromFile = try TrustAnchors(contentsOfFile: fixtureURL("dnssec/ds.txt").path)
        let fromText = try TrustAnchors(parsing: try fixtureText("ds.txt"))
        #expect(fromFile.dsAnchors == fromText.dsAnchors)
        let missing = #expect(throws: TrustAnchorError.self) { try TrustAnchors(contentsOfFile: "/nonexistent/anchors.txt") }
        #expect(missing?.code == .unreadableFile)
        // A file that never ends, or a directory, is refused instead of read forever.
        for path in ["/dev/zero", "/"] {
            let endless = #expect(throws: TrustAnchorError.self, "\(path)") { try TrustAnchors(contentsOfFile: path) }
            #expect(endless?.code == .unreadableFile)
        }
    }

    @Test(arguments: DNSSECFixtures.keyFiles)
    func keyFilesParse(_ file: DNSSECFixtures.KeyFile) throws {
        let text = try fixtureText("keys/\(file.fileName)")
        let key = file.record.data.as(RecordData.DNSKEY.self)!
        if key.isRevoked {
            let error = #expect(throws: TrustAnchorError.self) { try TrustAnchors(parsing: text) }
            #expect(error?.code == .revokedKey)
            // The record follows the key file's comment lines.
            #expect(error?.line == text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { !$0.hasPrefix(";") }! + 1)
            return
        }
        let anchors = try TrustAnchors(parsing: text)
        let parsed = try #require(anchors.keyAnchors[file.record.name]?.first)
        #expect(parsed == key)
        #expect(parsed.keyTag == file.tag)
        guard case .anchorKeys(let keys) = anchors.closestAnchor(for: name("www.\(file.record.name)"))?.authority else {
            Issue.record("no DNSKEY authority")
            return
        }
        #expect(keys == [key])
    }

    @Test func keysAndDSOfOneZoneCombineIntoDSAuthority() throws {
        var text = try fixtureText("ds.txt")
        text += try fixtureText("keys/Kdnssec.test.+013+26600.key")
        let anchors = try TrustAnchors(parsing: text)
        let zone = name("dnssec.test.")
        guard case .ds(let set) = anchors.authority(for: zone) else {
            Issue.record("expected DS authority")
            return
        }
        let key = try #require(anchors.keyAnchors[zone]?.first)
        #expect(set.contains { DSDigest.matches(ds: $0, dnskey: key, owner: zone) })
        #expect(set.count >= anchors.dsAnchors[zone]!.count)
    }

    // MARK: - Text forms

    @Test func severalZonesCommentsSplitDataAndDirectives() throws {
        let text = """
            ; anchors for two zones

            example.org. 3600 IN DS 12345 8 2 ( 49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5 ) ; a comment
            $TTL 1d
            $ORIGIN Example.NET.
            @ IN 86400 DNSKEY 257 3 13 ( oJMRESz5E4gYzS/q6XDrvU1qMPYIjCWz
                                         JaOau8XNEZeqCYKD5ar0IRd8KqXXFJkq
                                         mVfRvMGPmM1x8fGAa2XhSA== ) ; KSK
            sub IN DS 1 13 2 DEADBEEF DEADBEEF DEADBEEF DEADBEEF DEADBEEF DEADBEEF DEADBEEF DEADBEEF
                DS 2 253 5 00
            """
        let anchors = try TrustAnchors(parsing: text)
        #expect(anchors.zones == [name("example.net."), name("sub.example.net."), name("example.org.")].sorted())
        #expect(anchors.dsAnchors[name("example.org.")]?.first?.keyTag == 12345)
        let key = try #require(anchors.keyAnchors[name("example.net.")]?.first)
        #expect(key.flags == 257 && key.algorithm == 13 && key.publicKey.count == 64)
        let sub = try #require(anchors.dsAnchors[name("sub.example.net.")])
        #expect(sub.map(\.keyTag) == [1, 2])
        #expect(sub[0].digest.count == 32)
        // An unsupported algorithm is kept: the validator decides Insecure.
        #expect(sub[1].algorithm == 253 && sub[1].digest == [0])
    }

    @Test func bindTrustAnchorsStatement() throws {
        let text = """
            # The root, as bind.keys writes it.
            trust-anchors {
                    /* KSK-2017 */
                    . initial-key 257 3 8 "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3
                            +/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kv
                            ArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF
                            0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+e
                            oZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfd
                            RUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwN
                            R1AkUTV74bU=";
                    // KSK-2024
                    . initial-ds 38696 8 2 "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A
                    4C0FB2B16";
                    "Example.com." static-ds 1 8 2 "49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5";
            };
            """
        let anchors = try TrustAnchors(parsing: text)
        #expect(anchors.keyAnchors[.root] == [TrustAnchors.rootKeys[0]])
        #expect(anchors.dsAnchors[.root] == [TrustAnchors.rootDS[1]])
        #expect(anchors.dsAnchors[name("example.com.")]?.first?.keyTag == 1)

        let broken = "trust-anchors {\n  . static-ds 1 8 2 \"00\";\n  . bogus-kind 1 8 2;\n};\n"
        let error = #expect(throws: TrustAnchorError.self) { try TrustAnchors(parsing: broken) }
        #expect(error?.code == .badDigestLength && error?.line == 2)
        let unclosed = #expect(throws: TrustAnchorError.self) { try TrustAnchors(parsing: "trust-anchors {\n . static-ds 1 8 2 \"00") }
        #expect(unclosed?.code == .syntax && unclosed?.line == 2)
    }

    // MARK: - Errors

    @Test(arguments: [
        ("example.org. IN DS 1 8 2 " + String(repeating: "00", count: 32) + "\nexample.org. IN A 192.0.2.1\n", 2, TrustAnchorError.Code.notAnAnchor),
        ("\n\n; comment\nexample.org. IN DS 1 8 2 XYZ\n", 4, .badRecordData),
        ("example.org. IN DS 1 8 2 0011\n", 1, .badDigestLength),
        ("example.org. IN DS 1 8 1 " + String(repeating: "00", count: 32) + "\n", 1, .badDigestLength),
        ("example.org. IN DS 1 8\n", 1, .badRecordData),
        ("; ok\nexample.org. IN FOO 1 2 3\n", 2, .syntax),
        ("example.org. CH DS 1 8 2 " + String(repeating: "00", count: 32) + "\n", 1, .notAnAnchor),
        ("  IN DS 1 8 2 00\n", 1, .syntax),
        ("$INCLUDE other.keys\n", 1, .unsupportedDirective),
        ("example.org. IN DS ( 1 8 2\n 00\n", 1, .syntax),
        ("a.example. IN DNSKEY 385 3 8 AwEAAQ==\n", 1, .revokedKey),
        ("a.example. IN DNSKEY 1 3 8 AwEAAQ==\n", 1, .notAZoneKey),
        ("a..example. IN DS 1 8 2 00\n", 1, .syntax),
    ])
    func errorsCarryTheirLine(_ text: String, _ line: Int, _ code: TrustAnchorError.Code) {
        let error = #expect(throws: TrustAnchorError.self) { try TrustAnchors(parsing: text) }
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.line == line, "\(String(describing: error))")
    }

    // MARK: - Lookup

    @Test func closestAnchorIsTheLongestAncestorIgnoringCase() throws {
        let digest = String(repeating: "AB", count: 32)
        let anchors = try TrustAnchors(
            parsing: """
                example.ORG. IN DS 1 8 2 \(digest)
                Deep.Sub.Example.org. IN DS 2 8 2 \(digest)
                """)
        func zone(_ text: String) -> DomainName? { anchors.closestAnchor(for: name(text))?.zone }
        #expect(zone("example.org.") == name("example.org."))
        #expect(zone("WWW.EXAMPLE.ORG.") == name("example.org."))
        #expect(zone("sub.example.org.") == name("example.org."))
        #expect(zone("a.deep.sub.example.org.") == name("deep.sub.example.org."))
        #expect(zone("x.DEEP.sub.example.org.") == name("deep.sub.example.org."))
        #expect(zone("org.") == nil)
        #expect(zone("example.com.") == nil)
        #expect(zone("notexample.org.") == nil)
        #expect(anchors.closestAnchor(for: .root) == nil)
        guard case .ds(let set) = anchors.closestAnchor(for: name("a.deep.sub.example.org."))?.authority else {
            Issue.record("expected DS")
            return
        }
        #expect(set.map(\.keyTag) == [2])
        // The root anchors enclose everything.
        #expect(TrustAnchors.root.closestAnchor(for: name("anything.example."))?.zone == .root)
    }

    @Test func negativeAnchors() throws {
        var anchors = try TrustAnchors(parsing: ". IN DS 1 8 2 \(String(repeating: "00", count: 32))", negative: " Broken.example , , other.test.")
        #expect(anchors.negativeAnchors == [name("broken.example."), name("other.test.")])
        #expect(anchors.isUnderNegativeAnchor(name("broken.example.")))
        #expect(anchors.isUnderNegativeAnchor(name("www.BROKEN.example.")))
        #expect(!anchors.isUnderNegativeAnchor(name("example.")))
        #expect(!anchors.isUnderNegativeAnchor(name("notbroken.example.")))
        #expect(!anchors.isUnderNegativeAnchor(.root))
        anchors.negativeAnchors = [.root]
        #expect(anchors.isUnderNegativeAnchor(name("x.y.")))
        let bad = #expect(throws: TrustAnchorError.self) { try TrustAnchors(parsing: "", negative: "a..b") }
        #expect(bad?.code == .syntax)
    }

    // MARK: - The root

    @Test func rootAnchorsAreIANAsKSKs() throws {
        let root = TrustAnchors.root
        #expect(root.zones == [.root])
        let ds = try #require(root.dsAnchors[.root])
        let keys = try #require(root.keyAnchors[.root])
        #expect(ds.map(\.keyTag) == [20326, 38696])
        #expect(keys.map(\.keyTag) == [20326, 38696])
        for (record, key) in zip(ds, keys) {
            #expect(record.algorithm == 8 && record.digestType == 2 && key.algorithm == 8 && key.flags == 257)
            #expect(try key.ds(owner: .root, digestType: .sha256) == record)
            #expect(DSDigest.matches(ds: record, dnskey: key, owner: .root))
        }
        // The DS records are the ones IANA's root-anchors.xml gives.
        let published = try TrustAnchors(
            parsing: """
                . IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
                . IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
                """)
        #expect(published.dsAnchors[.root] == ds)
        // Both forms name the same two keys, so the combined authority has just the two DS records.
        guard case .ds(let set) = root.closestAnchor(for: name("example."))?.authority else {
            Issue.record("expected DS")
            return
        }
        #expect(set == ds)
    }
}
