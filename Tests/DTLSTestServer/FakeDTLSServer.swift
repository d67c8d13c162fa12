// SPDX-License-Identifier: Apache-2.0
// An in-process DNS-over-DTLS server (RFC 8094) on 127.0.0.1 for the DTLS client tests socat
// cannot do, and for the DTLS handshake benchmark (a server that keeps sessions to resume).

import CDNSOpenSSL
import DNSTransport
import Glibc
import Synchronization

/// An in-process DNS-over-DTLS server on 127.0.0.1 (DTLS 1.2 only; RFC 8094: each DNS message
/// in one DTLS record, no length prefix) that sees the plaintext queries and answers from a
/// closure, with a certificate or a pre-shared key, and misbehaviour on request.
///
/// ```swift
/// let server = try FakeDTLSServer(.init(certificate: tls + "/server.crt", key: tls + "/server.key"),
///                                 answer: FakeDTLSServer.relay(toPort: try Testbed.port()))
/// defer { server.stop() }
/// // … query 127.0.0.1:server.port over DTLS …
/// #expect(server.handshakes == 1 && server.queries.count == 1)
/// ```
///
/// One UDP socket and one thread, which reads every datagram itself and runs OpenSSL over memory
/// BIOs, one association per client address and port: several clients are served at once, each
/// record the server writes goes out as a datagram of its own (1400-octet link MTU), and a
/// datagram from an address without an association is ignored unless it opens a handshake
/// (a ClientHello in epoch 0, which from an address with an established association starts a
/// new one in its place). An association is forgotten when its client sends close_notify (not
/// answered) or a fatal alert, when OpenSSL fails it (after the fatal alert OpenSSL chooses), after
/// `alertAfterQueries`, after `idleTimeout` of silence, and on ``restart()``. A reply longer than
/// the MTU goes out as one large record (OpenSSL does not fragment application data). `answer`
/// runs on the server thread and holds it up. Call ``stop()`` when done.
public final class FakeDTLSServer: Sendable {
    /// A pre-shared key and the identity a client must send with it.
    public struct PreSharedKey: Sendable {
        public var identity: String
        public var key: [UInt8]

        public init(identity: String, key: [UInt8]) {
            self.identity = identity
            self.key = key
        }
    }

    public struct Behaviour: Sendable {
        /// PEM certificate chain and key (e.g. the testbed's $TESTBED_DIR/tls/server.crt/.key,
        /// self.crt, wrong.crt); nil with PSK only.
        public var certificate: String? = nil
        public var key: String? = nil
        /// Pre-shared key: the identity the client must send and the key. A PSK-only server (no
        /// certificate) offers PSK cipher suites only; with a certificate, both kinds.
        public var psk: PreSharedKey? = nil
        /// Answer each ClientHello without a valid cookie with HelloVerifyRequest; the cookie is
        /// an HMAC of the client's address and port under a secret of the server's.
        public var cookieExchange = false
        /// Drop this many datagrams that open a handshake from each new client address and port
        /// (forces the client's handshake retransmission timer).
        public var dropFirstDatagrams = 0
        /// Bind the port but never send anything (a server that never answers).
        public var silent = false
        /// After this many queries in a session (each answered first), end the session with
        /// close_notify and forget it.
        public var alertAfterQueries: Int? = nil
        /// Session resumption: tickets and a server session cache (with an id context), so a
        /// client offering its session resumes; false turns both off.
        public var resumption = true
        /// An association without a datagram from its client for this long is forgotten.
        public var idleTimeout: Duration = .seconds(30)

        public init(
            certificate: String? = nil, key: String? = nil, psk: PreSharedKey? = nil, cookieExchange: Bool = false, dropFirstDatagrams: Int = 0,
            silent: Bool = false, alertAfterQueries: Int? = nil, resumption: Bool = true, idleTimeout: Duration = .seconds(30)
        ) {
            (self.certificate, self.key, self.psk, self.cookieExchange) = (certificate, key, psk, cookieExchange)
            (self.dropFirstDatagrams, self.silent, self.alertAfterQueries) = (dropFirstDatagrams, silent, alertAfterQueries)
            (self.resumption, self.idleTimeout) = (resumption, idleTimeout)
        }
    }

