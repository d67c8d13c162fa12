// SPDX-License-Identifier: Apache-2.0
// An OpenSSL client context: trust store, protocol versions, ALPN, and remembered sessions.

internal import CDNSOpenSSL

/// Owns one `SSL_CTX` built from ``TLSSettings`` (TLS, or DTLS with ``DTLSSettings``) and the
/// sessions kept for resumption, by server and name.
final class TLSContext {
    let settings: TLSSettings
    let context: OpaquePointer
    private var sessions: [String: OpaquePointer] = [:]

    /// With `dtls`, a DTLS 1.2 context: AEAD cipher suites only (so ``DTLSSettings/recordOverhead``
    /// holds), PSK ones alone when the settings carry a pre-shared key, and no ALPN.
    init(_ settings: TLSSettings, dtls: DTLSSettings? = nil) throws(TransportError) {
        guard let context = SSL_CTX_new(dtls == nil ? TLS_client_method() : DTLS_client_method()) else {
            throw TLSContext.error("SSL_CTX_new")
        }
        self.context = context
        self.settings = settings
        psk = dtls.flatMap { $0.usesPSK ? (Array($0.pskIdentity.utf8), $0.pskKey) : nil }
        SSL_CTX_set_default_verify_paths(context)
        if !settings.caFile.isEmpty || !settings.caDirectory.isEmpty {
            let file = settings.caFile.isEmpty ? nil : settings.caFile
            let directory = settings.caDirectory.isEmpty ? nil : settings.caDirectory
            guard SSL_CTX_load_verify_locations(context, file, directory) == 1 else {
                throw TLSContext.error("loading CA \(settings.caFile)\(settings.caDirectory)", code: .tlsCertificateStore)
            }
        }
        if dtls == nil {
            let minimum = settings.minimumVersion == .tls13 ? cdns_TLS1_3_VERSION() : cdns_TLS1_2_VERSION()
            _ = cdns_SSL_CTX_set_min_proto_version(context, minimum)
        } else {
            _ = cdns_SSL_CTX_set_min_proto_version(context, cdns_DTLS1_2_VERSION())
            let suites = psk == nil ? Self.dtlsCertificateSuites : Self.dtlsPSKSuites
            guard SSL_CTX_set_cipher_list(context, suites) == 1 else { throw TLSContext.error("DTLS cipher suites") }
        }
        // Verification runs during the handshake, but the decision is ours afterwards (the
        // certificate event may accept what failed), so the handshake itself never aborts on it.
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        _ = cdns_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_CLIENT))
        let alpn = dtls != nil ? [] : settings.applicationProtocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        if !alpn.isEmpty { _ = SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) }
        if psk != nil {
            SSL_CTX_set_ex_data(context, 0, Unmanaged.passUnretained(self).toOpaque())
            SSL_CTX_set_psk_client_callback(context, Self.pskCallback)
        }
    }

    /// A pre-shared key's identity and key (DTLS with PSK).
    private let psk: (identity: [UInt8], key: [UInt8])?

    /// Whether sessions are authenticated by a pre-shared key instead of a certificate.
    var usesPSK: Bool { psk != nil }

    /// ECDHE with AES-GCM or ChaCha20-Poly1305: forward secrecy, and a bounded record overhead.
    private static let dtlsCertificateSuites = "ECDHE+AESGCM:ECDHE+CHACHA20"
    /// Pre-shared keys with the same AEAD ciphers, ECDHE first for forward secrecy.
    private static let dtlsPSKSuites = "ECDHE-PSK-CHACHA20-POLY1305:PSK-AES128-GCM-SHA256:PSK-AES256-GCM-SHA384:PSK-CHACHA20-POLY1305"

    /// OpenSSL asks for the identity and key (the context is found through its ex_data).
    private static let pskCallback:
        @convention(c) (
            OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?, UInt32, UnsafeMutablePointer<UInt8>?, UInt32
        ) -> UInt32 = { ssl, _, identity, identityCapacity, key, keyCapacity in
            guard let ssl, let raw = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), 0), let identity, let key else { return 0 }
            guard let psk = Unmanaged<TLSContext>.fromOpaque(raw).takeUnretainedValue().psk,
                psk.identity.count < Int(identityCapacity), psk.key.count <= Int(keyCapacity)
            else { return 0 }
            for (index, octet) in psk.identity.enumerated() { identity[index] = CChar(bitPattern: octet) }
            identity[psk.identity.count] = 0
            for (index, octet) in psk.key.enumerated() { key[index] = octet }
            return UInt32(psk.key.count)
        }

    deinit {
        for session in sessions.values { SSL_SESSION_free(session) }
        SSL_CTX_free(context)
    }

    /// The session to resume for `key`, if one was kept.
    func session(for key: String) -> OpaquePointer? { sessions[key] }

    /// Keeps `session` (a reference the caller owns) for `key`, replacing an older one.
    func keep(_ session: OpaquePointer, for key: String) {
        if let old = sessions[key] { SSL_SESSION_free(old) }
        sessions[key] = session
    }

    /// An error with OpenSSL's queued reason.
    static func error(_ what: String, code: TransportError.Code = .tlsHandshakeFailed) -> TransportError {
        var reasons: [String] = []
        var value = ERR_get_error()
        while value != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(value, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            value = ERR_get_error()
        }
        return TransportError(code, reasons.isEmpty ? what : "\(what): \(reasons.joined(separator: "; "))")
    }
}
