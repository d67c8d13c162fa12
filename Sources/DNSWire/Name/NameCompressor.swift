// SPDX-License-Identifier: Apache-2.0
// Remembers where name suffixes were written, to emit compression pointers.

/// Maps the lower-cased wire form of every written name suffix to its offset.
struct NameCompressor: Sendable {
    private var offsets: [[UInt8]: UInt16] = [:]

    /// Plans how to write `name` at `offset`: the first `prefix` octets of its wire form
    /// literally, then either a pointer to an earlier copy of the rest, or (nil) the rest
    /// itself. Remembers the suffixes this write creates.
    mutating func encode(_ name: DomainName, at offset: Int, compress: Bool) -> (prefix: Int, pointer: UInt16?) {
        let wire = name.wire
        var labelStart = 0
        // Walk the suffixes longest first; stop at the root (wire[labelStart] == 0).
        while wire[labelStart] != 0 {
            if compress, let target = offsets[DomainName.lowercased(wire[labelStart...])] {
                remember(wire, upTo: labelStart, startingAt: offset)
                return (labelStart, target)
            }
            labelStart += Int(wire[labelStart]) + 1
        }
        remember(wire, upTo: wire.count - 1, startingAt: offset)
        return (wire.count, nil)
    }

    /// Records the suffixes of `wire` that start before `end`, written at `start`.
    private mutating func remember(_ wire: [UInt8], upTo end: Int, startingAt start: Int) {
        var labelStart = 0
        while labelStart < end, start + labelStart < 0x4000 {
            let suffix = DomainName.lowercased(wire[labelStart...])
            if offsets[suffix] == nil { offsets[suffix] = UInt16(start + labelStart) }
            labelStart += Int(wire[labelStart]) + 1
        }
    }
}
