// SPDX-License-Identifier: Apache-2.0
// One TLS client connection over memory BIOs, so the poll loop keeps the socket.

internal import CDNSOpenSSL
internal import Glibc

/// What the certificate event shows and decides: the peer, its certificate, and why
/// verification failed ("OK" when it did not). Setting ``accept`` overrides the verdict.
public struct TLSPeerVerification: Sendable {
    public let remoteAddress: String
    public let remotePort: Int
    /// The leaf certificate, DER.
    public let certificate: [UInt8]
    public let subject: String
    public let issuer: String
    public let status: String
    /// Why verification failed; nil when it succeeded.
    public let failure: TLSVerificationFailure?
    public var accept: Bool
}

/// The kinds of failed certificate verification, which the component reports with
/// different codes.
public enum TLSVerificationFailure: Hashable, Sendable {
    /// No chain to a trusted root: a self-signed certificate, an issuer not found, or no
    /// certificate at all.
    case untrusted
    /// A chain that does not verify: expired, not yet valid, a bad signature, …
    case invalid
    /// The certificate is not the server's: its names or IP addresses do not match, or no
    /// key in the chain is pinned.
    case mismatch
}

/// A TLS client session fed with ciphertext from the socket and drained of ciphertext for
/// it: `SSL` over a pair of memory BIOs, so no call ever blocks on the network. A DTLS
/// session instead reads and writes its non-blocking, connected UDP socket itself, through a
/// datagram BIO that keeps one record per datagram.
final class TLSSession {
    enum State: Equatable {
        case handshaking
        case established
        case closed
    }

    private let ssl: OpaquePointer
    /// The memory BIOs the socket's octets go through (nil for DTLS).
    private let memory: (read: OpaquePointer, write: OpaquePointer)?
    private let context: TLSContext
    private let sessionKey: String
    private(set) var state = State.handshaking
    /// Whether a session kept from an earlier connection was offered for resumption.
    private(set) var offeredSession = false
    /// Reused for every decryption.
    private var plaintextBuffer = [UInt8](repeating: 0, count: 16_384)
    /// The session object last offered to the context's cache, and whether it was resumable then.
    private var rememberedSession: OpaquePointer?
    private var rememberedResumable = false

