// SPDX-License-Identifier: Apache-2.0
// An HTTP request and response, as the DNS-over-HTTPS transport sends and receives them.

/// One HTTP request: what HTTP/2 and HTTP/1.1 both need.
struct HTTPRequest {
    /// Whether `octet` may stand in a request target: visible ASCII, no space or control.
    static func isVisibleASCII(_ octet: UInt8) -> Bool { (0x21...0x7E).contains(octet) }

    /// Whether `octet` may stand in a header value (RFC 9110 §5.5): no control character
    /// other than tab, so no CR or LF that would start another header line.
    static func isFieldValueOctet(_ octet: UInt8) -> Bool { octet == 0x09 || (octet >= 0x20 && octet != 0x7F) }

    var method: String
    var scheme: String
    /// `host[:port]`: HTTP/2's `:authority`, HTTP/1.1's `Host`.
    var authority: String
    /// The path with its query string.
    var path: String
    /// Further header fields, names in lower case.
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// A longer response body fails the request.
    var maxResponseBody: Int
}

/// One HTTP response.
struct HTTPResponse {
    /// "HTTP/2" or "HTTP/1.1".
    var version: String
    var status: Int
    /// Header fields, names in lower case.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first value of the header field `name` (lower case).
    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
}

/// A line for the HTTP log, with its kind.
public struct HTTPLogEntry: Sendable {
    public enum Kind: Sendable {
        /// A request line or a response's status.
        case info
        case requestHeaders
        case responseHeaders
        case requestBody
        case responseBody
    }

    public let kind: Kind
    public let text: String
}

/// Receives HTTP log entries; the text is built only when the receiver evaluates it.
typealias HTTPLogger = (HTTPLogEntry.Kind, () -> String) -> Void

extension HTTPRequest {
    /// The header block as HTTP/1.1 writes it (HTTP/2 logs the same fields).
    func headerText(version: String) -> String {
        var lines = ["\(method) \(path) \(version)", "host: \(authority)"]
        lines += headers.map { "\($0.name): \($0.value)" }
        return lines.joined(separator: "\r\n")
    }
}

extension HTTPResponse {
    func headerText() -> String {
        (["\(version) \(status)"] + headers.map { "\($0.name): \($0.value)" }).joined(separator: "\r\n")
    }
}
