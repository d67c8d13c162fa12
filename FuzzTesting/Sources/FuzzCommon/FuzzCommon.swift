// Shared helpers for the DNSWire fuzz targets.

import DNSWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Stops with a message when `RecordData(type:presentation:)` threw for `text`, which the
/// library printed itself: every text the library prints must parse back.
public func reportUnparsableText(_ type: RecordType, _ text: String, _ error: any Error, context: String) -> Never {
    fatalError("text round trip: \(type) \(text.debugDescription) does not parse: \(error) [\(context)]")
}

/// A short stable description of an error: its type and code, without details.
public func errorCode(_ error: any Error) -> String {
    if let error = error as? TextFormatError { return "TextFormatError.\(error.code)" }
    if let error = error as? WireFormatError { return "WireFormatError.\(error.code)" }
    return "\(type(of: error))"
}

/// Upper-case hex of some octets, for failure messages.
public func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Writes a line to standard error.
public func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
}

/// Reads a fuzz input front to back: a few control octets, then the rest. Reading past
/// the end gives zeros (and empty slices), so every input is usable.
public struct FuzzInput {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - position }
    public var isEmpty: Bool { position >= bytes.count }

    /// The next octet, or 0 at the end.
    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// The next two octets, big-endian.
    public mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    /// Up to `count` octets.
    public mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        let end = position + min(max(count, 0), remaining)
        defer { position = end }
        return bytes[position..<end]
    }

    /// All that is left.
    public mutating func rest() -> ArraySlice<UInt8> { take(remaining) }
}

/// `octets` cut into pieces whose sizes cycle through `sizes`; a size of 0 means all that is
/// left. No sizes, or only zeros, give one piece. An empty input gives no pieces.
public func pieces(_ octets: ArraySlice<UInt8>, sizes: [UInt8]) -> [ArraySlice<UInt8>] {
    var result: [ArraySlice<UInt8>] = []
    var start = octets.startIndex
    var turn = 0
    while start < octets.endIndex {
        let size = sizes.isEmpty ? 0 : Int(sizes[turn % sizes.count])
        turn += 1
        let end = size == 0 ? octets.endIndex : min(start + size, octets.endIndex)
        result.append(octets[start..<end])
        start = end
    }
    return result
}

/// Whether FUZZ_TRACE is set: the transport targets then print what happens (for replaying
/// one input by hand, e.g. to see how far a seed gets).
public let fuzzTraceEnabled = getenv("FUZZ_TRACE") != nil

/// Writes `line` to standard error when FUZZ_TRACE is set.
public func trace(_ line: @autoclosure () -> String) {
    if fuzzTraceEnabled { printError(line()) }
}
