// SPDX-License-Identifier: Apache-2.0
// A loopback DNS relay in front of a real server, which a test makes pass, drop, delay or fail at will.

import DNSTransport
import DNSWire
import Foundation
import Glibc
import Synchronization

/// A UDP and TCP relay on one loopback port (the kernel picks it) in front of a real DNS
/// server: each query is forwarded to the upstream server and its answer returned, unless the
/// test switches ``mode`` (at any time, from any thread) to drop queries, hold answers back, or
/// answer SERVFAIL itself. For failover tests: a relay in front of each server, one of them failing.
///
/// ```swift
/// let relay = try ControlledRelay(upstreamHost: "127.0.0.1", upstreamPort: UInt16(try Testbed.port()))
/// defer { relay.stop() }
/// let server = ServerEndpoint(host: relay.address, port: relay.port)
/// relay.mode = .drop                        // the server is down: no answer at all
/// // … query it …
/// #expect(relay.queriesReceived == 1)
/// relay.mode = .delay(.milliseconds(300))   // slow: every answer 300 ms late
/// relay.mode = .servfail                    // broken: SERVFAIL without asking upstream
/// ```
///
/// Every UDP datagram and every TCP message is handled on a thread of its own, with the mode
/// it found on arrival, so a held answer holds up nothing else. UDP queries go upstream over
/// UDP, each TCP message over a TCP connection of its own (one answer message per query: an
/// AXFR gets only its first message); TCP answers go back as they are ready, perhaps out of
/// order. When the upstream server does not answer within `upstreamTimeout`, neither does
/// the relay. ``stop()`` (or deinit) closes every socket and ends every thread.
final class ControlledRelay: Sendable {
    enum Mode: Sendable, Equatable {
        /// Forward each query; return the answer unchanged.
        case pass
        /// Swallow each query: no answer (over TCP, connections are accepted and read, never answered).
        case drop
        /// Forward each query; hold its answer this long before returning it.
        case delay(Duration)
        /// Forward each query; hold its answer until the mode is something else, then return it
        /// (or, when that is `.drop`, none). For tests that must act while a query is outstanding
        /// however slowly the machine runs.
        case hold
        /// Forward nothing; answer SERVFAIL: the query's ID, opcode, RD, CD and question section,
        /// with QR, RA and RCODE 2, and no records (no OPT either). A query whose header or question
        /// section is malformed gets no answer.
        case servfail
        /// Forward each query; in an answer whose first answer record is an A record, flip the
        /// last octet of its address (signed data forged on the way; other answers pass).
        case flipAddressOctet
    }

    /// The relay's address (as given: `127.0.0.1` or `::1`) and its port, the same for UDP and TCP.
    let address: String
    let port: UInt16
    private let core: RelayCore

    /// What the relay does with the queries that arrive from now on.
    var mode: Mode {
        get { core.mode.withLock { $0 } }
        set { core.mode.withLock { $0 = newValue } }
    }

    /// The queries received so far, over UDP and TCP, in any mode (each TCP message counts).
    var queriesReceived: Int { core.arrivals.withLock { $0.count } }

    /// When each of those queries arrived, in order.
    var arrivals: [ContinuousClock.Instant] { core.arrivals.withLock { $0 } }

    /// - Parameters:
    ///   - upstreamHost: the server's address (or a name getaddrinfo knows); upstreamPort its port.
    ///   - address: a literal address to listen on, `127.0.0.1` or `::1`.
    ///   - upstreamTimeout: how long to wait for the server's answer to one query.
    init(
        upstreamHost: String, upstreamPort: UInt16, address: String = "127.0.0.1", mode: Mode = .pass,
        upstreamTimeout: Duration = .seconds(4)
    ) throws {
        guard let upstream = RawSocketAddress(host: upstreamHost, port: upstreamPort, numeric: false) else {
            throw POSIXError(.EADDRNOTAVAIL)
        }
        guard let local = RawSocketAddress(host: address, port: 0, numeric: true) else { throw POSIXError(.EINVAL) }
        // UDP picks a free port; TCP on the same number may be taken: try again with another.
        var sockets: (udp: Int32, tcp: Int32, port: UInt16)?
        for _ in 0..<50 where sockets == nil { sockets = Self.bindUDPAndTCP(local) }
        guard let (udp, listener, port) = sockets else { throw POSIXError(.EADDRINUSE) }
        self.address = address
        self.port = port
        core = RelayCore(udp: udp, listener: listener, upstream: upstream, upstreamTimeout: upstreamTimeout, mode: mode)
        core.start()
    }

