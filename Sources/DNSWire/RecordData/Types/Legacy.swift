// SPDX-License-Identifier: Apache-2.0
// Payloads of obsolete and experimental types BIND still knows: NSAP, PX, GPOS, EID, NIMLOC,
// ATMA, A6, SINK and TALINK.

extension RecordData {
    /// An OSI network service access point address (RFC 1706 §5).
    /// Presentation: `0x47000580005a0000000001e133ffffff00016100`.
    public struct NSAP: RecordDataType {
        /// At least one octet.
        public var address: [UInt8] = [0]
        public init() {}
    }

    /// X.400 mail mapping (RFC 2163 §4). Presentation: `10 net2.it. PRMD-net2.ADMD-p400.C-it.`
    public struct PX: RecordDataType {
        public var preference: UInt16 = 0
        public var map822 = DomainName.root
        public var mapX400 = DomainName.root
        public init() {}
    }

    /// A geographical position as three strings (RFC 1712). Presentation: `"-32.6882" "116.8652" "10.0"`.
    public struct GPOS: RecordDataType {
        public var longitude: [UInt8] = []
        public var latitude: [UInt8] = []
        public var altitude: [UInt8] = []
        public init() {}
    }

    /// A Nimrod endpoint identifier (EID) or locator (NIMLOC): at least one octet, printed in hex.
    /// Presentation: `1289AB`.
    public struct EID: RecordDataType {
        public var data: [UInt8] = [0]
        public init() {}
    }

    public typealias NIMLOC = EID

    /// An ATM address (ATM Forum af-dans-0152.000): format 0 (AESA, printed in lower-case hex)
    /// or 1 (E.164, printed `+` and its digits). Other formats print in the generic form.
    /// Presentation: `39246f000e7c9c03120001000100001234567800`, `+3584001234567`.
    public struct ATMA: RecordDataType {
        public var format: UInt8 = 0
        /// At least one octet; for format 1, ASCII digits.
        public var address: [UInt8] = [0]
        public init() {}
    }

    /// An IPv6 address in pieces (RFC 2874 §3): the low `128 - prefixLength` bits of the
    /// address, and the name whose A6 records give the prefix. Presentation: `64 ::1:2:3:4 pre.example.`
    /// (`0 2001:db8::1` without a prefix name; `128  pre.example.` without a suffix, BIND's two spaces).
    public struct A6: RecordDataType {
        /// 0–128.
        public var prefixLength: UInt8 = 0
        /// The suffix, its first `prefixLength` bits zero (`::` when the prefix length is 128).
        public var suffix = IPv6Address.unspecified
        /// The prefix name, used only when the prefix length is not 0.
        public var prefixName = DomainName.root
        public init() {}
    }

    /// The kitchen sink (draft-eastlake-kitchen-sink). Presentation: `8 1 2 l4ik` (no data: `1 0 0`).
    public struct SINK: RecordDataType {
        public var meaning: UInt8 = 0
        public var coding: UInt8 = 0
        public var subcoding: UInt8 = 0
        public var data: [UInt8] = []
        public init() {}
    }

    /// A link in a chain of trust anchors (draft-ietf-dnsop-trust-history).
    /// Presentation: `prev.example. next.example.`
    public struct TALINK: RecordDataType {
        public var previous = DomainName.root
        public var next = DomainName.root
        public init() {}
    }
}

/// An NSAP address: at least one octet, printed `0x` and lower-case hex; text may put `.`
/// anywhere after the `0x` (RFC 1706 §5).
struct NSAPCodec: FieldCodec {
    func read(_ reader: inout WireReader) throws -> [UInt8] {
        guard reader.remaining > 0 else { throw WireFormatError(.truncated, offset: reader.position, detail: "empty NSAP address") }
        return reader.readRemainder()
    }
    func write(_ value: [UInt8], to writer: inout WireWriter) { writer.writeBytes(value) }
    func text(_ value: [UInt8]) -> String { "0x" + BaseEncoding.hex.encode(value).lowercased() }
    func parse(_ scanner: inout TextScanner) throws -> [UInt8] {
        let token = try scanner.next(for: "NSAP address").text
        guard token.hasPrefix("0x") || token.hasPrefix("0X"), let bytes = BaseEncoding.hex.decode(token.dropFirst(2).filter { $0 != "." }),
            (1...0xFFFF).contains(bytes.count)
        else { throw TextFormatError(.badValue, "\(token) is not an NSAP address") }
        return bytes
    }
}

