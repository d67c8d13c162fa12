// Fuzzes the reading of DoH answers: the JSON API (DoHJSON) and DoHExchange.answer.
//
// Input: octet 0 (below), then the body (for JSON, the text of the answer).
//
// Octet 0: bits 0-1 the HTTP status (200, 200, 200, or 404); bits 2-4 the content type
// (from the list below, or none); bits 5-6 the DoH method (post, get, json, json).
//
// Checks: DoHJSON.message(from:id:) on the body never traps (it throws TransportError,
// typed); what it returns carries the ID and QR and, if it serializes, parses back with the
// same ID, response code and questions; DoHExchange.answer never traps, and what it returns
// is the body (dns-message) or a message that parses with the query's ID (json).

import DNSWire
import FuzzCommon

@testable import DNSTransport

enum Fixture {
    static let query = DNSMessage.query(name: try! DomainName("www.example."), type: .a, id: 0x1234)
    static let contentTypes: [String?] = [
        "application/dns-json", "application/json; charset=utf-8", "application/dns-message",
        " Application/DNS-Message ; q=1", "text/plain", "application/dns-messagex", "", nil,
    ]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDoHJSON(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput([UInt8](UnsafeBufferPointer(start: start, count: count)))
    let control = input.byte()
    let body = Array(input.rest())

    // The JSON reader alone, and the message it makes.
    if let message = try? DoHJSON.message(from: body, id: 0xBEEF) {
        trace("JSON message: \(message.answers.count) answers")
        precondition(message.id == 0xBEEF && message.header.flags.contains(.qr), "JSON answer without ID or QR")
        _ = message.description
        if let wire = try? message.serialize() {
            let parsed: DNSMessage
            do {
                parsed = try DNSMessage(wire: wire)
            } catch {
                fatalError("a serialized JSON answer does not parse: \(error) \(hex(wire))")
            }
            precondition(
                parsed.id == message.id && parsed.responseCode == message.responseCode
                    && parsed.questions == message.questions, "JSON answer changed in a wire round trip: \(hex(wire))")
        }
    }

    // The whole answer check, as the engine runs it on an HTTP response.
    let status = control & 3 == 3 ? 404 : 200
    let contentType = Fixture.contentTypes[Int(control >> 2) & 7]
    let method: DoHMethod = [.post, .get, .json, .json][Int(control >> 5) & 3]
    let response = HTTPResponse(
        version: "HTTP/1.1", status: status, headers: contentType.map { [("content-type", $0)] } ?? [], body: body)
    do {
        let wire = try DoHExchange.answer(response, to: Fixture.query, method: method)
        trace("answer of \(wire.count) octets")
        if method == .json {
            precondition((try? DNSMessage(wire: wire))?.id == Fixture.query.id, "JSON answer does not parse with the query's ID")
        } else {
            precondition(wire == body, "a dns-message answer is not the body")
        }
    } catch {
        trace("answer threw \(error)")
    }
    return 0
}
