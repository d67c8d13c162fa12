// SPDX-License-Identifier: Apache-2.0
// DNS over HTTPS without a network: URLs, request forms, HTTP/1.1 parsing, and JSON answers.

import DNSWire
import Testing

@testable import DNSTransport

struct DoHURLTests {
    @Test func parsesURLsAndBareHosts() throws {
        let full = try DoHURL("https://dns.example:8443/query?x=1")
        #expect(full.scheme == "https" && full.host == "dns.example" && full.port == 8443 && full.path == "/query?x=1")
        #expect(full.authority == "dns.example:8443")
        let bare = try DoHURL(" dns.example ")
        #expect(bare.description == "https://dns.example/dns-query" && bare.port == 443)
        let v6 = try DoHURL("http://[::1]:8480")
        #expect(v6.host == "::1" && v6.port == 8480 && v6.authority == "[::1]:8480" && v6.path == "/dns-query")
        #expect(try DoHURL("HTTPS://[2001:db8::1]/dns-query").authority == "[2001:db8::1]")
    }

    @Test func rejectsWhatIsNotADoHURL() {
        #expect(throws: DoHURL.ParseError.unsupportedScheme("ftp")) { try DoHURL("ftp://dns.example/") }
        #expect(throws: DoHURL.ParseError.missingHost) { try DoHURL("https:///dns-query") }
        #expect(throws: DoHURL.ParseError.missingHost) { try DoHURL("https://[::1/dns-query") }
        #expect(throws: DoHURL.ParseError.badPort("0")) { try DoHURL("https://dns.example:0/") }
        #expect(throws: DoHURL.ParseError.badPort("x")) { try DoHURL("https://dns.example:x/") }
    }
}

struct DoHRequestTests {
    let query = DNSMessage.query(name: try! DomainName("www.example"), type: .aaaa, id: 0)

    func settings(_ url: String, _ method: DoHMethod) throws -> DoHSettings {
        var settings = DoHSettings(url: try DoHURL(url))
        settings.method = method
        return settings
    }

    @Test func postCarriesTheMessage() throws {
        let wire = try query.serialize()
        let request = try DoHExchange.request(for: query, wire: wire, settings: try settings("https://h/dns-query", .post))
        #expect(request.method == "POST" && request.path == "/dns-query" && request.body == wire)
        #expect(request.headers.contains { $0 == ("content-type", "application/dns-message") })
        #expect(request.headers.contains { $0 == ("content-length", String(wire.count)) })
    }

    @Test func getEncodesTheMessageAsBase64url() throws {
        let wire: [UInt8] = [0xFB, 0xFF, 0x00, 0x3E]
        let request = try DoHExchange.request(for: query, wire: wire, settings: try settings("https://h/q?a=b", .get))
        #expect(request.method == "GET" && request.path == "/q?a=b&dns=-_8APg" && request.body.isEmpty)
        #expect(BaseEncoding.base64url.decode("-_8APg") == wire && BaseEncoding.base64url.decode("-_8APg==") == nil)
    }

    @Test func jsonAsksByNameAndType() throws {
        var query = DNSMessage.query(name: try DomainName("a b.example"), type: .caa, id: 0, edns: EDNS(dnssecOK: true))
        query.header.flags.insert(.cd)
        let request = try DoHExchange.request(for: query, wire: [], settings: try settings("https://h", .json))
        // The name in presentation form (so any octet survives), percent-encoded.
        #expect(request.path == "/dns-query?name=a%5C032b.example.&type=257&do=1&cd=1")
        #expect(request.headers.first! == ("accept", "application/dns-json"))
    }

    @Test func tlsSettingsAuthenticateTheURLHost() throws {
        #expect(DoHSettings(url: try DoHURL("https://dns.example")).tls?.serverName == "dns.example")
        #expect(DoHSettings(url: try DoHURL("https://127.0.0.1")).tls?.serverName == "")
        #expect(DoHSettings(url: try DoHURL("https://h")).tls?.applicationProtocols == ["h2", "http/1.1"])
        #expect(DoHSettings(url: try DoHURL("http://h")).tls == nil)
    }
}

struct DoHResponseTests {
    let query = DNSMessage.query(name: try! DomainName("www.example"), type: .a, id: 7)

    func response(_ status: Int, _ type: String?, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(version: "HTTP/2", status: status, headers: type.map { [("content-type", $0)] } ?? [], body: body)
    }

    func failure(_ response: HTTPResponse, _ method: DoHMethod = .post) -> TransportError? {
        do { _ = try DoHExchange.answer(response, to: query, method: method) } catch { return error }
        return nil
    }

    @Test func checksStatusTypeAndBody() {
        #expect(failure(response(503, "text/plain", Array("overloaded".utf8)))?.detail == "HTTP status 503: overloaded")
        #expect(failure(response(200, "text/html", [1, 2]))?.code == .httpBody)
        #expect(failure(response(200, nil, [1, 2]))?.code == .httpBody)
        #expect(failure(response(200, "application/dns-message", []))?.code == .httpBody)
        #expect(failure(response(200, "application/dns-message; charset=x", [1, 2])) == nil)
        #expect(failure(response(200, "application/dns-json", Array("{not json".utf8)), .json)?.code == .httpBody)
    }

