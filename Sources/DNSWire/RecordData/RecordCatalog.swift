// SPDX-License-Identifier: Apache-2.0
// The one table of record types: each type's code, field names and encodings.

/// Every record type the package knows, each described once: its fields in wire order,
/// with the names the component shows and the codec that reads, writes, prints and
/// parses them. Types not listed are handled as opaque data (RFC 3597).
public enum RecordCatalog {
    private typealias Field = RecordField

    private static let u8 = UIntCodec<UInt8>()
    private static let u16 = UIntCodec<UInt16>()
    private static let u32 = UIntCodec<UInt32>()
    private static let compressed = NameCodec(compress: true)
    private static let uncompressed = NameCodec(compress: false)
    private static let string = CharacterStringCodec()
    private static let base64 = BinaryCodec(.base64)
    private static let hex = BinaryCodec(.hex)

    // The common types (A, AAAA, NS, CNAME, PTR, SOA, MX, DS, DNSKEY, RRSIG, OPT) are read
    // by a direct `read` that builds the payload from the same codecs, in the fields' order,
    // without a key path and a closure per field; A, AAAA, the single names, MX, TXT and SOA
    // are printed the same way, by a direct `text`.

    private static func singleName(_ type: RecordType, _ name: String, compress: Bool) -> RecordSchema<RecordData.SingleName> {
        let codec = compress ? compressed : uncompressed
        return RecordSchema(
            type, [Field(name, \.name, codec)], text: { codec.text($0.name) },
            read: { reader in RecordData.SingleName(name: try codec.read(&reader)) })
    }

    private static func exchange(_ type: RecordType, _ name: String, compress: Bool) -> RecordSchema<RecordData.MX> {
        let codec = compress ? compressed : uncompressed
        return RecordSchema(
            type, [Field("PREFERENCE", \.preference, u16), Field(name, \.exchange, codec)],
            text: { u16.text($0.preference) + " " + codec.text($0.exchange) },
            read: { reader in RecordData.MX(preference: try u16.read(&reader), exchange: try codec.read(&reader)) })
    }

    private static func text(_ type: RecordType) -> RecordSchema<RecordData.TXT> {
        RecordSchema(type, [Field("TXT", \.strings, CharacterStringsCodec())], text: { CharacterStringsCodec().text($0.strings) })
    }

    private static func signature(_ type: RecordType, covered: RecordTypeCodec) -> RecordSchema<RecordData.RRSIG> {
        RecordSchema(
            type,
            [
                Field("TYPECOVERED", \.typeCovered, covered), Field("ALGORITHM", \.algorithm, u8), Field("LABELS", \.labels, u8),
                Field("ORIGINALTTL", \.originalTTL, u32), Field("SIGNATUREEXPIRATION", \.expiration, TimestampCodec()),
                Field("SIGNATUREINCEPTION", \.inception, TimestampCodec()), Field("KEYTAG", \.keyTag, u16),
                Field("SIGNERNAME", \.signerName, uncompressed), Field("SIGNATURE", \.signature, base64),
            ],
            read: { reader in
                var signature = RecordData.RRSIG()
                signature.typeCovered = try covered.read(&reader)
                signature.algorithm = try u8.read(&reader)
                signature.labels = try u8.read(&reader)
                signature.originalTTL = try u32.read(&reader)
                signature.expiration = try TimestampCodec().read(&reader)
                signature.inception = try TimestampCodec().read(&reader)
                signature.keyTag = try u16.read(&reader)
                signature.signerName = try uncompressed.read(&reader)
                signature.signature = try base64.read(&reader)
                return signature
            })
    }

    private static func preference<Data: RecordDataType, Codec: FieldCodec>(
        _ type: RecordType, _ preference: any WritableKeyPath<Data, UInt16> & Sendable, _ name: String,
        _ key: any WritableKeyPath<Data, Codec.Value> & Sendable, _ codec: Codec
    ) -> RecordSchema<Data> {
        RecordSchema(type, [Field("PREFERENCE", preference, u16), Field(name, key, codec)])
    }

