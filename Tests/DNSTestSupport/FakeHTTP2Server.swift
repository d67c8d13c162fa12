// SPDX-License-Identifier: Apache-2.0
// An in-process HTTP/2 server on 127.0.0.1 for the DNS-over-HTTPS faults a real server will not
// produce on demand: GOAWAY mid-flight, RST_STREAM, odd statuses and bodies, stream limits,
// silence, a server that stops reading or hangs up.

import CDNSNghttp2
import CDNSOpenSSL
import Foundation
import Glibc
import Synchronization

/// An HTTP/2 server on the nghttp2 server API, answering each request from a script: cleartext
/// with prior knowledge (h2c, as a client speaks to an `http://` URL; no HTTP/1.1 Upgrade), or
/// TLS with ALPN "h2" when given a certificate. One thread polls the listener and every client;
/// the script runs on that thread, so it must not block: use `.delay`.
final class FakeHTTP2Server: Sendable {
    /// A complete request: its END_STREAM has arrived.
    struct Request: Sendable {
        let method: String
        let path: String
        /// Every header field in arrival order, names lowercased, pseudo-headers included.
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        /// The connection it came on: 1 for the first accepted, and so on.
        let connection: Int
        let streamID: Int32
        /// Its position among all requests the server has seen, from 0.
        let index: Int

        /// The first value of a header field (`name` lowercase).
        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

        /// The DNS message: a POST's body, or a GET's `dns` parameter decoded as base64url
        /// without padding (RFC 8484 §4.1); nil when a GET has none or it is not strict base64url.
        var dnsQuery: [UInt8]? {
            if method == "POST" { return body }
            guard method == "GET", let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
            for parameter in query.split(separator: "&") where parameter.hasPrefix("dns=") {
                return FakeHTTP2Server.base64URLDecode(parameter.dropFirst(4))
            }
            return nil
        }
    }

    /// What the server does with a request's stream.
    indirect enum Action: Sendable {
        /// Answers with this status, headers and body; `content-length` is added unless
        /// `headers` has one (a wrong one is a way to send a malformed response).
        case respond(status: Int, headers: [(String, String)] = [("content-type", "application/dns-message")], body: [UInt8])
        /// RST_STREAM with this code (REFUSED_STREAM is 7, INTERNAL_ERROR 2, CANCEL 8).
        case reset(errorCode: UInt32)
        /// Queues GOAWAY(lastStreamID, errorCode) on this connection at once, then performs
        /// `then` for this stream (subject to the rule for streams above lastStreamID). From
        /// then on:
        /// - streams ≤ lastStreamID carry on as usual: requests reach the script as they
        ///   complete and their actions, delayed ones included, are performed; a further
        ///   `.goaway` sends another GOAWAY, whose ID can only be lower (nghttp2 keeps the minimum);
        /// - streams > lastStreamID are never answered: every action for them (`then`,
        ///   pending `.delay`s, the script's) is dropped, and nghttp2 closes them without
        ///   RST_STREAM once the GOAWAY is written; a request on one that completes before that
        ///   still reaches the script and `received`;
        /// - streams the client opens after the GOAWAY is written are ignored (never in `received`);
        /// - the connection is closed (FIN after everything queued is written) as soon as no
        ///   stream ≤ lastStreamID is open any more: at once if there is none, never while one
        ///   of them is left unanswered by `.none`.
        ///
        /// An even `lastStreamID` is rounded down to odd (client streams are odd); 0 refuses all.
        case goaway(lastStreamID: Int32, errorCode: UInt32 = 0, then: Action = .none)
        /// Never answers; the stream stays open until the client resets it or the connection ends.
        case none
        /// Freezes the connection: what is already queued is written (best effort), then its
        /// socket is never read or written again and nothing more is answered; it stays open
        /// (and counts in `openConnections`) until `stop()`.
        case stopReading
        /// Closes the connection without GOAWAY: what is already queued is written, then FIN (over
        /// TLS, close_notify first); what the client still sends is read and discarded for up to
        /// 2 s, so that the kernel sends no RST.
        case close
        /// Performs the action after `seconds` (on the server thread, without holding up other
        /// streams or connections); dropped if the connection has ended or frozen by then.
        case delay(seconds: Double, Action)
    }

