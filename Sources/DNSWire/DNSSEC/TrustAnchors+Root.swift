// SPDX-License-Identifier: Apache-2.0
// The IANA root zone trust anchors built in: KSK-2017 and KSK-2024.
//
// Sources, checked against each other (digests, key tags and public keys agree):
// - IANA, https://data.iana.org/root-anchors/root-anchors.xml (RFC 9718 §2 describes its format):
//   KeyDigest "Klajeyz" (20326, valid from 2017-02-02) and "Kmyv6jo" (38696, valid from
//   2024-07-18), each with algorithm 8, digest type 2, digest and public key.
// - ISC BIND 9, bind.keys (isc-projects/bind9, "current as of November 2024"): `initial-key` for
//   20326 and `initial-ds 38696 8 2` with the same digest.
// - NLnet Labs Unbound, smallapp/unbound-anchor.c, get_builtin_ds(): `. IN DS 20326 8 2` with the
//   same digest.
// The tests recompute both key tags and both SHA-256 digests from the public keys.

extension TrustAnchors {
    /// The root zone's trust anchors as IANA publishes them (RFC 9718): KSK-2017 (key tag 20326)
    /// and KSK-2024 (key tag 38696), both RSA/SHA-256 (algorithm 8), as DS records with SHA-256
    /// digests (digest type 2) and as DNSKEY records (flags 257). No negative anchors.
    public static let root: TrustAnchors = {
        var anchors = TrustAnchors()
        for ds in rootDS { try! anchors.add(ds, for: .root) }
        for key in rootKeys { try! anchors.add(key, for: .root) }
        return anchors
    }()

    /// The root KSKs' DS records: `. IN DS 20326 8 2 …` and `. IN DS 38696 8 2 …`.
    static let rootDS: [RecordData.DS] = [
        "20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
        "38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
    ].map { try! RecordData(type: .ds, presentation: $0).as(RecordData.DS.self)! }

    /// The root KSKs' DNSKEY records (flags 257, protocol 3, algorithm 8).
    static let rootKeys: [RecordData.DNSKEY] = [
        // KSK-2017, key tag 20326.
        """
        257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3 +/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kv \
        ArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF 0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+e \
        oZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfd RUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwN \
        R1AkUTV74bU=
        """,
        // KSK-2024, key tag 38696.
        """
        257 3 8 AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZs \
        jICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8Pkc \
        RU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyv \
        aBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc=
        """,
    ].map { try! RecordData(type: .dnskey, presentation: $0).as(RecordData.DNSKEY.self)! }
}
