// SPDX-License-Identifier: Apache-2.0
// A bounds-checked reader over a whole DNS message.

/// Reads DNS wire format from a whole message, with every read bounds-checked.
///
/// The reader keeps the entire message so compression pointers can reach earlier
/// octets, and a movable ``limit`` that confines reads to the current RDATA
/// (see ``withLimit(_:_:)``). A failed read throws ``WireFormatError`` and never traps.
public struct WireReader: Sendable {
    /// The whole message.
    public let bytes: [UInt8]
    /// The offset of the next octet to read.
    public private(set) var position: Int
    /// Reads stop here: the end of the message, or of the RDATA being read.
    public private(set) var limit: Int
    /// Names already decoded, by the offset where each starts, so a name that is a lone pointer
    /// to one of them (the usual `c0 0c` owner, or glue pointing at an NS target) shares its
    /// copy instead of being decoded again: the first three (in a typical answer, the
    /// question's, the zone's and its name server's) held apart, so such a message needs no
    /// list, then up to 13 more.
    var firstDecodedName: (offset: Int, name: DomainName)?
    var secondDecodedName: (offset: Int, name: DomainName)?
    var thirdDecodedName: (offset: Int, name: DomainName)?
    var decodedNames: [(offset: Int, name: DomainName)] = []

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 0
        self.limit = bytes.count
    }

    /// Octets left before ``limit``.
    public var remaining: Int { limit - position }

    @inline(__always)
    mutating func need(_ count: Int) throws {
        guard count <= limit - position else { throw WireFormatError(.truncated, offset: position) }
    }

    @inline(__always)
    public mutating func readUInt8() throws -> UInt8 {
        try need(1)
        defer { position += 1 }
        return bytes[position]
    }

    @inline(__always)
    public mutating func readUInt16() throws -> UInt16 { try readBigEndian() }

    @inline(__always)
    public mutating func readUInt32() throws -> UInt32 { try readBigEndian() }

    mutating func readUInt64() throws -> UInt64 { try readBigEndian() }

    /// Reads a big-endian integer with one bounds check: `need` keeps the read before ``limit``,
    /// and ``limit`` never passes the end of ``bytes``.
    @inline(__always)
    private mutating func readBigEndian<Value: FixedWidthInteger>() throws -> Value {
        let size = MemoryLayout<Value>.size
        try need(size)
        defer { position += size }
        return Value(bigEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: Value.self) })
    }

    /// Reads `count` octets.
    public mutating func readBytes(_ count: Int) throws -> [UInt8] {
        try need(count)
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Reads every octet up to ``limit``.
    public mutating func readRemainder() -> [UInt8] {
        defer { position = limit }
        return Array(bytes[position..<limit])
    }

    /// Runs `body` with reads confined to the next `length` octets, which it must consume exactly.
    ///
    /// - Throws: ``WireFormatError/Code/truncated`` if fewer than `length` octets remain,
    ///   ``WireFormatError/Code/trailingData`` if `body` leaves octets unread.
    @inline(__always)
    public mutating func withLimit<T>(_ length: Int, _ body: (inout WireReader) throws -> T) throws -> T {
        try need(length)
        let outer = limit
        let end = position + length
        limit = end
        defer { limit = outer }
        let result = try body(&self)
        guard position == end else {
            throw WireFormatError(.trailingData, offset: position, detail: "\(end - position) octets left in the RDATA")
        }
        return result
    }

    /// Moves the read position to `offset` (used to follow compression pointers).
    mutating func seek(to offset: Int) { position = offset }
}
