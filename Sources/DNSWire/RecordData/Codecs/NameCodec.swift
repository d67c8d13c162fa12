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
