// SPDX-License-Identifier: Apache-2.0
// Several datagrams in one system call (recvmmsg/sendmmsg), for sockets shared by many exchanges.

internal import CDNSSocket
internal import Glibc

/// Buffers for moving up to ``capacity`` datagrams of up to ``slotSize`` octets in one call.
/// One batch serves every socket of a carrier (the loop is single-threaded).
final class DatagramBatch {
    /// Datagrams per call.
    static let capacity = Int(CDNS_BATCH_MAX)

    // Used on the loop's thread only, never by overlapping accesses: no run-time exclusivity checks.
    /// The largest datagram a slot holds; longer ones are cut, as recv cuts them.
    @exclusivity(unchecked) private(set) var slotSize = 0
    @exclusivity(unchecked) private var buffers: UnsafeMutableRawBufferPointer = .init(start: nil, count: 0)
    @exclusivity(unchecked) private var offsets = [Int](repeating: 0, count: DatagramBatch.capacity)
    @exclusivity(unchecked) private var lengths = [Int](repeating: 0, count: DatagramBatch.capacity)
    @exclusivity(unchecked) private var sources = [sockaddr_storage](repeating: sockaddr_storage(), count: DatagramBatch.capacity)
    @exclusivity(unchecked) private var sourceLengths = [socklen_t](repeating: 0, count: DatagramBatch.capacity)

    deinit { buffers.deallocate() }

    /// Makes each slot hold at least `size` octets.
    private func reserve(_ size: Int) {
        guard size > slotSize else { return }
        buffers.deallocate()
        buffers = .allocate(byteCount: size * Self.capacity, alignment: 8)
        slotSize = size
    }

    /// Receives what is ready (at most ``capacity`` datagrams, each cut to `maxSize`) and
    /// hands each to `handle` with its source; returns how many arrived (0 when none was ready).
    func receive(
        on socket: Socket, maxSize: Int, _ handle: ([UInt8], SocketAddress?) -> Void
    ) throws(TransportError) -> Int {
        reserve(max(1, maxSize))
        let received = lengths.withUnsafeMutableBufferPointer { lengths in
            sources.withUnsafeMutableBufferPointer { sources in
                sourceLengths.withUnsafeMutableBufferPointer { sourceLengths in
                    cdns_receive_batch(
                        socket.fd, buffers.baseAddress!.assumingMemoryBound(to: UInt8.self), slotSize, UInt32(Self.capacity),
                        lengths.baseAddress, sources.baseAddress, sourceLengths.baseAddress)
                }
            }
        }
        guard received >= 0 else { throw Socket.failure("recvmmsg") }
        for index in 0..<Int(received) {
            let slot = UnsafeRawBufferPointer(rebasing: buffers[index * slotSize..<index * slotSize + min(lengths[index], maxSize)])
            let source =
                sourceLengths[index] > 0
                ? withUnsafePointer(to: &sources[index]) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0) } }
                : nil
            handle(Array(slot), source)
        }
        return Int(received)
    }

    /// Sends `datagrams` (at most ``capacity``) on the connected `socket`; returns how many
    /// were sent. When none was, `error` says why the first failed.
    func send(_ datagrams: some Collection<[UInt8]>, on socket: Socket) -> (sent: Int, error: TransportError?) {
        precondition(datagrams.count <= Self.capacity)
        reserve(max(1, datagrams.lazy.map { $0.count }.max() ?? 0))
        for (index, datagram) in datagrams.enumerated() {
            offsets[index] = index * slotSize
            lengths[index] = datagram.count
            datagram.withUnsafeBytes { bytes in
                guard let source = bytes.baseAddress else { return }
                buffers.baseAddress!.advanced(by: offsets[index]).copyMemory(from: source, byteCount: bytes.count)
            }
        }
        let sent = offsets.withUnsafeBufferPointer { offsets in
            lengths.withUnsafeBufferPointer { lengths in
                cdns_send_batch(
                    socket.fd, buffers.baseAddress!.assumingMemoryBound(to: UInt8.self), offsets.baseAddress, lengths.baseAddress,
                    UInt32(datagrams.count))
            }
        }
        return sent >= 0 ? (Int(sent), nil) : (0, Socket.failure("sendmmsg"))
    }
}