    let port: UInt16
    /// Every complete request, in order.
    let received = Mutex<[Request]>([])
    /// The most streams one connection had open at once (a stream opens with its HEADERS and
    /// closes when nghttp2 closes it: answered, reset, refused). A stream the client opens once it
    /// has acknowledged the SETTINGS, while already at `maxConcurrentStreams`, counts too, even
    /// though nghttp2 rejects it: a client that ignores the limit shows as limit + 1.
    let maxStreamsInFlight = Mutex<Int>(0)
    /// Accepted connections that have not been closed (frozen ones count).
    var openConnections: Int { open.load(ordering: .relaxed) }
    /// Connections accepted so far.
    var acceptedConnections: Int { accepted.load(ordering: .relaxed) }

    /// The SETTINGS_MAX_CONCURRENT_STREAMS the server sends, if any.
    let maxConcurrentStreams: UInt32?
    fileprivate let script: @Sendable (Request) -> Action
    fileprivate let open = Atomic<Int>(0)
    private let accepted = Atomic<Int>(0)
    private let listener: Int32
    private let running = Atomic<Bool>(true)
    private let finished = Atomic<Bool>(false)

    /// - Parameters:
    ///   - maxConcurrentStreams: SETTINGS_MAX_CONCURRENT_STREAMS for the initial SETTINGS
    ///     (nghttp2 then refuses excess streams itself); nil sends none, so no limit.
    ///   - certificate, key: PEM files; with them the server speaks TLS and selects ALPN "h2"
    ///     (a client that does not offer it gets no ALPN and then fails the HTTP/2 preface).
    ///   - script: the action for each complete request, called on the server thread.
    init(
        maxConcurrentStreams: UInt32? = nil, certificate: String? = nil, key: String? = nil,
        script: @escaping @Sendable (Request) -> Action
    ) throws {
        self.script = script
        self.maxConcurrentStreams = maxConcurrentStreams
        var context: OpaquePointer?
        if certificate != nil || key != nil {
            guard let certificate, let key, let created = SSL_CTX_new(TLS_server_method()) else { throw POSIXError(.EINVAL) }
            context = created
            guard SSL_CTX_use_certificate_chain_file(created, certificate) == 1, SSL_CTX_use_PrivateKey_file(created, key, SSL_FILETYPE_PEM) == 1
            else {
                SSL_CTX_free(created)
                throw POSIXError(.EINVAL)
            }
            // SSL_CTX_set_mode: retry writes from a buffer that may have moved, accept partial writes.
            SSL_CTX_ctrl(created, SSL_CTRL_MODE, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER), nil)
            SSL_CTX_set_alpn_select_cb(created, selectH2, nil)
        }
        guard let (listener, port) = loopbackListener(backlog: 64) else {
            SSL_CTX_free(context)
            throw POSIXError(.EADDRINUSE)
        }
        self.listener = listener
        self.port = port
        let box = TLSContextBox(context: context)
        Thread.detachNewThread { [self] in self.serve(tls: box.context) }
    }

    /// Stops the server thread, closing every connection and the listener.
    func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        while !finished.load(ordering: .acquiring) { usleep(500) }
        close(listener)
    }

    private func serve(tls context: OpaquePointer?) {
        var connections: [Connection] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while running.load(ordering: .relaxed) {
            let now = ContinuousClock.now
            for connection in connections { connection.fireTimers(now: now) }
            connections.removeAll { $0.state == .closed }
            var timeout = Duration.milliseconds(10)
            for connection in connections {
                if let deadline = connection.nextDeadline { timeout = min(timeout, max(.zero, now.duration(to: deadline))) }
            }
            let active = connections.filter { $0.state != .frozen }
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            fds += active.map { pollfd(fd: $0.fd, events: $0.pollEvents, revents: 0) }
            let milliseconds = Int32((timeout / .milliseconds(1)).rounded(.up))
            guard poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { continue }
            if fds[0].revents != 0 {
                let client = accept(listener, nil, nil)
                if client >= 0 {
                    _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
                    var ssl: OpaquePointer?
                    if let context {
                        ssl = SSL_new(context)
                        SSL_set_fd(ssl, client)
                        SSL_set_accept_state(ssl)
                    }
                    let number = accepted.add(1, ordering: .relaxed).newValue
                    open.add(1, ordering: .relaxed)
                    connections.append(Connection(fd: client, ssl: ssl, number: number, server: self))
                }
            }
            for (entry, connection) in zip(fds.dropFirst(), active) where entry.revents != 0 {
                connection.handle(revents: entry.revents, buffer: &buffer)
            }
        }
        for connection in connections { connection.release() }
        SSL_CTX_free(context)
        finished.store(true, ordering: .releasing)
    }

    /// Records a complete request and asks the script what to do with it.
    fileprivate func request(
        method: String, path: String, headers: [(name: String, value: String)], body: [UInt8], connection: Int, streamID: Int32
    ) -> Action {
        let request = received.withLock { received in
            let request = Request(
                method: method, path: path, headers: headers, body: body, connection: connection, streamID: streamID, index: received.count)
            received.append(request)
            return request
        }
        return script(request)
    }

    fileprivate func noteStreamsInFlight(_ count: Int) {
        maxStreamsInFlight.withLock { $0 = max($0, count) }
    }

    /// Strict base64url without padding (RFC 4648 §5); nil on any other character.
    static func base64URLDecode(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for character in text.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // 6 leftover bits cannot end a valid encoding; fewer must be zero.
        guard bits < 6, accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return bytes
    }
}

