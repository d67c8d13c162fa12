// SPDX-License-Identifier: Apache-2.0
// UDP for the engine: a fresh socket (so a fresh random source port) per exchange by
// default, or sockets that carry up to `maxQueries` exchanges each.

internal import Glibc

/// Carries exchanges over UDP on sockets connected to their server (unless
/// ``SocketOptions/connectUDP`` is off).
///
/// With ``maxQueries`` 1 (the default) each exchange gets a socket of its own, so a fresh
/// random source port: an off-path spoofer must guess 16 bits of message ID and about 15 of
/// port (RFC 5452). With N > 1 a socket carries up to N exchanges over its life, several in
/// flight at once (their message IDs are unique among outstanding exchanges), and is then
/// replaced by one on a new random port; 0 sets no limit. Datagrams are routed by message
/// ID and still checked by the exchange against source, ID and question. Datagrams and
/// failures are reported with the exchange's handle, on the loop's thread.
///
/// Queries sent during a round go out together just before the loop waits, so a server
/// gets them in one burst and wakes once for many, not once for each (with 100 in flight,
/// BIND's thread slept about 0.11 times per query with each sent at once, 0.04 with this).
/// A shared, connected socket moves them in batches (sendmmsg) and reads answers many at a
/// time (recvmmsg).
final class UDPCarrier {
    private let loop: PollLoop
    var options = SocketOptions()
    /// How many exchanges one socket carries over its life: 1 a fresh socket each, 0 no limit.
    var maxQueries = 1
    /// A datagram arrived for an exchange, from the given source (nil when the kernel
    /// gave none).
    var onDatagram: (UInt64, [UInt8], SocketAddress?) -> Void = { _, _, _ in }
    /// A socket of an exchange failed (ICMP port unreachable shows as ECONNREFUSED).
    var onFailure: (UInt64, TransportError) -> Void = { _, _ in }
    var log: (() -> String) -> Void = { _ in }

    /// One socket and the exchanges on it, by message ID.
    private final class Carrier {
        let socket: Socket
        let server: SocketAddress
        @exclusivity(unchecked) var exchanges = IDTable<UInt16, UInt64>()
        /// Exchanges it has carried so far.
        var used = 0
        /// Whether it takes no more exchanges (it closes once the last one leaves).
        var retired = false
        /// The largest datagram its exchanges accept (longer ones are cut, as recv cuts them).
        var maxPacketSize = 0
        /// Queries waiting for the batch sent before the loop's next wait (a shared socket's).
        @exclusivity(unchecked) var outgoing: [(handle: UInt64, id: UInt16, wire: [UInt8])] = []

        /// Whether it moves datagrams in batches: it is shared by exchanges, and connected.
        let batches: Bool

        init(socket: Socket, server: SocketAddress, batches: Bool) {
            self.socket = socket
            self.server = server
            self.batches = batches
        }

        /// Whether the exchange `handle` is still on this socket under message ID `id`.
        func carries(_ handle: UInt64, id: UInt16) -> Bool { exchanges[id] == handle }
    }

    /// The carrier of each exchange, and its message ID there.
    // Used on the loop's thread only, never by overlapping accesses: no run-time exclusivity checks.
    @exclusivity(unchecked) private var assignments = IDTable<UInt64, (carrier: Carrier, id: UInt16)>()
    /// The socket taking new exchanges to each server (with sharing).
    @exclusivity(unchecked) private var current: [SocketAddress: Carrier] = [:]
    /// The shared socket used last, found without hashing its server's address.
    private weak var lastShared: Carrier?
    /// One receive buffer for every socket (the loop is single-threaded).
    @exclusivity(unchecked) private var receiveBuffer: [UInt8] = []
    private let batch = DatagramBatch()
    /// Shared sockets with queries queued to be sent before the loop's next wait.
    @exclusivity(unchecked) private var flushing: [Carrier] = []
    /// Queries queued on sockets of their own, and the list that takes them next (kept, so
    /// queuing allocates nothing).
    @exclusivity(unchecked) private var unsharedOutgoing: [UnsharedQuery] = []
    @exclusivity(unchecked) private var spareOutgoing: [UnsharedQuery] = []
    private typealias UnsharedQuery = (carrier: Carrier, handle: UInt64, id: UInt16, wire: [UInt8])

