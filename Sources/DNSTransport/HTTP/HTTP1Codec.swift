// SPDX-License-Identifier: Apache-2.0
// HTTP/1.1 (RFC 9112) with keep-alive: the fallback when a TLS server does not choose h2.

/// An HTTP/1.1 client connection: one request at a time (no pipelining), the others queued;
/// response bodies by Content-Length or chunked. A server's `Connection: close`, or a
/// request given up while it was on the wire, ends the connection's use for new requests.
final class HTTP1Codec: HTTPVersionCodec {
    private var queue: [(handle: UInt64, request: HTTPRequest)] = []
    /// The request on the wire; its handle is nil once forgotten (the answer is then dropped).
    private var inFlight: (handle: UInt64?, request: HTTPRequest)?
    private var incoming: [UInt8] = []
    /// How far `incoming` is known to hold no complete header block.
    private var scannedForHeadEnd = 0
    /// The head of the response being received, once complete, and where its body starts.
    private var head: (response: HTTPResponse, bodyStart: Int)?
    /// A chunked body being decoded.
    private var chunks: ChunkedBody?

    /// A chunked body decoded so far, and where in `incoming` decoding goes on: at a
    /// chunk-size line, or at a trailer line once the last chunk came.
    private struct ChunkedBody {
        var body: [UInt8] = []
        var position: Int
        var inTrailers = false
    }
    private var closing = false
    private let httpLog: HTTPLogger
    var onProgress: (UInt64) -> Void = { _ in }
    /// Header blocks (and trailer sections) longer than this are a protocol error.
    private static let maxHeaderBlock = 65_536
    /// A chunk-size line longer than this (extensions included) is a protocol error.
    private static let maxChunkLine = 1_024
    /// A trailer field line longer than this is a protocol error.
    private static let maxTrailerLine = 8_192

    init(httpLog: @escaping HTTPLogger) {
        self.httpLog = httpLog
    }

    var acceptsRequests: Bool { !closing }
    /// Whether part of a response has arrived.
    var holdsPartialMessage: Bool { !incoming.isEmpty }
    var isIdle: Bool { queue.isEmpty && inFlight?.handle == nil }
    var waitingHandles: [UInt64] { (inFlight?.handle.map { [$0] } ?? []) + queue.map(\.handle) }

    func submit(_ request: HTTPRequest, for handle: UInt64) throws(TransportError) {
        queue.append((handle, request))
    }

    func cancel(_ handle: UInt64) {
        if inFlight?.handle == handle {
            inFlight?.handle = nil
            closing = true
        }
        queue.removeAll { $0.handle == handle }
    }

    func produce(into output: inout [UInt8]) throws(TransportError) -> [(UInt64, Result<HTTPResponse, TransportError>)] {
        guard inFlight == nil, !queue.isEmpty else { return [] }
        let (handle, request) = queue.removeFirst()
        inFlight = (handle, request)
        let head = request.headerText(version: "HTTP/1.1")
        httpLog(.info) { "\(request.method) \(request.scheme)://\(request.authority)\(request.path) HTTP/1.1" }
        httpLog(.requestHeaders) { head }
        output += Array((head + "\r\n\r\n").utf8)
        output += request.body
        return []
    }

    func consume(_ octets: ArraySlice<UInt8>) throws(TransportError) -> [(UInt64, Result<HTTPResponse, TransportError>)] {
        guard inFlight != nil || octets.isEmpty else {
            throw TransportError(.httpProtocol, "HTTP/1.1 data from the server with no request outstanding")
        }
        incoming += octets
        var finished: [(UInt64, Result<HTTPResponse, TransportError>)] = []
        while let current = inFlight, let (response, length) = try parse(limit: current.request.maxResponseBody) {
            incoming.removeFirst(length)
            scannedForHeadEnd = 0
            head = nil
            chunks = nil
            if (100..<200).contains(response.status) { continue }
            inFlight = nil
            httpLog(.info) { "HTTP/1.1 \(response.status) (\(response.body.count) octets)" }
            httpLog(.responseHeaders) { response.headerText() }
            if let handle = current.handle { finished.append((handle, .success(response))) }
            if response.header("connection")?.lowercased() == "close" { finished += stopTakingRequests("server closes the HTTP/1.1 connection") }
        }
        if !incoming.isEmpty, inFlight == nil {
            // More than the response: the connection's framing can no longer be trusted.
            incoming.removeAll()
            finished += stopTakingRequests("server sent more than its HTTP/1.1 response")
        }
        // A response is under way; octets of one known to be interim (1xx) are no progress.
        if !octets.isEmpty, let handle = inFlight?.handle, !incoming.isEmpty, !(incoming.count >= 10 && incoming[9] == UInt8(ascii: "1")) {
            onProgress(handle)
        }
        return finished
    }

    /// Ends the connection's use: no new requests; the queued ones fail as retryable.
    private func stopTakingRequests(_ reason: String) -> [(UInt64, Result<HTTPResponse, TransportError>)] {
        closing = true
        defer { queue.removeAll() }
        return queue.map { ($0.handle, .failure(TransportError(.connectionClosed, reason))) }
    }