    private static func ds(_ type: RecordType) -> RecordSchema<RecordData.DS> {
        RecordSchema(
            type,
            [
                Field("KEYTAG", \.keyTag, u16), Field("ALGORITHM", \.algorithm, u8),
                Field("DIGESTTYPE", \.digestType, u8), Field("DIGEST", \.digest, hex),
            ],
            read: { reader in
                var ds = RecordData.DS()
                ds.keyTag = try u16.read(&reader)
                ds.algorithm = try u8.read(&reader)
                ds.digestType = try u8.read(&reader)
                ds.digest = try hex.read(&reader)
                return ds
            })
    }

    private static func dnskey(_ type: RecordType) -> RecordSchema<RecordData.DNSKEY> {
        RecordSchema(
            type,
            [
                Field("FLAGS", \.flags, u16), Field("PROTOCOL", \.protocol, u8),
                Field("ALGORITHM", \.algorithm, u8), Field("PUBLICKEY", \.publicKey, base64),
            ],
            read: { reader in
                var key = RecordData.DNSKEY()
                key.flags = try u16.read(&reader)
                key.protocol = try u8.read(&reader)
                key.algorithm = try u8.read(&reader)
                key.publicKey = try base64.read(&reader)
                return key
            })
    }

    private static func tlsa(_ type: RecordType) -> RecordSchema<RecordData.TLSA> {
        RecordSchema(
            type,
            [
                Field("USAGE", \.usage, u8), Field("SELECTOR", \.selector, u8), Field("MATCHINGTYPE", \.matchingType, u8),
                Field("CERTIFICATEASSOCIATIONDATA", \.certificateAssociationData, hex),
            ])
    }

    private static func svcb(_ type: RecordType) -> RecordSchema<RecordData.SVCB> {
        RecordSchema(
            type,
            [
                Field("SVCPRIORITY", \.priority, u16), Field("TARGETNAME", \.target, uncompressed),
                Field("SVCPARAMS", \.parameters, SVCParamsCodec()),
            ])
    }

    private static func eui(_ type: RecordType, octets: Int) -> RecordSchema<RecordData.EUI> {
        RecordSchema(type, [Field("ADDRESS", \.address, EUICodec(octets: octets))])
    }

    /// The RFC 3597 description of a type this package does not know.
    static func opaque(_ type: RecordType, field: String = "RDATA") -> RecordSchema<RecordData.Opaque> {
        RecordSchema(type, [Field(field, \.bytes, OpaqueCodec())], read: { reader in RecordData.Opaque(bytes: try OpaqueCodec().read(&reader)) })
    }

    /// CERT certificate type mnemonics (RFC 4398 §2.1).
    private static let certificateTypes: [UInt16: String] = [
        1: "PKIX", 2: "SPKI", 3: "PGP", 4: "IPKIX", 5: "ISPKI", 6: "IPGP", 7: "ACPKIX", 8: "IACPKIX", 253: "URI", 254: "OID",
    ]

    /// DNSSEC algorithm mnemonics (IANA "DNS Security Algorithm Numbers"), as BIND prints CERT algorithms.
    private static let securityAlgorithms: [UInt8: String] = [
        1: "RSAMD5", 2: "DH", 3: "DSA", 5: "RSASHA1", 6: "NSEC3DSA", 7: "NSEC3RSASHA1", 8: "RSASHA256", 10: "RSASHA512",
        12: "ECCGOST", 13: "ECDSAP256SHA256", 14: "ECDSAP384SHA384", 15: "ED25519", 16: "ED448", 252: "INDIRECT",
        253: "PRIVATEDNS", 254: "PRIVATEOID",
    ]

