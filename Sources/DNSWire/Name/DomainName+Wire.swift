// SPDX-License-Identifier: Apache-2.0
// Reading domain names from wire format, with guarded decompression.

extension WireReader {
    /// Reads a possibly compressed domain name (RFC 1035 §4.1.4).
    ///
    /// Every compression pointer must point strictly before the start of the label run
    /// that contains it, which guarantees termination; the decompressed name may not
    /// exceed 255 octets. Pointers may reach before the current RDATA limit but never
    /// past the end of the message.
    ///
    /// - Throws: ``WireFormatError`` `.truncated`, `.badLabelType`, `.badPointer`, `.nameTooLong`.
    public mutating func readName() throws -> DomainName {
        let start = position
        var pointerTarget: Int? = nil
        if start + 1 < limit, bytes[start] & 0xC0 == 0xC0 {
            let target = Int(bytes[start] & 0x3F) << 8 | Int(bytes[start + 1])
            if target < start, let cached = pointerNames.first(where: { $0.target == target }) {
                seek(to: start + 2)
                return cached.name
            }
            pointerTarget = target
        }
        let (name, next) = try bytes.withUnsafeBufferPointer { buffer in
            try Self.decodeName(buffer, at: start, limit: limit)
        }
        if let pointerTarget, pointerNames.count < 16 {
            if pointerNames.isEmpty { pointerNames.reserveCapacity(16) }
            pointerNames.append((pointerTarget, name))
        }
        seek(to: next)
        return name
    }

    /// Decodes the name at `start`; returns it and the offset just after it (after the first pointer).
    private static func decodeName(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, limit: Int
    ) throws -> (DomainName, Int) {
        var wire: [UInt8] = []
        wire.reserveCapacity(32)
        var cursor = start
        var runStart = start
        var end: Int? = nil
        var readLimit = limit
        while true {
            guard cursor < readLimit else { throw WireFormatError(.truncated, offset: cursor) }
            let length = Int(bytes[cursor])
            switch length & 0xC0 {
            case 0x00:
                guard wire.count + length + 1 <= DomainName.maxWireLength else {
                    throw WireFormatError(.nameTooLong, offset: cursor)
                }
                if length == 0 {
                    wire.append(0)
                    return (DomainName(uncheckedWire: wire), end ?? cursor + 1)
                }
                guard cursor + 1 + length <= readLimit else { throw WireFormatError(.truncated, offset: cursor) }
                wire.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor...cursor + length]))
                cursor += length + 1
            case 0xC0:
                guard cursor + 1 < readLimit else { throw WireFormatError(.truncated, offset: cursor) }
                let target = (length & 0x3F) << 8 | Int(bytes[cursor + 1])
                guard target < runStart else {
                    throw WireFormatError(.badPointer, offset: cursor, detail: "pointer to \(target) is not backwards")
                }
                if end == nil { end = cursor + 2 }
                // A pointer may leave the RDATA being read, but not the message.
                readLimit = bytes.count
                cursor = target
                runStart = target
            default:
                throw WireFormatError(.badLabelType, offset: cursor, detail: "label type \(length >> 6)")
            }
        }
    }
}