    /// A whole response at the start of `incoming` and its length, or nil when more is needed.
    private func parse(limit: Int) throws(TransportError) -> (HTTPResponse, Int)? {
        // All of a response (head, body with its chunk framing, trailers) stays within this.
        let maxResponse = Self.maxHeaderBlock * 2 + limit * 4
        guard incoming.count <= maxResponse else {
            throw TransportError(.httpBody, "HTTP/1.1 response larger than \(maxResponse) octets")
        }
        guard let (head, bodyStart) = try parseHead() else { return nil }
        var response = head
        let status = head.status
        if (100..<200).contains(status) || status == 204 || status == 304 { return (response, bodyStart) }
        if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            var state = chunks ?? ChunkedBody(position: bodyStart)
            defer { chunks = state }
            guard let end = try Self.dechunk(incoming, from: &state, limit: limit) else { return nil }
            response.body = state.body
            return (response, end)
        }
        guard let lengthText = response.header("content-length") else {
            throw TransportError(.httpProtocol, "HTTP/1.1 response without Content-Length or chunked body")
        }
        guard !lengthText.isEmpty, lengthText.utf8.allSatisfy({ (48...57).contains($0) }), lengthText.utf8.count <= 18,
            let length = Int(lengthText)
        else { throw TransportError(.httpProtocol, "bad Content-Length \(lengthText.prefix(40))") }
        guard length <= limit else { throw TransportError(.httpBody, "response body of \(length) octets exceeds \(limit)") }
        guard incoming.count - bodyStart >= length else { return nil }
        response.body = Array(incoming[bodyStart..<bodyStart + length])
        return (response, bodyStart + length)
    }

    /// The status line and header fields at the start of `incoming` (parsed once per
    /// response), or nil while the header block is incomplete.
    private func parseHead() throws(TransportError) -> (HTTPResponse, Int)? {
        if let head { return head }
        guard let headEnd = Self.find([13, 10, 13, 10], in: incoming[max(0, scannedForHeadEnd - 3)...]) else {
            scannedForHeadEnd = incoming.count
            if incoming.count > Self.maxHeaderBlock { throw TransportError(.httpProtocol, "HTTP/1.1 header block too long") }
            return nil
        }
        guard headEnd <= Self.maxHeaderBlock else { throw TransportError(.httpProtocol, "HTTP/1.1 header block too long") }
        let lines = String(decoding: incoming[..<headEnd], as: UTF8.self).split(separator: "\r\n" as Character)
        let statusLine = lines.first ?? ""
        let statusParts = statusLine.split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), statusParts[1].utf8.count == 3,
            let status = Int(statusParts[1]), (100...999).contains(status)
        else {
            throw TransportError(.httpProtocol, "not an HTTP/1.1 status line: \(statusLine.prefix(80))")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw TransportError(.httpProtocol, "bad HTTP/1.1 header line") }
            headers.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...].trimmingWhitespace)))
        }
        let parsed = (HTTPResponse(version: "HTTP/1.1", status: status, headers: headers, body: []), headEnd + 4)
        head = parsed
        return parsed
    }

    /// Goes on decoding a chunked body (RFC 9112 §7.1) from `state`: where the message ends,
    /// or nil when more is needed (`state` then holds what was decoded). Chunk sizes are at
    /// most 15 hex digits, so no sum overflows.
    private static func dechunk(_ octets: [UInt8], from state: inout ChunkedBody, limit: Int) throws(TransportError) -> Int? {
        while state.inTrailers {
            // Trailer fields, then an empty line.
            guard let end = find([13, 10], in: octets[state.position...]) else {
                if octets.count - state.position > maxTrailerLine { throw TransportError(.httpProtocol, "trailer line too long") }
                return nil
            }
            guard end - state.position <= maxTrailerLine else { throw TransportError(.httpProtocol, "trailer line too long") }
            if end == state.position { return end + 2 }
            state.position = end + 2
        }
        while true {
            let position = state.position
            guard let lineEnd = find([13, 10], in: octets[position...]) else {
                if octets.count - position > maxChunkLine { throw TransportError(.httpProtocol, "chunk-size line too long") }
                return nil
            }
            guard lineEnd - position <= maxChunkLine else { throw TransportError(.httpProtocol, "chunk-size line too long") }
            let digits = octets[position..<lineEnd].prefix { Self.hexValue($0) != nil }
            let extensions = octets[digits.endIndex..<lineEnd]
            guard !digits.isEmpty, digits.count <= 15, extensions.first.map({ [59, 32, 9].contains($0) }) ?? true else {
                throw TransportError(.httpProtocol, "bad chunk size")
            }
            let size = digits.reduce(0) { $0 << 4 | Self.hexValue($1)! }
            guard size <= limit - state.body.count else { throw TransportError(.httpBody, "response body exceeds \(limit) octets") }
            let dataStart = lineEnd + 2
            if size == 0 {
                state.position = dataStart
                state.inTrailers = true
                return try dechunk(octets, from: &state, limit: limit)
            }
            guard octets.count - dataStart >= size + 2 else { return nil }
            guard octets[dataStart + size] == 13, octets[dataStart + size + 1] == 10 else {
                throw TransportError(.httpProtocol, "chunk not followed by CRLF")
            }
            state.body += octets[dataStart..<dataStart + size]
            state.position = dataStart + size + 2
        }
    }

    private static func hexValue(_ octet: UInt8) -> Int? {
        switch octet {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(octet - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(octet - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(octet - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func find(_ pattern: [UInt8], in octets: ArraySlice<UInt8>) -> Int? {
        guard octets.count >= pattern.count else { return nil }
        var index = octets.startIndex
        while index <= octets.endIndex - pattern.count {
            if octets[index] == pattern[0], octets[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}
