// SPDX-License-Identifier: Apache-2.0
// HTTP/2 (RFC 9113) over libnghttp2's memory interface, so the poll loop keeps the socket.

internal import CDNSNghttp2
internal import DNSWire

/// An HTTP/2 client session: each request is a stream, many at once. nghttp2 holds
/// requests beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS until streams close, and
/// after a GOAWAY closes the streams the server will not process with REFUSED_STREAM,
/// which this codec reports as retryable (``TransportError/Code/streamRefused``).
///
/// Until the first response arrives, at most ``initialStreamLimit`` streams are opened:
/// servers guard against floods by dropping a connection that opens many streams before
/// its first request is answered (BIND 9.18 drops one that opens more than 50).
final class HTTP2Codec: HTTPVersionCodec {
    private struct Stream {
        let handle: UInt64
        let request: HTTPRequest
        var bodyOffset = 0
        var status: Int?
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
        var ended = false
        /// Set when the codec itself fails the stream (oversized body).
        var failure: TransportError?
    }

    static let initialStreamLimit = 32

    private var session: OpaquePointer?
    private var streams: [Int32: Stream] = [:]
    /// Requests held back until the first response (see ``initialStreamLimit``).
    private var held: [(handle: UInt64, request: HTTPRequest)] = []
    private var answered = false
    private var streamByHandle: [UInt64: Int32] = [:]
    private var finished: [(UInt64, Result<HTTPResponse, TransportError>)] = []
    private let httpLog: HTTPLogger
    private(set) var goawayReceived = false
    var onProgress: (UInt64) -> Void = { _ in }
    /// Set when nghttp2 ended the session over a protocol error of the server's (it sends
    /// GOAWAY with the error; this codec sends none otherwise).
    private var sessionError: TransportError?
    /// Octets nghttp2 produced while consuming, written with the next ``produce(into:)``.
    private var pendingOutput: [UInt8] = []
    /// Where the server's octets stand in HTTP/2 framing: the header octets of a frame read
    /// so far, and the payload octets still to come.
    private var frameHeader: [UInt8] = []
    private var payloadLeft = 0
    /// The stream whose response the current frame carries (DATA, HEADERS, CONTINUATION).
    private var answerFrameStream: Int32?

    /// Whether the server's octets stopped inside a frame.
    var holdsPartialMessage: Bool { payloadLeft > 0 || !frameHeader.isEmpty }

