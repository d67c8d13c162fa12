// SPDX-License-Identifier: Apache-2.0
// UDP for the engine: a fresh socket (so a fresh random source port) per exchange.

internal import Glibc

/// Carries exchanges over UDP: each exchange gets a socket of its own, connected to its
/// server unless ``SocketOptions/connectUDP`` is off, opened on its first send and closed
/// when the exchange moves to TCP, to another server, or finishes. Datagrams and failures
/// are reported with the exchange's handle, on the loop's thread.
final class UDPCarrier {
    private let loop: PollLoop
    var options = SocketOptions()
    /// A datagram arrived for an exchange, from the given source (nil when the kernel
    /// gave none).
    var onDatagram: (UInt64, [UInt8], SocketAddress?) -> Void = { _, _, _ in }
    /// A socket of an exchange failed (ICMP port unreachable shows as ECONNREFUSED).
    var onFailure: (UInt64, TransportError) -> Void = { _, _ in }
    var log: (() -> String) -> Void = { _ in }

    private struct Endpoint {
        let socket: Socket
        let server: SocketAddress
        let maxPacketSize: Int
    }

    private var sockets: [UInt64: Endpoint] = [:]
    /// One receive buffer for every socket (the loop is single-threaded).
    private var receiveBuffer: [UInt8] = []

    init(loop: PollLoop) {
        self.loop = loop
    }

    /// Sends `wire` for `handle` to `server`, opening the exchange's socket first if needed.
    func send(_ wire: [UInt8], for handle: UInt64, to server: SocketAddress, maxPacketSize: Int) throws(TransportError) {
        if sockets[handle]?.server != server { close(handle) }
        if sockets[handle] == nil {
            let socket = try Socket(family: server.family, type: Int32(SOCK_DGRAM.rawValue), options: options)
            if options.connectUDP { _ = try socket.connect(to: server) }
            sockets[handle] = Endpoint(socket: socket, server: server, maxPacketSize: maxPacketSize)
            loop.register(socket.fd, interest: .readable) { [unowned self] _ in self.read(handle) }
            log { "UDP \(socket.localAddress?.description ?? "?") -> \(server)" }
        }
        guard let endpoint = sockets[handle] else { return }
        _ = try endpoint.socket.send(wire[...], to: options.connectUDP ? nil : server)
    }

    /// Closes the exchange's socket, if it has one.
    func close(_ handle: UInt64) {
        guard let endpoint = sockets.removeValue(forKey: handle) else { return }
        loop.unregister(endpoint.socket.fd)
    }

    /// Closes every socket.
    func closeAll() {
        for handle in Array(sockets.keys) { close(handle) }
    }

    private func read(_ handle: UInt64) {
        guard let endpoint = sockets[handle] else { return }
        if receiveBuffer.count != endpoint.maxPacketSize { receiveBuffer = [UInt8](repeating: 0, count: endpoint.maxPacketSize) }
        // Until the socket is drained, closed, or replaced (by a reply that moved the exchange).
        while sockets[handle]?.socket === endpoint.socket {
            do {
                guard let (count, from) = try endpoint.socket.receive(into: &receiveBuffer) else { return }
                onDatagram(handle, Array(receiveBuffer[0..<count]), from)
            } catch {
                return onFailure(handle, error)
            }
        }
    }
}
