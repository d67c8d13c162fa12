// SPDX-License-Identifier: Apache-2.0
// Every transport against every kind of misbehaving server (FaultServer): the coded error and
// when it came, that the next query on the same component works, and that no socket is left.

import DNSComponent
import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

/// One fault: the transport, what the server does, and what the client must make of it.
struct FaultRow: Sendable, CustomTestStringConvertible {
    let transport: FaultServer.Kind
    let fault: String
    let script: FaultServer.Script
    /// The `DNSComponentError` code the query must throw.
    let code: Int
    /// When it must be thrown, in seconds after the query started.
    let window: ClosedRange<Double>
    /// Component settings beyond the matrix's own.
    let settings: [String]

    init(
        _ transport: FaultServer.Kind, _ fault: String, _ script: @escaping FaultServer.Script, _ code: Int, _ window: ClosedRange<Double>,
        settings: [String] = []
    ) {
        (self.transport, self.fault, self.script, self.code, self.window, self.settings) = (transport, fault, script, code, window, settings)
    }

    var testDescription: String { "\(transport.rawValue): \(fault)" }
}

enum FaultMatrix {
    typealias Script = FaultServer.Script

    /// The component's timeout, in seconds.
    static let timeout = 1.0
    /// A timeout: never before it, and promptly after.
    static let timedOut = timeout...timeout + 0.75
    /// A fault detected as such: before the timeout could have fired.
    static let prompt = 0.0...timeout
    /// An answer dribbling in: the deadline moves on with its octets (so well past the timeout),
    /// but never past twice the timeout.
    static let extended = timeout * 1.5...timeout * 2 + 0.5
    static let absolute = ["AbsoluteTimeout=True"]

    /// Queries `fault.example`: the error it threw (nil when answered) and the seconds it took.
    static func faultyQuery(_ dns: DNSComponent) -> (DNSComponentError?, Double) {
        let start = ContinuousClock.now
        let failure = componentError { try dns.query("fault.example") }
        return (failure, start.duration(to: .now) / .seconds(1))
    }

    /// The query after the fault, once the server behaves: "answered" (192.0.2.99), else what happened.
    static func nextQuery(_ dns: DNSComponent) -> String {
        do {
            try dns.query("fault.example")
            if dns.statusCode != 0 || (try? dns.getFieldValue(0, "ADDRESS")) != "192.0.2.99" { return "status \(dns.statusCode)" }
            return "answered"
        } catch {
            return "\(error)"
        }
    }

    /// Resets `dns` and waits up to 1 s for its sockets to 127.0.0.1:`port` to go: how many are left.
    static func socketsLeft(after dns: DNSComponent, port: UInt16) throws -> Int {
        try dns.reset()
        let limit = ContinuousClock.now + .seconds(1)
        var left = connectedSockets(to: port)
        while left > 0, ContinuousClock.now < limit {
            usleep(10_000)
            left = connectedSockets(to: port)
        }
        return left
    }

    /// The row's line of the matrix printed with the test output.
    static func printRow(
        _ transport: String, _ fault: String, code: Int, window: ClosedRange<Double>, failure: DNSComponentError?, elapsed: Double, next: String
    ) {
        let got = "\(failure.map { "\($0.code)" } ?? "no error") in " + String(format: "%.3f s", elapsed)
        print("fault-matrix | \(transport) | \(fault) | expected \(code) in \(window) s | got \(got) | next query \(next)")
    }

