// SPDX-License-Identifier: Apache-2.0
// Resource record type codes (IANA "Resource Record (RR) TYPEs"), an open set.

/// A resource record type code. Any 16-bit value is valid; unknown ones print as `TYPE65280`.
public struct RecordType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt16) { self.rawValue = value }

    public static let a: RecordType = 1
    public static let ns: RecordType = 2
    public static let md: RecordType = 3
    public static let mf: RecordType = 4
    public static let cname: RecordType = 5
    public static let soa: RecordType = 6
    public static let mb: RecordType = 7
    public static let mg: RecordType = 8
    public static let mr: RecordType = 9
    public static let null: RecordType = 10
    public static let wks: RecordType = 11
    public static let ptr: RecordType = 12
    public static let hinfo: RecordType = 13
    public static let minfo: RecordType = 14
    public static let mx: RecordType = 15
    public static let txt: RecordType = 16
    public static let rp: RecordType = 17
    public static let afsdb: RecordType = 18
    public static let x25: RecordType = 19
    public static let isdn: RecordType = 20
    public static let rt: RecordType = 21
    public static let aaaa: RecordType = 28
    public static let loc: RecordType = 29
    public static let srv: RecordType = 33
    public static let naptr: RecordType = 35
    public static let kx: RecordType = 36
    public static let cert: RecordType = 37
    public static let dname: RecordType = 39
    public static let opt: RecordType = 41
    public static let apl: RecordType = 42
    public static let ds: RecordType = 43
    public static let sshfp: RecordType = 44
    public static let ipseckey: RecordType = 45
    public static let rrsig: RecordType = 46
    public static let nsec: RecordType = 47
    public static let dnskey: RecordType = 48
    public static let dhcid: RecordType = 49
    public static let nsec3: RecordType = 50
    public static let nsec3param: RecordType = 51
    public static let tlsa: RecordType = 52
    public static let smimea: RecordType = 53
    public static let cds: RecordType = 59
    public static let cdnskey: RecordType = 60
    public static let openpgpkey: RecordType = 61
    public static let csync: RecordType = 62
    public static let zonemd: RecordType = 63
    public static let svcb: RecordType = 64
    public static let https: RecordType = 65
    public static let spf: RecordType = 99
    public static let eui48: RecordType = 108
    public static let eui64: RecordType = 109
    public static let tkey: RecordType = 249
    public static let tsig: RecordType = 250
    public static let ixfr: RecordType = 251
    public static let axfr: RecordType = 252
    public static let mailb: RecordType = 253
    public static let maila: RecordType = 254
    public static let any: RecordType = 255
    public static let uri: RecordType = 256
    public static let caa: RecordType = 257

    /// Mnemonics of every named type, the one table both directions use.
    static let mnemonics: [RecordType: String] = [
        .a: "A", .ns: "NS", .md: "MD", .mf: "MF", .cname: "CNAME", .soa: "SOA", .mb: "MB", .mg: "MG",
        .mr: "MR", .null: "NULL", .wks: "WKS", .ptr: "PTR", .hinfo: "HINFO", .minfo: "MINFO", .mx: "MX",
        .txt: "TXT", .rp: "RP", .afsdb: "AFSDB", .x25: "X25", .isdn: "ISDN", .rt: "RT", .aaaa: "AAAA",
        .loc: "LOC", .srv: "SRV", .naptr: "NAPTR", .kx: "KX", .cert: "CERT", .dname: "DNAME", .opt: "OPT",
        .apl: "APL", .ds: "DS", .sshfp: "SSHFP", .ipseckey: "IPSECKEY", .rrsig: "RRSIG", .nsec: "NSEC",
        .dnskey: "DNSKEY", .dhcid: "DHCID", .nsec3: "NSEC3", .nsec3param: "NSEC3PARAM", .tlsa: "TLSA",
        .smimea: "SMIMEA", .cds: "CDS", .cdnskey: "CDNSKEY", .openpgpkey: "OPENPGPKEY", .csync: "CSYNC",
        .zonemd: "ZONEMD", .svcb: "SVCB", .https: "HTTPS", .spf: "SPF", .eui48: "EUI48", .eui64: "EUI64",
        .tkey: "TKEY", .tsig: "TSIG", .ixfr: "IXFR", .axfr: "AXFR", .mailb: "MAILB", .maila: "MAILA",
        .any: "ANY", .uri: "URI", .caa: "CAA",
    ]
    private static let byMnemonic = Dictionary(uniqueKeysWithValues: mnemonics.map { ($1, $0) })

    /// The RFC mnemonic, or `TYPE` and the number (RFC 3597 §5).
    public var description: String { Self.mnemonics[self] ?? "TYPE\(rawValue)" }

    /// Parses a mnemonic (any case) or the generic `TYPEnnn` form.
    public init?(mnemonic text: String) {
        let upper = text.uppercased()
        if let known = Self.byMnemonic[upper] {
            self = known
        } else if upper.hasPrefix("TYPE"), let number = UInt16(upper.dropFirst(4)) {
            self.init(number)
        } else {
            return nil
        }
    }

    public static func < (lhs: RecordType, rhs: RecordType) -> Bool { lhs.rawValue < rhs.rawValue }
}
