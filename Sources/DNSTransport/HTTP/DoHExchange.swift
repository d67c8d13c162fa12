// SPDX-License-Identifier: Apache-2.0
// A DNS query as an HTTP request, and an HTTP response as a DNS answer (RFC 8484).

internal import DNSWire

/// Turns DNS queries into DNS-over-HTTPS requests and checks what comes back.
enum DoHExchange {
    /// The largest DNS message (RFC 8484 §6); JSON answers may be this much larger.
    static let maxMessage = 65_535
    static let maxJSON = 1 << 20

    /// - Throws: ``TransportError/Code/invalidQuery`` for a path or user-agent with
    ///   characters HTTP cannot carry (CR or LF would inject header lines).
    static func request(for query: DNSMessage, wire: [UInt8], settings: DoHSettings) throws(TransportError) -> HTTPRequest {
        guard settings.url.path.utf8.allSatisfy(HTTPRequest.isVisibleASCII),
            settings.url.authority.utf8.allSatisfy(HTTPRequest.isVisibleASCII)
        else { throw TransportError(.invalidQuery, "the DoH URL has characters an HTTP request line cannot carry") }
        guard settings.userAgent.utf8.allSatisfy(HTTPRequest.isFieldValueOctet) else {
            throw TransportError(.invalidQuery, "the DoH user-agent has control characters")
        }
        var request = HTTPRequest(
            method: "GET", scheme: settings.url.scheme, authority: settings.url.authority, path: settings.url.path,
            headers: [("accept", "application/dns-message")], body: [], maxResponseBody: maxMessage)
        let separator = settings.url.path.utf8.contains(UInt8(ascii: "?")) ? "&" : "?"
        switch settings.method {
        case .post:
            request.method = "POST"
            request.headers += [("content-type", "application/dns-message"), ("content-length", String(wire.count))]
            request.body = wire
        case .get:
            request.path += separator + "dns=" + BaseEncoding.base64url.encode(wire)
        case .json:
            let question = query.questions[0]
            var parameters = ["name=" + percentEncoded(question.name.description), "type=\(question.type.rawValue)"]
            if query.edns?.dnssecOK == true { parameters.append("do=1") }
            if query.header.flags.contains(.cd) { parameters.append("cd=1") }
            request.path += separator + parameters.joined(separator: "&")
            request.headers = [("accept", "application/dns-json")]
            request.maxResponseBody = maxJSON
        }
        request.headers.append(("user-agent", settings.userAgent))
        return request
    }

    /// The DNS message in `response`, in wire form, for the exchange to check against its query.
    /// - Throws: ``TransportError`` `.httpStatus` for a status other than 200, `.httpBody` for
    ///   a wrong content type or an empty body or JSON that is not a DNS answer.
    static func answer(_ response: HTTPResponse, to query: DNSMessage, method: DoHMethod) throws(TransportError) -> [UInt8] {
        guard response.status == 200 else {
            let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self).filter { !$0.isNewline }
            throw TransportError(.httpStatus, "HTTP status \(response.status)\(excerpt.isEmpty ? "" : ": \(excerpt)")")
        }
        let contentType = response.header("content-type") ?? ""
        let type =
            contentType == "application/dns-message" ? contentType : contentType.prefix { $0 != ";" }.trimmingWhitespace.lowercased()
        guard !response.body.isEmpty else { throw TransportError(.httpBody, "empty response body") }
        if method == .json {
            guard type == "application/dns-json" || type == "application/json" else {
                throw TransportError(.httpBody, "content type \"\(type)\" is not application/dns-json")
            }
            let message = try DoHJSON.message(from: response.body, id: query.id)
            do {
                return try message.serialize()
            } catch {
                throw TransportError(.httpBody, "JSON answer cannot be written: \(error)")
            }
        }
        guard type == "application/dns-message" else {
            throw TransportError(.httpBody, "content type \"\(type)\" is not application/dns-message")
        }
        return response.body
    }

    /// `text` with everything but unreserved characters (RFC 3986 §2.3) percent-encoded.
    private static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + BaseEncoding.hex.encode([byte])
            }
        }
        return out
    }
}