    /// - Parameters:
    ///   - name: the authentication name (checked against the certificate and sent as SNI),
    ///     or nil to check `address` against the certificate's IP addresses.
    ///   - datagram: for DTLS, the connected UDP socket and the largest datagram payload a
    ///     record may fill; nil for TLS over memory BIOs.
    init(context: TLSContext, address: SocketAddress, name: String?, datagram: (socket: Int32, mtu: Int)? = nil) throws(TransportError) {
        // `ssl` is stored only once nothing can throw: a class whose stored properties are all
        // set is deinitialized when its init throws, and deinit would free it a second time.
        guard let ssl = SSL_new(context.context) else { throw TLSContext.error("SSL_new") }
        if let datagram {
            guard let bio = BIO_new_dgram(datagram.socket, BIO_NOCLOSE) else {
                SSL_free(ssl)
                throw TLSContext.error("BIO_new_dgram")
            }
            _ = address.withSockAddr { pointer, _ in cdns_BIO_dgram_set_connected(bio, UnsafeMutableRawPointer(mutating: pointer)) }
            SSL_set_bio(ssl, bio, bio)
            SSL_set_options(ssl, cdns_SSL_OP_NO_QUERY_MTU())
            _ = cdns_SSL_set_mtu(ssl, datagram.mtu)
            memory = nil
        } else {
            guard let readBIO = BIO_new(BIO_s_mem()) else {
                SSL_free(ssl)
                throw TLSContext.error("BIO_new")
            }
            guard let writeBIO = BIO_new(BIO_s_mem()) else {
                BIO_free(readBIO)
                SSL_free(ssl)
                throw TLSContext.error("BIO_new")
            }
            SSL_set_bio(ssl, readBIO, writeBIO)  // the SSL now owns both BIOs
            memory = (readBIO, writeBIO)
        }
        self.ssl = ssl
        self.context = context
        sessionKey = "\(address)|\(name ?? "")"
        SSL_set_connect_state(ssl)
        if context.usesPSK {
            // Authenticated by the key alone: no certificate to check.
        } else if let name {
            _ = cdns_SSL_set_tlsext_host_name(ssl, name)
            SSL_set1_host(ssl, name)
        } else {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), address.ipAddress)
        }
        if context.settings.resumeSessions, let session = context.session(for: sessionKey) {
            offeredSession = SSL_set_session(ssl, session) == 1
        }
    }

    deinit { SSL_free(ssl) }

    /// Advances the handshake with whatever ciphertext has arrived.
    /// - Throws: ``TransportError/Code/tlsHandshakeFailed``.
    func handshake() throws(TransportError) {
        guard state == .handshaking else { return }
        clearErrors()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            state = .established
            rememberSession()
            return
        }
        let error = SSL_get_error(ssl, result)
        guard error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE else {
            if error == SSL_ERROR_SYSCALL, errno != 0, memory == nil { throw .system("DTLS handshake", errno: errno) }
            throw TLSContext.error(memory == nil ? "DTLS handshake failed" : "TLS handshake failed")
        }
    }

    /// Ciphertext that arrived from the server.
    func feed(_ bytes: ArraySlice<UInt8>) {
        guard let memory else { return }
        _ = bytes.withUnsafeBytes { BIO_write(memory.read, $0.baseAddress, Int32($0.count)) }
    }

    /// Ciphertext waiting to go to the server.
    func takeCiphertext() -> [UInt8] {
        guard let memory else { return [] }
        let pending = Int(BIO_ctrl_pending(memory.write))
        guard pending > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = BIO_read(memory.write, &bytes, Int32(pending))
        return Array(bytes.prefix(Int(max(read, 0))))
    }

    // MARK: DTLS

    /// How long until the handshake's flight is due again (OpenSSL's DTLS timer); nil when no
    /// flight waits for an answer.
    var retransmissionDelay: Duration? {
        var delay = timeval()
        guard cdns_DTLSv1_get_timeout(ssl, &delay) == 1 else { return nil }
        return .seconds(delay.tv_sec) + .microseconds(delay.tv_usec)
    }

    /// The DTLS timer went off: sends the last flight again.
    /// - Throws: ``TransportError/Code/tlsHandshakeFailed`` when OpenSSL gives up.
    func retransmit() throws(TransportError) {
        guard cdns_DTLSv1_handle_timeout(ssl) >= 0 else { throw TLSContext.error("DTLS handshake: no answer to the retransmitted flights") }
    }

    /// One record of the established DTLS session: a whole DNS message; nil when none is
    /// waiting. Marks the session closed on the server's close_notify.
    /// - Throws: ``TransportError/Code/tlsReadFailed`` (an alert, a broken record), or a
    ///   system error (ICMP port unreachable shows as ECONNREFUSED).
    func readRecord() throws(TransportError) -> [UInt8]? {
        clearErrors()
        guard let count = try readOnce() else { return nil }
        return Array(plaintextBuffer[0..<count])
    }

    /// Sends one DNS message as one record.
    func writeRecord(_ message: [UInt8]) throws(TransportError) {
        clearErrors()
        let written = message.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(message.count) else {
            if SSL_get_error(ssl, written) == SSL_ERROR_SYSCALL, errno != 0 { throw .system("DTLS write", errno: errno) }
            throw TLSContext.error("DTLS write failed", code: .tlsWriteFailed)
        }
    }

    /// Before a DTLS call: errno and OpenSSL's queue then speak of that call alone (the
    /// datagram BIO reports socket errors through errno).
    private func clearErrors() {
        guard memory == nil else { return }
        ERR_clear_error()
        errno = 0
    }

    /// The largest message one record carries with the negotiated cipher suite.
    var largestRecord: Int { Int(DTLS_get_data_mtu(ssl)) }

    /// Encrypts `plaintext` (the session must be established).
    func write(_ plaintext: [UInt8]) throws(TransportError) {
        guard !plaintext.isEmpty else { return }
        let written = plaintext.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(plaintext.count) else { throw TLSContext.error("TLS write failed", code: .tlsWriteFailed) }
    }

    /// Decrypts what has arrived; marks the session closed on the server's close_notify.
    func readPlaintext() throws(TransportError) -> [UInt8] {
        var plaintext: [UInt8] = []
        while let count = try readOnce() { plaintext += plaintextBuffer[0..<count] }
        return plaintext
    }

    /// One `SSL_read` into ``plaintextBuffer``: the octets read, or nil when nothing more is
    /// waiting (the session is marked closed on close_notify).
    /// - Throws: ``TransportError/Code/tlsReadFailed``; for DTLS, a socket's error as a system error.
    private func readOnce() throws(TransportError) -> Int? {
        let count = SSL_read(ssl, &plaintextBuffer, Int32(plaintextBuffer.count))
        if count > 0 { return Int(count) }
        switch SSL_get_error(ssl, count) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            rememberSession()
            return nil
        case SSL_ERROR_ZERO_RETURN:
            state = .closed
            return nil
        case SSL_ERROR_SYSCALL where memory == nil && errno != 0:
            throw .system("DTLS read", errno: errno)
        default:
            throw TLSContext.error(memory == nil ? "DTLS read failed" : "TLS read failed", code: .tlsReadFailed)
        }
    }

    /// The protocol the server chose with ALPN, if it chose one.
    var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>? = nil
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// Ends the session cleanly: queues close_notify (take it with ``takeCiphertext()``).
    /// OpenSSL keeps a session resumable only if its connection was shut down this way.
    func shutdown() {
        guard state != .handshaking else { return }
        SSL_shutdown(ssl)
        state = .closed
    }

    /// Keeps the newest resumable session (TLS 1.3 tickets arrive after the handshake).
    private func rememberSession() {
        // A new ticket replaces the session object or makes it resumable; check for that cheaply.
        guard context.settings.resumeSessions, let current = SSL_get_session(ssl) else { return }
        let resumable = SSL_SESSION_is_resumable(current) == 1
        guard current != rememberedSession || resumable != rememberedResumable else { return }
        rememberedSession = current
        rememberedResumable = resumable
        guard resumable else { return }
        SSL_SESSION_up_ref(current)  // the context's cache owns this reference
        context.keep(current, for: sessionKey)
    }

    // MARK: Facts about the established session

    var sessionReused: Bool { SSL_session_reused(ssl) == 1 }
    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }
    var cipher: String { SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "" }

    /// The verification verdict on the server's chain, with pins checked, for the event.
    func verification(remote: SocketAddress) -> TLSPeerVerification {
        let leaf = SSL_get1_peer_certificate(ssl)
        defer { if let leaf { X509_free(leaf) } }
        var status = "OK"
        var failure: TLSVerificationFailure?
        let result = SSL_get_verify_result(ssl)
        if leaf == nil {
            (status, failure) = ("no certificate", .untrusted)
        } else if !context.settings.pinnedKeys.isEmpty {
            // RFC 7858 §4.2: with pins, a pinned key authenticates the server by itself,
            // and a chain without one fails whatever the CA check says.
            if !chainMatchesPins() { (status, failure) = ("no certificate in the chain matches a pinned key", .mismatch) }
        } else if result != X509_V_OK {
            status = String(cString: X509_verify_cert_error_string(result))
            failure = Self.failure(of: Int32(result))
        }
        return TLSPeerVerification(
            remoteAddress: remote.ipAddress, remotePort: Int(remote.port), certificate: leaf.map(Self.der) ?? [],
            subject: leaf.map { Self.name(X509_get_subject_name($0)) } ?? "",
            issuer: leaf.map { Self.name(X509_get_issuer_name($0)) } ?? "", status: status, failure: failure,
            accept: failure == nil)
    }

    /// The kind of an OpenSSL verification result (`X509_V_ERR_…`).
    static func failure(of result: Int32) -> TLSVerificationFailure {
        switch result {
        case 2, 18, 19, 20, 21:  // issuer not found, self-signed (leaf or in chain), leaf signature unverifiable
            .untrusted
        case 62, 63, 64:  // host name, e-mail or IP address mismatch
            .mismatch
        default:  // expired, not yet valid, bad signature, bad purpose, …
            .invalid
        }
    }

    /// Whether the SHA-256 of some certificate's SubjectPublicKeyInfo in the chain is pinned.
    private func chainMatchesPins() -> Bool {
        guard let chain = SSL_get_peer_cert_chain(ssl) else { return false }
        let pins = Set(context.settings.pinnedKeys)
        for index in 0..<OPENSSL_sk_num(chain) {
            guard let certificate = OpaquePointer(OPENSSL_sk_value(chain, index)) else { continue }
            var der: UnsafeMutablePointer<UInt8>? = nil
            let length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der)
            guard length > 0, let der else { continue }
            defer { CRYPTO_free(der, #file, #line) }
            var digest = [UInt8](repeating: 0, count: 32)
            SHA256(der, Int(length), &digest)
            if pins.contains(Self.base64(digest)) { return true }
        }
        return false
    }

    private static func der(_ certificate: OpaquePointer) -> [UInt8] {
        var der: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_X509(certificate, &der)
        guard length > 0, let der else { return [] }
        defer { CRYPTO_free(der, #file, #line) }
        return Array(UnsafeBufferPointer(start: der, count: Int(length)))
    }

    private static func name(_ name: OpaquePointer?) -> String {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        X509_NAME_print_ex(bio, name, 0, cdns_XN_FLAG_RFC2253())
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = cdns_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: (bytes.count + 2) / 3 * 4 + 1)
        let written = EVP_EncodeBlock(&out, bytes, Int32(bytes.count))
        return String(decoding: out.prefix(Int(written)), as: UTF8.self)
    }
}
