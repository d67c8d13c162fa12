// SPDX-License-Identifier: Apache-2.0
// An OpenSSL client context: trust store, protocol versions, ALPN, and remembered sessions.

internal import CDNSOpenSSL

/// Owns one `SSL_CTX` built from ``TLSSettings`` and the sessions kept for resumption,
/// by server and name.
final class TLSContext {
    let settings: TLSSettings
    let context: OpaquePointer
    private var sessions: [String: OpaquePointer] = [:]

    init(_ settings: TLSSettings) throws(TransportError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSContext.error("SSL_CTX_new") }
        self.context = context
        self.settings = settings
        SSL_CTX_set_default_verify_paths(context)
        if !settings.caFile.isEmpty || !settings.caDirectory.isEmpty {
            let file = settings.caFile.isEmpty ? nil : settings.caFile
            let directory = settings.caDirectory.isEmpty ? nil : settings.caDirectory
            guard SSL_CTX_load_verify_locations(context, file, directory) == 1 else {
                throw TLSContext.error("loading CA \(settings.caFile)\(settings.caDirectory)", code: .tlsCertificateStore)
            }
        }
        let minimum = settings.minimumVersion == .tls13 ? cdns_TLS1_3_VERSION() : cdns_TLS1_2_VERSION()
        _ = cdns_SSL_CTX_set_min_proto_version(context, minimum)
        // Verification runs during the handshake, but the decision is ours afterwards (the
        // certificate event may accept what failed), so the handshake itself never aborts on it.
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        _ = cdns_SSL_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_CLIENT))
        let alpn = settings.applicationProtocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        if !alpn.isEmpty { _ = SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) }
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