/// Carries the SSL_CTX to the server thread.
private struct TLSContextBox: @unchecked Sendable {
    let context: OpaquePointer?
}

/// ALPN: picks "h2" from the client's list, or no protocol.
private func selectH2(
    _ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, _ outLength: UnsafeMutablePointer<UInt8>?,
    _ offered: UnsafePointer<UInt8>?, _ offeredLength: UInt32, _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    guard let offered else { return SSL_TLSEXT_ERR_NOACK }
    var index = 0
    while index < Int(offeredLength) {
        let length = Int(offered[index])
        if length == 2, index + 2 < Int(offeredLength), offered[index + 1] == UInt8(ascii: "h"), offered[index + 2] == UInt8(ascii: "2") {
            out?.pointee = offered + index + 1
            outLength?.pointee = 2
            return SSL_TLSEXT_ERR_OK
        }
        index += 1 + length
    }
    return SSL_TLSEXT_ERR_NOACK
}

/// One client connection, its TLS state if any and its nghttp2 session; server thread only.
private final class Connection {
    enum State { case live, frozen, draining, closed }

    let fd: Int32
    let number: Int
    let server: FakeHTTP2Server
    private(set) var state = State.live
    private let ssl: OpaquePointer?
    private var session: OpaquePointer?
    /// Octets read but not yet given to nghttp2, and how much of the current frame (or the
    /// client preface, first) nghttp2 has still to see: input goes in frame by frame, so that
    /// nothing after the frame that triggered `.close` or `.stopReading` is processed.
    private var inbound: [UInt8] = []
    private var frameLeft = 24
    private var outbound: [UInt8] = []
    private var sent = 0
    /// What a blocked write waits for (TLS may need to read first), and whether a TLS read
    /// needs the socket writable.
    private var writeWaitsFor = Int16(POLLOUT)
    private var readWantsWrite = false
    /// Set by `.close` or `.stopReading`, acted on once nghttp2 has returned.
    private var pendingStop: State?
    /// Requests being received (by stream), then the bodies being sent.
    private var streams: [Int32: Stream] = [:]
    private var openStreams = Set<Int32>()
    private var highestStreamID: Int32 = 0
    private var settingsAcknowledged = false
    private var goawayLastStreamID: Int32?
    private var timers: [(deadline: ContinuousClock.Instant, streamID: Int32, action: FakeHTTP2Server.Action)] = []
    private var drainDeadline = ContinuousClock.now