    public let port: UInt16
    private let fd: Int32
    private let behaviour: Behaviour
    private let answer: @Sendable ([UInt8]) -> [[UInt8]]
    private let tally = Tally()
    private let running = Atomic<Bool>(true)
    private let finished = Atomic<Bool>(false)
    private let closed = Atomic<Bool>(false)
    private let restartsAsked = Atomic<Int>(0)
    private let restartsDone = Atomic<Int>(0)

    /// Handshakes completed, full or resumed.
    public var handshakes: Int { tally.counts.withLock { $0.handshakes } }
    /// Handshakes completed that resumed a session (by ticket or session id).
    public var resumedHandshakes: Int { tally.counts.withLock { $0.resumed } }
    /// Every query received (plaintext), in order, from every session.
    public var queries: [[UInt8]] { tally.counts.withLock { $0.queries } }
    /// The description of each alert the server sent, in order: close_notify (0) for
    /// `alertAfterQueries`, and the fatal alerts OpenSSL sends when a handshake fails (40
    /// handshake_failure, 115 unknown_psk_identity, …).
    public var alerts: [UInt8] { tally.counts.withLock { $0.alerts } }

    /// - Parameter answer: gets each plaintext query and returns the replies to send, each in a
    ///   DTLS record of its own: [] leaves the query unanswered.
    /// - Throws: when the socket cannot be bound, or the certificate, key or PSK are unusable.
    public init(_ behaviour: Behaviour, answer: @escaping @Sendable ([UInt8]) -> [[UInt8]]) throws {
        self.behaviour = behaviour
        self.answer = answer
        _ = try Context(behaviour, tally: tally)  // throws now if the certificate, key or PSK are unusable
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = Peer(host: inet_addr("127.0.0.1"), port: 0).address
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound else {
            if fd >= 0 { close(fd) }
            throw FakeDTLSServerError("cannot bind a UDP socket on 127.0.0.1")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
        try startThread(name: "fake DTLS") { [self] in
            self.serve()
            self.finished.store(true, ordering: .sequentiallyConsistent)
        }
    }

    /// Forgets every session and its ticket keys, as a restarted server does (keeping the port):
    /// a client's records for an old session are ignored, a new handshake is accepted, and it
    /// cannot resume. Returns once the server thread has done it.
    public func restart() {
        let ticket = restartsAsked.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        while restartsDone.load(ordering: .sequentiallyConsistent) < ticket, !finished.load(ordering: .sequentiallyConsistent) {
            usleep(1000)
        }
    }

    /// Ends the server thread (which frees every OpenSSL object) and closes the socket; calling it
    /// again does nothing.
    public func stop() {
        running.store(false, ordering: .sequentiallyConsistent)
        while !finished.load(ordering: .sequentiallyConsistent) { usleep(1000) }
        if !closed.exchange(true, ordering: .sequentiallyConsistent) { close(fd) }
    }

    /// An `answer` that relays each query to the UDP DNS server at 127.0.0.1:`port` (the testbed's
    /// BIND) and returns its reply, or nothing after 2 s without one.
    public static func relay(toPort port: Int) -> @Sendable ([UInt8]) -> [[UInt8]] {
        { query in
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { return [] }
            defer { close(fd) }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = Peer(host: inet_addr("127.0.0.1"), port: UInt16(port)).address
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0, send(fd, query, query.count, 0) == query.count else { return [] }
            var buffer = [UInt8](repeating: 0, count: 65_535)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count > 0 ? [Array(buffer[0..<count])] : []
        }
    }

    // MARK: The server thread

    /// Serves until `stop()`; every OpenSSL object is freed when it returns.
    private func serve() {
        guard var context = try? Context(behaviour, tally: tally) else { return }
        var associations: [Peer: Association] = [:]
        var dropped: [Peer: Int] = [:]
        var restarts = 0
        while running.load(ordering: .relaxed) {
            let asked = restartsAsked.load(ordering: .sequentiallyConsistent)
            if asked > restarts {
                for association in associations.values { association.free() }
                associations = [:]
                if let fresh = try? Context(behaviour, tally: tally) { context = fresh }
                restarts = asked
                restartsDone.store(asked, ordering: .sequentiallyConsistent)
            }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, 10) > 0 {
                while let (datagram, peer) = receive() {
                    guard !behaviour.silent else { continue }
                    let opensHandshake = datagram.count > 13 && datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 0 && datagram[13] == 1
                    if let association = associations[peer], !(opensHandshake && association.established) {
                        if !feed(association, datagram) { associations[peer] = nil }
                        continue
                    }
                    associations[peer]?.free()
                    associations[peer] = nil
                    guard opensHandshake else { continue }  // a record of a forgotten session
                    if dropped[peer, default: 0] < behaviour.dropFirstDatagrams {
                        dropped[peer, default: 0] += 1
                        continue
                    }
                    guard let association = Association(context: context.ctx, peer: peer) else { continue }
                    associations[peer] = association
                    if !feed(association, datagram) { associations[peer] = nil }
                }
            }
            let now = ContinuousClock.now
            for (peer, association) in associations {
                let expired = now - association.lastHeard > behaviour.idleTimeout
                if expired || cdns_DTLSv1_handle_timeout(association.ssl) < 0 {
                    flush(association)
                    association.free()
                    associations[peer] = nil
                } else {
                    flush(association)
                }
            }
        }
        for association in associations.values { association.free() }
    }

