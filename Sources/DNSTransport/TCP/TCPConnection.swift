// SPDX-License-Identifier: Apache-2.0
// One TCP connection to a server, shared by many queries (RFC 7766).

internal import Glibc

/// A TCP connection carrying length-prefixed DNS messages (RFC 1035 §4.2.2), several in
/// flight at once with answers matched by message ID in any order (RFC 7766 §6.2.1).
///
/// The connection opens on first use, closes after ``idleTimeout`` without outstanding
/// queries, and reports its death with the IDs that were still waiting.
final class TCPConnection {
    let server: SocketAddress
    private let loop: PollLoop
    private let options: SocketOptions
    private let idleTimeout: Duration
    private var socket: Socket?
    private var connected = false
    private var outgoing: [UInt8] = []
    private var incoming: [UInt8] = []
    private var idleTimer: PollLoop.TimerID?
    /// Whether a flush is already queued for the loop's next turn.
    private var flushQueued = false
    /// Message IDs written or queued and not yet answered.
    private(set) var waiting: Set<UInt16> = []

    /// A whole message for `id` arrived.
    var onMessage: (UInt16, [UInt8]) -> Void = { _, _ in }
    /// When octets last arrived (for inactivity deadlines).
    private(set) var lastActivity: ContinuousClock.Instant?
    /// The connection died; the IDs were waiting on it.
    var onFailure: (TransportError, Set<UInt16>) -> Void = { _, _ in }
    /// Log lines, built only when the receiver evaluates them.
    var onLog: (() -> String) -> Void = { _ in }

    init(server: SocketAddress, loop: PollLoop, options: SocketOptions, idleTimeout: Duration) {
        self.server = server
        self.loop = loop
        self.options = options
        self.idleTimeout = idleTimeout
    }

    /// Queues a message; opens the connection if needed. Messages queued in one turn of the
    /// loop go out in one write, just before the loop waits.
    func send(id: UInt16, wire: [UInt8]) throws {
        if socket == nil { try open() }
        if let idleTimer { loop.cancelTimer(idleTimer) }
        idleTimer = nil
        waiting.insert(id)
        outgoing.append(UInt8(wire.count >> 8))
        outgoing.append(UInt8(wire.count & 0xFF))
        outgoing.append(contentsOf: wire)
        guard connected, !flushQueued else { return }
        flushQueued = true
        loop.beforeNextWait { [weak self] in
            self?.flushQueued = false
            self?.flush()
        }
    }

    /// Stops waiting for `id` (answered elsewhere, cancelled or timed out).
    func forget(_ id: UInt16) {
        waiting.remove(id)
        scheduleIdleCloseIfUnused()
    }

    func close() {
        if let socket { loop.unregister(socket.fd) }
        if let idleTimer { loop.cancelTimer(idleTimer) }
        socket = nil
        connected = false
        idleTimer = nil
        outgoing.removeAll()
        incoming.removeAll()
    }

    private func open() throws {
        let socket = try Socket(family: server.family, type: Int32(SOCK_STREAM.rawValue), options: options)
        connected = try socket.connect(to: server)
        self.socket = socket
        onLog { "TCP connection to \(self.server)\(self.connected ? " open" : " opening")" }
        loop.register(socket.fd, interest: connected ? .readable : .writable) { [unowned self] events in
            self.handle(events)
        }
    }

    private func handle(_ events: IOEvents) {
        guard let socket else { return }
        if !connected {
            let error = socket.pendingError()
            guard error == 0 else { return fail(.system("connect \(server)", errno: error)) }
            connected = true
            onLog { "TCP connection to \(server) open" }
        }
        if events.contains(.readable) || events.contains(.failure) { readAvailable() }
        if self.socket != nil { flush() }
    }

    private func flush() {
        guard let socket else { return }
        while !outgoing.isEmpty {
            do {
                guard let sent = try socket.send(outgoing[...]) else { break }
                outgoing.removeFirst(sent)
            } catch let error as TransportError {
                return fail(error)
            } catch {
                return
            }
        }
        loop.setInterest(socket.fd, outgoing.isEmpty ? .readable : [.readable, .writable])
    }

    private func readAvailable() {
        guard let socket else { return }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let received: (count: Int, from: SocketAddress?)?
            do { received = try socket.receive(into: &buffer) } catch let error as TransportError { return fail(error) } catch { return }
            guard let received else { break }
            if received.count == 0 {
                let detail = incoming.isEmpty ? "server closed the connection" : "server closed the connection mid-message"
                return fail(TransportError(.connectionClosed, detail))
            }
            incoming.append(contentsOf: buffer[0..<received.count])
            lastActivity = .now
            deliverMessages()
            guard self.socket != nil else { return }
        }
    }

    private func deliverMessages() {
        var start = 0
        while incoming.count - start >= 2 {
            let length = Int(incoming[start]) << 8 | Int(incoming[start + 1])
            guard incoming.count - start - 2 >= length else { break }
            let message = Array(incoming[start + 2..<start + 2 + length])
            start += 2 + length
            guard message.count >= 2 else {
                return fail(TransportError(.malformedResponse, "TCP message of \(message.count) octets"))
            }
            let id = UInt16(message[0]) << 8 | UInt16(message[1])
            guard waiting.remove(id) != nil else {
                onLog { "ignored TCP message with unexpected ID \(id)" }
                continue
            }
            onMessage(id, message)
            guard socket != nil else { return }
        }
        incoming.removeFirst(start)
        scheduleIdleCloseIfUnused()
    }

    private func scheduleIdleCloseIfUnused() {
        guard socket != nil, waiting.isEmpty, idleTimer == nil else { return }
        idleTimer = loop.schedule(at: .now + idleTimeout) { [unowned self] in
            self.idleTimer = nil
            self.onLog { "closing idle TCP connection to \(self.server)" }
            self.close()
        }
    }

    private func fail(_ error: TransportError) {
        let lost = waiting
        waiting.removeAll()
        onLog { "TCP connection to \(server) failed: \(error.detail)" }
        close()
        onFailure(error, lost)
    }
}