    /// TSIG and TKEY error mnemonics as BIND prints them: response codes, with 16 meaning
    /// BADSIG here (RFC 8945 §4.2), and 11–15 printed `RESERVED11`…
    private static let tsigErrors: [UInt16: String] = [
        0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 6: "YXDOMAIN", 7: "YXRRSET",
        8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 11: "RESERVED11", 12: "RESERVED12", 13: "RESERVED13", 14: "RESERVED14",
        15: "RESERVED15", 16: "BADSIG", 17: "BADKEY", 18: "BADTIME", 19: "BADMODE", 20: "BADNAME", 21: "BADALG", 22: "BADTRUNC",
    ]

    /// DSYNC scheme mnemonics (RFC 9859 §2).
    private static let dsyncSchemes: [UInt8: String] = [1: "NOTIFY"]

    /// Every known type with what describes it (given its code), in type-code order. A
    /// description (its generic schema, a key path per field) is built the first time a record
    /// of its type is read, written, printed or parsed, not all of them at once: a process that
    /// only ever sees A and NS records builds those two (building all of them took 1–1.5 ms).
    private static let entries: [Entry] = [
        entry(.a) { type in
            RecordSchema(
                type, [Field("ADDRESS", \RecordData.A.address, IPv4Codec())], text: { IPv4Codec().text($0.address) },
                read: { reader in RecordData.A(address: try IPv4Codec().read(&reader)) })
        },
        entry(.ns) { type in singleName(type, "DNAME", compress: true) },
        entry(.md) { type in singleName(type, "MADNAME", compress: true) },
        entry(.mf) { type in singleName(type, "MADNAME", compress: true) },
        entry(.cname) { type in singleName(type, "CNAME", compress: true) },
        entry(.soa) { type in
            RecordSchema(
                type,
                [
                    Field("MNAME", \RecordData.SOA.mname, compressed), Field("RNAME", \.rname, compressed),
                    Field("SERIAL", \.serial, u32), Field("REFRESH", \.refresh, u32), Field("RETRY", \.retry, u32),
                    Field("EXPIRE", \.expire, u32), Field("MINIMUM", \.minimum, u32),
                ],
                text: { soa in
                    let numbers = [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum].map(u32.text)
                    return ([compressed.text(soa.mname), compressed.text(soa.rname)] + numbers).joined(separator: " ")
                },
                read: { reader in
                    RecordData.SOA(
                        mname: try compressed.read(&reader), rname: try compressed.read(&reader), serial: try u32.read(&reader),
                        refresh: try u32.read(&reader), retry: try u32.read(&reader), expire: try u32.read(&reader),
                        minimum: try u32.read(&reader))
                })
        },
        entry(.mb) { type in singleName(type, "MADNAME", compress: true) },
        entry(.mg) { type in singleName(type, "MGMNAME", compress: true) },
        entry(.mr) { type in singleName(type, "NEWNAME", compress: true) },
        entry(.null) { type in opaque(type, field: "NULL") },
        entry(.wks) { type in
            RecordSchema(
                type,
                [
                    Field("ADDRESS", \RecordData.WKS.address, IPv4Codec()), Field("PROTOCOL", \.protocol, WKSProtocolCodec()),
                    Field("SERVICEMAP", \.ports, PortBitmapCodec()),
                ])
        },
        entry(.ptr) { type in singleName(type, "PTRDNAME", compress: true) },
        entry(.hinfo) { type in RecordSchema(type, [Field("CPU", \RecordData.HINFO.cpu, string), Field("OS", \.os, string)]) },
        entry(.minfo) { type in
            RecordSchema(
                type,
                [
                    Field("RMAILBX", \RecordData.MINFO.responsibleMailbox, compressed), Field("EMAILBX", \.errorMailbox, compressed),
                ])
        },
        entry(.mx) { type in exchange(type, "EXCHANGE", compress: true) },
        entry(.txt) { type in text(type) },
        entry(.rp) { type in
            RecordSchema(type, [Field("MBOXDNAME", \RecordData.RP.mailbox, uncompressed), Field("TXTDNAME", \.textDomain, uncompressed)])
        },
        entry(.afsdb) { type in RecordSchema(type, [Field("SUBTYPE", \RecordData.AFSDB.subtype, u16), Field("HOSTNAME", \.hostname, uncompressed)]) },
        entry(.x25) { type in RecordSchema(type, [Field("PSDNADDRESS", \RecordData.X25.address, string)]) },
        entry(.isdn) { type in
            RecordSchema(
                type,
                [
                    Field("ISDNADDRESS", \RecordData.ISDN.address, string), Field("SA", \.subaddress, OptionalCharacterStringCodec()),
                ])
        },
        entry(.rt) { type in exchange(type, "INTERMEDIATE", compress: false) },
        entry(.nsap) { type in RecordSchema(type, [Field("ADDRESS", \RecordData.NSAP.address, NSAPCodec())]) },
        entry(.nsapPtr) { type in singleName(type, "PTRDNAME", compress: false) },
        entry(.sig) { type in signature(type, covered: RecordTypeCodec(unknownAsNumber: true)) },
        entry(.key) { type in dnskey(type) },
        entry(.px) { type in
            RecordSchema(
                type,
                [
                    Field("PREFERENCE", \RecordData.PX.preference, u16), Field("MAP822", \.map822, uncompressed),
                    Field("MAPX400", \.mapX400, uncompressed),
                ])
        },
        entry(.gpos) { type in
            RecordSchema(
                type,
                [
                    Field("LONGITUDE", \RecordData.GPOS.longitude, string), Field("LATITUDE", \.latitude, string),
                    Field("ALTITUDE", \.altitude, string),
                ]
            )
        },
        entry(.aaaa) { type in
            RecordSchema(
                type, [Field("ADDRESS", \RecordData.AAAA.address, IPv6Codec())], text: { IPv6Codec().text($0.address) },
                read: { reader in RecordData.AAAA(address: try IPv6Codec().read(&reader)) })
        },
        entry(.loc) { _ in RecordData.LOC.schema },
        entry(.nxt) { type in
            RecordSchema(
                type,
                [Field("NEXTDOMAINNAME", \RecordData.NXT.nextDomainName, uncompressed), Field("TYPEBITMAP", \.types, NXTBitmapCodec())])
        },
        entry(.eid) { type in RecordSchema(type, [Field("ENDPOINTIDENTIFIER", \RecordData.EID.data, BinaryCodec(.hex, nonEmpty: true))]) },
        entry(.nimloc) { type in RecordSchema(type, [Field("NIMRODLOCATOR", \RecordData.NIMLOC.data, BinaryCodec(.hex, nonEmpty: true))]) },
        entry(.srv) { type in
            RecordSchema(
                type,
                [
                    Field("PRIORITY", \RecordData.SRV.priority, u16), Field("WEIGHT", \.weight, u16), Field("PORT", \.port, u16),
                    Field("TARGET", \.target, uncompressed),
                ])
        },
        entry(.naptr) { type in
            RecordSchema(
                type,
                [
                    Field("ORDER", \RecordData.NAPTR.order, u16), Field("PRIORITY", \.preference, u16), Field("FLAGS", \.flags, string),
                    Field("SERVICES", \.services, string), Field("REGEXP", \.regexp, string),
                    Field("REPLACEMENT", \.replacement, uncompressed),
                ])
        },
        entry(.atma) { _ in RecordData.ATMA.schema },
        entry(.kx) { type in exchange(type, "EXCHANGER", compress: false) },
        entry(.cert) { type in
            RecordSchema(
                type,
                [
                    Field("TYPE", \RecordData.CERT.certificateType, MnemonicCodec(names: certificateTypes)),
                    Field("KEYTAG", \.keyTag, u16), Field("ALGORITHM", \.algorithm, MnemonicCodec(names: securityAlgorithms)),
                    Field("CERTIFICATE", \.certificate, base64),
                ])
        },
        entry(.a6) { _ in RecordData.A6.schema },
        entry(.dname) { type in singleName(type, "TARGET", compress: false) },
        entry(.sink) { type in
            RecordSchema(
                type,
                [
                    Field("MEANING", \RecordData.SINK.meaning, u8), Field("CODING", \.coding, u8), Field("SUBCODING", \.subcoding, u8),
                    Field("DATA", \.data, base64),
                ])
        },
        entry(.opt) { type in opaque(type, field: "OPTIONS") },
        entry(.apl) { type in RecordSchema(type, [Field("APITEMS", \RecordData.APL.items, APLItemsCodec())]) },
        entry(.ds) { type in ds(type) },
        entry(.sshfp) { type in
            RecordSchema(
                type,
                [
                    Field("ALGORITHM", \RecordData.SSHFP.algorithm, u8), Field("FPTYPE", \.fingerprintType, u8),
                    Field("FINGERPRINT", \.fingerprint, hex),
                ])
        },
        entry(.ipseckey) { type in
            RecordSchema(
                type,
                [
                    Field("PRECEDENCE", \RecordData.IPSECKEY.precedence, u8), Field("GATEWAYTYPE", \.gatewayType, u8),
                    Field("ALGORITHM", \.algorithm, u8), .gateway("GATEWAY", type: \.gatewayType, gateway: \.gateway),
                    Field("PUBLICKEY", \.publicKey, base64),
                ])
        },
        entry(.rrsig) { type in signature(type, covered: RecordTypeCodec()) },
        entry(.nsec) { type in
            RecordSchema(
                type,
                [
                    Field("NEXTDOMAINNAME", \RecordData.NSEC.nextDomainName, uncompressed), Field("TYPEBITMAPS", \.types, TypeBitmapCodec()),
                ])
        },
        entry(.dnskey) { type in dnskey(type) },
        entry(.dhcid) { type in
            RecordSchema(
                type,
                [
                    Field("IDENTIFIERTYPE", \RecordData.DHCID.identifierType, u16), Field("DIGESTTYPE", \.digestType, u8),
                    Field("DIGEST", \.digest, base64),
                ],
                text: { dhcid in
                    BaseEncoding.base64.encode(
                        [UInt8(dhcid.identifierType >> 8), UInt8(dhcid.identifierType & 0xFF), dhcid.digestType] + dhcid.digest)
                },
                parse: { scanner in
                    let bytes = try base64.parse(&scanner)
                    guard bytes.count >= 3 else { throw TextFormatError(.badValue, "DHCID needs at least 3 octets") }
                    var dhcid = RecordData.DHCID()
                    dhcid.identifierType = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
                    dhcid.digestType = bytes[2]
                    dhcid.digest = Array(bytes[3...])
                    return dhcid
                })
        },
        entry(.nsec3) { type in
            RecordSchema(
                type,
                [
                    Field("HASHALGORITHM", \RecordData.NSEC3.hashAlgorithm, u8), Field("FLAGS", \.flags, u8),
                    Field("ITERATIONS", \.iterations, u16), Field("SALT", \.salt, BinaryCodec(.hex, length: .prefixed8, empty: "-")),
                    Field("NEXTHASHEDOWNERNAME", \.nextHashedOwnerName, BinaryCodec(.base32hex, length: .prefixed8, nonEmpty: true)),
                    Field("TYPEBITMAPS", \.types, TypeBitmapCodec()),
                ])
        },
        entry(.nsec3param) { type in
            RecordSchema(
                type,
                [
                    Field("HASHALGORITHM", \RecordData.NSEC3PARAM.hashAlgorithm, u8), Field("FLAGS", \.flags, u8),
                    Field("ITERATIONS", \.iterations, u16), Field("SALT", \.salt, BinaryCodec(.hex, length: .prefixed8, empty: "-")),
                ])
        },
        entry(.tlsa) { type in tlsa(type) },
        entry(.smimea) { type in tlsa(type) },
        entry(.hip) { _ in RecordData.HIP.schema },
        entry(.ninfo) { type in text(type) },
        entry(.rkey) { type in dnskey(type) },
        entry(.talink) { type in
            RecordSchema(type, [Field("PREVIOUSNAME", \RecordData.TALINK.previous, uncompressed), Field("NEXTNAME", \.next, uncompressed)])
        },
        entry(.cds) { type in ds(type) },
        entry(.cdnskey) { type in dnskey(type) },
        entry(.openpgpkey) { type in RecordSchema(type, [Field("PUBLICKEY", \RecordData.OPENPGPKEY.publicKey, base64)]) },
        entry(.csync) { type in
            RecordSchema(
                type,
                [
                    Field("SOASERIAL", \RecordData.CSYNC.soaSerial, u32), Field("FLAGS", \.flags, u16),
                    Field("TYPEBITMAPS", \.types, TypeBitmapCodec()),
                ])
        },
        entry(.zonemd) { type in
            RecordSchema(
                type,
                [
                    Field("SERIAL", \RecordData.ZONEMD.serial, u32), Field("SCHEME", \.scheme, u8),
                    Field("HASHALGORITHM", \.hashAlgorithm, u8), Field("DIGEST", \.digest, hex),
                ])
        },
        entry(.svcb) { type in svcb(type) },
        entry(.https) { type in svcb(type) },
        entry(.dsync) { type in
            RecordSchema(
                type,
                [
                    Field("RRTYPE", \RecordData.DSYNC.type, RecordTypeCodec()), Field("SCHEME", \.scheme, MnemonicCodec(names: dsyncSchemes)),
                    Field("PORT", \.port, u16), Field("TARGET", \.target, uncompressed),
                ])
        },
        entry(.hhit) { type in RecordSchema(type, [Field("HHIT", \RecordData.HHIT.data, BinaryCodec(.base64, nonEmpty: true))]) },
        entry(.brid) { type in RecordSchema(type, [Field("BRID", \RecordData.BRID.data, BinaryCodec(.base64, nonEmpty: true))]) },
        entry(.spf) { type in text(type) },
        entry(.uinfo) { type in opaque(type) },
        entry(.uid) { type in opaque(type) },
        entry(.gid) { type in opaque(type) },
        entry(.unspec) { type in opaque(type) },
        entry(.nid) { type in preference(type, \RecordData.NID.preference, "NODEID", \.nodeID, ILNP64Codec()) },
        entry(.l32) { type in preference(type, \RecordData.L32.preference, "LOCATOR32", \.locator, IPv4Codec()) },
        entry(.l64) { type in preference(type, \RecordData.L64.preference, "LOCATOR64", \.locator, ILNP64Codec()) },
        entry(.lp) { type in exchange(type, "FQDN", compress: false) },
        entry(.eui48) { type in eui(type, octets: 6) },
        entry(.eui64) { type in eui(type, octets: 8) },
        entry(.tkey) { type in
            RecordSchema(
                type,
                [
                    Field("ALGORITHM", \RecordData.TKEY.algorithm, uncompressed), Field("INCEPTION", \.inception, u32),
                    Field("EXPIRATION", \.expiration, u32), Field("MODE", \.mode, u16), Field("ERROR", \.error, MnemonicCodec(names: tsigErrors)),
                    Field("KEYDATA", \.key, BinaryCodec(.base64, length: .prefixed16, separatesEmpty: true)),
                    Field("OTHERDATA", \.otherData, BinaryCodec(.base64, length: .prefixed16)),
                ])
        },
        entry(.tsig) { type in
            RecordSchema(
                type,
                [
                    Field("ALGORITHM", \RecordData.TSIG.algorithm, uncompressed),
                    Field("TIMESIGNED", \.timeSigned, UIntCodec<UInt64>(octets: 6)), Field("FUDGE", \.fudge, u16),
                    Field("MAC", \.mac, BinaryCodec(.base64, length: .prefixed16)), Field("ORIGINALID", \.originalID, u16),
                    Field("ERROR", \.error, MnemonicCodec(names: tsigErrors)),
                    Field("OTHERDATA", \.otherData, BinaryCodec(.base64, length: .prefixed16)),
                ])
        },
        entry(.uri) { type in
            RecordSchema(
                type,
                [
                    Field("PRIORITY", \RecordData.URI.priority, u16), Field("WEIGHT", \.weight, u16),
                    Field("TARGET", \.target, CharacterStringCodec(prefixed: false)),
                ])
        },
        entry(.caa) { type in
            RecordSchema(
                type,
                [
                    Field("FLAGS", \RecordData.CAA.flags, u8), Field("TAG", \.tag, CharacterStringCodec(quoted: false, alphanumeric: true)),
                    Field("VALUE", \.value, CharacterStringCodec(prefixed: false)),
                ])
        },
        entry(.avc) { type in text(type) },
        entry(.doa) { type in
            RecordSchema(
                type,
                [
                    Field("ENTERPRISE", \RecordData.DOA.enterprise, u32), Field("TYPE", \.type, u32), Field("LOCATION", \.location, u8),
                    Field("MEDIATYPE", \.mediaType, string), Field("DATA", \.data, BinaryCodec(.base64, empty: "-")),
                ])
        },
        entry(.amtrelay) { _ in RecordData.AMTRELAY.schema },
        entry(.resinfo) { type in text(type) },
        entry(.wallet) { type in text(type) },
        entry(.ta) { type in ds(type) },
        entry(.dlv) { type in ds(type) },
    ]

