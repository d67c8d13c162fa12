// SPDX-License-Identifier: Apache-2.0
// Hostile input to the transport layer: numbers a peer or a setting controls, HTTP framing
// that lies about lengths, header injection, scoped addresses, and the loop's wake-ups.

import DNSWire
import Glibc
import Testing

@testable import DNSTransport

@Suite struct HTTP1HardeningTests {
    /// A codec with one request in flight; `progress` collects the handles it reports.
    final class Fixture {
        let codec = HTTP1Codec { _, _ in }
        var progress: [UInt64] = []

        init(limit: Int = 65_535) throws {
            codec.onProgress = { [unowned self] in self.progress.append($0) }
            let request = HTTPRequest(
                method: "POST", scheme: "https", authority: "h", path: "/dns-query", headers: [], body: [1], maxResponseBody: limit)
            try codec.submit(request, for: 7)
            var output: [UInt8] = []
            _ = try codec.produce(into: &output)
        }

        func consume(_ text: String) throws -> [(UInt64, Result<HTTPResponse, TransportError>)] {
            try codec.consume(Array(text.utf8)[...])
        }
    }

    func thrownCode(_ body: () throws -> Void) -> TransportError.Code? {
        do { try body() } catch { return (error as? TransportError)?.code }
        return nil
    }

