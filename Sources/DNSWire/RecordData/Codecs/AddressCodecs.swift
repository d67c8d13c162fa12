// SPDX-License-Identifier: Apache-2.0
// IPv4, IPv6 and EUI-48/64 addresses.

public struct IPv4Codec: FieldCodec {
    public func read(_ reader: inout WireReader) throws -> IPv4Address { IPv4Address(rawValue: try reader.readUInt32()) }
    public func write(_ value: IPv4Address, to writer: inout WireWriter) { writer.writeUInt32(value.rawValue) }
    public func text(_ value: IPv4Address) -> String { value.description }
    public func parse(_ scanner: inout TextScanner) throws -> IPv4Address {
        let token = try scanner.next(for: "IPv4 address").text
        guard let address = IPv4Address(token) else { throw TextFormatError(.badValue, "\(token) is not an IPv4 address") }
        return address
    }
}

public struct IPv6Codec: FieldCodec {
    public func read(_ reader: inout WireReader) throws -> IPv6Address {
        try reader.need(16)
        return IPv6Address(high: try reader.readUInt64(), low: try reader.readUInt64())
    }
    public func write(_ value: IPv6Address, to writer: inout WireWriter) { writer.writeBytes(value.bytes) }
    public func text(_ value: IPv6Address) -> String { value.description }
    public func parse(_ scanner: inout TextScanner) throws -> IPv6Address {
        let token = try scanner.next(for: "IPv6 address").text
        guard let address = IPv6Address(token) else { throw TextFormatError(.badValue, "\(token) is not an IPv6 address") }
        return address
    }
}

/// An EUI-48 or EUI-64 address (RFC 7043), printed as dash-separated lower-case hex pairs.
public struct EUICodec: FieldCodec {
    let octets: Int

    public func read(_ reader: inout WireReader) throws -> [UInt8] { try reader.readBytes(octets) }
    public func write(_ value: [UInt8], to writer: inout WireWriter) { writer.writeBytes(value) }
    public func text(_ value: [UInt8]) -> String {
        value.map { BaseEncoding.hex.encode([$0]).lowercased() }.joined(separator: "-")
    }
    public func parse(_ scanner: inout TextScanner) throws -> [UInt8] {
        let token = try scanner.next(for: "EUI address").text
        let parts = token.split(separator: "-", omittingEmptySubsequences: false)
        let bytes = parts.compactMap { $0.count == 2 ? BaseEncoding.hex.decode($0)?.first : nil }
        guard parts.count == octets, bytes.count == octets else {
            throw TextFormatError(.badValue, "\(token) is not an EUI-\(octets * 8) address")
        }
        return bytes
    }
}

/// A 64-bit ILNP node identifier or locator (RFC 6742 §2.1, §2.3), printed as four
/// colon-separated groups of 1–4 lower-case hex digits (`14:4fff:ff20:ee64`).
public struct ILNP64Codec: FieldCodec {
    public func read(_ reader: inout WireReader) throws -> UInt64 { try UIntCodec<UInt64>().read(&reader) }
    public func write(_ value: UInt64, to writer: inout WireWriter) { UIntCodec<UInt64>().write(value, to: &writer) }
    public func text(_ value: UInt64) -> String {
        stride(from: 48, through: 0, by: -16).map { String(UInt16(truncatingIfNeeded: value >> UInt64($0)), radix: 16) }
            .joined(separator: ":")
    }
    public func parse(_ scanner: inout TextScanner) throws -> UInt64 {
        let token = try scanner.next(for: "ILNP locator").text
        let groups = token.split(separator: ":", omittingEmptySubsequences: false)
        let values = groups.compactMap { group in
            (1...4).contains(group.count) && group.allSatisfy(\.isHexDigit) ? UInt64(group, radix: 16) : nil
        }
        guard groups.count == 4, values.count == 4 else { throw TextFormatError(.badValue, "\(token) is not a 64-bit locator") }
        return values.reduce(0) { $0 << 16 | $1 }
    }
}
