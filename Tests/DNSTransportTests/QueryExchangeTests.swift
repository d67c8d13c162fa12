// SPDX-License-Identifier: Apache-2.0
// The exchange state machine without sockets: retransmission, matching, fallback, deadlines.

import DNSWire
import Testing

@testable import DNSTransport

@Suite struct QueryExchangeTests {
    let server = SocketAddress(address: "192.0.2.53", port: 53)!
    let start = ContinuousClock.now

    func query(id: UInt16 = 0x4242) throws -> DNSMessage {
        DNSMessage.query(name: try DomainName("www.example"), type: .a, id: id)
    }

    func reply(to query: DNSMessage, id: UInt16? = nil, flags: HeaderFlags = [.qr, .rd], name: String? = nil) throws -> [UInt8] {
        var message = query
        message.header.flags = flags
        if let id { message.id = id }
        if let name { message.questions[0].name = try DomainName(name) }
        return try message.serialize()
    }

    func options(_ transport: Transport = .udp()) -> ExchangeOptions {
        var options = ExchangeOptions()
        options.transport = transport
        options.timeout = .seconds(5)
        options.retransmitInterval = .seconds(1)
        options.retransmissions = 2
        return options
    }

    @Test func retransmitsWithBackoffThenTimesOut() throws {
        var exchange = try QueryExchange(query: try query(), options: options(), now: start)
        let wire = exchange.wire
        #expect(exchange.start(now: start) == [.sendUDP(wire, server: 0), .armTimer(start + .seconds(1))])
        #expect(exchange.timerFired(now: start + .seconds(1)).contains(.sendUDP(wire, server: 0)))
        let third = exchange.timerFired(now: start + .seconds(3))
        #expect(third.contains(.sendUDP(wire, server: 0)) && third.contains(.armTimer(start + .seconds(5))))
        #expect(exchange.timerFired(now: start + .seconds(4)) == [.armTimer(start + .seconds(5))])
        let last = exchange.timerFired(now: start + .seconds(5))
        guard case .finish(.failure(let error)) = last.last else {
            Issue.record("no failure: \(last)")
            return
        }
        #expect(error.code == .timedOut && exchange.isFinished)
    }

    @Test func ignoresMismatchesAndAcceptsTheAnswer() throws {
        let message = try query()
        var exchange = try QueryExchange(query: message, options: options(), now: start)
        _ = exchange.start(now: start)
        let other = SocketAddress(address: "192.0.2.54", port: 53)!
        for (bytes, source) in [
            (try reply(to: message, id: 1), server), (try reply(to: message, name: "evil.example"), server),
            (try reply(to: message, flags: [.rd]), server), (try reply(to: message), other), ([0x42, 0x42, 1], server),
        ] {
            let actions = exchange.receivedUDP(bytes, from: source, server: server)
            #expect(actions.count == 1 && !exchange.isFinished)
        }
        let good = try reply(to: message)
        let actions = exchange.receivedUDP(good, from: server, server: server)
        #expect(actions.first == .closeUDP)
        guard case .finish(.response(let response, let wire, false, 0)) = actions.last else {
            Issue.record("\(actions)")
            return
        }
        #expect(response.id == message.id && wire == good)
    }

    @Test func truncatedAnswerMovesToTCPInAutoMode() throws {
        let message = try query()
        var exchange = try QueryExchange(query: message, options: options(), now: start)
        _ = exchange.start(now: start)
        let actions = exchange.receivedUDP(try reply(to: message, flags: [.qr, .tc]), from: server, server: server)
        #expect(actions.contains(.closeUDP) && actions.contains(.sendStream(exchange.wire, server: 0)) && exchange.usesStream)
        #expect(exchange.receivedUDP(try reply(to: message), from: server, server: server).isEmpty)
        guard case .finish(.response(_, _, true, 0)) = exchange.receivedStream(try reply(to: message)).last else {
            Issue.record("no TCP response")
            return
        }
    }

    @Test func udpOnlyKeepsTheTruncatedAnswer() throws {
        let message = try query()
        var exchange = try QueryExchange(query: message, options: options(.udp(.returnTruncated)), now: start)
        _ = exchange.start(now: start)
        guard
            case .finish(.response(let response, _, false, 0)) = exchange.receivedUDP(
                try reply(to: message, flags: [.qr, .tc]), from: server, server: server
            ).last
        else {
            Issue.record("truncated answer not returned")
            return
        }
        #expect(response.header.flags.contains(.tc))
    }