    static let rows: [FaultRow] = [
        // UDP, with RetransmitInterval=200: the query goes out at 0, 200 and 600 ms.
        FaultRow(.udp, "silence", silence, 10060, timedOut),
        FaultRow(.udp, "a wrong ID every 100 ms", wrongIDs, 10060, timedOut),
        FaultRow(.udp, "garbage datagrams every 100 ms", garbageDatagrams, 10060, timedOut),
        FaultRow(.udp, "3000-octet datagram, MaxPacketSize 1232", oversizedDatagram, 10060, timedOut, settings: ["MaxPacketSize=1232"]),
        FaultRow(.udp, "TC, then wrong IDs over TCP", truncatedThenWrongIDs, 10060, timedOut),

        // TCP
        FaultRow(.tcp, "silence", silence, 10060, timedOut),
        FaultRow(.tcp, "close at accept", { $0.close() }, 10054, prompt),
        FaultRow(.tcp, "reset at accept", { $0.reset() }, 10054, prompt),
        FaultRow(.tcp, "close after the query", closeAfterQuery, 10054, prompt),
        FaultRow(.tcp, "reset after the query", resetAfterQuery, 10054, prompt),
        FaultRow(.tcp, "close mid-length-prefix", sendPrefixThenClose(1), 10054, prompt),
        FaultRow(.tcp, "close mid-frame", sendHalfThen { $0.close() }, 10054, prompt),
        FaultRow(.tcp, "reset mid-frame", sendHalfThen { $0.reset() }, 10054, prompt),
        FaultRow(.tcp, "stall mid-frame, then answer on the same connection", sendHalfThen { _ in }, 10060, timedOut),
        FaultRow(.tcp, "a wrong-ID frame every 100 ms", wrongIDs, 10060, timedOut),
        FaultRow(.tcp, "dribble", dribble, 10060, extended),
        FaultRow(.tcp, "dribble, AbsoluteTimeout", dribble, 10060, timedOut, settings: absolute),
        FaultRow(.tcp, "never reads", neverRead, 10060, timedOut),
        FaultRow(.tcp, "65535-octet frame: the ID, then junk", oversizedFrame, 10053, prompt),
        FaultRow(.tcp, "64 random octets, connection kept open", randomOctets, 10060, timedOut),

        // DNS over TLS
        FaultRow(.tls, "silence", silence, 10060, timedOut),
        FaultRow(.tls, "close at accept", { $0.close() }, 276, prompt),
        FaultRow(.tls, "reset at accept", { $0.reset() }, 10054, prompt),
        FaultRow(.tls, "close after the handshake", closeAfterHandshake, 10054, prompt),
        FaultRow(.tls, "close after the query", closeAfterQuery, 10054, prompt),
        FaultRow(.tls, "reset after the query", resetAfterQuery, 10054, prompt),
        FaultRow(.tls, "close mid-length-prefix", sendPrefixThenClose(1), 10054, prompt),
        FaultRow(.tls, "close mid-frame", sendHalfThen { $0.close() }, 10054, prompt),
        FaultRow(.tls, "reset mid-frame", sendHalfThen { $0.reset() }, 10054, prompt),
        FaultRow(.tls, "stall mid-frame, then answer on the same connection", sendHalfThen { _ in }, 10060, timedOut),
        FaultRow(.tls, "a wrong-ID frame every 100 ms", wrongIDs, 10060, timedOut),
        FaultRow(.tls, "dribble", dribble, 10060, extended),
        FaultRow(.tls, "dribble, AbsoluteTimeout", dribble, 10060, timedOut, settings: absolute),
        FaultRow(.tls, "never reads (handshake stalls)", neverRead, 10060, timedOut),
        FaultRow(.tls, "65535-octet frame: the ID, then junk", oversizedFrame, 10053, prompt),
        FaultRow(.tls, "raw garbage bypassing TLS", rawAfterQuery(garbage), 284, prompt),
        FaultRow(.tls, "fatal alert mid-session", rawAfterQuery(fatalAlert), 284, prompt),
        FaultRow(.tls, "close_notify mid-session", closeNotifyAfterQuery, 10054, prompt),

        // DNS over HTTPS, HTTP/2
        FaultRow(.http2, "silence", silence, 10060, timedOut),
        FaultRow(.http2, "close at accept", { $0.close() }, 276, prompt),
        FaultRow(.http2, "reset at accept", { $0.reset() }, 10054, prompt),
        FaultRow(.http2, "close after the handshake", closeAfterHandshake, 10054, prompt),
        FaultRow(.http2, "close after the query", closeAfterQuery, 10054, prompt),
        FaultRow(.http2, "reset after the query", resetAfterQuery, 10054, prompt),
        FaultRow(.http2, "close mid-frame-header (4 octets)", sendPrefixThenClose(4), 10054, prompt),
        FaultRow(.http2, "close mid-response", sendHalfThen { $0.close() }, 10054, prompt),
        FaultRow(.http2, "reset mid-response", sendHalfThen { $0.reset() }, 10054, prompt),
        FaultRow(.http2, "stall mid-response, then answer on the same connection", sendHalfThen { _ in }, 10060, timedOut),
        FaultRow(.http2, "a PING every 100 ms", every100msAfterQuery(FaultServer.frame(.ping, Array(repeating: 0, count: 8))), 10060, timedOut),
        FaultRow(.http2, "dribble", dribble, 10060, extended),
        FaultRow(.http2, "dribble, AbsoluteTimeout", dribble, 10060, timedOut, settings: absolute),
        FaultRow(.http2, "never reads (handshake stalls)", neverRead, 10060, timedOut),
        FaultRow(.http2, "DATA body of 70000 octets", oversizedHTTP2Body, 151, prompt),
        FaultRow(.http2, "an HTTP/1.1 response instead of frames", afterQuery { c, query in http1Response(c.answer(to: query)) }, 151, prompt),
        FaultRow(.http2, "fatal alert mid-session", rawAfterQuery(fatalAlert), 284, prompt),
        FaultRow(.http2, "close_notify mid-session", closeNotifyAfterQuery, 10054, prompt),
        FaultRow(.http2, "GOAWAY(0, PROTOCOL_ERROR)", afterQuery { _, _ in FaultServer.frame(.goaway, [0, 0, 0, 0, 0, 0, 0, 1]) }, 10054, prompt),
        FaultRow(
            .http2, "RST_STREAM(INTERNAL_ERROR)", afterQuery { c, _ in FaultServer.frame(.rstStream, stream: c.stream, [0, 0, 0, 2]) }, 151, prompt),
        FaultRow(.http2, "RST_STREAM(REFUSED_STREAM)", refuseEveryStream, 10054, prompt),
        FaultRow(.http2, "DATA on stream 0", afterQuery { _, _ in FaultServer.frame(.data, [1, 2, 3, 4]) }, 151, prompt),
        // nghttp2 ends a session that would have it queue more than 1000 SETTINGS ACKs (its
        // flood protection): a protocol failure at once, not a hostile connection held open.
        FaultRow(.http2, "10,000 SETTINGS, then silence", settingsFlood, 151, prompt),
        // Below that limit, control frames are no progress: the deadline holds.
        FaultRow(
            .http2, "900 SETTINGS every 100 ms", every100msAfterQuery(Array(repeating: FaultServer.frame(.settings), count: 900).flatMap { $0 }),
            10060, timedOut),

        // DNS over HTTPS, HTTP/1.1
        FaultRow(.http1, "silence", silence, 10060, timedOut),
        FaultRow(.http1, "close at accept", { $0.close() }, 276, prompt),
        FaultRow(.http1, "reset at accept", { $0.reset() }, 10054, prompt),
        FaultRow(.http1, "close after the handshake", closeAfterHandshake, 10054, prompt),
        FaultRow(.http1, "close after the query", closeAfterQuery, 10054, prompt),
        FaultRow(.http1, "reset after the query", resetAfterQuery, 10054, prompt),
        FaultRow(.http1, "close mid-status-line (HTTP/1.1 2)", sendPrefixThenClose(10), 10054, prompt),
        FaultRow(.http1, "close mid-response", sendHalfThen { $0.close() }, 10054, prompt),
        FaultRow(.http1, "reset mid-response", sendHalfThen { $0.reset() }, 10054, prompt),
        FaultRow(.http1, "stall mid-response, then answer on the same connection", sendHalfThen { _ in }, 10060, timedOut),
        FaultRow(.http1, "100 Continue every 100 ms", every100msAfterQuery(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)), 10060, timedOut),
        FaultRow(.http1, "dribble", dribble, 10060, extended),
        FaultRow(.http1, "dribble, AbsoluteTimeout", dribble, 10060, timedOut, settings: absolute),
        FaultRow(.http1, "never reads (handshake stalls)", neverRead, 10060, timedOut),
        FaultRow(.http1, "Content-Length: 1000000", afterQuery { _, _ in http1Head("content-length: 1000000") }, 151, prompt),
        FaultRow(.http1, "a line that is not HTTP", afterQuery { _, _ in Array("SSH-2.0-OpenSSH_9.2\r\n\r\n".utf8) }, 151, prompt),
        FaultRow(.http1, "fatal alert mid-session", rawAfterQuery(fatalAlert), 284, prompt),
        FaultRow(.http1, "close_notify mid-session", closeNotifyAfterQuery, 10054, prompt),
        FaultRow(.http1, "chunk size zz", afterQuery { _, _ in http1Head("transfer-encoding: chunked") + Array("zz\r\n".utf8) }, 151, prompt),
        FaultRow(
            .http1, "chunk sizes 1, then 7fffffffffffffff",
            afterQuery { _, _ in http1Head("transfer-encoding: chunked") + Array("1\r\nA\r\n7fffffffffffffff\r\n".utf8) }, 151, prompt),
        FaultRow(.http1, "Content-Length: abc", afterQuery { _, _ in http1Head("content-length: abc") + Array("abc".utf8) }, 151, prompt),
        FaultRow(.http1, "neither Content-Length nor chunked", afterQuery { c, query in http1Head(nil) + c.answer(to: query) }, 151, prompt),
    ]

    // MARK: Scripts

    /// Reads the query, never answers.
    static let silence: Script = { _ = $0.readQuery() }
    /// Never reads (under TLS, never even answers the ClientHello).
    static let neverRead: Script = { _ in }
    static let closeAfterHandshake: Script = {
        $0.handshake()
        $0.close()
    }
    static let closeAfterQuery: Script = { if $0.readQuery() != nil { $0.close() } }
    static let resetAfterQuery: Script = { if $0.readQuery() != nil { $0.reset() } }
    static let closeNotifyAfterQuery: Script = { if $0.readQuery() != nil { $0.closeNotify() } }
    /// 64 octets that are no TLS record (content type 0x47 does not exist).
    static let garbage = Array(String(repeating: "GARBAGE!", count: 8).utf8)
    /// TLS alert record: fatal (2), internal_error (80), in the clear.
    static let fatalAlert: [UInt8] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]

    /// Reads the query, then sends what `octets` makes of it and keeps the connection open.
    static func afterQuery(_ octets: @escaping @Sendable (FaultServer.Connection, [UInt8]) -> [UInt8]) -> Script {
        { c in if let query = c.readQuery() { c.send(octets(c, query)) } }
    }

    /// Reads the query, then writes `octets` straight to the socket, bypassing TLS.
    static func rawAfterQuery(_ octets: [UInt8]) -> Script {
        { c in if c.readQuery() != nil { c.sendRaw(octets) } }
    }

    /// Reads the query, then sends `octets` every 100 ms.
    static func every100msAfterQuery(_ octets: [UInt8]) -> Script {
        { c in if c.readQuery() != nil { c.repeatUntilBehaving(every: 0.1) { c.send(octets) } } }
    }

    /// The answer with the query's ID plus one, every 100 ms (framed as the transport frames it).
    static let wrongIDs: Script = { c in
        guard let query = c.readQuery() else { return }
        let wrong = (UInt16(query[0]) << 8 | UInt16(query[1])) &+ 1
        c.repeatUntilBehaving(every: 0.1) { c.send(c.encoded(c.answer(to: query, id: wrong))) }
    }

    /// The first `count` octets of the encoded answer, then a FIN.
    static func sendPrefixThenClose(_ count: Int) -> Script {
        { c in
            guard let query = c.readQuery() else { return }
            c.send(c.encoded(c.answer(to: query)).prefix(count))
            c.close()
        }
    }

    /// Half the encoded answer, then `end`.
    static func sendHalfThen(_ end: @escaping @Sendable (FaultServer.Connection) -> Void) -> Script {
        { c in
            guard let query = c.readQuery() else { return }
            let answer = c.encoded(c.answer(to: query))
            c.send(answer.prefix(answer.count / 2))
            end(c)
        }
    }

    /// The encoded answer, one octet every 50 ms (an HTTP/2 answer's first progress, its
    /// `:status`, is its tenth octet: well inside the timeout).
    static let dribble: Script = { c in
        if let query = c.readQuery() { c.dribble(c.encoded(c.answer(to: query)), every: 0.05) }
    }

    /// A frame of 65535 octets: the query's ID, then junk.
    static let oversizedFrame: Script = { c in
        guard let query = c.readQuery() else { return }
        c.send([0xFF, 0xFF] + query.prefix(2) + (0..<65_533).map { _ in UInt8.random(in: 0...255) })
    }

    /// 64 random octets; the first makes the length prefix at least 32768, so the client
    /// waits for the rest of a frame that never comes.
    static let randomOctets: Script = { c in
        guard c.readQuery() != nil else { return }
        c.send([0x80 | UInt8.random(in: 0...255)] + (1..<64).map { _ in UInt8.random(in: 0...255) })
    }

    /// 40 random octets every 100 ms.
    static let garbageDatagrams: Script = { c in
        guard c.readQuery() != nil else { return }
        c.repeatUntilBehaving(every: 0.1) { c.send((0..<40).map { _ in UInt8.random(in: 0...255) }) }
    }

    /// The answer with as many A records as make it 3000 octets (or a few more): right ID,
    /// question and QR bit, so that only its size is wrong.
    static let oversizedDatagram: Script = { c in
        guard let query = c.readQuery(), var message = try? DNSMessage(wire: c.answer(to: query)), let record = message.answers.first
        else { return }
        var wire: [UInt8] = []
        while wire.count < 3000,
            let longer = try? {
                message.answers.append(record)
                return try message.serialize()
            }()
        { wire = longer }
        c.send(wire)
    }

    /// Over UDP an answer with TC set; over TCP the answer with a wrong ID every 100 ms.
    static let truncatedThenWrongIDs: Script = { c in
        guard c.transport == .udp else { return wrongIDs(c) }
        if let query = c.readQuery() { c.send(c.answer(to: query, truncated: true)) }
    }

    /// HEADERS, then DATA of 16384 × 4 + 4464 = 70000 octets, the last with END_STREAM.
    static let oversizedHTTP2Body: Script = { c in
        guard c.readQuery() != nil else { return }
        let sizes = [16_384, 16_384, 16_384, 16_384, 4_464]
        let frames = sizes.enumerated().flatMap { index, size in
            FaultServer.frame(.data, flags: index == sizes.count - 1 ? 0x1 : 0, stream: c.stream, Array(repeating: 0, count: size))
        }
        c.send(c.http2ResponseHeaders() + frames)
    }

    /// RST_STREAM(REFUSED_STREAM) for every request, the retry included.
    static let refuseEveryStream: Script = { c in
        c.eachQuery { _ in c.send(FaultServer.frame(.rstStream, stream: c.stream, [0, 0, 0, 7])) }
    }

    /// 10,000 empty SETTINGS frames (each wants an ACK), then nothing.
    static let settingsFlood: Script = { c in
        guard c.readQuery() != nil else { return }
        c.send(Array(repeating: FaultServer.frame(.settings), count: 10_000).flatMap { $0 })
    }

    /// An HTTP/1.1 200 response head with content-type application/dns-message and `field`.
    static func http1Head(_ field: String?) -> [UInt8] {
        Array("HTTP/1.1 200 OK\r\ncontent-type: application/dns-message\r\n\(field.map { "\($0)\r\n" } ?? "")\r\n".utf8)
    }

    static func http1Response(_ body: [UInt8]) -> [UInt8] { http1Head("content-length: \(body.count)") + body }
}