    /// The size that overflowed `body.count + size` and crashed the client.
    @Test func hugeChunkSizesAreRefusedWithoutOverflow() throws {
        let fixture = try Fixture()
        let code = thrownCode {
            _ = try fixture.consume("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nA\r\n7fffffffffffffff\r\n")
        }
        #expect(code == .httpProtocol)  // more than 15 hex digits
        let fifteen = try Fixture()
        #expect(
            thrownCode { _ = try fifteen.consume("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nA\r\nfffffffffffffff\r\n") } == .httpBody)
        for size in ["ffffffffffffffff", "10000000000000000", "+5", "-1", "zz", ""] {
            let fixture = try Fixture()
            #expect(
                thrownCode { _ = try fixture.consume("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\n") } == .httpProtocol, "\(size)"
            )
        }
    }

    @Test func chunksMustEndWithCRLFAndLinesStayShort() throws {
        let fixture = try Fixture()
        #expect(thrownCode { _ = try fixture.consume("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nABCD\r\n") } == .httpProtocol)
        let long = try Fixture()
        let extensionLine = "1;" + String(repeating: "x", count: 2_000)
        #expect(thrownCode { _ = try long.consume("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(extensionLine)") } == .httpProtocol)
    }

    @Test func chunkedBodiesAcrossReadsWithExtensionsAndTrailers() throws {
        let fixture = try Fixture()
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;name=value\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n"
        var finished: [(UInt64, Result<HTTPResponse, TransportError>)] = []
        for octet in text.utf8 { finished += try fixture.codec.consume([octet][...]) }
        try #require(finished.count == 1)
        #expect(finished[0].0 == 7)
        #expect(try finished[0].1.get().body == Array("abcde".utf8))
    }

    @Test func contentLengthMustBeDigitsWithinTheLimit() throws {
        for (length, code) in [
            ("abc", TransportError.Code.httpProtocol), ("-1", .httpProtocol), ("+3", .httpProtocol),
            ("99999999999999999999999", .httpProtocol), ("1000000", .httpBody), ("", .httpProtocol),
        ] {
            let fixture = try Fixture()
            #expect(thrownCode { _ = try fixture.consume("HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\n") } == code, "\(length)")
        }
        let missing = try Fixture()
        #expect(thrownCode { _ = try missing.consume("HTTP/1.1 200 OK\r\n\r\n") } == .httpProtocol)
    }

    @Test func statusLinesMustBeHTTP() throws {
        for line in ["HTTP/1.1 2000 OK", "HTTP/1.1 -20 OK", "SSH-2.0-OpenSSH", "HTTP/1.1 099 X"] {
            let fixture = try Fixture()
            #expect(thrownCode { _ = try fixture.consume("\(line)\r\n\r\n") } == .httpProtocol, "\(line)")
        }
    }

    @Test func theWholeResponseIsBounded() throws {
        let header = try Fixture()
        #expect(thrownCode { _ = try header.consume("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 70_000)) } == .httpProtocol)
        // One-octet chunks: the body stays under its limit, the framing around it may not grow without end.
        let fixture = try Fixture(limit: 100)
        let chunks = String(repeating: "1\r\nA\r\n", count: 100) + String(repeating: "Trailer: x\r\n", count: 40_000)
        let code = thrownCode { _ = try fixture.consume("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks) }
        #expect(code == .httpBody || code == .httpProtocol)
    }

    @Test func dataWithNoRequestOutstandingIsAProtocolError() throws {
        let codec = HTTP1Codec { _, _ in }
        #expect(thrownCode { _ = try codec.consume(Array("HTTP/1.1 200 OK\r\n".utf8)[...]) } == .httpProtocol)
    }

    @Test func moreThanTheResponseStopsTheConnectionsUse() throws {
        let fixture = try Fixture()
        let queued = HTTPRequest(method: "GET", scheme: "https", authority: "h", path: "/", headers: [], body: [], maxResponseBody: 10)
        try fixture.codec.submit(queued, for: 8)
        let finished = try fixture.consume("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAjunk")
        #expect(finished.map(\.0) == [7, 8])
        #expect((try? finished[1].1.get()) == nil && !fixture.codec.acceptsRequests)
    }

    @Test func interimResponsesAreNoProgressTheFinalOneIs() throws {
        let fixture = try Fixture()
        for _ in 0..<5 { #expect(try fixture.consume("HTTP/1.1 100 Continue\r\n\r\n").isEmpty) }
        #expect(try fixture.consume("HTTP/1.1 103 Early").isEmpty)
        #expect(fixture.progress.isEmpty)
        // Before the status code is in, octets may be the final response's: they count.
        #expect(try fixture.consume(" Hints\r\n\r\nHTTP/1.1").isEmpty)
        #expect(fixture.progress == [7])
        fixture.progress.removeAll()
        _ = try fixture.consume(" 200 OK\r\nContent-Length: 5\r\n\r\nab")
        #expect(fixture.progress == [7])
    }
}

@Suite struct HTTP2HardeningTests {
    /// A peer that answers HTTP/2 with HTTP/1.1: nghttp2 ends the session, and the codec says so.
    @Test func aServerThatDoesNotSpeakHTTP2EndsTheSession() throws {
        let codec = try HTTP2Codec { _, _ in }
        let request = HTTPRequest(method: "POST", scheme: "http", authority: "h", path: "/dns-query", headers: [], body: [1], maxResponseBody: 65_535)
        try codec.submit(request, for: 3)
        var output: [UInt8] = []
        _ = try codec.produce(into: &output)
        var code: TransportError.Code?
        do { _ = try codec.consume(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)[...]) } catch {
            code = error.code
        }
        #expect(code == .httpProtocol)
        #expect(codec.waitingHandles == [3])
    }
}

@Suite struct HTTP2ProgressTests {
    /// Octets of a waiting stream's frames are its progress; after the stream is cancelled
    /// the rest of its frame is nobody's (FuzzHTTP2-progress-for-a-cancelled-stream).
    @Test func frameOctetsOfAWaitingStreamAreProgressAndOfACancelledOneNot() throws {
        let codec = try HTTP2Codec { _, _ in }
        var progress: [UInt64] = []
        codec.onProgress = { progress.append($0) }
        let request = HTTPRequest(method: "POST", scheme: "http", authority: "h", path: "/dns-query", headers: [], body: [1], maxResponseBody: 65_535)
        try codec.submit(request, for: 5)
        var output: [UInt8] = []
        _ = try codec.produce(into: &output)
        let settings: [UInt8] = [0, 0, 0, 4, 0, 0, 0, 0, 0]
        let ping: [UInt8] = [0, 0, 8, 6, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8)
        let headers: [UInt8] = [0, 0, 1, 1, 4, 0, 0, 0, 1, 0x88]  // :status 200, END_HEADERS, stream 1
        let dataStart: [UInt8] = [0, 0, 10, 0, 0, 0, 0, 0, 1, 1, 2]  // 10 octets of DATA announced, 2 sent
        _ = try codec.consume((settings + ping)[...])
        #expect(progress.isEmpty)  // nothing of stream 1 yet
        _ = try codec.consume((headers + dataStart)[...])
        #expect(progress.contains(5))
        progress.removeAll()
        codec.cancel(5)
        _ = try codec.consume([3, 4, 5][...])
        #expect(progress.isEmpty)
    }
}

@Suite struct DNSStreamFramingProgressTests {
    @Test func onlyTheWaitingQuerysPartialAnswerIsProgress() throws {
        let framing = DNSStreamFraming()
        var progress: [UInt64] = []
        framing.onProgress = { progress.append($0) }
        try framing.enqueue(DNSStreamFraming.Request(id: 0x1234, wire: [0x12, 0x34]), for: 1)
        // A partial frame for an ID nobody waits for, then the waiting one's first octets.
        #expect(try framing.consume([0, 20, 0x99, 0x99, 0][...]).isEmpty)
        #expect(progress.isEmpty)
        #expect(try framing.consume([UInt8](repeating: 0, count: 17)[...]).isEmpty)  // the junk frame ends
        #expect(try framing.consume([0, 12, 0x12][...]).isEmpty)
        #expect(progress.isEmpty)  // its ID is not known yet
        #expect(try framing.consume([0x34, 0x81][...]).isEmpty)
        #expect(progress == [1])
    }
}

@Suite struct NumberHardeningTests {
    @Test func pollWaitsSaturateInsteadOfOverflowing() {
        #expect(PollLoop.pollMilliseconds(.zero) == 0)
        #expect(PollLoop.pollMilliseconds(.nanoseconds(1)) == 1)
        #expect(PollLoop.pollMilliseconds(.milliseconds(1500)) == 1500)
        #expect(PollLoop.pollMilliseconds(.seconds(-5)) == 0)
        #expect(PollLoop.pollMilliseconds(.seconds(9_223_372_036_854_775_807)) == Int32.max)
        #expect(PollLoop.pollMilliseconds(.seconds(2_147_483)) == Int32.max)
    }

    @Test func aLoopRoundWithAFarTimerDoesNotTrap() throws {
        let loop = try PollLoop()
        loop.schedule(at: .now + .seconds(Int64.max / 4)) {}
        loop.beforeNextWait { loop.returnWithoutWaiting() }
        loop.runOnce(timeout: nil)
    }

    /// RFC 2181 §8: a TTL with the top bit set is treated as 0; OPT's TTL field is flags.
    @Test func ttlsWithTheTopBitReadAsZero() throws {
        var message = DNSMessage.query(name: try DomainName("www.example"), type: .a, id: 1, edns: EDNS(dnssecOK: true))
        let a = try RecordData(type: .a, RecordData.A(address: IPv4Address("192.0.2.1")!))
        message.answers = [0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF].map { DNSRecord(name: try! DomainName("www.example"), ttl: $0, data: a) }
        let parsed = try DNSMessage(wire: try message.serialize())
        #expect(parsed.answers.map(\.ttl) == [0x7FFF_FFFF, 0, 0])
        #expect(parsed.edns?.dnssecOK == true)
    }
}

@Suite struct InjectionTests {
    @Test func urlsWithControlCharactersSpacesOrNonASCIIAreRefused() {
        for url in ["https://h/dns-query\r\nX-Injected: 1", "https://h/dns query", "https://h/\u{7F}", "https://h/é", "https://h\n/x"] {
            #expect(throws: DoHURL.ParseError.invalidCharacter, "\(url.debugDescription)") { try DoHURL(url) }
        }
    }

    @Test func userAgentsWithControlCharactersAreRefused() throws {
        var settings = DoHSettings(url: try DoHURL("https://h"))
        settings.userAgent = "agent/1\r\nX-Injected: 1"
        let query = DNSMessage.query(name: try DomainName("a.example"), type: .a, id: 0)
        #expect(throws: TransportError(.invalidQuery, "")) { try DoHExchange.request(for: query, wire: [], settings: settings) }
        settings.userAgent = "agent/1 (tab\tok)"
        #expect(try DoHExchange.request(for: query, wire: [], settings: settings).headers.last?.value == "agent/1 (tab\tok)")
    }
}

@Suite struct ScopedAddressTests {
    let loopbackIndex = if_nametoindex("lo")

    @Test func aZoneReachesTheSocketAddress() throws {
        for text in ["fe80::1%lo", "[fe80::1%lo]", "fe80::1%\(loopbackIndex)"] {
            let address = try #require(SocketAddress(address: text, port: 53), "\(text)")
            #expect(address.scopeID == loopbackIndex && address.description == "[fe80::1%lo]:53" && address.ipAddress == "fe80::1")
            let scope = address.withSockAddr { pointer, _ in
                UnsafeRawPointer(pointer).load(as: sockaddr_in6.self).sin6_scope_id
            }
            #expect(scope == loopbackIndex)
            #expect(address.withSockAddr { pointer, _ in SocketAddress(pointer) } == address)
        }
        #expect(SocketAddress(address: "fe80::1%no-such-interface", port: 53) == nil)
        #expect(SocketAddress(address: "192.0.2.1%lo", port: 53) == nil)
        #expect(SocketAddress(address: "fe80::1", port: 53)?.scopeID == 0)
    }

    @Test func dohURLsWriteTheZoneAsPercent25() throws {
        let url = try DoHURL("https://[fe80::1%25lo]:8443/dns-query")
        #expect(url.host == "fe80::1%lo" && url.authority == "[fe80::1%25lo]:8443")
        #expect(throws: DoHURL.ParseError.missingHost) { try DoHURL("https://[fe80::1%lo]/dns-query") }
    }
}