    /// The next datagram waiting on the socket and its sender, or nil.
    private func receive() -> ([UInt8], Peer)? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &length) }
        }
        guard count >= 0 else { return nil }
        return (Array(buffer[0..<count]), Peer(host: address.sin_addr.s_addr, port: UInt16(bigEndian: address.sin_port)))
    }

    /// Hands one datagram to an association's OpenSSL, answers the queries it completes and sends
    /// what OpenSSL wrote.
    /// - Returns: false when the association has ended (it has been freed).
    private func feed(_ association: Association, _ datagram: [UInt8]) -> Bool {
        association.lastHeard = .now
        _ = datagram.withUnsafeBytes { BIO_write(association.input, $0.baseAddress, Int32($0.count)) }
        let ssl = association.ssl
        if !association.established {
            let result = SSL_do_handshake(ssl)
            if result == 1 {
                association.established = true
                let resumed = SSL_session_reused(ssl) == 1
                tally.counts.withLock {
                    $0.handshakes += 1
                    if resumed { $0.resumed += 1 }
                }
            } else if SSL_get_error(ssl, result) != SSL_ERROR_WANT_READ {
                return end(association, closeNotify: false)
            }
        }
        var buffer = [UInt8](repeating: 0, count: 17_000)
        while association.established {
            let count = SSL_read(ssl, &buffer, Int32(buffer.count))
            guard count > 0 else {
                if SSL_get_error(ssl, count) == SSL_ERROR_WANT_READ { break }
                return end(association, closeNotify: false)  // close_notify from the client, or an error
            }
            let query = Array(buffer[0..<Int(count)])
            tally.counts.withLock { $0.queries.append(query) }
            for reply in answer(query) {
                _ = reply.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            }
            association.queries += 1
            if let limit = behaviour.alertAfterQueries, association.queries >= limit {
                return end(association, closeNotify: true)
            }
        }
        flush(association)
        return true
    }

    /// Sends what OpenSSL wrote (with close_notify first if asked) and frees the association.
    /// - Returns: false.
    private func end(_ association: Association, closeNotify: Bool) -> Bool {
        if closeNotify { _ = SSL_shutdown(association.ssl) }
        flush(association)
        association.free()
        return false
    }

    /// Sends the records waiting in an association's output BIO, each as a datagram of its own.
    private func flush(_ association: Association) {
        let pending = Int(BIO_ctrl_pending(association.output))
        guard pending > 0 else { return }
        var bytes = [UInt8](repeating: 0, count: pending)
        let count = Int(BIO_read(association.output, &bytes, Int32(pending)))
        var address = association.peer.address
        var start = 0
        while start + 13 <= count {
            let end = min(count, start + 13 + (Int(bytes[start + 11]) << 8 | Int(bytes[start + 12])))
            _ = bytes[start..<end].withUnsafeBytes { record in
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, record.baseAddress, record.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            start = end
        }
    }
}

