// SPDX-License-Identifier: Apache-2.0
// A scriptable in-process DNS server on 127.0.0.1 for the fault matrix: UDP, TCP, DNS over TLS,
// and DNS over HTTPS over HTTP/2 and HTTP/1.1, one thread per connection with blocking
// primitives, so that each misbehaviour reads top to bottom.

import CDNSOpenSSL
import DNSWire
import Foundation
import Glibc
import Synchronization

/// A server on a kernel-chosen loopback port (UDP and TCP on the same number) whose every
/// TCP connection and UDP datagram is handed to a script on a thread of its own.
///
/// Whatever a script leaves open waits until ``behave()`` and is then served properly, as is
/// every later connection and datagram: the query after the fault must work.
final class FaultServer: Sendable {
    /// What the TCP side speaks. UDP datagrams are always plain DNS; with `.udp` the TCP
    /// side speaks `.tcp` (the fallback after a truncated answer).
    enum Kind: String, Sendable {
        /// DNS over UDP.
        case udp
        /// DNS messages with two-octet length prefixes (RFC 1035 §4.2.2).
        case tcp
        /// The same inside TLS (RFC 7858).
        case tls
        /// DNS over HTTPS, HTTP/2 inside TLS with ALPN "h2" (frames written by hand).
        case http2
        /// DNS over HTTPS, HTTP/1.1 inside TLS with ALPN "http/1.1", keep-alive.
        case http1
    }

    typealias Script = @Sendable (Connection) -> Void

    let kind: Kind
    let port: UInt16
    /// What the server did, one line per step, with milliseconds since it started.
    let transcript = Transcript()
    private let udp: Int32
    private let listener: Int32
    private let context: TLSServerContext?
    private let script: Script
    private let running = Atomic<Bool>(true)
    private let behaving = Atomic<Bool>(false)
    private let threads = Atomic<Int>(0)
    private let sockets = Atomic<Int>(0)
    private let connections = Atomic<Int>(0)
    private let started = ContinuousClock.now

    /// - Parameters: certificate, key: PEM files, for `.tls`, `.http2` and `.http1`.
    init(_ kind: Kind, certificate: String = "", key: String = "", script: @escaping Script) throws {
        self.kind = kind
        self.script = script
        context = [.tls, .http2, .http1].contains(kind) ? try TLSServerContext(certificate: certificate, key: key, kind: kind) : nil
        // The UDP socket picks a free port; TCP on the same number may be taken: try again.
        var pair: (udp: Int32, tcp: Int32, port: UInt16)?
        for _ in 0..<50 where pair == nil { pair = loopbackUDPAndTCP() }
        guard let (udp, listener, port) = pair else { throw POSIXError(.EADDRINUSE) }
        (self.udp, self.listener, self.port) = (udp, listener, port)
        spawn { [self] in self.serve() }
    }

    /// From now on every connection and datagram is answered properly, and so is the rest of
    /// every open connection (a dribble sends the rest at once; loops of junk end).
    func behave() {
        note("-", "behave")
        behaving.store(true, ordering: .sequentiallyConsistent)
    }

    /// Ends every thread, closing every socket; true when none was left over.
    @discardableResult
    func stop() -> Bool {
        guard running.exchange(false, ordering: .sequentiallyConsistent) else { return true }
        let limit = ContinuousClock.now + .seconds(5)
        while threads.load(ordering: .sequentiallyConsistent) > 0, ContinuousClock.now < limit { usleep(1_000) }
        close(udp)
        close(listener)
        let clean = threads.load(ordering: .sequentiallyConsistent) == 0 && sockets.load(ordering: .sequentiallyConsistent) == 0
        if clean { context?.free() }  // a thread still running might use it
        return clean
    }

    fileprivate var isRunning: Bool { running.load(ordering: .relaxed) }
    fileprivate var isBehaving: Bool { behaving.load(ordering: .relaxed) }