    deinit { _ = core.stop() }

    /// Closes every socket and ends every thread (waiting up to 5 s for them; each notices within
    /// about 20 ms). Calling it again does nothing.
    /// - Returns: whether every thread had ended.
    @discardableResult
    func stop() -> Bool { core.stop() }

    /// A UDP socket at `local` (port 0: a free one) and a listening TCP socket at the same port.
    private static func bindUDPAndTCP(_ local: RawSocketAddress) -> (Int32, Int32, UInt16)? {
        let udp = socket(local.family, Int32(SOCK_DGRAM.rawValue), 0)
        guard udp >= 0 else { return nil }
        guard local.withSockAddr({ bind(udp, $0, $1) }) == 0, let bound = RawSocketAddress(localOf: udp) else {
            close(udp)
            return nil
        }
        let tcp = socket(local.family, Int32(SOCK_STREAM.rawValue), 0)
        guard tcp >= 0 else {
            close(udp)
            return nil
        }
        var one: Int32 = 1
        setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bound.withSockAddr({ bind(tcp, $0, $1) }) == 0, listen(tcp, 64) == 0 else {
            close(udp)
            close(tcp)
            return nil
        }
        for fd in [udp, tcp] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        return (udp, tcp, bound.port)
    }

    /// The SERVFAIL reply to `query` described at ``Mode/servfail``; nil when its header or
    /// question section is malformed. The question section is copied octet for octet (so the
    /// name's case, and any compression pointer, stay as they were).
    static func servfail(to query: [UInt8]) -> [UInt8]? {
        guard query.count >= 12 else { return nil }
        var end = 12
        for _ in 0..<(Int(query[4]) << 8 | Int(query[5])) {
            while true {
                guard end < query.count else { return nil }
                let length = Int(query[end])
                if length == 0 {
                    end += 1
                    break
                }
                if length & 0xC0 == 0xC0 {
                    end += 2
                    break
                }
                guard length & 0xC0 == 0 else { return nil }
                end += 1 + length
            }
            end += 4  // QTYPE, QCLASS
        }
        guard end <= query.count else { return nil }
        let flags: [UInt8] = [0x80 | query[2] & 0x79, 0x80 | query[3] & 0x10 | 2]  // QR opcode RD; RA CD RCODE
        return [query[0], query[1]] + flags + [query[4], query[5], 0, 0, 0, 0, 0, 0] + query[12..<end]
    }
}

/// The sockets and threads behind a ``ControlledRelay``; the threads hold this, not the relay,
/// so that the relay's deinit can stop them.
private final class RelayCore: Sendable {
    let mode: Locked<ControlledRelay.Mode>
    let arrivals = Locked<[ContinuousClock.Instant]>([])
    private let udp: Int32
    private let listener: Int32
    private let upstream: RawSocketAddress
    private let upstreamTimeout: Duration
    private let running = Atomic<Bool>(true)
    private let threads = Atomic<Int>(0)

    init(udp: Int32, listener: Int32, upstream: RawSocketAddress, upstreamTimeout: Duration, mode: ControlledRelay.Mode) {
        (self.udp, self.listener, self.upstream, self.upstreamTimeout) = (udp, listener, upstream, upstreamTimeout)
        self.mode = Locked(mode)
    }

    func start() { spawn { self.serve() } }

    func stop() -> Bool {
        guard running.exchange(false, ordering: .sequentiallyConsistent) else { return true }
        let limit = ContinuousClock.now + .seconds(5)
        while threads.load(ordering: .sequentiallyConsistent) > 0, ContinuousClock.now < limit { usleep(1_000) }
        close(udp)
        close(listener)
        return threads.load(ordering: .sequentiallyConsistent) == 0
    }