    init(httpLog: @escaping HTTPLogger) throws(TransportError) {
        self.httpLog = httpLog
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else { throw Self.error("nghttp2_session_callbacks_new") }
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, user in
            guard let frame, let name, let value else { return 0 }
            let codec = HTTP2Codec.from(user)
            codec.header(
                stream: frame.pointee.hd.stream_id, String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self))
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, user in
            guard let data else { return 0 }
            HTTP2Codec.from(user).data(stream: stream, UnsafeBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            guard let frame else { return 0 }
            HTTP2Codec.from(user).frameReceived(frame.pointee)
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, errorCode, user in
            HTTP2Codec.from(user).streamClosed(stream, errorCode: errorCode)
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, user in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_GOAWAY.rawValue) else { return 0 }
            HTTP2Codec.from(user).terminatedByUs(errorCode: frame.pointee.goaway.error_code)
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks) { _, frame, libraryError, user in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            HTTP2Codec.from(user).requestNotSent(frame.pointee.hd.stream_id, libraryError: libraryError)
            return 0
        }
        var session: OpaquePointer?
        guard nghttp2_session_client_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque()) == 0, let session else {
            throw Self.error("nghttp2_session_client_new")
        }
        self.session = session
        var settings = [nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0)]
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
    }

    deinit { nghttp2_session_del(session) }

    private static func from(_ user: UnsafeMutableRawPointer?) -> HTTP2Codec {
        Unmanaged<HTTP2Codec>.fromOpaque(user!).takeUnretainedValue()
    }

    private static func error(_ what: String, _ code: Int32? = nil) -> TransportError {
        TransportError(.httpProtocol, code.map { "\(what): \(String(cString: nghttp2_strerror($0)))" } ?? what)
    }

    var acceptsRequests: Bool { !goawayReceived }
    var isIdle: Bool { streams.isEmpty && held.isEmpty }
    /// Includes streams closed since the last produce or consume returned (a failing one
    /// does not return them).
    var waitingHandles: [UInt64] { streams.keys.sorted().map { streams[$0]!.handle } + held.map(\.handle) + finished.map(\.0) }

    // MARK: Requests

    func submit(_ request: HTTPRequest, for handle: UInt64) throws(TransportError) {
        guard answered || streams.count < Self.initialStreamLimit else { return held.append((handle, request)) }
        try open(request, for: handle)
    }

    private func open(_ request: HTTPRequest, for handle: UInt64) throws(TransportError) {
        // Names and values side by side in one buffer (nghttp2 copies them), with their lengths.
        var storage: [UInt8] = []
        var lengths: [(name: Int, value: Int)] = []
        func add(_ name: String, _ value: String) {
            storage += name.utf8
            storage += value.utf8
            lengths.append((name.utf8.count, value.utf8.count))
        }
        add(":method", request.method)
        add(":scheme", request.scheme)
        add(":authority", request.authority)
        add(":path", request.path)
        for header in request.headers { add(header.name, header.value) }
        let stream: Int32 = storage.withUnsafeMutableBufferPointer { buffer in
            var next = buffer.baseAddress!
            var vectors: [nghttp2_nv] = lengths.map { name, value in
                defer { next += name + value }
                return nghttp2_nv(name: next, value: next + name, namelen: name, valuelen: value, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            guard !request.body.isEmpty else {
                return nghttp2_submit_request(session, nil, &vectors, vectors.count, nil, nil)
            }
            var provider = nghttp2_data_provider()
            provider.read_callback = { _, stream, buffer, length, flags, _, user in
                HTTP2Codec.from(user).readBody(stream: stream, into: buffer, length: length, flags: flags)
            }
            return nghttp2_submit_request(session, nil, &vectors, vectors.count, &provider, nil)
        }
        guard stream > 0 else { throw Self.error("cannot submit an HTTP/2 request", stream) }
        streams[stream] = Stream(handle: handle, request: request)
        streamByHandle[handle] = stream
        httpLog(.info) { "\(request.method) \(request.scheme)://\(request.authority)\(request.path) HTTP/2 (stream \(stream))" }
        httpLog(.requestHeaders) { request.headerText(version: "HTTP/2") }
        if !request.body.isEmpty { httpLog(.requestBody) { BaseEncoding.hex.encode(request.body) } }
    }

    func cancel(_ handle: UInt64) {
        held.removeAll { $0.handle == handle }
        guard let stream = streamByHandle.removeValue(forKey: handle) else { return }
        streams[stream] = nil
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, NGHTTP2_CANCEL.rawValue)
    }

    private func readBody(
        stream: Int32, into buffer: UnsafeMutablePointer<UInt8>?, length: Int, flags: UnsafeMutablePointer<UInt32>?
    ) -> Int {
        guard var state = streams[stream], let buffer else {
            flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let count = min(length, state.request.body.count - state.bodyOffset)
        state.request.body.withUnsafeBufferPointer { body in
            buffer.update(from: body.baseAddress! + state.bodyOffset, count: count)
        }
        state.bodyOffset += count
        if state.bodyOffset == state.request.body.count { flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
        streams[stream] = state
        return count
    }

    // MARK: Octets

    func produce(into output: inout [UInt8]) throws(TransportError) -> [(UInt64, Result<HTTPResponse, TransportError>)] {
        if answered, !held.isEmpty {
            let waiting = held
            held.removeAll()
            for (handle, request) in waiting { try open(request, for: handle) }
        }
        output += pendingOutput
        pendingOutput.removeAll(keepingCapacity: true)
        try send(into: &output)
        defer { finished.removeAll() }
        return finished
    }

    func consume(_ octets: ArraySlice<UInt8>) throws(TransportError) -> [(UInt64, Result<HTTPResponse, TransportError>)] {
        trackFrames(octets)
        let consumed = octets.withUnsafeBufferPointer { nghttp2_session_mem_recv(session, $0.baseAddress, $0.count) }
        guard consumed >= 0 else { throw Self.error("HTTP/2 protocol error", Int32(consumed)) }
        // What nghttp2 queued in reply (acknowledgements, or GOAWAY over a protocol error of
        // the server's) is taken now, so such an error shows before the connection reads on.
        try send(into: &pendingOutput)
        defer { finished.removeAll() }
        return finished
    }

    /// Follows frame boundaries (a 9-octet header with a 24-bit payload length, RFC 9113 §4.1),
    /// and reports as progress the octets of HEADERS, CONTINUATION and DATA frames of a
    /// stream waiting for its answer — unless that stream's last status was interim (1xx):
    /// then the status of the next response decides (``header(stream:_:_:)``).
    private func trackFrames(_ octets: ArraySlice<UInt8>) {
        var progressed: [Int32] = []
        func note(_ stream: Int32?) {
            if let stream, progressed.last != stream { progressed.append(stream) }
        }
        var index = octets.startIndex
        while index < octets.endIndex {
            if payloadLeft > 0 {
                let skipped = min(payloadLeft, octets.endIndex - index)
                payloadLeft -= skipped
                index += skipped
                note(answerFrameStream)
                continue
            }
            frameHeader.append(octets[index])
            index += 1
            if frameHeader.count == 9 {
                payloadLeft = Int(frameHeader[0]) << 16 | Int(frameHeader[1]) << 8 | Int(frameHeader[2])
                let type = frameHeader[3]
                let stream = Int32(
                    bitPattern: UInt32(frameHeader[5] & 0x7F) << 24 | UInt32(frameHeader[6]) << 16 | UInt32(frameHeader[7]) << 8
                        | UInt32(frameHeader[8]))
                // DATA 0, HEADERS 1, CONTINUATION 9.
                answerFrameStream = type == 0 || type == 1 || type == 9 ? stream : nil
                note(answerFrameStream)
                frameHeader.removeAll(keepingCapacity: true)
            }
        }
        // Each stream must still be waiting (not answered, reset or cancelled meanwhile) and
        // not at an interim status.
        for stream in Set(progressed) {
            guard let state = streams[stream], !(100..<200).contains(state.status ?? 0) else { continue }
            onProgress(state.handle)
        }
    }

    /// Appends what nghttp2 has to send; throws once nghttp2 ended the session over an error.
    private func send(into output: inout [UInt8]) throws(TransportError) {
        while true {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &data)
            guard count >= 0 else { throw Self.error("HTTP/2 send", Int32(count)) }
            guard count > 0, let data else { break }
            output.append(contentsOf: UnsafeBufferPointer(start: data, count: count))
        }
        if let sessionError { throw sessionError }
    }

    /// Whether the session ended: the server sent GOAWAY and every stream it will process closed.
    var sessionEnded: Bool { nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0 }

    // MARK: Callbacks

    private func header(stream: Int32, _ name: String, _ value: String) {
        guard let state = streams[stream] else { return }
        if name == ":status" {
            streams[stream]?.status = Int(value)
            // An interim (1xx) response is no progress towards the answer; a final one is.
            if !value.hasPrefix("1") { onProgress(state.handle) }
        } else {
            streams[stream]?.headers.append((name, value))
        }
    }

    private func data(stream: Int32, _ chunk: UnsafeBufferPointer<UInt8>) {
        guard let state = streams[stream], state.failure == nil else { return }
        guard state.body.count + chunk.count <= state.request.maxResponseBody else {
            streams[stream]?.failure = TransportError(
                .httpBody, "response body larger than \(state.request.maxResponseBody) octets")
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, NGHTTP2_CANCEL.rawValue)
            return
        }
        streams[stream]?.body.append(contentsOf: chunk)
        onProgress(state.handle)
    }

    /// nghttp2 sent GOAWAY: it found the server breaking the protocol and ended the session.
    private func terminatedByUs(errorCode: UInt32) {
        let reason = String(cString: nghttp2_http2_strerror(errorCode))
        sessionError = TransportError(.httpProtocol, "HTTP/2 protocol error by the server (\(reason)); session ended")
        httpLog(.info) { "HTTP/2 session ended: \(reason)" }
    }

    private func frameReceived(_ frame: nghttp2_frame) {
        let type = UInt32(frame.hd.type)
        if type == NGHTTP2_GOAWAY.rawValue {
            goawayReceived = true
            let last = frame.goaway.last_stream_id
            httpLog(.info) {
                "HTTP/2 GOAWAY (last stream \(last), \(String(cString: nghttp2_http2_strerror(frame.goaway.error_code))))"
            }
        } else if type == NGHTTP2_DATA.rawValue || type == NGHTTP2_HEADERS.rawValue,
            frame.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        {
            streams[frame.hd.stream_id]?.ended = true
        }
    }

    private func streamClosed(_ stream: Int32, errorCode: UInt32) {
        guard let state = streams.removeValue(forKey: stream) else { return }
        streamByHandle[state.handle] = nil
        if let failure = state.failure { return finished.append((state.handle, .failure(failure))) }
        if state.ended, errorCode == NGHTTP2_NO_ERROR.rawValue, let status = state.status {
            answered = true
            let response = HTTPResponse(version: "HTTP/2", status: status, headers: state.headers, body: state.body)
            httpLog(.info) { "HTTP/2 \(status) (stream \(stream), \(state.body.count) octets)" }
            httpLog(.responseHeaders) { response.headerText() }
            httpLog(.responseBody) { BaseEncoding.hex.encode(state.body) }
            return finished.append((state.handle, .success(response)))
        }
        let reason = String(cString: nghttp2_http2_strerror(errorCode))
        // RFC 9113 §8.7: a refused stream was not processed and may be retried.
        let failure =
            errorCode == NGHTTP2_REFUSED_STREAM.rawValue
            ? TransportError(.streamRefused, "HTTP/2 stream \(stream) refused by the server")
            : TransportError(.httpStreamReset, "HTTP/2 stream \(stream) reset: \(reason)")
        finished.append((state.handle, .failure(failure)))
    }

    private func requestNotSent(_ stream: Int32, libraryError: Int32) {
        guard let state = streams.removeValue(forKey: stream) else { return }
        streamByHandle[state.handle] = nil
        let reason = String(cString: nghttp2_strerror(libraryError))
        finished.append((state.handle, .failure(TransportError(.streamRefused, "HTTP/2 request not sent: \(reason)"))))
    }
}