    @Test func readsJSONIntoTheSameRecords() throws {
        let json = """
            {"Status":3,"TC":false,"RD":true,"RA":true,"AD":true,"CD":false,
             "Question":[{"name":"www.example.","type":1}],
             "Answer":[{"name":"www.example.","type":1,"TTL":60,"data":"192.0.2.1"},
                       {"name":"www.example.","type":16,"TTL":60,"data":"\\"a b\\" c"}],
             "Authority":[{"name":"example.","type":6,"TTL":5,"data":"ns. host. 1 2 3 4 5"}],
             "Comment":"ignored"}
            """
        let wire = try DoHExchange.answer(response(200, "application/dns-json", Array(json.utf8)), to: query, method: .json)
        let message = try DNSMessage(wire: wire)
        #expect(message.id == 7 && message.responseCode == .nxDomain && message.header.flags == [.qr, .rd, .ra, .ad])
        #expect(message.questions == query.questions)
        #expect(message.answers.map(\.data.description) == ["192.0.2.1", "\"a b\" \"c\""])
        #expect(message.authorities.first?.type == .soa && message.authorities.first?.ttl == 5)
        let bad = #"{"Status":0,"Answer":[{"name":"x.","type":1,"TTL":1,"data":"not-an-address"}]}"#
        #expect(failure(response(200, "application/json", Array(bad.utf8)), .json)?.code == .httpBody)
    }

    @Test(arguments: [
        "[]", #"{"TC":false}"#, #"{"Status":"0"}"#, #"{"Status":1.5}"#, #"{"Status":4096}"#, #"{"Status":0,"RD":1}"#,
        #"{"Status":0,"Answer":{}}"#, #"{"Status":0,"Question":[{"name":"x.","type":65536}]}"#,
        #"{"Status":0,"Answer":[{"name":"x.","type":1,"TTL":-1,"data":"192.0.2.1"}]}"#,
        #"{"Status":0,"Answer":[{"name":"x.","type":1,"TTL":4294967296,"data":"192.0.2.1"}]}"#,
        #"{"Status":0,"Answer":[{"name":"x.","type":1,"TTL":1}]}"#, #"{"Status":0,"Answer":[{"type":1,"data":"192.0.2.1"}]}"#,
        #"{"Status":0,"Answer":[{"name":"x..y.","type":1,"data":"192.0.2.1"}]}"#,
    ])
    func jsonThatIsNotADNSAnswerIsRefused(json: String) {
        #expect(failure(response(200, "application/dns-json", Array(json.utf8)), .json)?.code == .httpBody)
    }

    @Test func absentOrNullMembersAreEmpty() throws {
        let json = #"{"Status":0,"TC":null,"Question":null,"Answer":[{"name":"x.","type":1,"data":"192.0.2.1"}]}"#
        let message = try DNSMessage(wire: try DoHExchange.answer(response(200, "application/dns-json", Array(json.utf8)), to: query, method: .json))
        #expect(message.header.flags == [.qr] && message.questions.isEmpty && message.answers.first?.ttl == 0)
    }
}

struct HTTP1CodecTests {
    let request = HTTPRequest(
        method: "GET", scheme: "https", authority: "h", path: "/dns-query?dns=AA", headers: [("accept", "application/dns-message")],
        body: [], maxResponseBody: 100)

    func codec() throws -> HTTP1Codec {
        let codec = HTTP1Codec { _, _ in }
        try codec.submit(request, for: 1)
        try codec.submit(request, for: 2)
        return codec
    }

    @Test func writesOneRequestAtATime() throws {
        let codec = try codec()
        var out: [UInt8] = []
        _ = try codec.produce(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "GET /dns-query?dns=AA HTTP/1.1\r\nhost: h\r\naccept: application/dns-message\r\n\r\n")
        let first = out.count
        _ = try codec.produce(into: &out)
        #expect(out.count == first)  // the second waits for the first answer
        let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: x\r\n\r\nabc".utf8)
        var results = try codec.consume(answer[..<20])
        #expect(results.isEmpty)
        results = try codec.consume(answer[20...])
        #expect(results.count == 1 && results[0].0 == 1)
        if case .success(let response) = results[0].1 {
            #expect(response.status == 200 && response.body == Array("abc".utf8) && response.header("content-type") == "x")
        }
        _ = try codec.produce(into: &out)
        #expect(out.count == 2 * first)
    }

    @Test func readsChunkedBodiesAndInterimResponses() throws {
        let codec = try codec()
        var out: [UInt8] = []
        _ = try codec.produce(into: &out)
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n"
        let results = try codec.consume(Array(text.utf8)[...])
        guard case .success(let response)? = results.first?.1 else {
            Issue.record("no response")
            return
        }
        #expect(response.body == Array("abcde".utf8))
    }

    @Test func refusesOversizedAndMalformedResponses() throws {
        var out: [UInt8] = []
        let big = try codec()
        _ = try big.produce(into: &out)
        #expect(throws: TransportError(.httpBody, "")) {
            try big.consume(Array("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n".utf8)[...])
        }
        let garbage = try codec()
        _ = try garbage.produce(into: &out)
        #expect(throws: TransportError(.httpProtocol, "")) { try garbage.consume(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)[...]) }
        let unframed = try codec()
        _ = try unframed.produce(into: &out)
        #expect(throws: TransportError(.httpProtocol, "")) { try unframed.consume(Array("HTTP/1.1 200 OK\r\n\r\nabc".utf8)[...]) }
    }

    @Test func connectionCloseRetiresTheConnection() throws {
        let codec = try codec()
        var out: [UInt8] = []
        _ = try codec.produce(into: &out)
        let results = try codec.consume(Array("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".utf8)[...])
        #expect(results.count == 2 && !codec.acceptsRequests && codec.isIdle)
        if case .failure(let error) = results[1].1 { #expect(error.code == .connectionClosed) }
    }
}
