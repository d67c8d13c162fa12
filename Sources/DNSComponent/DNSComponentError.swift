// SPDX-License-Identifier: Apache-2.0
// The component's error: an IPWorks error code and its description.

public import DNSTransport

/// An error the component throws or reports in ``DNSComponent/onError``: the IPWorks
/// code (see `ErrorCode`) and a description.
public struct DNSComponentError: Error, Sendable, CustomStringConvertible {
    public let code: Int
    public let message: String
    /// For code -1: the error a handler threw.
    public let underlying: (any Error)?

    public init(code: Int, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The component's error for a transport failure (the same code and words its query
    /// would report), for code that uses `DNSClient` beside the component.
    public init(_ error: TransportError) {
        self = DNSComponent.componentError(error)
    }

    /// `[code] message`; socket errors' messages already start with their code, as IPWorks words them.
    public var description: String { message.hasPrefix("[\(code)]") ? message : "[\(code)] \(message)" }
}

/// The component's error codes, one table (the seed's codes; socket codes come from
/// `TransportErrorCode`).
public enum ErrorCode {
    /// Reported as ``DNSComponent/statusCode`` for a NOERROR answer without records of the asked type.
    public static let noRecords = 100
    public static let invalidRecordIndex = 220
    public static let invalidFieldIndex = 221
    public static let invalidRecordSource = 222
    public static let unknownRecordType = 223
    public static let noServer = 224
    public static let badAddress = 225
    /// A response to a TSIG-signed query or transfer failed verification (the description
    /// says why); it is never taken as an answer.
    public static let tsigVerificationFailed = 226
    /// A zone transfer broke off or does not make a zone (the description says how); the
    /// records received are not presented as the zone.
    public static let zoneTransferFailed = 227
    /// With `DNSSECValidation`, the answer is Bogus (``DNSComponent/dnssecReason`` says why);
    /// its records are not presented unless `DNSSECReturnBogus` is True.
    public static let dnssecValidationFailed = 228
    /// DNS over HTTPS: the server failed at the HTTP level (status, stream reset, body);
    /// the description says how (IPWorks' HTTP code).
    public static let httpProtocol = 151
    /// DNS over HTTPS: the URL in ``DNSComponent/dnsServer`` has no host.
    public static let urlHost = 152
    /// DNS over HTTPS: the URL's scheme is neither https nor http.
    public static let urlScheme = 153
    /// A property or setting value out of range (IPWorks' socket "Invalid argument").
    public static let invalidArgument = 10022
    /// The operation was interrupted by ``DNSComponent/interrupt()``.
    public static let interrupted = 10004
    public static let timedOut = 10060
    /// An error thrown by an event handler.
    public static let handlerError = -1

    static let messages: [Int: String] = [
        noRecords: "No records were found.", invalidRecordIndex: "Invalid record index.",
        invalidFieldIndex: "Invalid field index for record type.", invalidRecordSource: "Invalid record source.",
        unknownRecordType: "Unknown record type.", noServer: "Could not determine DNS server address.",
        badAddress: "Could not parse address.", tsigVerificationFailed: "TSIG verification failed.",
        zoneTransferFailed: "Zone transfer failed.", dnssecValidationFailed: "DNSSEC validation failed.", invalidArgument: "Invalid argument.",
        interrupted: "Interrupted system call.", timedOut: "Connection timed out.",
        httpProtocol: "HTTP protocol error.", urlHost: "No server specified in URL.", urlScheme: "Specified URLScheme is invalid.",
    ]

    /// The error for `code`, its standard message followed by `detail` when given.
    static func error(_ code: Int, _ detail: String? = nil) -> DNSComponentError {
        let standard = messages[code] ?? "Error \(code)."
        return DNSComponentError(code: code, message: detail.map { "\(standard) \($0)" } ?? standard)
    }
}