@Suite(.serialized) struct FaultMatrixTests {
    @Test(arguments: FaultMatrix.rows)
    func faultyServer(_ row: FaultRow) throws {
        let tlsDirectory = URL(fileURLWithPath: try Testbed.value("TESTBED_CA_FILE")).deletingLastPathComponent().path
        let server = try FaultServer(row.transport, certificate: tlsDirectory + "/server.crt", key: tlsDirectory + "/server.key", script: row.script)
        defer { #expect(server.stop(), "server threads or sockets left over") }
        var transcript: String { server.transcript.text }
        let dns = try component(row, server)

        let (failure, elapsed) = FaultMatrix.faultyQuery(dns)
        #expect(failure?.code == row.code, "\(String(describing: failure))\n\(transcript)")
        #expect(row.window.contains(elapsed), "took \(elapsed) s\n\(transcript)")

        server.behave()
        let next = FaultMatrix.nextQuery(dns)
        #expect(next == "answered", "the next query: \(next)\n\(transcript)")

        let left = try FaultMatrix.socketsLeft(after: dns, port: server.port)
        #expect(left == 0, "\(left) sockets still connected to the server\n\(transcript)")
        FaultMatrix.printRow(row.transport.rawValue, row.fault, code: row.code, window: row.window, failure: failure, elapsed: elapsed, next: next)
        if ProcessInfo.processInfo.environment["FAULT_MATRIX_TRANSCRIPTS"] != nil { print(transcript) }
    }

    /// A synchronous component with a 1 s timeout aimed at `server` over the row's transport.
    func component(_ row: FaultRow, _ server: FaultServer) throws -> DNSComponent {
        let dns = try DNSComponent()
        try dns.setTimeout(Int(FaultMatrix.timeout))
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(server.port))
        switch row.transport {
        case .udp:
            try dns.config("RetransmitInterval=200")
        case .tcp:
            dns.protocol = .tcp
        case .tls:
            dns.protocol = .tls
        case .http2, .http1:
            dns.protocol = .https
            dns.dnsServer = "https://127.0.0.1:\(server.port)/dns-query"
            try dns.config("DoHMethod=0")
        }
        if row.transport == .tls || row.transport == .http2 || row.transport == .http1 {
            try dns.config("SSLCAFile=\(try Testbed.value("TESTBED_CA_FILE"))")
        }
        for setting in row.settings { try dns.config(setting) }
        return dns
    }

}
