// SPDX-License-Identifier: Apache-2.0
// HTTP on a stream connection: HTTP/2 when ALPN chose it (or for cleartext), else HTTP/1.1.

/// What HTTP/2 and HTTP/1.1 offer the framing.
protocol HTTPVersionCodec: AnyObject {
    var acceptsRequests: Bool { get }
    /// Whether no request is queued or waiting.
    var isIdle: Bool { get }
    /// Handles queued or waiting, oldest first.
    var waitingHandles: [UInt64] { get }
    /// Whether the server's octets stopped inside a frame or response.
    var holdsPartialMessage: Bool { get }
    /// Told which request's response grew without finishing (see ``StreamFraming/onProgress``).
    var onProgress: (UInt64) -> Void { get set }
    func submit(_ request: HTTPRequest, for handle: UInt64) throws(TransportError)
    func cancel(_ handle: UInt64)
    func produce(into output: inout [UInt8]) throws(TransportError) -> [(UInt64, Result<HTTPResponse, TransportError>)]
    func consume(_ octets: ArraySlice<UInt8>) throws(TransportError) -> [(UInt64, Result<HTTPResponse, TransportError>)]
}

/// The HTTP framing of a DNS-over-HTTPS connection. Requests wait until the connection is
/// ready; then ALPN decides: "h2" (or cleartext, where HTTP/2 is used with prior knowledge,
/// RFC 9113 §3.3) gives HTTP/2, anything else HTTP/1.1 on the same connection.
final class HTTPFraming: StreamFraming {
    typealias Request = HTTPRequest
    typealias Response = HTTPResponse

    private let cleartext: Bool
    private let httpLog: HTTPLogger
    private var codec: (any HTTPVersionCodec)?
    /// Requests given before the connection was ready.
    private var early: [(handle: UInt64, request: HTTPRequest)] = []
    var log: (() -> String) -> Void = { _ in }
    var onProgress: (UInt64) -> Void = { _ in } {
        didSet { codec?.onProgress = onProgress }
    }

    /// - Parameter cleartext: true for `http://` (no TLS, HTTP/2 with prior knowledge).
    init(cleartext: Bool, httpLog: @escaping HTTPLogger) {
        self.cleartext = cleartext
        self.httpLog = httpLog
    }

    var isIdle: Bool { early.isEmpty && codec?.isIdle ?? true }
    var holdsPartialMessage: Bool { codec?.holdsPartialMessage ?? false }
    var acceptsRequests: Bool { codec?.acceptsRequests ?? true }

    func connectionReady(applicationProtocol: String?) throws(TransportError) {
        if cleartext || applicationProtocol == "h2" {
            codec = try HTTP2Codec(httpLog: httpLog)
        } else {
            let chosen = applicationProtocol.map { "ALPN \($0)" } ?? "no ALPN protocol"
            log { "server chose \(chosen), not h2: using HTTP/1.1" }
            codec = HTTP1Codec(httpLog: httpLog)
        }
        codec?.onProgress = onProgress
        let waiting = early
        early.removeAll()
        for (handle, request) in waiting { try codec?.submit(request, for: handle) }
    }

    func enqueue(_ request: HTTPRequest, for handle: UInt64) throws(TransportError) {
        guard let codec else { return early.append((handle, request)) }
        try codec.submit(request, for: handle)
    }

    func forget(_ handle: UInt64) {
        early.removeAll { $0.handle == handle }
        codec?.cancel(handle)
    }

    func produce(into output: inout [UInt8]) throws(TransportError) -> [(UInt64, Result<HTTPResponse, TransportError>)] {
        try codec?.produce(into: &output) ?? []
    }

    func consume(_ octets: ArraySlice<UInt8>) throws(TransportError) -> [(UInt64, Result<HTTPResponse, TransportError>)] {
        try codec?.consume(octets) ?? []
    }

    func takeWaiting() -> [UInt64] {
        defer { reset() }
        return early.map(\.handle) + (codec?.waitingHandles ?? [])
    }

    func reset() {
        early.removeAll()
        codec = nil
    }
}