    struct Stream {
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
        var complete = false
        var response: [UInt8] = []
        var responseSent = 0
    }

    init(fd: Int32, ssl: OpaquePointer?, number: Int, server: FakeHTTP2Server) {
        self.fd = fd
        self.ssl = ssl
        self.number = number
        self.server = server
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.install(callbacks)
        nghttp2_session_server_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque())
        var settings: [nghttp2_settings_entry] = []
        if let limit = server.maxConcurrentStreams {
            settings.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: limit))
        }
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), settings, settings.count)
        settle()
    }

    var pollEvents: Int16 {
        guard state == .live else { return Int16(POLLIN) }
        let writing = (sent < outbound.count && writeWaitsFor == Int16(POLLOUT)) || readWantsWrite
        return Int16(POLLIN) | (writing ? Int16(POLLOUT) : 0)
    }

    var nextDeadline: ContinuousClock.Instant? {
        switch state {
        case .live: timers.lazy.map(\.deadline).min()
        case .draining: drainDeadline
        case .frozen, .closed: nil
        }
    }

    func handle(revents: Int16, buffer: inout [UInt8]) {
        if state == .draining {
            // Discard until the client closes too (or the deadline passes, in fireTimers).
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { release() }
            return
        }
        guard readAvailable(&buffer) else {
            release()
            return
        }
        settle()
    }

    func fireTimers(now: ContinuousClock.Instant) {
        if state == .draining, drainDeadline <= now { release() }
        guard state == .live, timers.contains(where: { $0.deadline <= now }) else { return }
        let due = timers.filter { $0.deadline <= now }
        timers.removeAll { $0.deadline <= now }
        for timer in due where state == .live && pendingStop == nil { perform(timer.action, streamID: timer.streamID) }
        settle()
    }

    /// Reads everything the socket (or TLS) has and gives it to nghttp2; false when the client
    /// has gone or TLS failed.
    private func readAvailable(_ buffer: inout [UInt8]) -> Bool {
        while state == .live, pendingStop == nil {
            var count: Int
            if let ssl {
                let got = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
                readWantsWrite = false
                if got <= 0 {
                    switch SSL_get_error(ssl, got) {
                    case SSL_ERROR_WANT_READ: return true
                    case SSL_ERROR_WANT_WRITE:
                        readWantsWrite = true
                        return true
                    default: return false
                    }
                }
                count = Int(got)
            } else {
                count = recv(fd, &buffer, buffer.count, 0)
                if count == 0 { return false }
                if count < 0 { return errno == EAGAIN || errno == EINTR }
            }
            inbound += buffer[0..<count]
            receive()
        }
        return true
    }

    /// Gives nghttp2 the buffered input, one frame at a time, until the connection stops.
    private func receive() {
        var offset = 0
        while state == .live, pendingStop == nil, offset < inbound.count {
            if frameLeft == 0 {
                guard inbound.count - offset >= 9 else { break }
                frameLeft = 9 + (Int(inbound[offset]) << 16 | Int(inbound[offset + 1]) << 8 | Int(inbound[offset + 2]))
            }
            let count = min(frameLeft, inbound.count - offset)
            let result = inbound.withUnsafeBufferPointer { nghttp2_session_mem_recv(session, $0.baseAddress! + offset, count) }
            guard result >= 0 else {
                finish()  // not HTTP/2, or a fatal error: nghttp2 may have queued a GOAWAY
                return
            }
            offset += count
            frameLeft -= count
        }
        inbound.removeFirst(offset)
    }

    /// Writes what nghttp2 has to send and acts on a pending stop or a finished session.
    private func settle() {
        guard state == .live else { return }
        if let stop = pendingStop {
            pendingStop = nil
            _ = flush()
            if stop == .frozen { state = .frozen } else { finish(flushing: false) }
            return
        }
        if !flush() || (nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0 && sent == outbound.count) {
            finish(flushing: false)
        }
    }

    /// Moves nghttp2's output to the socket as far as it will go; false on a fatal error.
    private func flush() -> Bool {
        while true {
            while outbound.count - sent < 65_536 {
                var data: UnsafePointer<UInt8>?
                let count = nghttp2_session_mem_send(session, &data)
                guard count >= 0 else { return false }
                guard count > 0, let data else { break }
                outbound += UnsafeBufferPointer(start: data, count: count)
            }
            guard sent < outbound.count else { return true }
            guard let count = write() else { return false }
            guard count > 0 else { return true }  // blocked: poll says when to go on
            sent += count
            if sent == outbound.count || sent >= 65_536 {
                outbound.removeFirst(sent)
                sent = 0
            }
        }
    }

    /// Writes from `outbound[sent...]`: the count written (0 when blocked), nil on failure.
    private func write() -> Int? {
        outbound.withUnsafeBytes { bytes in
            let start = bytes.baseAddress! + sent
            if let ssl {
                let count = SSL_write(ssl, start, Int32(bytes.count - sent))
                if count > 0 {
                    writeWaitsFor = Int16(POLLOUT)
                    return Int(count)
                }
                switch SSL_get_error(ssl, count) {
                case SSL_ERROR_WANT_READ: writeWaitsFor = Int16(POLLIN)
                case SSL_ERROR_WANT_WRITE: writeWaitsFor = Int16(POLLOUT)
                default: return nil
                }
                return 0
            }
            let count = send(fd, start, bytes.count - sent, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            writeWaitsFor = Int16(POLLOUT)
            return errno == EAGAIN || errno == EINTR ? 0 : nil
        }
    }

    /// Ends the HTTP/2 side: writes what is queued, sends close_notify (TLS) and FIN, then
    /// drains until the client closes.
    private func finish(flushing: Bool = true) {
        guard state == .live || state == .frozen else { return }
        if flushing { _ = flush() }
        nghttp2_session_del(session)
        session = nil
        timers = []
        streams = [:]
        if let ssl, SSL_is_init_finished(ssl) == 1 { SSL_shutdown(ssl) }
        shutdown(fd, Int32(SHUT_WR))
        server.open.subtract(1, ordering: .relaxed)
        state = .draining
        drainDeadline = .now + .seconds(2)
    }

    /// Closes the socket and frees the session.
    func release() {
        guard state != .closed else { return }
        if state != .draining { server.open.subtract(1, ordering: .relaxed) }
        nghttp2_session_del(session)
        session = nil
        SSL_free(ssl)
        close(fd)
        state = .closed
    }

    // MARK: Actions

    private func perform(_ action: FakeHTTP2Server.Action, streamID: Int32) {
        if let last = goawayLastStreamID, streamID > last { return }
        switch action {
        case .respond(let status, let headers, let body):
            guard openStreams.contains(streamID) else { return }
            var fields = [(":status", String(status))] + headers
            if !headers.contains(where: { $0.0.lowercased() == "content-length" }) { fields.append(("content-length", String(body.count))) }
            streams[streamID, default: Stream()].response = body
            submitResponse(streamID: streamID, fields: fields, hasBody: !body.isEmpty)
        case .reset(let errorCode):
            guard openStreams.contains(streamID) else { return }
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode)
        case .goaway(let lastStreamID, let errorCode, let then):
            let last = lastStreamID <= 0 ? 0 : lastStreamID % 2 == 0 ? lastStreamID - 1 : lastStreamID
            nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, errorCode, nil, 0)
            goawayLastStreamID = min(goawayLastStreamID ?? last, last)
            perform(then, streamID: streamID)
        case .none:
            break
        case .stopReading:
            pendingStop = .frozen
        case .close:
            pendingStop = .closed
        case .delay(let seconds, let action):
            timers.append((.now + .seconds(seconds), streamID, action))
        }
    }

    private func submitResponse(streamID: Int32, fields: [(String, String)], hasBody: Bool) {
        // nghttp2 copies names and values (no NO_COPY flags), so they live only for the call.
        let copies = fields.map { (strdup($0.0.lowercased())!, strdup($0.1)!) }
        defer {
            for (name, value) in copies {
                free(name)
                free(value)
            }
        }
        let nva = copies.map { name, value in
            nghttp2_nv(
                name: UnsafeMutableRawPointer(name).assumingMemoryBound(to: UInt8.self),
                value: UnsafeMutableRawPointer(value).assumingMemoryBound(to: UInt8.self),
                namelen: strlen(name), valuelen: strlen(value), flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
        }
        var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: Self.readBody)
        if hasBody {
            nghttp2_submit_response(session, streamID, nva, nva.count, &provider)
        } else {
            nghttp2_submit_response(session, streamID, nva, nva.count, nil)
        }
    }

    // MARK: nghttp2 callbacks (user_data is the Connection)

    fileprivate static func from(_ userData: UnsafeMutableRawPointer?) -> Connection {
        Unmanaged<Connection>.fromOpaque(userData!).takeUnretainedValue()
    }

    private static let readBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, userData in
        let connection = Connection.from(userData)
        guard var stream = connection.streams[streamID], let buffer else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        let count = min(length, stream.response.count - stream.responseSent)
        stream.response.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + stream.responseSent, count: count) }
        stream.responseSent += count
        if stream.responseSent == stream.response.count { flags?.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
        connection.streams[streamID] = stream
        return count
    }

    private static func install(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks) { _, header, userData in
            let connection = Connection.from(userData)
            // A new stream beyond the acknowledged limit: nghttp2 will reject it, but it counts.
            if let header, header.pointee.type == UInt8(NGHTTP2_HEADERS.rawValue), header.pointee.stream_id & 1 == 1,
                header.pointee.stream_id > connection.highestStreamID, connection.settingsAcknowledged,
                connection.goawayLastStreamID == nil, let limit = connection.server.maxConcurrentStreams,
                connection.openStreams.count >= Int(limit)
            {
                connection.server.noteStreamsInFlight(connection.openStreams.count + 1)
            }
            if let header, header.pointee.type == UInt8(NGHTTP2_HEADERS.rawValue) {
                connection.highestStreamID = max(connection.highestStreamID, header.pointee.stream_id)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            let connection = Connection.from(userData)
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue), frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
            else { return 0 }
            let streamID = frame.pointee.hd.stream_id
            connection.openStreams.insert(streamID)
            connection.streams[streamID] = Stream()
            connection.server.noteStreamsInFlight(connection.openStreams.count)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
            let connection = Connection.from(userData)
            guard let frame, let name, let value else { return 0 }
            let field = (
                name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self).lowercased(),
                value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self)
            )
            connection.streams[frame.pointee.hd.stream_id]?.headers.append(field)
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            let connection = Connection.from(userData)
            guard let data else { return 0 }
            connection.streams[streamID]?.body += UnsafeBufferPointer(start: data, count: length)
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            let connection = Connection.from(userData)
            guard let frame else { return 0 }
            let header = frame.pointee.hd
            if header.type == UInt8(NGHTTP2_SETTINGS.rawValue), header.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 {
                connection.settingsAcknowledged = true
            }
            guard header.type == UInt8(NGHTTP2_HEADERS.rawValue) || header.type == UInt8(NGHTTP2_DATA.rawValue),
                header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0,
                let stream = connection.streams[header.stream_id], !stream.complete
            else { return 0 }
            connection.streams[header.stream_id]?.complete = true
            let action = connection.server.request(
                method: stream.headers.first { $0.name == ":method" }?.value ?? "",
                path: stream.headers.first { $0.name == ":path" }?.value ?? "",
                headers: stream.headers, body: stream.body, connection: connection.number, streamID: header.stream_id)
            connection.perform(action, streamID: header.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, _, userData in
            let connection = Connection.from(userData)
            connection.openStreams.remove(streamID)
            connection.streams[streamID] = nil
            return 0
        }
    }
}
