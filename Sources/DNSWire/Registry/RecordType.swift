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
    public static let nsap: RecordType = 22
    public static let nsapPtr: RecordType = 23
    public static let sig: RecordType = 24
    public static let key: RecordType = 25
    public static let px: RecordType = 26
    public static let gpos: RecordType = 27
    public static let aaaa: RecordType = 28
    public static let loc: RecordType = 29
    public static let nxt: RecordType = 30
    public static let eid: RecordType = 31
    public static let nimloc: RecordType = 32
    public static let srv: RecordType = 33
    public static let atma: RecordType = 34
    public static let naptr: RecordType = 35
    public static let kx: RecordType = 36
    public static let cert: RecordType = 37
    public static let a6: RecordType = 38
    public static let dname: RecordType = 39
    public static let sink: RecordType = 40
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
    public static let hip: RecordType = 55
    public static let ninfo: RecordType = 56
    public static let rkey: RecordType = 57
    public static let talink: RecordType = 58
    public static let cds: RecordType = 59
    public static let cdnskey: RecordType = 60
    public static let openpgpkey: RecordType = 61
    public static let csync: RecordType = 62
    public static let zonemd: RecordType = 63
    public static let svcb: RecordType = 64
    public static let https: RecordType = 65
    public static let dsync: RecordType = 66
    public static let hhit: RecordType = 67
    public static let brid: RecordType = 68
    public static let spf: RecordType = 99
    /// UINFO (100). Not to be confused with the component's `QueryType` 100, which is RevLookup.
    public static let uinfo: RecordType = 100
    public static let uid: RecordType = 101
    public static let gid: RecordType = 102
    public static let unspec: RecordType = 103
    public static let nid: RecordType = 104
    public static let l32: RecordType = 105
    public static let l64: RecordType = 106
    public static let lp: RecordType = 107
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
    public static let avc: RecordType = 258
    public static let doa: RecordType = 259
    public static let amtrelay: RecordType = 260
    public static let resinfo: RecordType = 261
    public static let wallet: RecordType = 262
    public static let ta: RecordType = 32768
    public static let dlv: RecordType = 32769

    /// Mnemonics of every named type, the one table both directions use.
    static let mnemonics: [RecordType: String] = [
        .a: "A", .ns: "NS", .md: "MD", .mf: "MF", .cname: "CNAME", .soa: "SOA", .mb: "MB", .mg: "MG",
        .mr: "MR", .null: "NULL", .wks: "WKS", .ptr: "PTR", .hinfo: "HINFO", .minfo: "MINFO", .mx: "MX",
        .txt: "TXT", .rp: "RP", .afsdb: "AFSDB", .x25: "X25", .isdn: "ISDN", .rt: "RT", .nsap: "NSAP",
        .nsapPtr: "NSAP-PTR", .sig: "SIG", .key: "KEY", .px: "PX", .gpos: "GPOS", .aaaa: "AAAA", .loc: "LOC",
        .nxt: "NXT", .eid: "EID", .nimloc: "NIMLOC", .srv: "SRV", .atma: "ATMA", .naptr: "NAPTR", .kx: "KX",
        .cert: "CERT", .a6: "A6", .dname: "DNAME", .sink: "SINK", .opt: "OPT", .apl: "APL", .ds: "DS",
        .sshfp: "SSHFP", .ipseckey: "IPSECKEY", .rrsig: "RRSIG", .nsec: "NSEC", .dnskey: "DNSKEY", .dhcid: "DHCID",
        .nsec3: "NSEC3", .nsec3param: "NSEC3PARAM", .tlsa: "TLSA", .smimea: "SMIMEA", .hip: "HIP", .ninfo: "NINFO",
        .rkey: "RKEY", .talink: "TALINK", .cds: "CDS", .cdnskey: "CDNSKEY", .openpgpkey: "OPENPGPKEY",
        .csync: "CSYNC", .zonemd: "ZONEMD", .svcb: "SVCB", .https: "HTTPS", .dsync: "DSYNC", .hhit: "HHIT",
        .brid: "BRID", .spf: "SPF", .uinfo: "UINFO", .uid: "UID", .gid: "GID", .unspec: "UNSPEC", .nid: "NID",
        .l32: "L32", .l64: "L64", .lp: "LP", .eui48: "EUI48", .eui64: "EUI64", .tkey: "TKEY", .tsig: "TSIG",
        .ixfr: "IXFR", .axfr: "AXFR", .mailb: "MAILB", .maila: "MAILA", .any: "ANY", .uri: "URI", .caa: "CAA",
        .avc: "AVC", .doa: "DOA", .amtrelay: "AMTRELAY", .resinfo: "RESINFO", .wallet: "WALLET", .ta: "TA",
        .dlv: "DLV",
    ]
    private static let byMnemonic = Dictionary(uniqueKeysWithValues: mnemonics.map { ($1, $0) })

    /// The mnemonics of types 0–255 by number, so printing the common types needs no hashing.
    private static let lowMnemonics: [String?] = (0...255).map { mnemonics[RecordType(rawValue: $0)] }

    /// The RFC mnemonic, or `TYPE` and the number (RFC 3597 §5).
    public var description: String {
        (rawValue < 256 ? Self.lowMnemonics[Int(rawValue)] : Self.mnemonics[self]) ?? "TYPE\(rawValue)"
    }

    /// The mnemonic, or the bare number where BIND prints types it has no name for that way
    /// (SIG's type covered, NXT's bit map).
    var mnemonicOrNumber: String { Self.mnemonics[self] ?? String(rawValue) }

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

    /// A mnemonic, `TYPEnnn`, or a plain number, where BIND takes a type in RDATA text (RRSIG,
    /// SIG, NXT, DSYNC).
    init?(mnemonicOrNumber text: String) {
        guard let type = RecordType(mnemonic: text) ?? UInt16(text).map(RecordType.init(_:)) else { return nil }
        self = type
    }

    public static func < (lhs: RecordType, rhs: RecordType) -> Bool { lhs.rawValue < rhs.rawValue }
}