    private var isRunning: Bool { running.load(ordering: .relaxed) }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        threads.add(1, ordering: .sequentiallyConsistent)
        Thread.detachNewThread {
            body()
            self.threads.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// Counts a query that arrived; the mode it is to be handled in (read before counting, so
    /// that a test that sees the count and then switches the mode does not change this query's).
    private func arrived() -> ControlledRelay.Mode {
        let mode = mode.withLock { $0 }
        arrivals.withLock { $0.append(.now) }
        return mode
    }

    /// The listening thread: each datagram and each TCP connection gets a thread of its own.
    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while isRunning {
            var fds = [pollfd(fd: udp, events: Int16(POLLIN), revents: 0), pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, 20) > 0 else { continue }
            if fds[0].revents != 0 {
                var peer = RawSocketAddress()
                let count = withUnsafeMutablePointer(to: &peer.storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(udp, &buffer, buffer.count, 0, $0, &peer.length) }
                }
                if count >= 0 {
                    let (query, mode, client) = (Array(buffer[0..<count]), arrived(), peer)
                    if mode != .drop {
                        spawn {
                            guard let answer = self.answer(query, mode: mode, overTCP: false) else { return }
                            _ = client.withSockAddr { sendto(self.udp, answer, answer.count, 0, $0, $1) }
                        }
                    }
                }
            }
            if fds[1].revents != 0 {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { continue }
                _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
                var one: Int32 = 1
                setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                spawn { self.serveConnection(client) }
            }
        }
    }

    /// A TCP connection's thread: reads length-prefixed queries until the client closes (or
    /// the relay stops), each handled on a thread of its own; closes once all are done.
    private func serveConnection(_ fd: Int32) {
        let writing = Locked(fd)  // one answer at a time on the connection
        let pending = Locked<Int>(0)
        var inbox: [UInt8] = []
        while let more = receive(fd, until: nil) {
            inbox += more
            while inbox.count >= 2, inbox.count >= 2 + (Int(inbox[0]) << 8 | Int(inbox[1])) {
                let length = Int(inbox[0]) << 8 | Int(inbox[1])
                let query = Array(inbox[2..<2 + length])
                inbox.removeFirst(2 + length)
                let mode = arrived()
                guard mode != .drop else { continue }
                pending.withLock { $0 += 1 }
                spawn {
                    if let answer = self.answer(query, mode: mode, overTCP: true) {
                        writing.withLock { _ = self.sendAll($0, Self.framed(answer), until: nil) }
                    }
                    pending.withLock { $0 -= 1 }
                }
            }
        }
        // The query threads end at their upstream timeout, or within 20 ms of stop().
        while pending.withLock({ $0 }) > 0 { usleep(1_000) }
        close(fd)
    }

    /// The answer to return for `query` in `mode` (nil: none).
    private func answer(_ query: [UInt8], mode: ControlledRelay.Mode, overTCP: Bool) -> [UInt8]? {
        switch mode {
        case .drop:
            return nil
        case .servfail:
            return ControlledRelay.servfail(to: query)
        case .pass:
            return overTCP ? askTCP(query) : askUDP(query)
        case .flipAddressOctet:
            guard let answer = overTCP ? askTCP(query) : askUDP(query) else { return nil }
            guard var message = try? DNSMessage(wire: answer), let first = message.answers.first, first.type == .a,
                var address = first.data.as(RecordData.A.self)
            else { return answer }
            address.address.rawValue ^= 0x01
            message.answers[0].data = (try? RecordData(type: .a, address)) ?? first.data
            return (try? message.serialize()) ?? answer
        case .delay(let duration):
            guard let answer = overTCP ? askTCP(query) : askUDP(query) else { return nil }
            let until = ContinuousClock.now + duration
            while isRunning, ContinuousClock.now < until { usleep(1_000) }
            return isRunning ? answer : nil
        case .hold:
            guard let answer = overTCP ? askTCP(query) : askUDP(query) else { return nil }
            while isRunning, self.mode.withLock({ $0 }) == .hold { usleep(1_000) }
            return isRunning && self.mode.withLock({ $0 }) != .drop ? answer : nil
        }
    }

    /// Sends `query` upstream from a socket of its own; the first datagram that comes back.
    private func askUDP(_ query: [UInt8]) -> [UInt8]? {
        let fd = socket(upstream.family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        guard upstream.withSockAddr({ connect(fd, $0, $1) }) == 0, send(fd, query, query.count, 0) == query.count else { return nil }
        return receive(fd, until: ContinuousClock.now + upstreamTimeout)
    }

    /// Sends `query` upstream on a TCP connection of its own; the first message that comes back.
    private func askTCP(_ query: [UInt8]) -> [UInt8]? {
        let fd = socket(upstream.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let deadline = ContinuousClock.now + upstreamTimeout
        if upstream.withSockAddr({ connect(fd, $0, $1) }) != 0 {
            guard errno == EINPROGRESS, wait(fd, for: POLLOUT, until: deadline) else { return nil }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0, error == 0 else { return nil }
        }
        guard sendAll(fd, Self.framed(query), until: deadline) else { return nil }
        var inbox: [UInt8] = []
        while inbox.count < 2 || inbox.count < 2 + (Int(inbox[0]) << 8 | Int(inbox[1])) {
            guard let more = receive(fd, until: deadline) else { return nil }
            inbox += more
        }
        return Array(inbox[2..<2 + (Int(inbox[0]) << 8 | Int(inbox[1]))])
    }

    private static func framed(_ message: [UInt8]) -> [UInt8] { [UInt8(message.count >> 8 & 0xFF), UInt8(message.count & 0xFF)] + message }

    /// What the (non-blocking) socket has next, waiting for it; nil at the end of the stream,
    /// on an error, at `deadline` or when the relay stops.
    private func receive(_ fd: Int32, until deadline: ContinuousClock.Instant?) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { return Array(buffer[0..<count]) }
            guard count < 0, errno == EAGAIN || errno == EINTR, wait(fd, for: POLLIN, until: deadline) else { return nil }
        }
    }

    /// Writes all of `octets` to the (non-blocking) socket; false when that failed, at
    /// `deadline` or when the relay stops.
    private func sendAll(_ fd: Int32, _ octets: [UInt8], until deadline: ContinuousClock.Instant?) -> Bool {
        var offset = 0
        while offset < octets.count {
            let sent = octets[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EINTR, wait(fd, for: POLLOUT, until: deadline) {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// Waits for the socket to be ready (or fail); false at `deadline` or when the relay stops.
    private func wait(_ fd: Int32, for events: Int32, until deadline: ContinuousClock.Instant?) -> Bool {
        while isRunning {
            if let deadline, ContinuousClock.now >= deadline { return false }
            var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
            if poll(&entry, 1, 20) != 0 { return true }
        }
        return false
    }
}

/// An IPv4 or IPv6 `sockaddr` as the relay's sockets (and tests' raw clients) use it.
struct RawSocketAddress: Sendable {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)

    init() {}

    /// The first address getaddrinfo gives for `host` (only a literal when `numeric`), at `port`.
    init?(host: String, port: UInt16, numeric: Bool) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_flags = numeric ? AI_NUMERICHOST : 0
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list, let address = first.pointee.ai_addr else { return nil }
        defer { freeaddrinfo(list) }
        length = first.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(length))) }
        self.port = port
    }

    /// The address a socket is bound to.
    init?(localOf fd: Int32) {
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
    }

    var family: Int32 { Int32(storage.ss_family) }

    /// `sin_port` and `sin6_port` are both the two octets after the family.
    var port: UInt16 {
        get { withUnsafeBytes(of: storage) { UInt16($0[2]) << 8 | UInt16($0[3]) } }
        set {
            withUnsafeMutableBytes(of: &storage) {
                $0[2] = UInt8(newValue >> 8)
                $0[3] = UInt8(newValue & 0xFF)
            }
        }
    }

    func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }
}
