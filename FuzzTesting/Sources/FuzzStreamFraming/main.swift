// Fuzzes the length-prefixed DNS stream framing (DNSStreamFraming) against a reference model.
//
// Input: octet 0 (below); then two octets of message ID per request; then two octets of
// piece sizes (cycling; 0 means all that is left); the rest is the server's octets, cut
// into those pieces and given to `consume`.
//
// Octet 0: bits 0-1 the number of requests minus one (1-4); bits 2-5 forget request 1-4
// after the first piece; bit 6 makes the first request one of several messages (a zone
// transfer: every message with its ID goes to it until it is forgotten). IDs that repeat
// an earlier one are moved on until distinct.
//
// Checks: nothing traps; what `consume` returns is exactly what a straightforward model
// expects: the complete frames in order, each given to the handle waiting for its ID (frames
// with other IDs skipped), a frame shorter than two octets is an error; so only enqueued
// handles finish, each at most once (a several-message request once per message), with
// exactly the framed octets. `onProgress` only
// names waiting handles. `produce` writes each query with its length prefix. isIdle and
// takeWaiting agree with the model; after a throw, takeWaiting (the handles the failing
// connection reports lost) holds every handle not answered, so none is dropped silently.

import FuzzCommon

@testable import DNSTransport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStreamFraming(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput([UInt8](UnsafeBufferPointer(start: start, count: count)))
    let flags = input.byte()
    let requestCount = 1 + Int(flags & 3)
    var ids: [UInt16] = []
    for _ in 0..<requestCount {
        var id = input.uint16()
        while ids.contains(id) { id &+= 1 }
        ids.append(id)
    }
    let sizes = [input.byte(), input.byte()]

    let framing = DNSStreamFraming()
    /// The model: the handle waiting for each ID, and the octets not yet framed.
    var waiting: [UInt16: UInt64] = [:]
    let streaming: UInt64? = flags & 0x40 != 0 ? 1 : nil
    var buffer: [UInt8] = []
    framing.onProgress = { handle in
        precondition(waiting.values.contains(handle), "onProgress for handle \(handle), not waiting")
    }

    var expectedOutput: [UInt8] = []
    for (index, id) in ids.enumerated() {
        let handle = UInt64(index + 1)
        // A small query-like message: the ID, then a few octets that differ per request.
        let wire = [UInt8(id >> 8), UInt8(id & 0xFF)] + [UInt8](repeating: UInt8(index), count: 10 + index)
        try! framing.enqueue(DNSStreamFraming.Request(id: id, wire: wire, severalMessages: handle == streaming), for: handle)
        waiting[id] = handle
        expectedOutput += [UInt8(wire.count >> 8), UInt8(wire.count & 0xFF)] + wire
    }
    var output: [UInt8] = []
    precondition(try! framing.produce(into: &output).isEmpty && output == expectedOutput, "produce wrote other octets")

    for (index, piece) in pieces(input.rest(), sizes: sizes).enumerated() {
        // What the model expects from this piece.
        buffer += piece
        var expected: [(UInt64, [UInt8])] = []
        var expectError = false
        var used = 0
        while buffer.count - used >= 2 {
            let length = Int(buffer[used]) << 8 | Int(buffer[used + 1])
            guard buffer.count - used - 2 >= length else { break }
            let message = Array(buffer[used + 2..<used + 2 + length])
            used += 2 + length
            guard message.count >= 2 else {
                expectError = true
                break
            }
            let id = UInt16(message[0]) << 8 | UInt16(message[1])
            if let handle = waiting[id] {
                if handle != streaming { waiting[id] = nil }
                expected.append((handle, message))
            }
        }
        buffer.removeFirst(used)

        let results: [(UInt64, Result<[UInt8], TransportError>)]
        do {
            results = try framing.consume(piece)
        } catch {
            trace("threw \(error)")
            precondition(expectError, "consume threw \(error), the model expected \(expected.count) answers")
            // The connection fails: every handle not answered yet must be reported lost.
            let lost = framing.takeWaiting()
            let live = Set(waiting.values).union(expected.map(\.0))
            precondition(Set(lost) == live && lost.count == live.count, "takeWaiting \(lost) after a throw, unanswered \(live.sorted())")
            return 0
        }
        trace("answers for \(results.map(\.0))")
        precondition(!expectError, "consume did not throw for a frame shorter than two octets")
        precondition(results.count == expected.count, "\(results.count) answers, the model expected \(expected.count)")
        for ((handle, result), (expectedHandle, message)) in zip(results, expected) {
            precondition(handle == expectedHandle, "answer for handle \(handle), the model expected \(expectedHandle)")
            guard case .success(let octets) = result else { fatalError("failure \(result) for handle \(handle)") }
            precondition(octets == message, "answer \(hex(octets)) is not the framed message \(hex(message))")
        }
        precondition(framing.isIdle == waiting.isEmpty, "isIdle \(framing.isIdle) with \(waiting.count) waiting")

        if index == 0 {
            for (request, id) in ids.enumerated() where flags & (4 << request) != 0 {
                framing.forget(UInt64(request + 1))
                waiting[id] = nil
            }
        }
        output.removeAll()
        precondition(try! framing.produce(into: &output).isEmpty && output.isEmpty, "produce wrote octets again")
    }
    let left = framing.takeWaiting()
    precondition(Set(left) == Set(waiting.values) && left.count == waiting.count, "takeWaiting \(left), model \(waiting)")
    precondition(framing.isIdle, "not idle after takeWaiting")
    return 0
}
