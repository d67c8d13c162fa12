// SPDX-License-Identifier: Apache-2.0
// Remembers where name suffixes were written, to emit compression pointers.

/// Maps the lower-cased wire form of every written name suffix to its offset.
struct NameCompressor: Sendable {
    private var offsets: [[UInt8]: UInt16] = [:]

    mutating func write(_ name: DomainName, into bytes: inout [UInt8], compress: Bool) {
        let wire = name.wire
        var labelStart = 0
        // Walk the suffixes longest first; stop at the root (wire[labelStart] == 0).
        while wire[labelStart] != 0 {
            let suffix = DomainName.lowercased(wire[labelStart...])
            if compress, let target = offsets[suffix] {
                bytes.append(contentsOf: wire[0..<labelStart])
                bytes.append(0xC0 | UInt8(target >> 8))
                bytes.append(UInt8(target & 0xFF))
                remember(wire, upTo: labelStart, startingAt: bytes.count - labelStart - 2)
                return
            }
            labelStart += Int(wire[labelStart]) + 1
        }
        let start = bytes.count
        bytes.append(contentsOf: wire)
        remember(wire, upTo: wire.count - 1, startingAt: start)
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
