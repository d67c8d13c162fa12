// SPDX-License-Identifier: Apache-2.0
// The component's enumerations and event parameters.

public import DNSWire

extension DNSComponent {
    /// The transport of a query (IPWorks `Protocol`).
    public enum TransportProtocol: Int, Sendable, CaseIterable {
        case udp = 0
        case tcp = 1
        case tls = 2
        case https = 3
        /// DNS over DTLS (RFC 8094); not an IPWorks value.
        case dtls = 4
    }

    /// The section whose records the indexed record accessors show (IPWorks `RecordSource`).
    public enum RecordSource: Int, Sendable, CaseIterable {
        case answer = 0
        case authority = 1
        case additional = 2
    }

    /// What to query (IPWorks `QueryType`): any record type number, or ``revLookup``.
    /// Names follow the IPWorks Swift cases (`qtAddress` is ``address``).
    public struct QueryType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public init(_ type: RecordType) { rawValue = Int(type.rawValue) }

        public static let address = QueryType(rawValue: 1)
        public static let ns = QueryType(rawValue: 2)
        public static let md = QueryType(rawValue: 3)
        public static let mf = QueryType(rawValue: 4)
        public static let cname = QueryType(rawValue: 5)
        public static let soa = QueryType(rawValue: 6)
        public static let mailBox = QueryType(rawValue: 7)
        public static let mailGroup = QueryType(rawValue: 8)
        public static let mr = QueryType(rawValue: 9)
        public static let null = QueryType(rawValue: 10)
        public static let wks = QueryType(rawValue: 11)
        public static let pointer = QueryType(rawValue: 12)
        public static let hostInfo = QueryType(rawValue: 13)
        public static let mailInfo = QueryType(rawValue: 14)
        public static let mx = QueryType(rawValue: 15)
        public static let text = QueryType(rawValue: 16)
        public static let rp = QueryType(rawValue: 17)
        public static let afsdb = QueryType(rawValue: 18)
        public static let x25 = QueryType(rawValue: 19)
        public static let isdn = QueryType(rawValue: 20)
        public static let rt = QueryType(rawValue: 21)
        public static let aaaa = QueryType(rawValue: 28)
        public static let srv = QueryType(rawValue: 33)
        public static let naptr = QueryType(rawValue: 35)
        public static let cert = QueryType(rawValue: 37)
        /// Reverse lookup: the domain is an IPv4 or IPv6 address, queried as PTR.
        public static let revLookup = QueryType(rawValue: 100)

        /// A type by name: `RevLookup`, any record type's mnemonic (`MX`, `NSAP-PTR`, `TYPE65280`)
        /// or a number. Nil for an unknown name and for UINFO, whose number 100 is ``revLookup``.
        public init?(mnemonic text: String) {
            if let number = Int(text) {
                self.init(rawValue: number)
            } else if text.lowercased() == "revlookup" {
                self = .revLookup
            } else if let type = RecordType(mnemonic: text), type != .uinfo {
                self.init(type)
            } else {
                return nil
            }
        }

        /// The record type sent in the question (PTR for ``revLookup``).
        var recordType: RecordType? {
            if self == .revLookup { return .ptr }
            return (0...0xFFFF).contains(rawValue) ? RecordType(UInt16(rawValue)) : nil
        }

        public var description: String { self == .revLookup ? "RevLookup" : recordType?.description ?? "\(rawValue)" }
    }

    /// Parameters of the response event.
    public struct ResponseEvent: Sendable {
        public let requestId: Int
        /// The domain as the caller passed it to `query` (for RevLookup, the address).
        public let domain: String
        public let statusCode: Int
        public let description: String
        /// Whether the AA bit was set.
        public let authoritative: Bool
    }

    /// Parameters of the error event.
    public struct ErrorEvent: Sendable {
        public let errorCode: Int
        public let description: String
    }

    /// Parameters of the log event; `logLevel` 1 Info, 2 Verbose, 3 Debug.
    public struct LogEvent: Sendable {
        public let logLevel: Int
        public let message: String
        /// "Info", "RequestHeaders", "ResponseHeaders", "RequestBody" or "ResponseBody".
        public let logType: String
    }

    /// Parameters of the TLS certificate event; the handler may set ``accept``.
    public struct SSLServerAuthenticationEvent: Sendable {
        public let remoteAddress: String
        public let remotePort: Int
        /// The server certificate, DER (as IPWorks' Swift edition passes it, as `Data` there).
        public let certEncoded: [UInt8]
        /// The same certificate as the seed gives it: Base64 text of the DER.
        public let certEncodedBase64: String
        public let certSubject: String
        public let certIssuer: String
        /// "OK", or why verification failed.
        public let status: String
        public var accept: Bool
    }

    /// Parameters of the TLS progress event.
    public struct SSLStatusEvent: Sendable {
        public let remoteAddress: String
        public let remotePort: Int
        public let message: String
    }
}

/// Which transports a query of ``DNSComponent/TransportProtocol/udp`` may use (the
/// `ConnectionMode` setting).
public enum ConnectionMode: Int, Sendable, CaseIterable {
    /// UDP first; TCP when the UDP answer is truncated (RFC 7766 §5).
    case auto = 0
    /// UDP only; a truncated answer is returned as it is.
    case udpOnly = 1
    /// TCP only.
    case tcpOnly = 2
}
