// SPDX-License-Identifier: Apache-2.0
// Loopback ports this process holds without serving them, so no other test can take them.

import Foundation
import Glibc

/// A port on 127.0.0.1 held for as long as the value lives. With `refusing` (the default)
/// it refuses what arrives: its UDP socket is connected elsewhere, so the kernel answers
/// datagrams with ICMP port unreachable, and its TCP socket is bound but not listening, so
/// connections are reset. With `shared`, both sockets allow SO_REUSEPORT, so a client that
/// sets it too (the component's `ShareLocalPort`) may bind the port as well.
final class ReservedPort {
    let port: UInt16
    private let udp: Int32
    private let tcp: Int32

    init(shared: Bool = false) throws {
        for _ in 0..<50 {
            guard let (udp, port) = Self.bind(Int32(SOCK_DGRAM.rawValue), port: 0, shared: shared) else { continue }
            guard let (tcp, _) = Self.bind(Int32(SOCK_STREAM.rawValue), port: port, shared: shared) else {
                close(udp)
                continue
            }
            if !shared {
                var elsewhere = Self.loopback(port: 9)
                _ = withUnsafePointer(to: &elsewhere) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(udp, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
            (self.udp, self.tcp, self.port) = (udp, tcp, port)
            return
        }
        throw POSIXError(.EADDRINUSE)
    }

    deinit {
        close(udp)
        close(tcp)
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return address
    }

    private static func bind(_ type: Int32, port: UInt16, shared: Bool) -> (Int32, UInt16)? {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { return nil }
        if shared {
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = loopback(port: port)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            return nil
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}
