// SPDX-License-Identifier: Apache-2.0
// A growable writer for DNS wire format, with optional name compression.

/// Writes DNS wire format into a growing byte array.
///
/// When created with compression enabled, ``writeName(_:compress:)`` replaces a
/// name's longest already-written suffix with a pointer (RFC 1035 §4.1.4). Only
/// offsets below 0x4000 are ever remembered, because a pointer holds 14 bits.
public struct WireWriter: Sendable {
    /// The octets written (always empty for a measuring writer).
    public private(set) var bytes: [UInt8]
    /// The number of octets written (or that would have been, for a measuring writer).
    public private(set) var count = 0
    private var compressor: NameCompressor?
    private let measuring: Bool

    /// - Parameters:
    ///   - compression: whether names written with `compress: true` may use pointers.
    ///   - capacity: the number of octets to reserve room for at the start.
    ///   - measuring: count octets without storing them (for predicting lengths).
    public init(compression: Bool = true, capacity: Int = 512, measuring: Bool = false) {
        bytes = []
        if !measuring { bytes.reserveCapacity(capacity) }
        compressor = compression ? NameCompressor() : nil
        self.measuring = measuring
    }

    public mutating func writeUInt8(_ value: UInt8) {
        count += 1
        if !measuring { bytes.append(value) }
    }

    public mutating func writeUInt16(_ value: UInt16) {
        count += 2
        guard !measuring else { return }
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func writeUInt32(_ value: UInt32) {
        writeUInt16(UInt16(truncatingIfNeeded: value >> 16))
        writeUInt16(UInt16(truncatingIfNeeded: value))
    }

    public mutating func writeBytes<C: Collection<UInt8>>(_ data: C) {
        count += data.count
        if !measuring { bytes.append(contentsOf: data) }
    }

    /// Writes `name`, compressed against earlier names when `compress` is true and the
    /// writer was created with compression. Every name written is remembered as a target.
    public mutating func writeName(_ name: DomainName, compress: Bool) {
        // The root (OPT's owner in every query) is one octet: a pointer would be longer.
        if name.isRoot { return writeUInt8(0) }
        guard compressor != nil else { return writeBytes(name.wire) }
        let (prefix, pointer) = compressor!.encode(name, at: count, compress: compress)
        writeBytes(name.wire[0..<prefix])
        if let pointer {
            writeUInt16(0xC000 | pointer)
        } else {
            writeBytes(name.wire[prefix...])
        }
    }

    /// Reserves a 16-bit length to be filled in later by ``backfillUInt16(at:)``.
    public mutating func reserveUInt16() -> Int {
        defer { writeUInt16(0) }
        return count
    }

    /// Fills a reserved 16-bit slot with the number of octets written after it.
    ///
    /// - Throws: ``WireFormatError/Code/tooLong`` when that exceeds 65535.
    public mutating func backfillUInt16(at offset: Int) throws {
        let length = count - offset - 2
        guard length <= 0xFFFF else { throw WireFormatError(.tooLong, offset: offset, detail: "RDATA of \(length) octets") }
        guard !measuring else { return }
        bytes[offset] = UInt8(length >> 8)
        bytes[offset + 1] = UInt8(length & 0xFF)
    }
}
