// SPDX-License-Identifier: Apache-2.0
// Bit maps: NSEC-style type bit maps and the WKS port map.

/// The type bit maps of NSEC, NSEC3 and CSYNC (RFC 4034 §4.1.2), printed as mnemonics.
public struct TypeBitmapCodec: FieldCodec {
    public func read(_ reader: inout WireReader) throws -> [RecordType] {
        var types: [RecordType] = []
        var lastWindow = -1
        while reader.remaining > 0 {
            let window = Int(try reader.readUInt8())
            let length = Int(try reader.readUInt8())
            guard window > lastWindow, (1...32).contains(length) else {
                throw WireFormatError(.invalidField, offset: reader.position, detail: "bad type bit map window")
            }
            lastWindow = window
            for (index, octet) in try reader.readBytes(length).enumerated() where octet != 0 {
                for bit in 0..<8 where octet & (0x80 >> bit) != 0 {
                    types.append(RecordType(UInt16(window << 8 | index * 8 + bit)))
                }
            }
        }
        return types
    }

    public func write(_ value: [RecordType], to writer: inout WireWriter) {
        var windows: [Int: [UInt8]] = [:]
        for type in Set(value) {
            let window = Int(type.rawValue >> 8)
            let bit = Int(type.rawValue & 0xFF)
            var map = windows[window] ?? []
            if map.count <= bit / 8 { map += [UInt8](repeating: 0, count: bit / 8 + 1 - map.count) }
            map[bit / 8] |= 0x80 >> UInt8(bit % 8)
            windows[window] = map
        }
        for window in windows.keys.sorted() {
            let map = windows[window]!
            writer.writeUInt8(UInt8(window))
            writer.writeUInt8(UInt8(map.count))
            writer.writeBytes(map)
        }
    }

    public func text(_ value: [RecordType]) -> String { value.map(\.description).joined(separator: " ") }

    public func parse(_ scanner: inout TextScanner) throws -> [RecordType] {
        try Set(
            scanner.rest().map { token in
                guard let type = RecordType(mnemonic: token.text) else { throw TextFormatError(.unknownType, token.text) }
                return type
            }
        ).sorted()
    }
}

/// A bit map without windows: bit N of the octets (most significant bit first) says N is a
/// member. The WKS port map and the NXT type map; written as short as its highest member allows.
enum FlatBitmap {
    static func members(_ octets: [UInt8]) -> [Int] {
        var members: [Int] = []
        for (index, octet) in octets.enumerated() where octet != 0 {
            for bit in 0..<8 where octet & (0x80 >> bit) != 0 { members.append(index * 8 + bit) }
        }
        return members
    }

    static func octets(_ members: [Int]) -> [UInt8] {
        guard let highest = members.max() else { return [] }
        var map = [UInt8](repeating: 0, count: highest / 8 + 1)
        for member in members { map[member / 8] |= 0x80 >> UInt8(member % 8) }
        return map
    }
}

/// The NXT type bit map (RFC 2535 §5.2): types 1–127 in at most 16 octets, printed as
/// mnemonics (a bare number for a type without one, as BIND prints it). Type 0 and trailing
/// zero octets are refused, as BIND refuses them.
public struct NXTBitmapCodec: FieldCodec {
    public func read(_ reader: inout WireReader) throws -> [RecordType] {
        let start = reader.position
        let octets = reader.readRemainder()
        guard octets.count <= 16, (octets.first ?? 0) & 0x80 == 0, octets.last != 0 else {
            throw WireFormatError(.invalidField, offset: start, detail: "bad NXT type bit map")
        }
        return FlatBitmap.members(octets).map { RecordType(UInt16($0)) }
    }

    public func write(_ value: [RecordType], to writer: inout WireWriter) {
        writer.writeBytes(FlatBitmap.octets(value.map { Int($0.rawValue) }))
    }

    public func text(_ value: [RecordType]) -> String { value.map(\.mnemonicOrNumber).joined(separator: " ") }

    public func parse(_ scanner: inout TextScanner) throws -> [RecordType] {
        try Set(
            scanner.rest().map { token in
                guard let type = RecordType(mnemonicOrNumber: token.text) else { throw TextFormatError(.unknownType, token.text) }
                guard (1...127).contains(type.rawValue) else { throw TextFormatError(.badValue, "NXT covers types 1-127 only") }
                return type
            }
        ).sorted()
    }
}

/// The WKS protocol number; text may also name it (`tcp`, `udp`), dig prints the number.
public struct WKSProtocolCodec: FieldCodec {
    private static let names = ["tcp": UInt8(6), "udp": 17]
    private let number = UIntCodec<UInt8>()

    public func read(_ reader: inout WireReader) throws -> UInt8 { try number.read(&reader) }
    public func write(_ value: UInt8, to writer: inout WireWriter) { number.write(value, to: &writer) }
    public func text(_ value: UInt8) -> String { String(value) }
    public func parse(_ scanner: inout TextScanner) throws -> UInt8 {
        var probe = scanner
        if let value = Self.names[try probe.next(for: "protocol").text.lowercased()] {
            scanner = probe
            return value
        }
        return try number.parse(&scanner)
    }
}

/// The WKS port bit map (RFC 1035 §3.4.2), printed as the list of port numbers. Text may
/// name well-known services (`smtp`, `domain`, …) as BIND does through /etc/services.
public struct PortBitmapCodec: FieldCodec {
    public func read(_ reader: inout WireReader) throws -> [UInt16] {
        let start = reader.position
        let octets = reader.readRemainder()
        // 8192 octets hold ports 0–65535; BIND refuses longer maps too.
        guard octets.count <= 8192 else { throw WireFormatError(.invalidField, offset: start, detail: "WKS bit map over 8192 octets") }
        return FlatBitmap.members(octets).map(UInt16.init)
    }

    public func write(_ value: [UInt16], to writer: inout WireWriter) { writer.writeBytes(FlatBitmap.octets(value.map(Int.init))) }

    public func text(_ value: [UInt16]) -> String { value.map(String.init).joined(separator: " ") }

    public func parse(_ scanner: inout TextScanner) throws -> [UInt16] {
        try Set(
            scanner.rest().map { token in
                guard let port = UInt16(token.text) ?? Self.services[token.text.lowercased()] else {
                    throw TextFormatError(.badValue, "\(token.text) is not a port or known service")
                }
                return port
            }
        ).sorted()
    }

    /// Well-known service names (IANA service name registry) accepted in place of port numbers.
    private static let services: [String: UInt16] = [
        "echo": 7, "discard": 9, "daytime": 13, "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25,
        "time": 37, "domain": 53, "tftp": 69, "gopher": 70, "finger": 79, "http": 80, "kerberos": 88, "pop3": 110,
        "sunrpc": 111, "auth": 113, "nntp": 119, "ntp": 123, "imap": 143, "snmp": 161, "ldap": 389, "https": 443,
        "submissions": 465, "syslog": 514, "submission": 587, "ldaps": 636, "imaps": 993, "pop3s": 995,
    ]
}
