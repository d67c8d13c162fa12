// SPDX-License-Identifier: Apache-2.0
// An in-process DNS-over-TLS server on 127.0.0.1 that sees the plaintext queries and
// answers from a script: for padding checks and for servers that die mid-pipeline.

import CDNSOpenSSL
import Foundation
import Glibc
import Synchronization

final class FakeTLSServer: Sendable {
    let port: UInt16
    private let listener: Int32
    private let running = Atomic<Bool>(true)
    private let finished = Mutex<Bool>(false)
    /// Every query received (plaintext), in order, with the connection it came on.
    let received = Mutex<[(connection: Int, query: [UInt8])]>([])
    /// Replies to a query: the replies to send, then whether to close the connection.
    private let script: @Sendable (_ query: [UInt8], _ connection: Int, _ index: Int) -> (replies: [[UInt8]], close: Bool)

    /// - Parameters: certificate and key: PEM files (the testbed's server certificate).
    init(certificate: String, key: String, script: @escaping @Sendable ([UInt8], Int, Int) -> (replies: [[UInt8]], close: Bool)) throws {
        self.script = script
        guard let (listener, port) = loopbackListener(backlog: 8) else { throw POSIXError(.EADDRINUSE) }
        self.listener = listener
        self.port = port
        guard let context = SSL_CTX_new(TLS_server_method()),
            SSL_CTX_use_certificate_chain_file(context, certificate) == 1,
            SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1
        else { throw POSIXError(.EINVAL) }
        let box = UnsafeSendable(context)
        Thread.detachNewThread { [self] in self.serve(box.value) }
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        while !finished.withLock({ $0 }) { usleep(1000) }
        close(listener)
    }

    private func serve(_ context: OpaquePointer) {
        var connection = 0
        while running.load(ordering: .relaxed) {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 20) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0, let ssl = SSL_new(context) else { continue }
            connection += 1
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            SSL_set_fd(ssl, client)
            if SSL_accept(ssl) == 1 { converse(ssl, connection: connection) }
            SSL_free(ssl)
            close(client)
        }
        SSL_CTX_free(context)
        finished.withLock { $0 = true }
    }

    /// Reads framed queries and answers them until the script closes or the client leaves.
    private func converse(_ ssl: OpaquePointer, connection: Int) {
        var index = 0
        while running.load(ordering: .relaxed) {
            guard let header = read(ssl, 2) else { return }
            guard let query = read(ssl, Int(header[0]) << 8 | Int(header[1])) else { return }
            received.withLock { $0.append((connection, query)) }
            let (replies, shouldClose) = script(query, connection, index)
            index += 1
            for reply in replies {
                let framed = [UInt8(reply.count >> 8), UInt8(reply.count & 0xFF)] + reply
                _ = framed.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            }
            if shouldClose { return }
        }
    }

    private func read(_ ssl: OpaquePointer, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress! + filled, Int32(count - filled)) }
            guard got > 0 else { return nil }
            filled += Int(got)
        }
        return bytes
    }
}

/// Carries a C handle to the server thread.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
