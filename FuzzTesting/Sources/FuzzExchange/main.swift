// Fuzzes one whole query exchange through the sans-I/O layers: QueryExchange, with the
// servers' side coming from the input through DNSStreamFraming (TCP) or HTTP1Codec and
// DoHExchange.answer (DoH POST over HTTP/1.1), as DNSEngine wires them.
//
// Input: octets 0 and 1 (below), then events until the input ends. Each event starts with
// an octet `op`; `op >> 2` (0-63) is a step of the clock in 100 ms units where it applies:
//   op & 3 == 0   data: two octets of length, then that many octets: a UDP datagram from
//                 the current server while the exchange is on UDP, else octets of its stream;
//   op & 3 == 1   the clock moves on by the step, then the timer fires;
//   op & 3 == 2   the clock moves on by the step, then the answer progresses;
//   op & 3 == 3   by `(op >> 2) & 7`: 0 a datagram (two octets of length, the octets) from
//                 another address; 1 a datagram from no address (connected socket); 2 the
//                 timer fires at the deadline it was last armed for; 3 and 7 the transport
//                 fails (connection closed); 4, 5, 6 the caller judges the last message
//                 delivered (several messages): more, complete, failed.
//
// Octet 0: bits 0-1 the transport: 0 UDP (then TCP if truncated), 1 TCP, 2 DoH POST over
// HTTP/1.1, 3 UDP returning truncated answers; bit 2 absolute timeouts; bit 3 no moving on
// after SERVFAIL or REFUSED; bit 4 a query without EDNS; bits 5-6 the number of servers
// (1, 2, 3, 3); bit 7 an answer of several messages.
// Octet 1: bits 0-2 the timeout and retransmission interval (see `timing`: 5 s and 1 s
// first, then zero, huge, negative and tiny values); bits 3-4 the UDP retransmissions
// (3, 0, 1, 20).
//
// Checks: nothing traps; at most one .finish action ever, and no action after it (later
// events give none); a .finish(.response) or .deliver has the query's ID, question and the
// QR bit, and its wire parses to its message; a response names the server being asked (or
// an earlier one whose SERVFAIL or REFUSED was kept) and says rightly whether it came over
// a stream; sends go to the server being asked, over UDP only for UDP transports.

import DNSWire
import FuzzCommon

@testable import DNSTransport

enum Fixture {
    static let servers = (0..<3).map { SocketAddress(address: "192.0.2.\(53 + $0)", port: 53)! }
    static let other = SocketAddress(address: "198.51.100.1", port: 53)!
    static let name = try! DomainName("www.example.")
    static let doh: DoHSettings = {
        var settings = DoHSettings(url: try! DoHURL("https://dns.example/dns-query"))
        settings.method = .post
        return settings
    }()
    static let start = ContinuousClock.now
    /// (timeout, retransmission interval) choices: ExchangeOptions takes any Duration.
    static let timing: [(Duration, Duration)] = [
        (.seconds(5), .seconds(1)), (.zero, .zero), (.seconds(Int64.max), .seconds(Int64.max)), (.seconds(1), .seconds(5)),
        (.seconds(-5), .seconds(-1)), (.seconds(Int64.min), .seconds(Int64.min)), (.seconds(5), .nanoseconds(1)),
        (ExchangeOptions.longestTimeout, .seconds(1)),
    ]
}

