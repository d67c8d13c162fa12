// SPDX-License-Identifier: Apache-2.0
// The exchange rules of DNS over DTLS without sockets: the UDP schedule, the EDNS size that
// fits a record, padding, and the DNS-over-TLS fallback (RFC 8094 §5).

import DNSWire
import Testing

@testable import DNSTransport

@Suite struct DTLSExchangeTests {
    let server = SocketAddress(address: "192.0.2.53", port: 853)!
    let start = ContinuousClock.now

    func query(name: String = "www.example", payload: UInt16 = 4096) throws -> DNSMessage {
        DNSMessage.query(name: try DomainName(name), type: .a, id: 0x4242, edns: EDNS(udpPayloadSize: payload))
    }

    func options(payloadSize: Int = 1232, fallback: Bool = true) -> ExchangeOptions {
        var settings = DTLSSettings()
        settings.payloadSize = payloadSize
        settings.fallbackToTLS = fallback
        var options = ExchangeOptions()
        options.transport = .dtls(settings)
        options.timeout = .seconds(5)
        options.retransmitInterval = .seconds(1)
        options.retransmissions = 2
        return options
    }

    func reply(to query: DNSMessage, truncated: Bool = false) throws -> [UInt8] {
        var message = query
        message.header.flags = truncated ? [.qr, .rd, .tc] : [.qr, .rd]
        return try message.serialize()
    }

    @Test func queriesGoAsDatagramsOnTheUDPSchedule() throws {
        var exchange = try QueryExchange(query: try query(), options: options(), now: start)
        let wire = exchange.wire
        #expect(exchange.start(now: start) == [.sendUDP(wire, server: 0), .armTimer(start + .seconds(1))])
        #expect(exchange.timerFired(now: start + .seconds(1)).contains(.sendUDP(wire, server: 0)))
        #expect(!exchange.usesStream)
    }

    @Test func theAdvertisedPayloadSizeFitsOneRecordAndQueriesArePadded() throws {
        let exchange = try QueryExchange(query: try query(), options: options(payloadSize: 1000), now: start)
        let sent = try DNSMessage(wire: exchange.wire)
        #expect(sent.edns?.udpPayloadSize == UInt16(1000 - DTLSSettings.recordOverhead))
        #expect(exchange.wire.count % 128 == 0)
        // A smaller size asked for stays.
        let small = try QueryExchange(query: try query(payload: 512), options: options(), now: start)
        #expect(try DNSMessage(wire: small.wire).edns?.udpPayloadSize == 512)
    }

    @Test func aTruncatedAnswerIsAskedAgainOverTLS() throws {
        let message = try query()
        var exchange = try QueryExchange(query: message, options: options(), now: start)
        _ = exchange.start(now: start)
        let actions = exchange.receivedUDP(try reply(to: message, truncated: true), from: nil, server: server)
        #expect(actions.first == .log("truncated DTLS response; retrying over DNS over TLS"))
        #expect(actions.contains(.closeUDP) && actions.contains(.sendStream(exchange.wire, server: 0)) && exchange.usesStream)
        guard case .finish(.response(_, _, true, 0)) = exchange.receivedStream(try reply(to: message)).last else {
            Issue.record("no answer over TLS")
            return
        }
    }

    @Test func withoutFallbackTheTruncatedAnswerIsTaken() throws {
        let message = try query()
        var exchange = try QueryExchange(query: message, options: options(fallback: false), now: start)
        _ = exchange.start(now: start)
        guard
            case .finish(.response(let response, _, false, 0)) = exchange.receivedUDP(
                try reply(to: message, truncated: true), from: nil, server: server
            ).last
        else {
            Issue.record("truncated answer not returned")
            return
        }
        #expect(response.header.flags.contains(.tc))
    }

    @Test func aQueryTooLargeForARecordGoesOverTLSOrFails() throws {
        let long = String(repeating: "a", count: 60) + "." + String(repeating: "b", count: 60) + ".example"
        var exchange = try QueryExchange(query: try query(name: long), options: options(payloadSize: 512), now: start)
        #expect(exchange.wire.count == 256)  // padded; fits 512 less the overhead, not 160
        var small = try QueryExchange(query: try query(name: long), options: options(payloadSize: 160), now: start)
        let actions = small.start(now: start)
        #expect(actions.contains(.sendStream(small.wire, server: 0)) && small.usesStream)
        var refused = try QueryExchange(query: try query(name: long), options: options(payloadSize: 160, fallback: false), now: start)
        guard case .finish(.failure(let error)) = refused.start(now: start).last else {
            Issue.record("an oversized query was not refused")
            return
        }
        #expect(error.code == .invalidQuery)
        _ = exchange.start(now: start)
        #expect(!exchange.usesStream)
    }
}