    fileprivate func note(_ who: String, _ line: String) {
        let milliseconds = Int(started.duration(to: .now) / .milliseconds(1))
        transcript.append("+\(milliseconds)ms \(who): \(line)")
    }

    fileprivate func socketClosed() { sockets.subtract(1, ordering: .sequentiallyConsistent) }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.add(1, ordering: .sequentiallyConsistent)
        Thread.detachNewThread { [self] in
            body()
            threads.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// The accepting thread: each connection and each datagram gets a thread of its own.
    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while isRunning {
            var fds = [pollfd(fd: udp, events: Int16(POLLIN), revents: 0), pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, 20) > 0 else { continue }
            if fds[0].revents != 0 {
                var peer = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = withUnsafeMutablePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(udp, &buffer, buffer.count, 0, $0, &length) }
                }
                if count > 0 {
                    let number = connections.add(1, ordering: .relaxed).newValue
                    let datagram = Array(buffer[0..<count])
                    let (address, size) = (peer, length)
                    spawn { [self] in
                        let connection = Connection(server: self, number: number, datagram: datagram, to: address, length: size)
                        if isBehaving { connection.serveProperly() } else { script(connection) }
                    }
                }
            }
            if fds[1].revents != 0 {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { continue }
                _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
                // Every send goes out at once (no Nagle delay waiting for the client's delayed ACK).
                var one: Int32 = 1
                setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                sockets.add(1, ordering: .sequentiallyConsistent)
                let number = connections.add(1, ordering: .relaxed).newValue
                let transport = kind == .udp ? Kind.tcp : kind
                spawn { [self] in self.run(Connection(server: self, number: number, fd: client, transport: transport, tls: context)) }
            }
        }
    }

    /// A connection's thread: the script, then (if it left the connection open) proper answers
    /// once the server behaves.
    private func run(_ connection: Connection) {
        connection.note("accepted")
        if !isBehaving {
            script(connection)
            while connection.isOpen, isRunning, !isBehaving { usleep(5_000) }
        }
        if connection.isOpen, isBehaving { connection.serveProperly() }
        connection.release()
    }

    // MARK: HTTP/2 frames

    /// HTTP/2 frame types (RFC 9113 §6).
    enum FrameType: UInt8 {
        case data = 0
        case headers = 1
        case rstStream = 3
        case settings = 4
        case ping = 6
        case goaway = 7
    }

    /// One HTTP/2 frame: the 9-octet header and `payload`.
    static func frame(_ type: FrameType, flags: UInt8 = 0, stream: UInt32 = 0, _ payload: [UInt8] = []) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type.rawValue, flags]
            + [UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
    }

    private static let clientPreface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    // MARK: Connections

    /// One TCP connection, or one UDP datagram, as its script sees it. Every call blocks until
    /// done (or the server stops); a call on a closed connection does nothing. Used by one thread.
    final class Connection {
        /// What this connection speaks (`.udp` for a datagram).
        let transport: Kind
        private let server: FaultServer
        private let name: String
        private var fd: Int32
        /// A datagram's query and where it came from.
        private var datagram: [UInt8]?
        private var peer = sockaddr_storage()
        private var peerLength = socklen_t(0)
        /// TLS over memory BIOs, so that every octet goes through `rawSend` and `rawReceive`.
        private var ssl: OpaquePointer?
        private var readBIO: OpaquePointer?
        private var writeBIO: OpaquePointer?
        private var handshakeResult: Bool?
        /// Octets received (decrypted) and not yet consumed.
        private var inbox: [UInt8] = []
        private var http2Started = false
        private var bodies: [UInt32: [UInt8]] = [:]
        /// HTTP/2: the stream of the last request read; answers go on it.
        private(set) var stream: UInt32 = 0

        fileprivate init(server: FaultServer, number: Int, fd: Int32, transport: Kind, tls: TLSServerContext?) {
            self.server = server
            self.fd = fd
            self.transport = transport
            name = "c\(number)"
            if let tls, let ssl = SSL_new(tls.context), let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) {
                SSL_set_bio(ssl, readBIO, writeBIO)  // the SSL owns both
                SSL_set_accept_state(ssl)
                (self.ssl, self.readBIO, self.writeBIO) = (ssl, readBIO, writeBIO)
            }
        }

        fileprivate init(server: FaultServer, number: Int, datagram: [UInt8], to peer: sockaddr_storage, length: socklen_t) {
            self.server = server
            fd = -1
            transport = .udp
            name = "d\(number)"
            self.datagram = datagram
            self.peer = peer
            peerLength = length
        }

        /// Whether the connection is still open (a datagram never is).
        var isOpen: Bool { fd >= 0 }
        /// Whether ``FaultServer/behave()`` was called.
        var behaving: Bool { server.isBehaving }

        fileprivate func note(_ line: String) { server.note(name, line) }

        // MARK: Reading

        /// TLS only: completes the handshake (also done by the first read or send).
        /// - Returns: whether it succeeded (true without TLS).
        @discardableResult
        func handshake() -> Bool {
            guard let ssl else { return isOpen }
            if let handshakeResult { return handshakeResult }
            let done = tlsCall { SSL_accept(ssl) } != nil
            handshakeResult = done
            note(done ? "TLS handshake done, ALPN \(alpn ?? "none")" : "TLS handshake failed")
            return done
        }

        /// The next DNS query: a datagram's; a length-prefixed message (TCP, TLS); the body
        /// of the next complete HTTP/2 request, after the connection preface (SETTINGS sent
        /// first; SETTINGS acknowledged, PINGs answered, other frames skipped); the body of
        /// the next HTTP/1.1 request (by Content-Length). Nil when the client closed.
        func readQuery() -> [UInt8]? {
            let query: [UInt8]?
            switch transport {
            case .udp:
                query = datagram
                datagram = nil
            case .tcp, .tls:
                query = take(2).flatMap { take(Int($0[0]) << 8 | Int($0[1])) }
            case .http2:
                query = readHTTP2Request()
            case .http1:
                query = readHTTP1Request()
            }
            note(query.map { "read a query (\($0.count) octets\(transport == .http2 ? ", stream \(stream)" : ""))" } ?? "read no query")
            return query
        }

        private func readHTTP2Request() -> [UInt8]? {
            if !http2Started {
                http2Started = true
                guard send(FaultServer.frame(.settings)), take(24) == FaultServer.clientPreface else { return nil }
            }
            while let header = take(9) {
                let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
                let (type, flags) = (header[3], header[4])
                let id = UInt32(header[5] & 0x7F) << 24 | UInt32(header[6]) << 16 | UInt32(header[7]) << 8 | UInt32(header[8])
                guard let payload = take(length) else { return nil }
                switch FrameType(rawValue: type) {
                case .headers:
                    bodies[id] = bodies[id] ?? []
                case .data:
                    let padding = flags & 0x8 != 0 ? Int(payload.first ?? 0) + 1 : 0
                    bodies[id, default: []] += payload.dropFirst(min(1, padding)).dropLast(max(0, padding - 1))
                case .rstStream:
                    bodies[id] = nil
                case .settings where flags & 0x1 == 0:
                    send(FaultServer.frame(.settings, flags: 0x1))
                case .ping where flags & 0x1 == 0:
                    send(FaultServer.frame(.ping, flags: 0x1, payload))
                default:
                    break
                }
                if flags & 0x1 != 0, type == FrameType.data.rawValue || type == FrameType.headers.rawValue, let body = bodies[id] {
                    bodies[id] = nil
                    stream = id
                    return body
                }
            }
            return nil
        }

        private func readHTTP1Request() -> [UInt8]? {
            let blankLine = Array("\r\n\r\n".utf8)
            var headEnd = 0
            while true {
                if headEnd + 4 <= inbox.count {
                    if inbox[headEnd..<headEnd + 4].elementsEqual(blankLine) { break }
                    headEnd += 1
                } else {
                    guard let more = receive() else { return nil }
                    inbox += more
                }
            }
            let head = String(decoding: inbox[..<headEnd], as: UTF8.self)
            inbox.removeFirst(headEnd + 4)
            let length = head.components(separatedBy: "\r\n").lazy.compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first
            return take(length ?? 0)
        }

        /// `count` octets from the stream (decrypted under TLS), or nil when it ended first.
        private func take(_ count: Int) -> [UInt8]? {
            while inbox.count < count {
                guard let more = receive() else { return nil }
                inbox += more
            }
            defer { inbox.removeFirst(count) }
            return Array(inbox.prefix(count))
        }

        /// What arrives next (decrypted under TLS), or nil when the stream ended.
        private func receive() -> [UInt8]? {
            guard let ssl else { return rawReceive() }
            guard handshake() else { return nil }
            var buffer = [UInt8](repeating: 0, count: 16_384)
            guard let count = tlsCall({ SSL_read(ssl, &buffer, Int32(buffer.count)) }) else { return nil }
            return Array(buffer[0..<Int(count)])
        }

        // MARK: Answers

        /// A proper answer to `query` (``FakeServer/reply(to:id:question:rcode:truncated:)``:
        /// A 192.0.2.99), with another ID or the TC bit set if asked.
        func answer(to query: [UInt8], id: UInt16? = nil, truncated: Bool = false) -> [UInt8] {
            FakeServer.reply(to: query, id: id, truncated: truncated)
        }

        /// `message` as this transport sends it: as it is (UDP); with its length prefix (TCP,
        /// TLS); as the HTTP/2 response on ``stream`` (HEADERS ":status 200" and content-type,
        /// then DATA with END_STREAM); as an HTTP/1.1 200 response with Content-Length.
        func encoded(_ message: [UInt8]) -> [UInt8] {
            switch transport {
            case .udp:
                return message
            case .tcp, .tls:
                return [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
            case .http2:
                return http2ResponseHeaders() + FaultServer.frame(.data, flags: 0x1, stream: stream, message)
            case .http1:
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/dns-message\r\ncontent-length: \(message.count)\r\n\r\n"
                return Array(head.utf8) + message
            }
        }

        /// The HEADERS frame (END_HEADERS) of a 200 response on ``stream``: HPACK 0x88 is
        /// ":status 200", 0x0f 0x10 a literal without indexing of static name 31, content-type.
        func http2ResponseHeaders() -> [UInt8] {
            let type = Array("application/dns-message".utf8)
            return FaultServer.frame(.headers, flags: 0x4, stream: stream, [0x88, 0x0F, 0x10, UInt8(type.count)] + type)
        }

        /// Sends the encoded proper answer to `query`.
        @discardableResult
        func reply(to query: [UInt8]) -> Bool { send(encoded(answer(to: query))) }

        /// Answers every query properly until the client closes.
        fileprivate func serveProperly() {
            note("serving properly")
            while let query = readQuery(), reply(to: query) {}
        }

        // MARK: Writing

        /// Sends `octets`: through TLS when the connection has it (the handshake first, if not
        /// done yet), as a datagram to the query's source for UDP. False when it failed.
        @discardableResult
        func send(_ octets: some Collection<UInt8>) -> Bool { transmit(Array(octets), raw: false) }

        /// Sends `octets` straight to the socket, bypassing TLS (a datagram for UDP).
        @discardableResult
        func sendRaw(_ octets: some Collection<UInt8>) -> Bool { transmit(Array(octets), raw: true) }

        /// Sends `octets` one at a time, `interval` seconds apart; once the server behaves, the
        /// rest at once (so that the stream stays in step).
        func dribble(_ octets: [UInt8], every interval: Double) {
            note("dribbling \(octets.count) octets, one every \(interval) s")
            for index in octets.indices {
                if behaving {
                    transmit(Array(octets[index...]), raw: false)
                    return
                }
                guard transmit([octets[index]], raw: false, quiet: true) else { return }
                sleep(interval)
            }
            note("dribbled all")
        }

        @discardableResult
        private func transmit(_ octets: [UInt8], raw: Bool, quiet: Bool = false) -> Bool {
            if ssl != nil, !raw, !handshake() { return false }
            if !quiet {
                let how = transport == .udp ? " in a datagram" : ssl == nil ? "" : raw ? " bypassing TLS" : " through TLS"
                note("send \(octets.count) octets\(octets.count <= 16 ? " (\(hexString(octets)))" : "")\(how)")
            }
            if transport == .udp {
                let sent = withUnsafePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(server.udp, octets, octets.count, 0, $0, peerLength) }
                }
                return sent == octets.count
            }
            guard let ssl, !raw else { return rawSend(octets) }
            return octets.isEmpty || octets.withUnsafeBytes { bytes in tlsCall { SSL_write(ssl, bytes.baseAddress, Int32(bytes.count)) } } != nil
        }

        /// Calls `body` every `interval` seconds until the server behaves or stops, or `body`
        /// returns false (a send failed).
        func repeatUntilBehaving(every interval: Double, _ body: () -> Bool) {
            while server.isRunning, !behaving, body() { sleep(interval) }
        }

        /// Reads queries until the client closes: `fault` gets each while the server
        /// misbehaves, and once it behaves they are answered properly.
        func eachQuery(_ fault: ([UInt8]) -> Void) {
            while let query = readQuery() {
                if behaving { reply(to: query) } else { fault(query) }
            }
        }

        /// Sleeps (ends early when the server stops).
        func sleep(_ seconds: Double) {
            let until = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while server.isRunning, ContinuousClock.now < until { usleep(2_000) }
        }

        // MARK: Ending

        /// Closes with a FIN (over TLS without close_notify): nothing more goes out, and what
        /// the client still sends is read and dropped until it closes too (at most 2 s), so
        /// that the kernel sends no RST for unread data.
        func close() {
            guard isOpen else { return }
            note("close (FIN)")
            shutdown(fd, Int32(SHUT_WR))
            let until = ContinuousClock.now + .seconds(2)
            while rawReceive(until: until) != nil {}
            release()
        }

        /// Resets: SO_LINGER {1, 0}, then close, so the kernel sends RST.
        func reset() {
            guard isOpen else { return }
            note("reset (RST)")
            var option = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<Glibc.linger>.size))
            release()
        }

        /// TLS only: sends close_notify (SSL_shutdown); the TCP connection stays open.
        func closeNotify() {
            guard let ssl, isOpen, handshake() else { return }
            note("TLS close_notify")
            _ = tlsCall { SSL_shutdown(ssl) >= 0 ? 1 : -1 }
        }

        /// Closes the socket and frees TLS.
        fileprivate func release() {
            if let ssl { SSL_free(ssl) }
            ssl = nil
            guard isOpen else { return }
            Glibc.close(fd)
            fd = -1
            server.socketClosed()
            note("closed")
        }

        // MARK: Socket and TLS

        /// Runs an OpenSSL call, moving ciphertext between the memory BIOs and the socket,
        /// until it succeeds (its result) or fails (nil).
        private func tlsCall(_ call: () -> Int32) -> Int32? {
            guard let ssl else { return nil }
            while isOpen {
                ERR_clear_error()
                let result = call()
                let error = SSL_get_error(ssl, result)
                guard flushTLS() else { return nil }
                if result > 0 { return result }
                guard error == SSL_ERROR_WANT_READ, let more = rawReceive() else { return nil }
                _ = more.withUnsafeBytes { BIO_write(readBIO, $0.baseAddress, Int32($0.count)) }
            }
            return nil
        }

        /// Writes the ciphertext OpenSSL produced to the socket.
        private func flushTLS() -> Bool {
            let pending = Int(BIO_ctrl_pending(writeBIO))
            guard pending > 0 else { return true }
            var octets = [UInt8](repeating: 0, count: pending)
            let count = BIO_read(writeBIO, &octets, Int32(pending))
            return rawSend(Array(octets.prefix(Int(max(count, 0)))))
        }

        private var alpn: String? {
            var data: UnsafePointer<UInt8>?
            var length: UInt32 = 0
            SSL_get0_alpn_selected(ssl, &data, &length)
            guard let data, length > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
        }

        /// What the socket has (waiting for it), or nil at its end, on an error, at `deadline`
        /// or when the server stops.
        private func rawReceive(until deadline: ContinuousClock.Instant? = nil) -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while isOpen {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count > 0 { return Array(buffer[0..<count]) }
                guard count < 0, errno == EAGAIN || errno == EINTR, wait(for: POLLIN, until: deadline) else { return nil }
            }
            return nil
        }

        /// Writes all of `octets` to the socket (waiting while it is full); false when it failed.
        private func rawSend(_ octets: [UInt8]) -> Bool {
            var offset = 0
            while offset < octets.count, isOpen {
                let sent = octets[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent > 0 {
                    offset += sent
                } else if sent < 0, errno == EAGAIN || errno == EINTR, wait(for: POLLOUT) {
                    continue
                } else {
                    note("send failed: \(String(cString: strerror(errno)))")
                    return false
                }
            }
            return offset == octets.count
        }

        /// Waits for the socket to be ready (or fail); false at `deadline` or when the server stops.
        private func wait(for events: Int32, until deadline: ContinuousClock.Instant? = nil) -> Bool {
            while server.isRunning {
                if let deadline, ContinuousClock.now >= deadline { return false }
                var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
                if poll(&entry, 1, 20) != 0 { return true }
            }
            return false
        }
    }
}

