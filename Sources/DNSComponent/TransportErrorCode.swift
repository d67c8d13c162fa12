// SPDX-License-Identifier: Apache-2.0
// The one table from transport errors to the IPWorks error codes (Winsock numbering for sockets).

import DNSTransport
internal import Glibc

/// IPWorks reports socket failures with Winsock's numbers (10000 + the BSD errno) and the
/// resolver's 1100x codes, and HTTP failures with IPWorks' HTTP code 151. This is the single
/// place transport errors and Linux errno values are translated; the transport layer itself
/// speaks only ``TransportError``.
enum TransportErrorCode {
    /// Linux errno → (code, description as IPWorks words it).
    private static let table: [Int32: (Int, String)] = [
        EINTR: (10004, "Interrupted system call."), EBADF: (10009, "Bad file number."),
        EACCES: (10013, "Access denied."), EPERM: (10013, "Access denied."), EFAULT: (10014, "Bad address."),
        EINVAL: (10022, "Invalid argument."), EMFILE: (10024, "Too many open files."),
        ENFILE: (10024, "Too many open files."), EWOULDBLOCK: (10035, "Operation would block."),
        EINPROGRESS: (10036, "Operation now in progress."), EALREADY: (10037, "Operation already in progress."),
        ENOTSOCK: (10038, "Socket operation on non-socket."), EDESTADDRREQ: (10039, "Destination address required."),
        EMSGSIZE: (10040, "Message too long."), EPROTOTYPE: (10041, "Protocol wrong type for socket."),
        ENOPROTOOPT: (10042, "Bad protocol option."), EPROTONOSUPPORT: (10043, "Protocol not supported."),
        ESOCKTNOSUPPORT: (10044, "Socket type not supported."), EOPNOTSUPP: (10045, "Operation not supported on socket."),
        EPFNOSUPPORT: (10046, "Protocol family not supported."),
        EAFNOSUPPORT: (10047, "Address family not supported by protocol family."),
        EADDRINUSE: (10048, "Address already in use."), EADDRNOTAVAIL: (10049, "Can't assign requested address."),
        ENETDOWN: (10050, "Network is down."), ENETUNREACH: (10051, "Network is unreachable."),
        ENETRESET: (10052, "Net dropped connection or reset."), ECONNABORTED: (10053, "Software caused connection abort."),
        ECONNRESET: (10054, "Connection reset by peer."), ENOBUFS: (10055, "No buffer space available."),
        EISCONN: (10056, "Socket is already connected."), ENOTCONN: (10057, "Socket is not connected."),
        ESHUTDOWN: (10058, "Can't send after socket shutdown."), ETIMEDOUT: (10060, "Connection timed out."),
        ECONNREFUSED: (10061, "Connection refused."), EHOSTDOWN: (10064, "Host is down."),
        EHOSTUNREACH: (10065, "No route to host."), EPIPE: (10054, "Connection reset by peer."),
    ]

    /// The IPWorks code and description for a transport error.
    static func of(_ error: TransportError) -> (code: Int, description: String) {
        switch error.code {
        case .timedOut: return (10060, "Connection timed out.")
        case .hostNotFound: return (11001, "Host not found.")
        case .hostLookupTemporary: return (11002, "Non-authoritative 'Host not found' (try again or check DNS setup).")
        case .hostLookupFailed: return (11003, "Non-recoverable errors: FORMERR, REFUSED, NOTIMP.")
        case .hostHasNoAddress: return (11004, "Valid name, no data record (check DNS setup).")
        case .connectionClosed, .streamRefused: return (10054, "Connection reset by peer.")
        case .malformedResponse: return (10053, "Software caused connection abort.")
        case .badAddress: return (225, "Could not parse address.")
        case .tlsHandshakeFailed: return (276, "Error during handshake.")
        case .tlsCertificateUntrusted: return (274, "Cannot find certificate chain.")
        case .tlsCertificateInvalid: return (275, "Cannot verify certificate chain.")
        case .tlsCertificateRejected: return (280, "Error verifying certificate.")
        case .tlsCertificateStore: return (271, "Cannot open certificate store.")
        case .tlsWriteFailed: return (283, "Error encrypting data.")
        case .tlsReadFailed: return (284, "Error decrypting data.")
        case .invalidQuery: return (10022, "Invalid argument.")
        case .truncated: return (10040, "Message too long.")
        case .tsigVerificationFailed: return (ErrorCode.tsigVerificationFailed, "TSIG verification failed.")
        case .transferFailed: return (ErrorCode.zoneTransferFailed, "Zone transfer failed.")
        case .dnssecBogus: return (ErrorCode.dnssecValidationFailed, "DNSSEC validation failed.")
        case .httpStatus, .httpStreamReset, .httpProtocol, .httpBody: return (151, "HTTP protocol error.")
        default:
            if let errno = error.errno, let entry = table[errno] { return entry }
            return (10022, "Invalid argument.")
        }
    }
}
