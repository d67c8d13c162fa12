// Fuzzes the HTTP/1.1 client codec (HTTP1Codec) with what a server sends back.
//
// Input: octet 0 chooses the requests (below), octets 1 and 2 the sizes of the pieces
// the rest is cut into (cycling; 0 means all that is left), and the rest is the server's
// octets. One or two DoH requests are submitted (built by DoHExchange.request, so their
// body limits are 65535 octets, or 1 MiB for JSON), `produce` puts the first on the wire,
// then each piece goes to `consume`, with `produce` after each.
//
// Octet 0: bit 0 a second request; bits 1-2 and 3-4 the DoH method of each (post, get,
// json, post); bit 5 limits both bodies to 100 octets instead; bits 6 and 7 cancel the
// first or second request after the first piece.
//
// Checks: nothing traps; every handle reported finished was submitted, not cancelled, and
// is reported at most once; a success is a final response (not 1xx) whose body is within
// its request's maxResponseBody; onProgress only names live handles; waitingHandles (what
// the connection reports lost when it fails) is exactly the live handles, also after a
// throw, so no handle is dropped without a word. After a thrown error the connection is
// dead: feeding stops.

import DNSWire
import FuzzCommon
import FuzzTransportCommon

@testable import DNSTransport

/// The request of a method code (post, get, json, post).
func request(_ code: UInt8) -> HTTPRequest { DoHFixture.requests[Int(code & 3)] }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP1(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput([UInt8](UnsafeBufferPointer(start: start, count: count)))
    let flags = input.byte()
    let sizes = [input.byte(), input.byte()]

    let ledger = HTTPCodecLedger { trace($0) }
    ledger.requests[1] = request(flags >> 1)
    if flags & 1 != 0 { ledger.requests[2] = request(flags >> 3) }
    if flags & 0x20 != 0 {
        for handle in ledger.requests.keys { ledger.requests[handle]!.maxResponseBody = 100 }
    }

    let codec = HTTP1Codec { _, text in _ = text() }
    codec.onProgress = { handle in precondition(ledger.isLive(handle), "onProgress for handle \(handle), not waiting") }
    func check(_ results: [(UInt64, Result<HTTPResponse, TransportError>)]) { ledger.check(results, waiting: codec.waitingHandles) }

    var output: [UInt8] = []
    do {
        for handle in ledger.requests.keys.sorted() { try codec.submit(ledger.requests[handle]!, for: handle) }
        check(try codec.produce(into: &output))
        for (index, piece) in pieces(input.rest(), sizes: sizes).enumerated() {
            check(try codec.consume(piece))
            if index == 0 {
                for handle: UInt64 in [1, 2] where flags & (0x20 << handle) != 0 && ledger.requests[handle] != nil {
                    codec.cancel(handle)
                    ledger.cancelled(handle)
                }
                ledger.checkWaiting(codec.waitingHandles)
            }
            check(try codec.produce(into: &output))
        }
    } catch {
        trace("threw \(error)")
    }
    ledger.checkWaiting(codec.waitingHandles)
    return 0
}