    /// A type's entry: its code and how its description is built.
    private struct Entry: Sendable {
        let type: RecordType
        let make: @Sendable (RecordType) -> any AnyRecordSchema
    }

    /// The entry for `type`, described by `make` (given the type).
    private static func entry<Data: RecordDataType>(
        _ type: RecordType, _ make: @escaping @Sendable (RecordType) -> RecordSchema<Data>
    ) -> Entry {
        Entry(type: type, make: { make($0) })
    }

    /// Where each type's entry is: by code below ``directCodes`` (the fast path: every common
    /// type; -1 for codes without one), by dictionary above it.
    private static let directCodes = 512
    private static let (directIndex, otherIndex): ([Int16], [UInt16: Int]) = {
        var direct = [Int16](repeating: -1, count: directCodes)
        var others: [UInt16: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let code = entry.type.rawValue
            if Int(code) < directCodes {
                precondition(direct[Int(code)] < 0, "\(entry.type) is described twice")
                direct[Int(code)] = Int16(index)
            } else {
                precondition(others.updateValue(index, forKey: code) == nil, "\(entry.type) is described twice")
            }
        }
        return (direct, others)
    }()

    /// The descriptions built so far, one slot per entry.
    private static let built = LazySchemaTable(count: entries.count)

    /// The one description of every type without its own: RFC 3597 opaque data. Its `type`
    /// is 0; nothing about opaque data depends on the code.
    private static let unknown = opaque(RecordType(0))

    /// The description of `type`, built when first asked for; unknown types get the opaque one.
    static func schema(for type: RecordType) -> any AnyRecordSchema {
        let code = Int(type.rawValue)
        let index = code < directCodes ? Int(directIndex[code]) : otherIndex[type.rawValue] ?? -1
        guard index >= 0 else { return unknown }
        return built.schema(at: index) {
            let entry = entries[index]
            let schema = entry.make(entry.type)
            // The types that keep their description beside their payload (LOC, ATMA, A6, HIP, AMTRELAY) name it there.
            precondition(schema.type == entry.type, "the entry for \(entry.type) describes \(schema.type)")
            return schema
        }
    }

    /// The types with a description of their own, in code order.
    public static var knownTypes: [RecordType] { entries.map(\.type) }

    /// The field names of `type` in wire order (`RDATA` for unknown types).
    public static func fieldNames(of type: RecordType) -> [String] { schema(for: type).fieldNames }
}
