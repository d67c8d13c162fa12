// SPDX-License-Identifier: Apache-2.0
// What the HTTP codec targets check alike: the requests' fates, reported once each.

@testable import DNSTransport

/// Keeps the requests given to an HTTP codec (HTTP/1.1 or HTTP/2) and checks what the codec
/// reports about them: only submitted handles finish, each once and never after it was
/// cancelled; answers stay within their size limit and are never interim; and the handles
/// the codec calls waiting are exactly the live ones. Any breach stops the fuzzer.
public final class HTTPCodecLedger {
    public var requests: [UInt64: HTTPRequest] = [:]
    public private(set) var cancelled: Set<UInt64> = []
    public private(set) var reported: Set<UInt64> = []
    private let trace: (String) -> Void

    public init(trace: @escaping (String) -> Void) {
        self.trace = trace
    }

    /// Whether `handle` was submitted and has neither finished nor been cancelled.
    public func isLive(_ handle: UInt64) -> Bool { requests[handle] != nil && !cancelled.contains(handle) && !reported.contains(handle) }

    /// The codec forgot `handle` (unless it had already finished).
    public func cancelled(_ handle: UInt64) {
        if !reported.contains(handle) { cancelled.insert(handle) }
    }

    /// Checks the requests a codec call finished, then what it says is waiting.
    public func check(_ results: [(UInt64, Result<HTTPResponse, TransportError>)], waiting: [UInt64]) {
        for (handle, result) in results {
            trace("finished \(handle): \(result.map { "\($0.status), \($0.body.count) octets" })")
            guard let request = requests[handle] else { fatalError("finished handle \(handle) was never submitted") }
            precondition(!cancelled.contains(handle), "cancelled handle \(handle) reported finished")
            precondition(reported.insert(handle).inserted, "handle \(handle) reported twice")
            if case .success(let response) = result {
                precondition(
                    response.body.count <= request.maxResponseBody,
                    "body of \(response.body.count) octets over the limit \(request.maxResponseBody)")
                precondition(!(100..<200).contains(response.status), "interim response \(response.status) reported")
            }
        }
        if !results.isEmpty { checkWaiting(waiting) }
    }

    /// The handles the codec calls waiting (what a failing connection reports as lost) are
    /// exactly the live ones: none finished twice, none dropped without a word.
    public func checkWaiting(_ waiting: [UInt64]) {
        let live = requests.keys.filter(isLive)
        precondition(Set(waiting) == Set(live) && waiting.count == live.count, "waiting \(waiting), live \(live.sorted())")
    }
}