    @Test func tcpOnlyNeverUsesUDPAndAnswerProgressMovesTheDeadline() throws {
        var exchange = try QueryExchange(query: try query(), options: options(.tcp), now: start)
        #expect(exchange.start(now: start) == [.sendStream(exchange.wire, server: 0), .armTimer(start + .seconds(5))])
        // Octets of the answer arrived at 2 s: an inactivity deadline moves to 7 s.
        exchange.answerProgressed(now: start + .seconds(2))
        #expect(exchange.timerFired(now: start + .seconds(5)) == [.armTimer(start + .seconds(7))])
        var absolute = options(.tcp)
        absolute.absoluteTimeout = true
        var fixed = try QueryExchange(query: try query(), options: absolute, now: start)
        _ = fixed.start(now: start)
        fixed.answerProgressed(now: start + .seconds(2))
        #expect(try timedOut(fixed.timerFired(now: start + .seconds(5))))
    }

    @Test func progressNeverTakesAQueryPastTwiceItsTimeout() throws {
        var exchange = try QueryExchange(query: try query(), options: options(.tcp), now: start)
        _ = exchange.start(now: start)
        exchange.answerProgressed(now: start + .seconds(4))
        #expect(exchange.timerFired(now: start + .seconds(5)) == [.armTimer(start + .seconds(9))])
        exchange.answerProgressed(now: start + .seconds(8))
        #expect(exchange.timerFired(now: start + .seconds(9)) == [.armTimer(start + .seconds(10))])
        #expect(try timedOut(exchange.timerFired(now: start + .seconds(10))))
    }

    @Test func theUDPDeadlineHoldsAfterFallingBackToTCP() throws {
        let message = try query()
        var exchange = try QueryExchange(query: message, options: options(.udp()), now: start)
        _ = exchange.start(now: start)
        _ = exchange.receivedUDP(try reply(to: message, flags: [.qr, .tc]), from: server, server: server)
        exchange.answerProgressed(now: start + .seconds(4))
        #expect(try timedOut(exchange.timerFired(now: start + .seconds(5))))
    }

    @Test func timeoutsBeyondTheLongestAreCutNotOverflowed() throws {
        var forever = options(.udp())
        forever.timeout = .seconds(Int64.max)
        forever.retransmitInterval = .seconds(Int64.max / 2)
        forever.retransmissions = 10
        var exchange = try QueryExchange(query: try query(), options: forever, now: start)
        let longest = ExchangeOptions.longestTimeout
        #expect(exchange.start(now: start) == [.sendUDP(exchange.wire, server: 0), .armTimer(start + longest)])
        var stream = forever
        stream.transport = .tcp
        var tcp = try QueryExchange(query: try query(), options: stream, now: start)
        _ = tcp.start(now: start)
        tcp.answerProgressed(now: start + longest)
        #expect(tcp.timerFired(now: start + longest) == [.armTimer(start + longest * 2)])
    }

    /// Whether `actions` end the exchange with a timeout.
    func timedOut(_ actions: [QueryExchange.Action]) throws -> Bool {
        guard case .finish(.failure(let error)) = actions.last else { return false }
        return error.code == .timedOut
    }

    @Test func tlsQueriesArePaddedToTheBlockSize() throws {
        var tls = TLSSettings()
        for (name, block) in [("a", 128), ("www.example", 128), ("a.much.longer.name.example.org", 128), ("x", 468)] {
            tls.paddingBlockSize = block
            var options = options(.tcp)
            options.transport = .tls(tls)
            let query = DNSMessage.query(name: try DomainName(name), type: .aaaa, id: 7)
            let exchange = try QueryExchange(query: query, options: options, now: start)
            #expect(exchange.wire.count % block == 0)
            #expect(try DNSMessage(wire: exchange.wire).edns?.options.first == .tcpKeepalive(timeout: nil))
            #expect(try DNSMessage(wire: exchange.wire).edns?.options.count == 2)
        }
        tls.paddingBlockSize = 0
        var unpadded = options(.tcp)
        unpadded.transport = .tls(tls)
        var keepalive = try query()
        keepalive.edns?.options = [.tcpKeepalive(timeout: nil)]
        #expect(try QueryExchange(query: try query(), options: unpadded, now: start).wire == keepalive.serialize())
        #expect(try QueryExchange(query: try query(), options: options(.tcp), now: start).wire == keepalive.serialize())
        #expect(try QueryExchange(query: try query(), options: options(.udp()), now: start).wire == (try query()).serialize())
    }

    @Test func malformedTCPAnswerFailsTheQuery() throws {
        var exchange = try QueryExchange(query: try query(), options: options(.tcp), now: start)
        _ = exchange.start(now: start)
        guard case .finish(.failure(let error)) = exchange.receivedStream([0x42, 0x42, 0x81, 0x80, 0, 1]).last else {
            Issue.record("accepted garbage")
            return
        }
        #expect(error.code == .malformedResponse)
    }
}
