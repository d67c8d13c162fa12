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
        // Where the name starts: here, or at the target of a lone pointer.
        var origin = start
        if start + 1 < limit, bytes[start] & 0xC0 == 0xC0 {
            let target = Int(bytes[start] & 0x3F) << 8 | Int(bytes[start + 1])
            // A name decoded at `target` reads the same whatever limit it was read under.
            if target < start, let cached = decodedName(at: target) {
                seek(to: start + 2)
                return cached
            }
            origin = target
        }
        let (name, next) = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DomainName.maxWireLength) { wire in
            let (count, next) = try bytes.withUnsafeBufferPointer { buffer in
                try Self.decodeName(buffer, at: start, limit: limit, into: wire)
            }
            return (sharedName(wire: UnsafeBufferPointer(rebasing: wire[..<count])), next)
        }
        // The root (OPT's owner, usually) has nothing to share.
        if !name.isRoot { remember(name, at: origin) }
        seek(to: next)
        return name
    }

    /// Keeps a decoded name for the names after it, while there is room.
    private mutating func remember(_ name: DomainName, at origin: Int) {
        if firstDecodedName == nil {
            firstDecodedName = (origin, name)
        } else if secondDecodedName == nil {
            secondDecodedName = (origin, name)
        } else if thirdDecodedName == nil {
            thirdDecodedName = (origin, name)
        } else if decodedNames.count < 13 {
            if decodedNames.isEmpty { decodedNames.reserveCapacity(13) }
            decodedNames.append((origin, name))
        }
    }

    /// The first kept name, in the order they were decoded, for which `matches` holds.
    private func keptName(where matches: (_ offset: Int, _ name: DomainName) -> Bool) -> DomainName? {
        if let (offset, name) = firstDecodedName, matches(offset, name) { return name }
        if let (offset, name) = secondDecodedName, matches(offset, name) { return name }
        if let (offset, name) = thirdDecodedName, matches(offset, name) { return name }
        return decodedNames.first { matches($0.offset, $0.name) }?.name
    }

    /// The name decoded before from `offset`, if it was kept.
    private func decodedName(at offset: Int) -> DomainName? {
        keptName { start, _ in start == offset }
    }

    /// The name with these wire octets, sharing the storage of an equal name already decoded
    /// (an RRSIG signer is usually the zone, spelled out again) or of the root.
    private func sharedName(wire: UnsafeBufferPointer<UInt8>) -> DomainName {
        if wire.count == 1 { return .root }
        let known = keptName { _, known in
            known.wire.count == wire.count && known.wire.withUnsafeBufferPointer { $0.elementsEqual(wire) }
        }
        return known ?? DomainName(uncheckedWire: Array(wire))
    }

    /// Decodes the name at `start` into `wire` (room for the longest name); returns its length in
    /// octets and the offset just after it in the message (after the first pointer).
    private static func decodeName(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, limit: Int, into wire: UnsafeMutableBufferPointer<UInt8>
    ) throws -> (Int, Int) {
        var count = 0
        var cursor = start
        var runStart = start
        var end: Int? = nil
        var readLimit = limit
        while true {
            guard cursor < readLimit else { throw WireFormatError(.truncated, offset: cursor) }
            let length = Int(bytes[cursor])
            switch length & 0xC0 {
            case 0x00:
                guard count + length + 1 <= DomainName.maxWireLength else {
                    throw WireFormatError(.nameTooLong, offset: cursor)
                }
                if length == 0 {
                    wire[count] = 0
                    return (count + 1, end ?? cursor + 1)
                }
                guard cursor + 1 + length <= readLimit else { throw WireFormatError(.truncated, offset: cursor) }
                let label = cursor..<cursor + 1 + length
                _ = UnsafeMutableBufferPointer(rebasing: wire[count..<count + label.count])
                    .initialize(fromContentsOf: UnsafeBufferPointer(rebasing: bytes[label]))
                count += label.count
                cursor = label.upperBound
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
