// SPDX-License-Identifier: Apache-2.0
// A socket whose set-up fails closes its descriptor once: a second close would close whatever
// another thread opened in between under the same number.

import Glibc
import Synchronization
import Testing

@testable import DNSTransport

struct SocketLifetimeTests {
    private final class Shared: Sendable {
        let stop = Atomic<Bool>(false)
        let lost = Atomic<Int>(0)
    }

    @Test func aSocketWhoseBindFailsClosesItsDescriptorOnce() throws {
        // A port held by a listener, so binding it again fails with EADDRINUSE.
        let holder = try Socket(family: AF_INET, type: Int32(SOCK_STREAM.rawValue), options: SocketOptions())
        var options = SocketOptions()
        options.localHost = "127.0.0.1"
        let loopback = try #require(SocketAddress(address: "127.0.0.1", port: 0))
        #expect(loopback.withSockAddr { bind(holder.fd, $0, $1) } == 0)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder.fd, $0, &length) } }
        options.localPort = UInt16(bigEndian: bound.sin_port)

        // Another thread opens and checks pipes all the while: a stray close of a number it
        // holds shows as EBADF.
        let shared = Shared()
        let victim = try startThread(name: "fd victim", detached: false) {
            while !shared.stop.load(ordering: .acquiring) {
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { continue }
                for _ in 0..<20 where fcntl(fds[0], F_GETFD) == -1 || fcntl(fds[1], F_GETFD) == -1 {
                    shared.lost.add(1, ordering: .relaxed)
                    break
                }
                close(fds[0])
                close(fds[1])
            }
        }
        for _ in 0..<20_000 {
            #expect(throws: TransportError.self) { try Socket(family: AF_INET, type: Int32(SOCK_STREAM.rawValue), options: options) }
        }
        shared.stop.store(true, ordering: .releasing)
        pthread_join(pthread_t(victim), nil)
        #expect(shared.lost.load(ordering: .relaxed) == 0)
    }
}
