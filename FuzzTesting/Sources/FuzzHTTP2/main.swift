// Fuzzes the HTTP/2 client codec (HTTP2Codec, libnghttp2 through its memory interface)
// with the octets a server sends.
//
// Input: octet 0 chooses the requests (below), octets 1 and 2 the sizes of the pieces the
// rest is cut into (cycling; 0 means all that is left), and the rest is the server's side
// of the connection, from its SETTINGS on. One to three DoH requests are submitted (built
// by DoHExchange.request: body limits 65535 octets, or 1 MiB for JSON; streams 1, 3, 5),
// `produce` writes the client preface and the requests, then each piece goes to `consume`,
// with `produce` after each.
//
// Octet 0: bits 0-1 the number of requests (1, 2, 3, 3); bits 2-3 the DoH method of the
// first (post, get, json, post; the next ones take the following methods); bit 4 limits
// every body to 100 octets instead; bit 5 cancels the first request after the first
// piece; bit 6 submits one more request after the first piece (if the codec still takes
// requests); bit 7 submits 34 requests instead (more than HTTP2Codec.initialStreamLimit, so
// some are held until the first answer).
//
// Checks: nothing traps; every handle reported finished was submitted, not cancelled, and
// is reported at most once; a success is a final response whose body is within its
// request's maxResponseBody; onProgress only names live handles; waitingHandles (what the
// connection reports lost when it fails) is exactly the live handles, also after a throw.
// After a thrown error the session is dead: feeding stops.

import DNSWire
import FuzzCommon
import FuzzTransportCommon

@testable import DNSTransport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP2(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput([UInt8](UnsafeBufferPointer(start: start, count: count)))
    let flags = input.byte()
    let sizes = [input.byte(), input.byte()]

    let ledger = HTTPCodecLedger { trace($0) }
    func makeRequest(_ index: Int) -> HTTPRequest {
        var request = DoHFixture.requests[(Int(flags >> 2) + index) & 3]
        if flags & 0x10 != 0 { request.maxResponseBody = 100 }
        return request
    }

    let codec: HTTP2Codec
    do {
        codec = try HTTP2Codec { _, text in _ = text() }
    } catch {
        fatalError("HTTP2Codec: \(error)")
    }
    codec.onProgress = { handle in
        trace("progress \(handle)")
        precondition(ledger.isLive(handle), "onProgress for handle \(handle), not waiting")
    }
    func check(_ results: [(UInt64, Result<HTTPResponse, TransportError>)]) { ledger.check(results, waiting: codec.waitingHandles) }
    func submit(_ handle: UInt64) throws {
        let request = makeRequest(Int(handle) - 1)
        ledger.requests[handle] = request
        try codec.submit(request, for: handle)
    }

    var output: [UInt8] = []
    do {
        let initial = flags & 0x80 != 0 ? HTTP2Codec.initialStreamLimit + 2 : min(3, 1 + Int(flags & 3))
        for handle in 1...UInt64(initial) { try submit(handle) }
        check(try codec.produce(into: &output))
        trace("wrote \(output.count) octets")
        for (index, piece) in pieces(input.rest(), sizes: sizes).enumerated() {
            trace("consume \(piece.count) octets; waiting \(codec.waitingHandles)")
            check(try codec.consume(piece))
            if index == 0 {
                if flags & 0x20 != 0 {
                    codec.cancel(1)
                    ledger.cancelled(1)
                }
                if flags & 0x40 != 0, codec.acceptsRequests { try submit(UInt64(initial + 1)) }
                ledger.checkWaiting(codec.waitingHandles)
            }
            check(try codec.produce(into: &output))
            _ = codec.sessionEnded
        }
    } catch {
        trace("threw \(error)")
    }
    ledger.checkWaiting(codec.waitingHandles)
    return 0
}