extension RecordData.ATMA {
    static let schema = RecordSchema<Self>(
        .atma,
        [
            RecordField("FORMAT", \.format, UIntCodec<UInt8>()),
            RecordField(
                name: "ADDRESS",
                read: { atma, reader in
                    let start = reader.position
                    atma.address = reader.readRemainder()
                    guard !atma.address.isEmpty, atma.format != 1 || atma.address.allSatisfy({ $0 &- 0x30 < 10 }) else {
                        throw WireFormatError(.invalidField, offset: start, detail: "bad ATMA address")
                    }
                },
                write: { atma, writer in writer.writeBytes(atma.address) }, text: Self.addressText, value: Self.addressText,
                parse: { atma, scanner in atma = try Self.parse(&scanner) }),
        ],
        text: Self.addressText, parse: Self.parse, generic: { $0.format > 1 ? [$0.format] + $0.address : nil })

    /// The address as BIND prints it (upper-case hex for formats it cannot print).
    private static func addressText(_ atma: Self) -> String {
        switch atma.format {
        case 0: BaseEncoding.hex.encode(atma.address).lowercased()
        case 1: "+" + String(decoding: atma.address, as: UTF8.self)
        default: BaseEncoding.hex.encode(atma.address)
        }
    }

    /// One token: `+` and E.164 digits (format 1), or AESA hex digits (format 0); single `.`
    /// may separate digits.
    private static func parse(_ scanner: inout TextScanner) throws -> Self {
        let token = try scanner.next(for: "ATMA address").text
        var atma = Self()
        atma.format = token.hasPrefix("+") ? 1 : 0
        let digits = token.dropFirst(Int(atma.format))
        let groups = digits.split(separator: ".", omittingEmptySubsequences: false)
        let joined = String(groups.joined())
        let digitsOnly = joined.utf8.allSatisfy { $0 &- 0x30 < 10 }
        let address = atma.format == 1 ? (digitsOnly ? Array(joined.utf8) : nil) : BaseEncoding.hex.decode(joined)
        guard let address, (1...0xFFFE).contains(address.count), !groups.contains(where: \.isEmpty) else {
            throw TextFormatError(.badValue, "\(token) is not an ATMA address")
        }
        atma.address = address
        return atma
    }
}

extension RecordData.A6 {
    static let schema = RecordSchema<Self>(
        .a6,
        [
            RecordField("PREFIXLENGTH", \.prefixLength, UIntCodec<UInt8>(max: 128)),
            RecordField(
                name: "ADDRESSSUFFIX",
                read: { a6, reader in
                    guard a6.prefixLength < 128 else { return }
                    let start = reader.position
                    let octets = try reader.readBytes(16 - Int(a6.prefixLength) / 8)
                    guard octets[0] & ~Self.padMask(a6.prefixLength) == 0 else {
                        throw WireFormatError(.invalidField, offset: start, detail: "A6 suffix has prefix bits set")
                    }
                    a6.suffix = IPv6Address(bytes: [UInt8](repeating: 0, count: 16 - octets.count) + octets)
                },
                write: { a6, writer in
                    guard a6.prefixLength < 128 else { return }
                    writer.writeBytes(a6.suffix.bytes.dropFirst(Int(a6.prefixLength) / 8))
                },
                text: { $0.suffix.description }, value: { $0.suffix.description },
                parse: { a6, scanner in
                    guard a6.prefixLength < 128 else { return }
                    let suffix = try IPv6Codec().parse(&scanner)
                    // Keep the suffix bits only, as BIND does.
                    var bytes = suffix.bytes
                    let first = Int(a6.prefixLength) / 8
                    for index in 0..<first { bytes[index] = 0 }
                    bytes[first] &= Self.padMask(a6.prefixLength)
                    a6.suffix = IPv6Address(bytes: bytes)
                },
                isPresent: { $0.prefixLength < 128 }),
            RecordField(
                name: "PREFIXNAME",
                read: { a6, reader in if a6.prefixLength > 0 { a6.prefixName = try reader.readName() } },
                write: { a6, writer in if a6.prefixLength > 0 { writer.writeName(a6.prefixName, compress: false) } },
                text: { $0.prefixName.description }, value: { $0.prefixName.fieldValue },
                parse: { a6, scanner in if a6.prefixLength > 0 { a6.prefixName = try NameCodec(compress: false).parse(&scanner) } },
                isPresent: { $0.prefixLength > 0 }),
        ],
        text: { a6 in
            // BIND: the length, a space, the suffix (none at 128), then a space and the name (none at 0).
            "\(a6.prefixLength) " + (a6.prefixLength < 128 ? a6.suffix.description : "")
                + (a6.prefixLength > 0 ? " \(a6.prefixName)" : "")
        })

    /// The bits of the first suffix octet that belong to the suffix.
    private static func padMask(_ prefixLength: UInt8) -> UInt8 { 0xFF >> (prefixLength % 8) }
}
