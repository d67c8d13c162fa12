// SPDX-License-Identifier: Apache-2.0
// Domain names inside RDATA.

/// A domain name field. Reading always decompresses (RFC 3597 §4); writing compresses
/// only when `compress` is set, which is right for the RFC 1035 types alone.
public struct NameCodec: FieldCodec {
    let compress: Bool

    public func read(_ reader: inout WireReader) throws -> DomainName { try reader.readName() }
    public func write(_ value: DomainName, to writer: inout WireWriter) { writer.writeName(value, compress: compress) }
    public func text(_ value: DomainName) -> String { value.description }
    public func fieldValue(_ value: DomainName) -> String { value.fieldValue }
    public func parse(_ scanner: inout TextScanner) throws -> DomainName {
        try DomainName(presentation: Array(try scanner.next(for: "domain name").raw))
    }
}

/// Uncompressed domain names filling the rest of the RDATA (HIP's rendezvous servers), possibly none.
/// The field value lists them without trailing dots, separated by spaces.
public struct NameListCodec: FieldCodec {
    private let name = NameCodec(compress: false)

    public func read(_ reader: inout WireReader) throws -> [DomainName] {
        var names: [DomainName] = []
        while reader.remaining > 0 { names.append(try name.read(&reader)) }
        return names
    }
    public func write(_ value: [DomainName], to writer: inout WireWriter) {
        for item in value { name.write(item, to: &writer) }
    }
    public func text(_ value: [DomainName]) -> String { value.map(name.text).joined(separator: " ") }
    public func fieldValue(_ value: [DomainName]) -> String { value.map(name.fieldValue).joined(separator: " ") }
    public func parse(_ scanner: inout TextScanner) throws -> [DomainName] {
        var names: [DomainName] = []
        while !scanner.isAtEnd() { names.append(try name.parse(&scanner)) }
        return names
    }
}