    init(loop: PollLoop) {
        self.loop = loop
    }

    /// Sends `wire` (whose message ID is `id`) for `handle` to `server` before the loop's next
    /// wait, on the exchange's socket, or on one it is given now (from `source`, a socket of
    /// the exchange's own). Throws when no socket can be had; a failed send is reported later
    /// through ``onFailure``.
    func send(
        _ wire: [UInt8], id: UInt16, for handle: UInt64, to server: SocketAddress, maxPacketSize: Int, source: ExchangeOptions.Source? = nil
    ) throws(TransportError) {
        var assigned = assignments[handle]
        if let moved = assigned, moved.carrier.server != server || moved.id != id {
            close(handle)
            assigned = nil
        }
        let carrier: Carrier
        if let assigned {
            carrier = assigned.carrier
        } else {
            carrier = try take(server, source: source)
            carrier.exchanges[id] = handle
            carrier.maxPacketSize = max(carrier.maxPacketSize, maxPacketSize)
            assignments[handle] = (carrier, id)
        }
        // The first query queued since the last flush schedules the next one.
        if unsharedOutgoing.isEmpty, flushing.isEmpty { loop.beforeNextWait { [unowned self] in flush() } }
        guard carrier.batches else { return unsharedOutgoing.append((carrier, handle, id, wire)) }
        if carrier.outgoing.isEmpty { flushing.append(carrier) }
        carrier.outgoing.append((handle, id, wire))
    }

    /// Sends the queued queries of every socket (a shared, connected one's in batches); a
    /// query whose datagram could not be sent fails (its exchange may move to its next server).
    private func flush() {
        // Both queues taken out first: a failure below may start a query on another server,
        // queued anew for a flush of its own.
        var unshared = spareOutgoing
        spareOutgoing = []
        swap(&unshared, &unsharedOutgoing)
        let carriers = flushing
        flushing = []
        // Only queries still on their socket: an exchange may have ended since it was queued.
        for query in unshared where query.carrier.carries(query.handle, id: query.id) {
            do throws(TransportError) {
                _ = try query.carrier.socket.send(query.wire[...], to: options.connectUDP ? nil : query.carrier.server)
            } catch {
                onFailure(query.handle, error)
            }
        }
        unshared.removeAll(keepingCapacity: true)
        spareOutgoing = unshared
        for carrier in carriers {
            var queued = carrier.outgoing.filter { carrier.carries($0.handle, id: $0.id) }[...]
            carrier.outgoing = []
            while !queued.isEmpty {
                let (sent, error) = batch.send(queued.prefix(DatagramBatch.capacity).lazy.map { $0.wire }, on: carrier.socket)
                queued = queued.dropFirst(sent)
                if let error, let failed = queued.popFirst() { onFailure(failed.handle, error) }
            }
        }
    }

    /// A socket for one more exchange to `server`: a fresh one, or the current shared one
    /// (never for an exchange with a `source` of its own).
    private func take(_ server: SocketAddress, source: ExchangeOptions.Source?) throws(TransportError) -> Carrier {
        let shares = maxQueries != 1 && source == nil
        if shares, let shared = currentShared(for: server) {
            lastShared = shared
            shared.used += 1
            if maxQueries > 0, shared.used >= maxQueries {
                shared.retired = true  // closes once its exchanges, this one included, leave
                current[server] = nil
            }
            return shared
        }
        let socket = try Socket(family: server.family, type: Int32(SOCK_DGRAM.rawValue), options: source?.applied(to: options) ?? options)
        if options.connectUDP { _ = try socket.connect(to: server) }
        let carrier = Carrier(socket: socket, server: server, batches: shares && options.connectUDP)
        carrier.used = 1
        loop.register(socket.fd, interest: .readable) { [unowned self, unowned carrier] _ in self.read(carrier) }
        log { "UDP \(socket.localAddress?.description ?? "?") -> \(server)" }
        if !shares || carrier.used == maxQueries {
            carrier.retired = true
        } else {
            current[server] = carrier
        }
        return carrier
    }

