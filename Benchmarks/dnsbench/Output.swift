// SPDX-License-Identifier: Apache-2.0
// Writing results without Foundation's FileHandle and String(format:), so dnsbench links
// no Foundation, as the libraries do not.

import Glibc

/// Writes `text` to standard error.
func printError(_ text: String) {
    writeAll(2, Array(text.utf8))
}

/// Writes all of `bytes` to descriptor `fd`, retrying partial writes.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// `value` with `digits` digits after the point, as printf's `%.Nf` writes it.
func fixed(_ value: Double, _ digits: Int = 0) -> String {
    var buffer = [CChar](repeating: 0, count: 400)
    _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(digits)f", $0) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `text` padded with spaces on the right to `width` characters, as printf's `%-Ns`.
func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}