/// The server's SSL_CTX with the testbed certificate; for HTTPS it selects the ALPN protocol.
private final class TLSServerContext: @unchecked Sendable {
    let context: OpaquePointer

    init(certificate: String, key: String, kind: FaultServer.Kind) throws {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw POSIXError(.EINVAL) }
        guard SSL_CTX_use_certificate_chain_file(context, certificate) == 1,
            SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1
        else {
            SSL_CTX_free(context)
            throw POSIXError(.EINVAL)
        }
        // The callback's argument says which protocol to pick: 2 "h2", 1 "http/1.1".
        if kind == .http2 || kind == .http1 {
            SSL_CTX_set_alpn_select_cb(context, selectProtocol, UnsafeMutableRawPointer(bitPattern: kind == .http2 ? 2 : 1))
        }
        self.context = context
    }

    func free() { SSL_CTX_free(context) }
}

/// ALPN: picks "h2" or "http/1.1" (by `argument`) from the client's list, or no protocol.
private func selectProtocol(
    _ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, _ outLength: UnsafeMutablePointer<UInt8>?,
    _ offered: UnsafePointer<UInt8>?, _ offeredLength: UInt32, _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    let wanted = Array((Int(bitPattern: argument) == 2 ? "h2" : "http/1.1").utf8)
    guard let offered else { return SSL_TLSEXT_ERR_NOACK }
    var index = 0
    while index < Int(offeredLength) {
        let length = Int(offered[index])
        if index + length < Int(offeredLength), UnsafeBufferPointer(start: offered + index + 1, count: length).elementsEqual(wanted) {
            out?.pointee = offered + index + 1
            outLength?.pointee = UInt8(length)
            return SSL_TLSEXT_ERR_OK
        }
        index += 1 + length
    }
    return SSL_TLSEXT_ERR_NOACK
}

/// The server's log lines, appended from its threads. A pthread mutex (NSLock), which
/// ThreadSanitizer understands, rather than `Synchronization.Mutex`.
final class Transcript: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
