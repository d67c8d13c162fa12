// SPDX-License-Identifier: Apache-2.0
// Loopback sockets at free ports for the in-process fake servers: a TCP listener, and a UDP
// socket with a TCP listener on the same port number.

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

/// A UDP socket on a free loopback port and a listening TCP socket on the same port.
func loopbackUDPAndTCP() -> (Int32, Int32, UInt16)? {
    let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(udp, $0, length) == 0 && getsockname(udp, $0, &length) == 0 }
    }
    let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(tcp, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(tcp, 16) == 0 else {
        close(udp)
        close(tcp)
        return nil
    }
    return (udp, tcp, UInt16(bigEndian: address.sin_port))
}