/// The server's side of the stream the exchange's query went out on.
enum Stream {
    case none
    case dns(DNSStreamFraming)
    case http(HTTP1Codec)
    /// The stream failed; nothing more goes to it.
    case dead
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExchange(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput([UInt8](UnsafeBufferPointer(start: start, count: count)))
    let flags = input.byte()
    let timingChoice = input.byte()
    let transport = flags & 3
    let serverCount = min(3, 1 + Int(flags >> 5) & 3)

    var options = ExchangeOptions()
    (options.timeout, options.retransmitInterval) = Fixture.timing[Int(timingChoice) & 7]
    options.retransmissions = [3, 0, 1, 20][Int(timingChoice >> 3) & 3]
    options.absoluteTimeout = flags & 4 != 0
    options.movesOnServerFailure = flags & 8 == 0
    options.severalMessages = flags & 0x80 != 0
    options.cookies = timingChoice & 0x20 != 0
    options.questionCaseMustMatch = timingChoice & 0x40 != 0
    options.ignoresTrailingData = timingChoice & 0x80 != 0
    switch transport {
    case 1: options.transport = .tcp
    case 2: options.transport = .https(Fixture.doh)
    case 3: options.transport = .udp(.returnTruncated)
    default: options.transport = .udp(.retryOverTCP)
    }
    let query = DNSMessage.query(name: Fixture.name, type: .a, id: 0xBEEF, edns: flags & 0x10 != 0 ? nil : EDNS())
    var now = Fixture.start
    var exchange: QueryExchange
    do {
        exchange = try QueryExchange(
            query: query, options: options, servers: serverCount, now: now, cookies: (CookieJar(), Array(Fixture.servers.prefix(serverCount))))
    } catch {
        fatalError("QueryExchange: \(error)")
    }
    var finished = false
    var armed: ContinuousClock.Instant?
    var stream = Stream.none

    /// An answer handed on (finished or delivered) answers the query.
    func checkAnswer(_ message: DNSMessage, _ wire: [UInt8]) {
        precondition(message.id == exchange.query.id, "answer with ID \(message.id)")
        precondition(message.questions == exchange.query.questions, "answer to another question")
        precondition(message.header.flags.contains(.qr), "answer without QR")
        precondition((try? DNSMessage(wire: wire)) == message, "answer wire is not its message")
    }

    /// Checks and carries out the actions; `overStream` tells how an answer among them came.
    func perform(_ actions: [QueryExchange.Action], overStream: Bool? = nil) {
        for action in actions {
            trace("action \(action)")
            precondition(!finished, "action \(action) after .finish")
            switch action {
            case .finish(let outcome):
                finished = true
                precondition(exchange.isFinished, ".finish but the exchange goes on")
                guard case .response(let message, let wire, let tcp, let server) = outcome else { break }
                checkAnswer(message, wire)
                // An earlier server's SERVFAIL or REFUSED is kept and finishes the exchange
                // when no later server does better.
                precondition(server <= exchange.server && server < serverCount, "answer from server \(server)")
                if let overStream, server == exchange.server {
                    precondition(tcp == overStream, "overTCP \(tcp) for an answer that came otherwise")
                }
                if server < exchange.server {
                    precondition(
                        options.movesOnServerFailure && [.servFail, .refused].contains(message.responseCode),
                        "a kept answer of server \(server) that is not SERVFAIL or REFUSED")
                }
            case .deliver(let message, let wire):
                precondition(options.severalMessages, ".deliver for a one-message answer")
                checkAnswer(message, wire)
            case .sendStream(let wire, let server):
                precondition(transport != 3, "a stream with UDP returning truncated answers")
                precondition(server == exchange.server && server < serverCount, "stream to server \(server)")
                open(wire)
            case .sendUDP(_, let server):
                precondition(transport == 0 || transport == 3, "UDP over a stream transport")
                precondition(server == exchange.server && server < serverCount, "UDP to server \(server)")
            case .leaveStream:
                stream = .none
            case .armTimer(let deadline):
                armed = deadline
            case .closeUDP, .log, .serverKeepsIdle:
                break
            }
        }
    }

    /// The query goes out on a new stream to the current server.
    func open(_ wire: [UInt8]) {
        do throws(TransportError) {
            if transport == 2 {
                let codec = HTTP1Codec { _, text in _ = text() }
                stream = .http(codec)
                codec.onProgress = { _ in exchange.answerProgressed(now: now) }
                try codec.submit(DoHExchange.request(for: exchange.query, wire: wire, settings: Fixture.doh), for: 1)
                var output: [UInt8] = []
                received(try codec.produce(into: &output))
            } else {
                let framing = DNSStreamFraming()
                stream = .dns(framing)
                framing.onProgress = { _ in exchange.answerProgressed(now: now) }
                try framing.enqueue(DNSStreamFraming.Request(id: exchange.query.id, wire: wire, severalMessages: options.severalMessages), for: 1)
                var output: [UInt8] = []
                _ = try framing.produce(into: &output)
            }
        } catch {
            fail(error)
        }
    }

    /// The stream failed: the exchange learns of it as the engine tells it.
    func fail(_ error: TransportError) {
        stream = .dead
        perform(exchange.failed(error))
    }

    /// HTTP responses, as DNSEngine's HTTP connection hands them on.
    func received(_ results: [(UInt64, Result<HTTPResponse, TransportError>)]) {
        for (handle, result) in results {
            precondition(handle == 1, "HTTP answer for handle \(handle)")
            switch result {
            case .success(let response):
                do throws(TransportError) {
                    let wire = try DoHExchange.answer(response, to: exchange.query, method: .post)
                    perform(exchange.receivedStream(wire, rejection: .httpBody), overStream: true)
                } catch {
                    perform(exchange.failed(error))
                }
            case .failure(let error):
                perform(exchange.failed(error))
            }
        }
    }

    func datagram(_ octets: [UInt8], from source: SocketAddress?) {
        perform(exchange.receivedUDP(octets, from: source, server: Fixture.servers[exchange.server]), overStream: false)
    }

    func streamOctets(_ octets: ArraySlice<UInt8>) {
        do throws(TransportError) {
            switch stream {
            case .dns(let framing):
                for (handle, result) in try framing.consume(octets) {
                    precondition(handle == 1, "TCP answer for handle \(handle)")
                    if case .success(let wire) = result { perform(exchange.receivedStream(wire), overStream: true) }
                }
            case .http(let codec):
                received(try codec.consume(octets))
                var output: [UInt8] = []
                received(try codec.produce(into: &output))
            case .none, .dead:
                break
            }
        } catch {
            fail(error)
        }
    }

    func step(_ op: UInt8) { now += .milliseconds(100 * Int(op >> 2)) }

    perform(exchange.start(now: now))
    while !input.isEmpty {
        let op = input.byte()
        switch op & 3 {
        case 0:
            let octets = input.take(Int(input.uint16()))
            if exchange.usesStream || transport == 1 || transport == 2 {
                streamOctets(octets)
            } else {
                datagram(Array(octets), from: Fixture.servers[exchange.server])
            }
        case 1:
            step(op)
            perform(exchange.timerFired(now: now))
        case 2:
            step(op)
            exchange.answerProgressed(now: now)
        default:
            switch (op >> 2) & 7 {
            case 0: datagram(Array(input.take(Int(input.uint16()))), from: Fixture.other)
            case 1: datagram(Array(input.take(Int(input.uint16()))), from: nil)
            case 2:
                if let armed, armed > now { now = armed }
                perform(exchange.timerFired(now: now))
            case 4: perform(exchange.judged(.more, now: now))
            case 5: perform(exchange.judged(.complete, now: now))
            case 6: perform(exchange.judged(.failed(TransportError(.malformedResponse, "not a zone")), now: now))
            default:
                perform(exchange.failed(TransportError(.connectionClosed, "connection closed")))
            }
        }
    }
    return 0
}
