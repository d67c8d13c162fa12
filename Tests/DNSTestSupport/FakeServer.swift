// SPDX-License-Identifier: Apache-2.0
// An in-process DNS server on 127.0.0.1 for misbehaviour a real server will not produce.

import DNSTransport
import DNSWire
import Foundation
import Glibc
import Synchronization

/// A UDP and TCP server on one loopback port whose replies come from a script.
final class FakeServer: Sendable {
    enum Transport: Sendable { case udp, tcp }

    enum Reply: Sendable {
        /// Send these octets back (over TCP, framed).
        case send([UInt8])
        /// UDP: send from a different socket (so a different source port).
        case sendFromOtherPort([UInt8])
        /// TCP: send part of a framed reply, then close the connection.
        case sendPartialThenClose([UInt8])
        /// TCP: close the connection.
        case close
    }

    let port: UInt16
    private let udp: Int32
    private let tcp: Int32
    private let running = Atomic<Bool>(true)
    private let script: @Sendable ([UInt8], Transport) -> [Reply]
    /// Sent to each TCP client as soon as it connects, before the connection is closed
    /// (a server that does not speak the client's protocol).
    private let tcpGreeting: [UInt8]?
    /// Every query received, in order.
    let received = Locked<[(Transport, [UInt8])]>([])
    /// The source port of every UDP query, in order.
    let udpSourcePorts = Locked<[UInt16]>([])
    private let finished = Locked<Bool>(false)

    init(tcpGreeting: [UInt8]? = nil, script: @escaping @Sendable ([UInt8], Transport) -> [Reply]) throws {
        self.script = script
        self.tcpGreeting = tcpGreeting
        // The UDP socket picks a free port; TCP on the same number may be taken: try again.
        var sockets: (udp: Int32, tcp: Int32, port: UInt16)? = nil
        for _ in 0..<50 where sockets == nil { sockets = loopbackUDPAndTCP() }
        guard let (udp, tcp, port) = sockets else { throw POSIXError(.EADDRINUSE) }
        self.udp = udp
        self.tcp = tcp
        self.port = port
        Thread.detachNewThread { [self] in self.serve() }
    }

    /// Stops the server thread and closes its sockets.
    func stop() {
        running.store(false, ordering: .relaxed)
        while !finished.withLock({ $0 }) { usleep(1000) }
        close(udp)
        close(tcp)
    }

    private func serve() {
        var clients: [Int32: [UInt8]] = [:]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while running.load(ordering: .relaxed) {
            var fds = [pollfd(fd: udp, events: Int16(POLLIN), revents: 0), pollfd(fd: tcp, events: Int16(POLLIN), revents: 0)]
            fds += clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), 20) > 0 else { continue }
            if fds[0].revents != 0 {
                var peer = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = withUnsafeMutablePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(udp, &buffer, buffer.count, 0, $0, &length) }
                }
                if count > 0 { answerUDP(Array(buffer[0..<count]), peer: peer, length: length) }
            }
            if fds[1].revents != 0 {
                let client = accept(tcp, nil, nil)
                if client >= 0, let tcpGreeting {
                    _ = send(client, tcpGreeting, tcpGreeting.count, Int32(MSG_NOSIGNAL))
                    close(client)
                } else if client >= 0 {
                    clients[client] = []
                }
            }
            for entry in fds.dropFirst(2) where entry.revents != 0 {
                let count = recv(entry.fd, &buffer, buffer.count, 0)
                guard count > 0 else {
                    close(entry.fd)
                    clients[entry.fd] = nil
                    continue
                }
                clients[entry.fd, default: []] += buffer[0..<count]
                while let pending = clients[entry.fd], pending.count >= 2 {
                    let length = Int(pending[0]) << 8 | Int(pending[1])
                    guard pending.count >= 2 + length else { break }
                    clients[entry.fd] = Array(pending[(2 + length)...])
                    if !answerTCP(Array(pending[2..<2 + length]), client: entry.fd) {
                        close(entry.fd)
                        clients[entry.fd] = nil
                        break
                    }
                }
            }
        }
        for client in clients.keys { close(client) }
        finished.withLock { $0 = true }
    }

    private func answerUDP(_ query: [UInt8], peer: sockaddr_storage, length: socklen_t) {
        received.withLock { $0.append((.udp, query)) }
        var peer = peer
        let port = withUnsafePointer(to: &peer) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) } }
        udpSourcePorts.withLock { $0.append(port) }
        for reply in script(query, .udp) {
            switch reply {
            case .send(let bytes):
                _ = withUnsafePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(udp, bytes, bytes.count, 0, $0, length) }
                }
            case .sendFromOtherPort(let bytes):
                let other = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
                _ = withUnsafePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(other, bytes, bytes.count, 0, $0, length) }
                }
                close(other)
            case .sendPartialThenClose, .close:
                break
            }
        }
    }

    /// Returns false when the connection should close.
    private func answerTCP(_ query: [UInt8], client: Int32) -> Bool {
        received.withLock { $0.append((.tcp, query)) }
        for reply in script(query, .tcp) {
            switch reply {
            case .send(let bytes), .sendFromOtherPort(let bytes):
                let framed = [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
                _ = send(client, framed, framed.count, Int32(MSG_NOSIGNAL))
            case .sendPartialThenClose(let bytes):
                let framed = [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
                _ = send(client, framed, framed.count / 2, Int32(MSG_NOSIGNAL))
                return false
            case .close:
                return false
            }
        }
        return true
    }

    // MARK: Building replies

    /// A reply to `query`: same ID and question (unless overridden), QR and AA set, with
    /// one A record 192.0.2.99 for the question name unless `rcode` is not NOERROR.
    static func reply(
        to query: [UInt8], id: UInt16? = nil, question: DNSQuestion? = nil, rcode: ResponseCode = .noError,
        truncated: Bool = false
    ) -> [UInt8] {
        guard var message = try? DNSMessage(wire: query) else { return [] }
        let asked = message.questions.first
        message.header.flags = [.qr, .aa, .rd]
        if truncated { message.header.flags.insert(.tc) }
        if let id { message.id = id }
        if let question { message.questions = [question] }
        message.responseCode = rcode
        if rcode == .noError, !truncated, let asked {
            message.answers = [
                DNSRecord(name: asked.name, ttl: 60, data: try! RecordData(type: .a, RecordData.A(address: IPv4Address("192.0.2.99")!)))
            ]
        }
        return (try? message.serialize()) ?? []
    }
}