    /// The shared socket taking new exchanges to `server`, if one does.
    private func currentShared(for server: SocketAddress) -> Carrier? {
        if let last = lastShared, !last.retired, last.server == server { return last }
        guard let shared = current[server], !shared.retired else { return nil }
        return shared
    }

    /// The socket takes no more exchanges; it closes when its last one leaves.
    private func retire(_ carrier: Carrier) {
        carrier.retired = true
        if current[carrier.server] === carrier { current[carrier.server] = nil }
        if carrier.exchanges.isEmpty { loop.unregister(carrier.socket.fd) }
    }

    /// The exchange leaves its socket (moved to TCP, to another server, or finished); a
    /// socket no longer in use closes.
    func close(_ handle: UInt64) {
        guard let (carrier, id) = assignments.removeValue(forKey: handle) else { return }
        if carrier.carries(handle, id: id) { carrier.exchanges[id] = nil }
        if carrier.retired, carrier.exchanges.isEmpty { loop.unregister(carrier.socket.fd) }
    }

    /// Retires every shared socket: each closes once its exchanges leave.
    func retireShared() {
        for carrier in Array(current.values) { retire(carrier) }
    }

    private func read(_ carrier: Carrier) {
        if carrier.batches { return readBatches(carrier) }
        if receiveBuffer.count != carrier.maxPacketSize { receiveBuffer = [UInt8](repeating: 0, count: carrier.maxPacketSize) }
        // Until the socket is drained, or no exchange is left on it.
        while !carrier.exchanges.isEmpty {
            let received: (count: Int, from: SocketAddress?)
            do {
                guard let datagram = try carrier.socket.receive(into: &receiveBuffer) else { return }
                received = datagram
            } catch {
                // A connected socket's error (ICMP) concerns every exchange on it.
                for handle in carrier.exchanges.values.sorted() { onFailure(handle, error) }
                return
            }
            guard let handle = route(receiveBuffer, count: received.count, on: carrier) else {
                log { "ignored UDP datagram of \(received.count) octets with no exchange for its ID" }
                continue
            }
            onDatagram(handle, Array(receiveBuffer[0..<received.count]), received.from)
        }
    }

    /// Reads a shared socket's datagrams many at a time, until it is drained or no exchange
    /// is left on it.
    private func readBatches(_ carrier: Carrier) {
        while !carrier.exchanges.isEmpty {
            do throws(TransportError) {
                let received = try batch.receive(on: carrier.socket, maxSize: carrier.maxPacketSize) { datagram, source in
                    guard let handle = route(datagram, count: datagram.count, on: carrier) else {
                        return log { "ignored UDP datagram of \(datagram.count) octets with no exchange for its ID" }
                    }
                    onDatagram(handle, datagram, source)
                }
                if received < DatagramBatch.capacity { return }
            } catch {
                for handle in carrier.exchanges.values.sorted() { onFailure(handle, error) }
                return
            }
        }
    }

    /// The exchange a datagram is for: the only one on the socket (which checks the rest
    /// itself), else the one with its message ID.
    private func route(_ datagram: [UInt8], count: Int, on carrier: Carrier) -> UInt64? {
        if carrier.exchanges.count == 1 { return carrier.exchanges.anyValue }
        guard count >= 2 else { return nil }
        return carrier.exchanges[UInt16(datagram[0]) << 8 | UInt16(datagram[1])]
    }
}
