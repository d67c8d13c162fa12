// SPDX-License-Identifier: Apache-2.0
// A whole file read into memory, for the files the package reads (resolv.conf, key files,
// trust anchors, benchmark data), without Foundation.

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Why a file could not be read: the path and the system's reason, or that the octets are
/// not UTF-8 where text was asked for.
package struct FileReadError: Error, CustomStringConvertible {
    package let description: String
}

/// The octets of the file at `path`, whole, when there are at most `limit` of them (the
/// files read here are small; a device such as /dev/zero never ends).
package func readFile(_ path: String, limit: Int = 16 << 20) throws(FileReadError) -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw FileReadError(description: "\(path): \(String(cString: strerror(errno)))") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        guard bytes.count + count <= limit else { throw FileReadError(description: "\(path): more than \(limit) octets") }
        bytes.append(contentsOf: buffer[..<count])
        if count < buffer.count { break }
    }
    guard ferror(file) == 0 else { throw FileReadError(description: "\(path): read error") }
    return bytes
}

/// The file at `path`, whole, as UTF-8 text (at most `limit` octets).
package func readTextFile(_ path: String, limit: Int = 16 << 20) throws(FileReadError) -> String {
    guard let text = String(validating: try readFile(path, limit: limit), as: UTF8.self) else {
        throw FileReadError(description: "\(path): not UTF-8 text")
    }
    return text
}
