// SPDX-License-Identifier: Apache-2.0
// DNS messages on a stream: two-octet length prefixes, answers matched by message ID.

/// Length-prefixed DNS messages (RFC 1035 §4.2.2) for DNS over TCP and TLS, several in
/// flight at once with answers matched by message ID in any order (RFC 7766 §6.2.1).
final class DNSStreamFraming: StreamFraming {
    /// A query's message ID and its wire form.
    typealias Request = (id: UInt16, wire: [UInt8])
    typealias Response = [UInt8]

    private var outgoing: [UInt8] = []
    private var incoming: [UInt8] = []
    /// The handle waiting for each message ID written or queued and not yet answered.
    private var waiting: [UInt16: UInt64] = [:]
    private var idByHandle: [UInt64: UInt16] = [:]
    var log: (() -> String) -> Void = { _ in }
    var onProgress: (UInt64) -> Void = { _ in }

    var isIdle: Bool { waiting.isEmpty }
    var holdsPartialMessage: Bool { !incoming.isEmpty }
    var acceptsRequests: Bool { true }

    func connectionReady(applicationProtocol: String?) throws {}

    func enqueue(_ request: Request, for handle: UInt64) throws {
        waiting[request.id] = handle
        idByHandle[handle] = request.id
        outgoing.append(UInt8(request.wire.count >> 8))
        outgoing.append(UInt8(request.wire.count & 0xFF))
        outgoing.append(contentsOf: request.wire)
    }

    func forget(_ handle: UInt64) {
        if let id = idByHandle.removeValue(forKey: handle) { waiting[id] = nil }
    }

    func produce(into output: inout [UInt8]) throws -> [(UInt64, Result<Response, TransportError>)] {
        output += outgoing
        outgoing.removeAll(keepingCapacity: true)
        return []
    }

    func consume(_ octets: ArraySlice<UInt8>) throws -> [(UInt64, Result<Response, TransportError>)] {
        incoming += octets
        var finished: [(UInt64, Result<Response, TransportError>)] = []
        var start = 0
        defer { incoming.removeFirst(start) }
        while incoming.count - start >= 2 {
            let length = Int(incoming[start]) << 8 | Int(incoming[start + 1])
            guard incoming.count - start - 2 >= length else { break }
            let message = Array(incoming[start + 2..<start + 2 + length])
            start += 2 + length
            guard message.count >= 2 else {
                throw TransportError(.malformedResponse, "TCP message of \(message.count) octets")
            }
            let id = UInt16(message[0]) << 8 | UInt16(message[1])
            guard let handle = waiting.removeValue(forKey: id) else {
                log { "ignored TCP message with unexpected ID \(id)" }
                continue
            }
            idByHandle[handle] = nil
            finished.append((handle, .success(message)))
        }
        // The octets just received end inside a message; once its ID is in, it is somebody's progress.
        if !octets.isEmpty, incoming.count - start >= 4 {
            let id = UInt16(incoming[start + 2]) << 8 | UInt16(incoming[start + 3])
            if let handle = waiting[id] { onProgress(handle) }
        }
        return finished
    }

    func takeWaiting() -> [UInt64] {
        defer {
            waiting.removeAll()
            idByHandle.removeAll()
        }
        return waiting.sorted { $0.key < $1.key }.map(\.value)
    }

    func reset() {
        outgoing.removeAll()
        incoming.removeAll()
        waiting.removeAll()
        idByHandle.removeAll()
    }
}
