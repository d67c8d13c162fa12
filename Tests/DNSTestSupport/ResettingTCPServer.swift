// SPDX-License-Identifier: Apache-2.0
// A DNS-over-TCP server that resets its connections, for the hang a reset used to cause.

import Foundation
import Glibc
import Synchronization

/// A DNS-over-TCP server on 127.0.0.1 that resets connections: each accepted connection
/// (numbered from 1) either answers every query and then resets itself a moment later, or
/// is reset at once.
final class ResettingTCPServer: Sendable {
    enum Behaviour: Sendable { case answerThenReset, resetAtAccept }

    let port: UInt16
    private let listener: Int32
    private let running = Atomic<Bool>(true)
    private let finished = Atomic<Bool>(false)
    private let behaviour: @Sendable (Int) -> Behaviour
    let accepted = Atomic<Int>(0)

    init(_ behaviour: @escaping @Sendable (Int) -> Behaviour) throws {
        guard let (listener, port) = loopbackListener(backlog: 8) else { throw POSIXError(.EADDRINUSE) }
        self.listener = listener
        self.port = port
        self.behaviour = behaviour
        Thread.detachNewThread { [self] in self.serve() }
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        while !finished.load(ordering: .relaxed) { usleep(1000) }
        close(listener)
    }

    private func serve() {
        while running.load(ordering: .relaxed) {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 20) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            let number = accepted.add(1, ordering: .relaxed).newValue
            if behaviour(number) == .answerThenReset, let query = readFrame(client) {
                let reply = FakeServer.reply(to: query)
                let framed = [UInt8(reply.count >> 8), UInt8(reply.count & 0xFF)] + reply
                _ = send(client, framed, framed.count, Int32(MSG_NOSIGNAL))
                usleep(50_000)
            }
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(client)  // RST
        }
        finished.store(true, ordering: .relaxed)
    }

    private func readFrame(_ fd: Int32) -> [UInt8]? {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func read(_ count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let got = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, count - filled, 0) }
                guard got > 0 else { return nil }
                filled += got
            }
            return bytes
        }
        guard let header = read(2) else { return nil }
        return read(Int(header[0]) << 8 | Int(header[1]))
    }
}
