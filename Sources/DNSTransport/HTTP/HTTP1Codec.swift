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
    private var closing = false
    private let httpLog: HTTPLogger
    /// Header blocks longer than this are a protocol error.
    private static let maxHeaderBlock = 65_536

    init(httpLog: @escaping HTTPLogger) {
        self.httpLog = httpLog
    }

    var acceptsRequests: Bool { !closing }
    var isIdle: Bool { queue.isEmpty && inFlight?.handle == nil }
    var waitingHandles: [UInt64] { (inFlight?.handle.map { [$0] } ?? []) + queue.map(\.handle) }

    func submit(_ request: HTTPRequest, for handle: UInt64) throws {
        queue.append((handle, request))
    }

    func cancel(_ handle: UInt64) {
        if inFlight?.handle == handle {
            inFlight?.handle = nil
            closing = true
        }
        queue.removeAll { $0.handle == handle }
    }

    func produce(into output: inout [UInt8]) throws -> [(UInt64, Result<HTTPResponse, TransportError>)] {
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

    func consume(_ octets: ArraySlice<UInt8>) throws -> [(UInt64, Result<HTTPResponse, TransportError>)] {
        incoming += octets
        var finished: [(UInt64, Result<HTTPResponse, TransportError>)] = []
        while let current = inFlight, let (response, length) = try parse(limit: current.request.maxResponseBody) {
            incoming.removeFirst(length)
            if (100..<200).contains(response.status) { continue }
            inFlight = nil
            httpLog(.info) { "HTTP/1.1 \(response.status) (\(response.body.count) octets)" }
            httpLog(.responseHeaders) { response.headerText() }
            if let handle = current.handle { finished.append((handle, .success(response))) }
            if response.header("connection")?.lowercased() == "close" {
                closing = true
                finished += queue.map { ($0.handle, .failure(TransportError(.connectionClosed, "server closes the HTTP/1.1 connection"))) }
                queue.removeAll()
            }
        }
        return finished
    }

    /// A whole response at the start of `incoming` and its length, or nil when more is needed.
    private func parse(limit: Int) throws -> (HTTPResponse, Int)? {
        guard let headEnd = Self.find([13, 10, 13, 10], in: incoming[...]) else {
            if incoming.count > Self.maxHeaderBlock { throw TransportError(.httpProtocol, "HTTP/1.1 header block too long") }
            return nil
        }
        let lines = String(decoding: incoming[..<headEnd], as: UTF8.self).split(separator: "\r\n" as Character)
        let statusLine = lines.first ?? ""
        let statusParts = statusLine.split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw TransportError(.httpProtocol, "not an HTTP/1.1 status line: \(statusLine.prefix(80))")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw TransportError(.httpProtocol, "bad HTTP/1.1 header line") }
            headers.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...].trimmingWhitespace)))
        }
        var response = HTTPResponse(version: "HTTP/1.1", status: status, headers: headers, body: [])
        let bodyStart = headEnd + 4
        if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            guard let (body, end) = try Self.dechunk(incoming[bodyStart...], limit: limit) else { return nil }
            response.body = body
            return (response, end)
        }
        guard let lengthText = response.header("content-length") else {
            if (100..<200).contains(status) || status == 204 || status == 304 { return (response, bodyStart) }
            throw TransportError(.httpProtocol, "HTTP/1.1 response without Content-Length or chunked body")
        }
        guard let length = Int(lengthText), length >= 0 else { throw TransportError(.httpProtocol, "bad Content-Length \(lengthText)") }
        guard length <= limit else { throw TransportError(.httpBody, "response body of \(length) octets exceeds \(limit)") }
        guard incoming.count - bodyStart >= length else { return nil }
        response.body = Array(incoming[bodyStart..<bodyStart + length])
        return (response, bodyStart + length)
    }

    /// Decodes a chunked body (RFC 9112 §7.1): the body and where the message ends, or nil
    /// when more is needed.
    private static func dechunk(_ octets: ArraySlice<UInt8>, limit: Int) throws -> ([UInt8], Int)? {
        var body: [UInt8] = []
        var position = octets.startIndex
        while true {
            guard let lineEnd = find([13, 10], in: octets[position...]) else { return nil }
            let sizeText = String(decoding: octets[position..<lineEnd], as: UTF8.self).prefix { $0 != ";" }
            guard let size = Int(sizeText.trimmingWhitespace, radix: 16), size >= 0 else {
                throw TransportError(.httpProtocol, "bad chunk size")
            }
            guard body.count + size <= limit else { throw TransportError(.httpBody, "response body exceeds \(limit) octets") }
            position = lineEnd + 2
            if size == 0 {
                // Trailer fields, then an empty line.
                while true {
                    guard let end = find([13, 10], in: octets[position...]) else { return nil }
                    defer { position = end + 2 }
                    if end == position { return (body, end + 2) }
                }
            }
            guard octets.endIndex - position >= size + 2 else { return nil }
            body += octets[position..<position + size]
            position += size + 2
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
