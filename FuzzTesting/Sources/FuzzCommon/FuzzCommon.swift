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
