// SPDX-License-Identifier: Apache-2.0
// The one error type of the transport layer.

public import DNSWire
internal import Glibc

/// A failure to exchange a DNS message with a server.
///
/// Equality and hashing compare only ``code``. ``errno`` keeps the system error when
/// there was one, so callers can map it (the component maps both to IPWorks codes).
public struct TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ description: String) { self.description = description }

        /// No usable response before the deadline.
        public static let timedOut = Code("timedOut")
        /// The server name does not exist.
        public static let hostNotFound = Code("hostNotFound")
        /// Resolving the server name failed for now (no answer from the resolver); try again.
        public static let hostLookupTemporary = Code("hostLookupTemporary")
        /// Resolving the server name failed for good (the resolver's server refused or failed).
        public static let hostLookupFailed = Code("hostLookupFailed")
        /// The server name exists but has no address (of the family asked for).
        public static let hostHasNoAddress = Code("hostHasNoAddress")
        /// The server address is not valid for its purpose.
        public static let badAddress = Code("badAddress")
        /// A system call failed; see ``TransportError/errno``.
        public static let system = Code("system")
        /// The server closed or reset the connection before answering (``TransportError/errno``
        /// is ECONNRESET or EPIPE for a reset); worth one retry on a new connection.
        public static let connectionClosed = Code("connectionClosed")
        /// The server sent data that cannot be a DNS response on a stream.
        public static let malformedResponse = Code("malformedResponse")
        /// The query was cancelled by the caller.
        public static let cancelled = Code("cancelled")
        /// The transport is not available here.
        public static let unsupported = Code("unsupported")
        /// The TLS handshake failed (protocol error, no shared version, not a TLS server, …).
        public static let tlsHandshakeFailed = Code("tlsHandshakeFailed")
        /// The server's certificate has no chain to a trusted root (self-signed, issuer not
        /// found) and was not accepted.
        public static let tlsCertificateUntrusted = Code("tlsCertificateUntrusted")
        /// The server's certificate chain does not verify (expired, not yet valid, a bad
        /// signature) and was not accepted.
        public static let tlsCertificateInvalid = Code("tlsCertificateInvalid")
        /// The server's certificate is not the server's (name, IP address or pin mismatch),
        /// or the application rejected it.
        public static let tlsCertificateRejected = Code("tlsCertificateRejected")
        /// Decrypting what the server sent failed after the handshake (a bad record, a fatal
        /// alert); the session is dropped, not resumed.
        public static let tlsReadFailed = Code("tlsReadFailed")
        /// Encrypting a query failed after the handshake; the session is dropped.
        public static let tlsWriteFailed = Code("tlsWriteFailed")
        /// The query cannot be sent as given (a header value with control characters, …).
        public static let invalidQuery = Code("invalidQuery")
        /// The configured trust anchors could not be loaded.
        public static let tlsCertificateStore = Code("tlsCertificateStore")
        /// A DNS-over-HTTPS server answered with an HTTP status other than 200.
        public static let httpStatus = Code("httpStatus")
        /// A DNS-over-HTTPS server reset the query's HTTP/2 stream.
        public static let httpStreamReset = Code("httpStreamReset")
        /// The server refused the query's stream without processing it (HTTP/2
        /// REFUSED_STREAM, or a GOAWAY that left it out); worth one retry on a new connection.
        public static let streamRefused = Code("streamRefused")
        /// The server broke the HTTP protocol (HTTP/2 framing, HTTP/1.1 syntax).
        public static let httpProtocol = Code("httpProtocol")
        /// An HTTP response whose body is not a DNS answer: wrong content type, empty,
        /// oversized, or JSON that does not parse.
        public static let httpBody = Code("httpBody")
        /// The UDP answer came truncated (TC) and the caller asked for an error, not a
        /// retry over TCP.
        public static let truncated = Code("truncated")
        /// A response to a TSIG-signed query failed verification (unsigned, another key, a
        /// bad MAC, a MAC too short, a time outside the fudge, the last message unsigned).
        public static let tsigVerificationFailed = Code("tsigVerificationFailed")
        /// A zone transfer broke off or does not make a zone (the detail says how).
        public static let transferFailed = Code("transferFailed")
        /// The answer failed DNSSEC validation (Bogus); the detail gives the validator's reason.
        public static let dnssecBogus = Code("dnssecBogus")
    }

    public var code: Code
    /// The system error number, for `.system` (and connect failures such as ECONNREFUSED).
    public var errno: Int32?
    public var detail: String
    /// For ``Code/dnssecBogus``, the validator's verdict (its EDE code and reason).
    public var dnssec: ValidationFinding?

    public init(_ code: Code, errno: Int32? = nil, _ detail: String) {
        self.code = code
        self.errno = errno
        self.detail = detail
    }

    /// A `.system` error from the current `errno`, naming the call that failed.
    static func system(_ call: String, errno number: Int32 = Glibc.errno) -> TransportError {
        TransportError(.system, errno: number, "\(call): \(String(cString: strerror(number)))")
    }

    /// Whether the query may be sent again on a new connection: the server closed or reset
    /// the connection (perhaps as idle, just as it was reused) or refused the stream, so the
    /// query was not processed. The one place this is decided.
    public var isRetryable: Bool { code == .connectionClosed || code == .streamRefused }

    /// Whether a TLS session that met this error must not be resumed or closed politely
    /// (`SSL_shutdown` after a fatal error is invalid use).
    var dropsTLSSession: Bool { code != .connectionClosed && code != .streamRefused && code != .timedOut && code != .cancelled }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.errno == rhs.errno }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(errno)
    }

    public var description: String { "TransportError.\(code): \(detail)" }
}