/// A client's IPv4 address (as in `sockaddr_in`, network order) and port.
private struct Peer: Hashable {
    let host: in_addr_t
    let port: UInt16

    var address: sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = host
        address.sin_port = port.bigEndian
        return address
    }

    /// The octets the cookie covers.
    var octets: [UInt8] { withUnsafeBytes(of: host) { Array($0) } + [UInt8(port >> 8), UInt8(port & 0xFF)] }
}

/// What the server counts, shared by its thread, its OpenSSL callbacks and the tests.
private final class Tally: Sendable {
    struct Counts {
        var handshakes = 0
        var resumed = 0
        var queries: [[UInt8]] = []
        var alerts: [UInt8] = []
    }
    let counts = Mutex(Counts())
}

/// One client's DTLS association: an SSL object over two memory BIOs. Server thread only.
private final class Association {
    let peer: Peer
    let ssl: OpaquePointer
    /// The datagrams from the client, written by the server thread, read by OpenSSL.
    let input: OpaquePointer
    /// The records OpenSSL writes, sent by the server thread.
    let output: OpaquePointer
    var established = false
    var queries = 0
    var lastHeard = ContinuousClock.now

    init?(context: OpaquePointer, peer: Peer) {
        guard let ssl = SSL_new(context) else { return nil }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            return nil
        }
        _ = cdns_BIO_set_mem_eof_return(input, -1)  // empty: retry, not end of file
        SSL_set_bio(ssl, input, output)
        SSL_set_accept_state(ssl)
        _ = cdns_DTLS_set_link_mtu(ssl, 1400)
        (self.peer, self.ssl, self.input, self.output) = (peer, ssl, input, output)
        _ = cdns_SSL_set_app_data(ssl, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Frees the SSL object and its BIOs; the association must not be used afterwards. Its
    /// session stays in the cache (OpenSSL drops a session freed without shutdown), unless a
    /// fatal alert has already removed it.
    func free() {
        SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN)
        SSL_free(ssl)
    }

