// Writes the seed corpora of the DNSTransport fuzz targets (each input's layout is described
// at the top of the target's main.swift):
//
//   Corpus/FuzzHTTP1/          HTTP/1.1 responses: Content-Length, chunked with trailers,
//                              interim 100, 204, Connection: close, two answers in pieces;
//   Corpus/FuzzHTTP2/          server byte streams: SETTINGS, SETTINGS ACK, HEADERS
//                              (:status 200, content-type) and DATA with END_STREAM, several
//                              streams, CONTINUATION, padding, PING, GOAWAY and RST_STREAM;
//   Corpus/FuzzStreamFraming/  length-prefixed messages for up to four IDs, in pieces;
//   Corpus/FuzzDoHJSON/        JSON answers and dns-message bodies;
//   Corpus/FuzzExchange/       UDP, truncated UDP then TCP, TCP and DoH/HTTP/1.1 exchanges.
//
// Usage: MakeTransportSeeds <FuzzTesting directory>

import DNSWire
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: MakeTransportSeeds <FuzzTesting directory>\n".utf8))
    exit(2)
}
let fuzzDirectory = URL(fileURLWithPath: arguments[1])

func write(_ bytes: [UInt8], _ target: String, _ name: String) {
    let directory = fuzzDirectory.appendingPathComponent("Corpus").appendingPathComponent(target)
    try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try! Data(bytes).write(to: directory.appendingPathComponent(name))
}

func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
func u32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF)] + u16(value) }
func text(_ string: String) -> [UInt8] { Array(string.utf8) }

// MARK: - DNS answers

let www = try! DomainName("www.example.")

/// An answer to `query` with one address record (A or AAAA, as asked), with OPT if asked.
func answer(to query: DNSMessage, truncated: Bool = false) -> [UInt8] {
    var response = query
    response.header.flags.insert(.qr)
    response.header.flags.insert(.ra)
    if truncated { response.header.flags.insert(.tc) } else {
        let type = query.questions[0].type
        let data = try! RecordData(type: type, presentation: type == .aaaa ? "2001:db8::1" : "192.0.2.1")
        response.answers = [DNSRecord(name: www, ttl: 300, data: data)]
    }
    response.edns = query.edns.map { _ in EDNS() }
    return try! response.serialize()
}

/// The query FuzzHTTP1 and FuzzHTTP2 send (the body they get back need not match it).
let httpQuery = DNSMessage.query(name: www, type: .aaaa, id: 0x1234)
let httpAnswer = answer(to: httpQuery)
/// The query of FuzzExchange (EDNS unless its flag 0x10 is set).
let exchangeQuery = DNSMessage.query(name: www, type: .a, id: 0xBEEF)
let exchangeAnswer = answer(to: exchangeQuery)

// MARK: - HTTP/1.1

func http1(_ status: String, _ headers: [String], _ body: [UInt8]) -> [UInt8] {
    text((["HTTP/1.1 \(status)"] + headers).joined(separator: "\r\n") + "\r\n\r\n") + body
}

func dnsResponse(_ body: [UInt8], extra: [String] = []) -> [UInt8] {
    http1("200 OK", ["Content-Type: application/dns-message", "Content-Length: \(body.count)"] + extra, body)
}

