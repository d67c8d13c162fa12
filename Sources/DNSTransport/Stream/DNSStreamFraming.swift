// SPDX-License-Identifier: Apache-2.0
// DNS messages on a stream: two-octet length prefixes, answers matched by message ID.

/// Length-prefixed DNS messages (RFC 1035 §4.2.2) for DNS over TCP and TLS, several in
/// flight at once with answers matched by message ID in any order (RFC 7766 §6.2.1).
final class DNSStreamFraming: StreamFraming {
    /// A query's message ID and its wire form; with `severalMessages` (a zone transfer) every
    /// message with the ID goes to the query until it is forgotten.
    struct Request {
        let id: UInt16
        let wire: [UInt8]
        var severalMessages = false
    }

    typealias Response = [UInt8]

    private var outgoing: [UInt8] = []
    private var incoming: [UInt8] = []
    /// The handle waiting for each message ID written or queued and not yet answered.
    private var waiting: [UInt16: UInt64] = [:]
    private var idByHandle: [UInt64: UInt16] = [:]
    /// The handles answered by several messages.
    private var streaming: Set<UInt64> = []
    var log: (() -> String) -> Void = { _ in }
    var onProgress: (UInt64) -> Void = { _ in }

    var isIdle: Bool { waiting.isEmpty }
    var holdsPartialMessage: Bool { !incoming.isEmpty }
    var acceptsRequests: Bool { true }

    func connectionReady(applicationProtocol: String?) throws(TransportError) {}

    func enqueue(_ request: Request, for handle: UInt64) throws(TransportError) {
        guard request.wire.count <= 0xFFFF else { throw TransportError(.invalidQuery, "a query of \(request.wire.count) octets") }
        waiting[request.id] = handle
        idByHandle[handle] = request.id
        if request.severalMessages { streaming.insert(handle) }
        outgoing.append(UInt8(request.wire.count >> 8))
        outgoing.append(UInt8(request.wire.count & 0xFF))
        outgoing.append(contentsOf: request.wire)
    }

    func forget(_ handle: UInt64) {
        if let id = idByHandle.removeValue(forKey: handle) { waiting[id] = nil }
        streaming.remove(handle)
    }

    func produce(into output: inout [UInt8]) throws(TransportError) -> [(UInt64, Result<Response, TransportError>)] {
        output += outgoing
        outgoing.removeAll(keepingCapacity: true)
        return []
    }

    func consume(_ octets: ArraySlice<UInt8>) throws(TransportError) -> [(UInt64, Result<Response, TransportError>)] {
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
                // The connection fails, and the answers taken in this call are not delivered:
                // they wait again, so that takeWaiting() reports them lost with the others.
                for case (let handle, .success(let answer)) in finished {
                    let id = UInt16(answer[0]) << 8 | UInt16(answer[1])
                    waiting[id] = handle
                    idByHandle[handle] = id
                }
                throw TransportError(.malformedResponse, "TCP message of \(message.count) octets")
            }
            let id = UInt16(message[0]) << 8 | UInt16(message[1])
            guard let handle = waiting[id] else {
                log { "ignored TCP message with unexpected ID \(id)" }
                continue
            }
            if !streaming.contains(handle) {
                waiting[id] = nil
                idByHandle[handle] = nil
            }
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
            streaming.removeAll()
        }
        return waiting.sorted { $0.key < $1.key }.map(\.value)
    }

    func reset() {
        outgoing.removeAll()
        incoming.removeAll()
        waiting.removeAll()
        idByHandle.removeAll()
        streaming.removeAll()
    }
}