    /// The association an SSL object belongs to (from the OpenSSL callbacks).
    static func of(_ ssl: OpaquePointer) -> Association? {
        cdns_SSL_get_app_data(ssl).map { Unmanaged<Association>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// An SSL_CTX configured from a `Behaviour`, with what its callbacks need: a new one has new
/// ticket keys, an empty session cache and a new cookie secret. Freed when released.
private final class Context {
    let ctx: OpaquePointer
    let psk: FakeDTLSServer.PreSharedKey?
    let secret: [UInt8]
    let tally: Tally

    init(_ behaviour: FakeDTLSServer.Behaviour, tally: Tally) throws {
        guard behaviour.certificate != nil || behaviour.psk != nil, let ctx = SSL_CTX_new(DTLS_server_method()) else {
            throw FakeDTLSServerError("a certificate or a PSK is needed")
        }
        guard Self.configure(ctx, behaviour) else {
            SSL_CTX_free(ctx)
            throw FakeDTLSServerError("the certificate, key or PSK is unusable")
        }
        (self.ctx, psk, secret, self.tally) = (ctx, behaviour.psk, (0..<32).map { _ in UInt8.random(in: 0...255) }, tally)
        _ = cdns_SSL_CTX_set_app_data(ctx, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { SSL_CTX_free(ctx) }

    /// The context an SSL object was made from (from the OpenSSL callbacks).
    static func of(_ ssl: OpaquePointer) -> Context? {
        SSL_get_SSL_CTX(ssl).flatMap { cdns_SSL_CTX_get_app_data($0) }.map { Unmanaged<Context>.fromOpaque($0).takeUnretainedValue() }
    }

    private static func configure(_ ctx: OpaquePointer, _ behaviour: FakeDTLSServer.Behaviour) -> Bool {
        guard cdns_SSL_CTX_set_min_proto_version(ctx, cdns_DTLS1_2_VERSION()) == 1,
            cdns_SSL_CTX_set_max_proto_version(ctx, cdns_DTLS1_2_VERSION()) == 1
        else { return false }
        var options = cdns_SSL_OP_NO_QUERY_MTU()
        if behaviour.cookieExchange { options |= cdns_SSL_OP_COOKIE_EXCHANGE() }
        if !behaviour.resumption { options |= cdns_SSL_OP_NO_TICKET() }
        _ = SSL_CTX_set_options(ctx, options)
        if let certificate = behaviour.certificate {
            guard SSL_CTX_use_certificate_chain_file(ctx, certificate) == 1,
                SSL_CTX_use_PrivateKey_file(ctx, behaviour.key ?? certificate, SSL_FILETYPE_PEM) == 1,
                SSL_CTX_check_private_key(ctx) == 1
            else { return false }
        }
        // DEFAULT holds the PSK suites too, which OpenSSL picks only with a PSK callback.
        guard SSL_CTX_set_cipher_list(ctx, behaviour.certificate == nil ? "aPSK" : "DEFAULT") == 1 else { return false }
        if behaviour.psk != nil { SSL_CTX_set_psk_server_callback(ctx, pskCallback) }
        if behaviour.cookieExchange {
            SSL_CTX_set_cookie_generate_cb(ctx, generateCookie)
            SSL_CTX_set_cookie_verify_cb(ctx, verifyCookie)
        }
        let sessionContext = Array("FakeDTLSServer".utf8)
        _ = SSL_CTX_set_session_id_context(ctx, sessionContext, UInt32(sessionContext.count))
        _ = cdns_SSL_CTX_set_session_cache_mode(ctx, behaviour.resumption ? Int(SSL_SESS_CACHE_SERVER) : Int(SSL_SESS_CACHE_OFF))
        SSL_CTX_set_info_callback(ctx, infoCallback)
        return true
    }

    /// The cookie for the client of `ssl`: HMAC-SHA256 of its address and port.
    func cookie(for ssl: OpaquePointer) -> [UInt8]? {
        guard let association = Association.of(ssl) else { return nil }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let octets = association.peer.octets
        guard HMAC(EVP_sha256(), secret, Int32(secret.count), octets, octets.count, &digest, &length) != nil else { return nil }
        return Array(digest[0..<Int(length)])
    }
}

/// Finds the key for the identity the client sent; 0 (no key) for any other identity.
private func pskCallback(
    _ ssl: OpaquePointer?, _ identity: UnsafePointer<CChar>?, _ key: UnsafeMutablePointer<UInt8>?, _ capacity: UInt32
) -> UInt32 {
    guard let ssl, let identity, let key, let psk = Context.of(ssl)?.psk, String(cString: identity) == psk.identity,
        psk.key.count <= Int(capacity)
    else { return 0 }
    key.update(from: psk.key, count: psk.key.count)
    return UInt32(psk.key.count)
}

private func generateCookie(_ ssl: OpaquePointer?, _ cookie: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<UInt32>?) -> Int32 {
    guard let ssl, let cookie, let length, let bytes = Context.of(ssl)?.cookie(for: ssl) else { return 0 }
    cookie.update(from: bytes, count: bytes.count)
    length.pointee = UInt32(bytes.count)
    return 1
}

private func verifyCookie(_ ssl: OpaquePointer?, _ cookie: UnsafePointer<UInt8>?, _ length: UInt32) -> Int32 {
    guard let ssl, let cookie, let expected = Context.of(ssl)?.cookie(for: ssl) else { return 0 }
    return Array(UnsafeBufferPointer(start: cookie, count: Int(length))) == expected ? 1 : 0
}

/// Notes the alerts OpenSSL writes (`value`: level << 8 | description).
private func infoCallback(_ ssl: OpaquePointer?, _ where: Int32, _ value: Int32) {
    guard let ssl, `where` & SSL_CB_WRITE_ALERT == SSL_CB_WRITE_ALERT, let context = Context.of(ssl) else { return }
    context.tally.counts.withLock { $0.alerts.append(UInt8(truncatingIfNeeded: value)) }
}

/// Why a ``FakeDTLSServer`` could not start.
public struct FakeDTLSServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