let json = text(#"{"Status":0,"TC":false,"RD":true,"RA":true,"AD":false,"CD":false,"Question":[{"name":"www.example.","type":28}],"Answer":[{"name":"www.example.","type":28,"TTL":300,"data":"2001:db8::1"}]}"#)

func chunked(_ body: [UInt8], sizes: [Int]) -> [UInt8] {
    var out: [UInt8] = []
    var rest = body[...]
    var turn = 0
    while !rest.isEmpty {
        let size = min(sizes[turn % sizes.count], rest.count)
        turn += 1
        out += text(String(size, radix: 16) + (turn == 1 ? ";name=value" : "") + "\r\n") + rest.prefix(size) + text("\r\n")
        rest = rest.dropFirst(size)
    }
    return out + text("0\r\nX-Trailer: 1\r\n\r\n")
}

// Octet 0: bit 0 a second request; bits 1-2, 3-4 methods; bit 5 limit 100; bits 6, 7 cancel.
write([0, 0, 0] + dnsResponse(httpAnswer), "FuzzHTTP1", "content-length")
// The second request goes out only once the first is answered: a piece ends with the first answer.
let oneResponse = dnsResponse(httpAnswer)
write([1, UInt8(oneResponse.count), 0] + oneResponse + oneResponse, "FuzzHTTP1", "two-answers")
write([1, 7, UInt8(oneResponse.count - 7)] + oneResponse + oneResponse, "FuzzHTTP1", "two-answers-in-pieces")
write([1, 7, 13] + oneResponse + oneResponse, "FuzzHTTP1", "second-answer-too-early")
write([0, 0, 0] + http1("100 Continue", [], []) + http1("200 OK", ["Content-Type: application/dns-message", "Transfer-Encoding: chunked"], chunked(httpAnswer, sizes: [5, 17])), "FuzzHTTP1", "interim-then-chunked")
write([0x04, 0, 0] + http1("200 OK", ["Content-Type: application/dns-json", "Content-Length: \(json.count)"], json), "FuzzHTTP1", "json")
write([1, 0, 0] + http1("204 No Content", [], []) + http1("404 Not Found", ["Content-Length: 9"], text("not found")), "FuzzHTTP1", "204-then-404")
write([1, 0, 0] + dnsResponse(httpAnswer, extra: ["Connection: close"]), "FuzzHTTP1", "connection-close")
write([0x41, 30, UInt8(oneResponse.count - 30)] + oneResponse + oneResponse, "FuzzHTTP1", "cancel-first")
write([0x20, 0, 0] + http1("200 OK", ["Transfer-Encoding: chunked"], chunked(httpAnswer + httpAnswer, sizes: [40])), "FuzzHTTP1", "chunked-over-limit")
write([0, 1, 0] + dnsResponse(httpAnswer), "FuzzHTTP1", "octet-by-octet")

// MARK: - HTTP/2

func frame(_ type: UInt8, _ flags: UInt8, _ stream: Int, _ payload: [UInt8]) -> [UInt8] {
    [UInt8(payload.count >> 16 & 0xFF)] + u16(payload.count) + [type, flags] + u32(stream) + payload
}
let endStream: UInt8 = 0x1, endHeaders: UInt8 = 0x4, padded: UInt8 = 0x8, ack: UInt8 = 0x1

let settings = frame(4, 0, 0, u16(3) + u32(100) + u16(4) + u32(65535) + u16(5) + u32(16384))
let settingsAck = frame(4, ack, 0, [])
/// :status 200, content-type: application/dns-message.
let headerBlock: [UInt8] = [0x88, 0x0F, 0x10, 0x17] + text("application/dns-message")
/// content-length (literal, indexed name 28) for `length`.
func contentLength(_ length: Int) -> [UInt8] { let digits = text(String(length)); return [0x0F, 0x0D, UInt8(digits.count)] + digits }

func h2Answer(_ stream: Int, _ body: [UInt8]) -> [UInt8] {
    frame(1, endHeaders, stream, headerBlock + contentLength(body.count)) + frame(0, endStream, stream, body)
}
let preamble = settings + settingsAck

// Octet 0: bits 0-1 requests (1, 2, 3, 3); bits 2-3 method; bit 4 limit 100; bit 5 cancel 1; bit 6 one more.
write([0, 0, 0] + preamble + h2Answer(1, httpAnswer), "FuzzHTTP2", "answer")
write([0, 0, 0] + frame(4, 0, 0, []) + settingsAck + frame(1, endHeaders, 1, [0x88, 0x0F, 0x10, 0x17] + text("application/dns-message")) + frame(0, endStream, 1, httpAnswer), "FuzzHTTP2", "answer-minimal")
write([2, 0, 0] + preamble + h2Answer(5, httpAnswer) + h2Answer(3, httpAnswer) + h2Answer(1, httpAnswer), "FuzzHTTP2", "three-streams-reversed")
write([1, 9, 5] + preamble + h2Answer(1, httpAnswer) + h2Answer(3, httpAnswer), "FuzzHTTP2", "two-streams-in-pieces")
write([0, 0, 0] + preamble + frame(1, endHeaders | endStream, 1, [0x89]), "FuzzHTTP2", "status-204-end-stream")
write([0, 0, 0] + preamble + frame(1, endHeaders, 1, [0x48, 0x03] + text("103")) + h2Answer(1, httpAnswer), "FuzzHTTP2", "interim-103")
write([0, 0, 0] + preamble + frame(1, 0, 1, Array(headerBlock.prefix(3))) + frame(9, endHeaders, 1, Array(headerBlock.dropFirst(3)))
    + frame(0, padded, 1, [4] + httpAnswer.prefix(10) + [0, 0, 0, 0]) + frame(0, endStream, 1, Array(httpAnswer.dropFirst(10))),
    "FuzzHTTP2", "continuation-and-padding")
write([0, 0, 0] + preamble + frame(6, 0, 0, u32(1) + u32(2)) + frame(8, 0, 0, u32(65536)) + frame(8, 0, 1, u32(1000)) + h2Answer(1, httpAnswer),
    "FuzzHTTP2", "ping-window-update")
write([1, 0, 0] + preamble + frame(7, 0, 0, u32(1) + u32(0)) + h2Answer(1, httpAnswer), "FuzzHTTP2", "goaway-last-1")
write([0, 0, 0] + preamble + frame(7, 0, 0, u32(0) + u32(0) + text("bye")), "FuzzHTTP2", "goaway-no-stream")
write([0x40, 0, 0] + preamble + frame(7, 0, 0, u32(0x7FFF_FFFF) + u32(2)), "FuzzHTTP2", "goaway-then-submit")
write([0, 0, 0] + preamble + frame(3, 0, 1, u32(7)), "FuzzHTTP2", "rst-stream-refused")
write([1, 0, 0] + preamble + frame(1, endHeaders, 1, headerBlock) + frame(3, 0, 1, u32(8)) + h2Answer(3, httpAnswer), "FuzzHTTP2", "rst-stream-cancel")
write([0x10, 0, 0] + preamble + frame(1, endHeaders, 1, headerBlock) + frame(0, 0, 1, httpAnswer) + frame(0, 0, 1, httpAnswer) + frame(0, endStream, 1, httpAnswer),
    "FuzzHTTP2", "body-over-limit")
write([0x21, 20, 0] + preamble + h2Answer(1, httpAnswer) + h2Answer(3, httpAnswer), "FuzzHTTP2", "cancel-first")
// Streams 65 and 67 open only once stream 1 is answered: the first piece ends there.
write([0x80, UInt8((preamble + h2Answer(1, httpAnswer)).count), 0] + preamble + h2Answer(1, httpAnswer) + h2Answer(65, httpAnswer) + h2Answer(67, httpAnswer), "FuzzHTTP2", "34-requests-held")
write([0, 0, 0] + preamble + frame(1, endHeaders, 1, [0x3F, 0xE1, 0x1F] + headerBlock + [0x40, 0x01] + text("x") + [0x01] + text("y") + [0xBE]) + frame(0, endStream, 1, httpAnswer),
    "FuzzHTTP2", "hpack-dynamic-table")

// MARK: - DNS stream framing

func framed(_ message: [UInt8]) -> [UInt8] { u16(message.count) + message }
func message(_ id: Int, _ filler: Int) -> [UInt8] { u16(id) + [UInt8](repeating: 0xAB, count: filler) }

// Octet 0: bits 0-1 requests minus one; bits 2-5 forget. Then IDs, then two piece sizes.
let ids = [0x0001, 0x1234, 0xBEEF, 0xFFFF]
write([3] + ids.flatMap(u16) + [0, 0] + ids.reversed().enumerated().flatMap { framed(message($1, $0 * 7 + 10)) }, "FuzzStreamFraming", "four-answers")
write([3] + ids.flatMap(u16) + [1, 3] + framed(message(0x4242, 3)) + ids.flatMap { framed(message($0, 12)) }, "FuzzStreamFraming", "pieces-and-unexpected-id")
write([1 | 4 << 1] + ids.prefix(2).flatMap(u16) + [5, 0] + framed(message(1, 0)) + framed(message(0x1234, 40)), "FuzzStreamFraming", "forget-second")
write([0] + u16(7) + [0, 0] + framed(message(7, 10)) + framed([1]), "FuzzStreamFraming", "short-frame")
write([0] + u16(0xBEEF) + [0, 0] + framed(exchangeAnswer), "FuzzStreamFraming", "dns-answer")

// MARK: - DoH JSON

// Octet 0: bits 0-1 status (200 unless 3); bits 2-4 content type; bits 5-6 method (json is 2).
let jsonControl: UInt8 = 2 << 5
write([jsonControl] + json, "FuzzDoHJSON", "json-aaaa")
write([jsonControl] + text(#"""
    {"Status":3,"TC":false,"RD":true,"RA":true,"AD":true,"CD":false,
     "Question":[{"name":"www.example.","type":1}],
     "Answer":[{"name":"www.example.","type":1,"TTL":60,"data":"192.0.2.1"},
               {"name":"www.example.","type":16,"TTL":60,"data":"\"a b\" c"},
               {"name":"www.example.","type":15,"TTL":60,"data":"10 mail.example."},
               {"name":"www.example.","type":5,"data":"other.example."}],
     "Authority":[{"name":"example.","type":6,"TTL":5,"data":"ns. host. 1 2 3 4 5"}],
     "Additional":[{"name":"www.example.","type":65,"TTL":5,"data":"1 . alpn=h2,h3 ipv4hint=192.0.2.1"}],
     "Comment":"ignored"}
    """#), "FuzzDoHJSON", "json-sections")
write([jsonControl | 1 << 2] + text(#"{"Status":23,"Question":[{"name":"x.","type":65535}]}"#), "FuzzDoHJSON", "json-extended-rcode")
write([jsonControl] + text(#"{"Status":0,"Answer":[{"name":"x.","type":1,"TTL":4294967295,"data":"192.0.2.1"}]}"#), "FuzzDoHJSON", "json-ttl")
write([2 << 2] + httpAnswer, "FuzzDoHJSON", "dns-message")
write([3] + text("not found"), "FuzzDoHJSON", "status-404")

// MARK: - Exchange

/// A data event: op 0, two octets of length, the octets.
func data(_ octets: [UInt8]) -> [UInt8] { [0] + u16(octets.count) + octets }
/// The clock moves on by `tenths` of a second, then `kind` (1 timer, 2 progress).
func clock(_ kind: UInt8, _ tenths: UInt8) -> [UInt8] { [tenths << 2 | kind] }
let truncated = answer(to: exchangeQuery, truncated: true)

// Octet 0: bits 0-1 transport (UDP, TCP, DoH/HTTP/1.1, UDP returning truncated); bit 2 absolute;
// bit 3 no moving on after SERVFAIL; bit 4 no EDNS; bits 5-6 servers (1, 2, 3, 3); bit 7 several messages.
// Octet 1: bits 0-2 timing (0: 5 s and 1 s); bits 3-4 retransmissions (3, 0, 1, 20).
write([0, 0] + data(exchangeAnswer), "FuzzExchange", "udp-answer")
write([0, 0] + clock(1, 10) + clock(1, 20) + [0b11 | 0 << 2] + u16(exchangeAnswer.count) + exchangeAnswer + data(exchangeAnswer), "FuzzExchange", "udp-retransmit-other-source")
write([0, 0] + data(truncated) + clock(2, 5) + data(framed(exchangeAnswer)), "FuzzExchange", "udp-truncated-then-tcp")
write([3, 0] + data(truncated), "FuzzExchange", "udp-only-truncated")
write([1, 0] + data(framed(exchangeAnswer)), "FuzzExchange", "tcp-answer")
write([1, 0] + data(Array(framed(exchangeAnswer).prefix(6))) + clock(2, 40) + clock(1, 30) + data(Array(framed(exchangeAnswer).dropFirst(6))), "FuzzExchange", "tcp-progress")
write([2, 0] + data(dnsResponse(exchangeAnswer)), "FuzzExchange", "doh-answer")
write([2, 0] + data(http1("200 OK", ["Content-Type: application/dns-message", "Transfer-Encoding: chunked"], chunked(exchangeAnswer, sizes: [11]))), "FuzzExchange", "doh-chunked")
write([2, 0] + data(http1("503 Service Unavailable", ["Content-Length: 4"], text("busy"))), "FuzzExchange", "doh-503")
write([1 | 4, 0] + clock(1, 63) + [0b1011], "FuzzExchange", "tcp-timeout")
write([1, 2] + clock(2, 10) + [0b1011] + [0b1011], "FuzzExchange", "tcp-longest-timeout")
write([0, 1] + [0b1011] + [0b1011] + data(exchangeAnswer), "FuzzExchange", "udp-zero-timeout")
write([0, 4 | 3 << 3] + [0b1011, 0b1011, 0b1011] + data(exchangeAnswer), "FuzzExchange", "udp-negative-timing")
write([0, 6 | 3 << 3] + [0b1011, 0b1011, 0b1011, 0b1011] + data(exchangeAnswer), "FuzzExchange", "udp-tiny-interval-20-retransmissions")
write([0x10, 0] + data(answer(to: DNSMessage.query(name: www, type: .a, id: 0xBEEF, edns: nil))), "FuzzExchange", "udp-no-edns")
var servfail = exchangeQuery
servfail.header.flags.insert(.qr)
servfail.responseCode = .servFail
servfail.edns = EDNS()
let servfailAnswer = try! servfail.serialize()
/// An op of kind 3 with sub-kind `sub`: 2 timer at its deadline, 3 failure, 4 more, 5 complete, 6 failed.
func special(_ sub: UInt8) -> [UInt8] { [sub << 2 | 3] }
write([0x20, 0] + data(servfailAnswer) + data(exchangeAnswer), "FuzzExchange", "udp-servfail-then-second-server")
write([0x40, 0] + special(2) + special(2) + data(exchangeAnswer), "FuzzExchange", "udp-three-servers-time-out-in-turn")
write([1 | 0x20, 0] + special(3) + data(framed(exchangeAnswer)), "FuzzExchange", "tcp-first-server-fails")
write([2 | 0x40, 0] + data(dnsResponse(servfailAnswer)) + special(2) + data(dnsResponse(exchangeAnswer)), "FuzzExchange", "doh-servfail-moves-on")
write([1 | 0x80, 0] + data(framed(exchangeAnswer)) + special(4) + clock(2, 3) + data(framed(exchangeAnswer)) + special(5), "FuzzExchange", "tcp-several-messages")
write([0 | 0x80, 0] + data(truncated) + data(framed(exchangeAnswer)) + special(6), "FuzzExchange", "udp-truncated-several-messages-failed")
print("transport seeds written to \(fuzzDirectory.path)/Corpus")
