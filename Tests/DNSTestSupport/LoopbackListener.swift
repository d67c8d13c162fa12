// SPDX-License-Identifier: Apache-2.0
// A listening TCP socket on 127.0.0.1 at a free port, for the in-process fake servers.

import Glibc

/// Binds a TCP socket to 127.0.0.1 at a port the kernel picks and listens on it.
/// - Returns: the socket and its port, or nil (the socket is closed) when that fails.
func loopbackListener(backlog: Int32) -> (fd: Int32, port: UInt16)? {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
    }
    guard bound, listen(listener, backlog) == 0 else {
        close(listener)
        return nil
    }
    return (listener, UInt16(bigEndian: address.sin_port))
}
