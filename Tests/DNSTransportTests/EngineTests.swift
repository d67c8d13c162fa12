// SPDX-License-Identifier: Apache-2.0
// The engine with its carriers, against in-process servers: message IDs, shared and
// dedicated stream connections, idle timeouts, answers of several messages, and exchanges
// that move to another server.

import DNSWire
import Foundation
import Synchronization
import Testing

@testable import DNSTestSupport
@testable import DNSTransport

@Suite struct EngineTests {
    /// An engine on a loop of its own, run by the test.
    final class Fixture {
        let loop: PollLoop
        let engine: DNSEngine

        init() throws {
            loop = try PollLoop()
            engine = DNSEngine(loop: loop)
        }

        func query(_ name: String, type: RecordType = .a) throws -> DNSMessage {
            DNSMessage.query(name: try DomainName(name), type: type, id: 0)
        }

        /// Runs the loop until `done` or `limit` passes.
        func run(until done: () -> Bool, limit: Duration = .seconds(10)) {
            let end = ContinuousClock.now + limit
            while !done(), ContinuousClock.now < end { loop.runOnce(timeout: .milliseconds(50)) }
        }

        /// Starts `name` and runs the loop until it finished.
        func exchange(
            _ name: String, to servers: [ServerEndpoint], options: ExchangeOptions = ExchangeOptions()
        ) throws -> Result<ExchangeResult, TransportError> {
            var result: Result<ExchangeResult, TransportError>?
            engine.start(try query(name), to: servers, options: options) { result = $0 }
            run { result != nil }
            return try #require(result)
        }
    }

    func endpoint(_ server: FakeServer) -> ServerEndpoint { ServerEndpoint(host: "127.0.0.1", port: server.port) }

    func options(_ transport: Transport = .udp(), timeout: Duration = .seconds(2)) -> ExchangeOptions {
        var options = ExchangeOptions()
        options.transport = transport
        options.timeout = timeout
        options.retransmitInterval = .milliseconds(200)
        return options
    }

    @Test func messageIDsAreUniqueAmongOutstandingExchanges() throws {
        let server = try FakeServer { _, _ in [] }  // never answers
        defer { server.stop() }
        let fixture = try Fixture()
        var options = options(timeout: .seconds(30))
        // A datagram a loaded machine drops comes again (at 1, 3, 7 and 15 s), with its ID.
        (options.retransmitInterval, options.retransmissions) = (.seconds(1), 4)
        // 3000 outstanding 16-bit IDs: random ones would collide dozens of times (birthday bound).
        for index in 0..<3000 { fixture.engine.start(try fixture.query("q\(index).example"), to: [endpoint(server)], options: options) { _ in } }
        /// The IDs each query name arrived with.
        func idsByName() -> [DomainName: Set<UInt16>] {
            let messages = server.received.withLock { $0.compactMap { try? DNSMessage(wire: $0.1) } }
            return Dictionary(grouping: messages) { $0.questions.first?.name ?? .root }.mapValues { Set($0.map(\.id)) }
        }
        fixture.run(until: { idsByName().count == 3000 }, limit: .seconds(20))
        let ids = idsByName()
        #expect(ids.count == 3000 && ids.values.allSatisfy { $0.count == 1 })
        #expect(Set(ids.values.flatMap { $0 }).count == 3000)
        fixture.engine.cancelAll()
        #expect(fixture.engine.isIdle)
    }

    @Test func anExchangeMovesToTheNextServerWithinOneDeadline() throws {
        let silent = try FakeServer { _, _ in [] }
        let answering = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer {
            silent.stop()
            answering.stop()
        }
        let fixture = try Fixture()
        let start = ContinuousClock.now
        let result = try fixture.exchange("www.example", to: [endpoint(silent), endpoint(answering)], options: options())
        let elapsed = start.duration(to: .now)
        // The first server had half of the 2 s; the second answered at once.
        #expect(try result.get().server.port == answering.port)
        #expect(elapsed >= .seconds(1) && elapsed < .seconds(2))
        #expect(silent.received.withLock { $0.count } == 3)  // at 0, 200 and 600 ms; its share ended at 1 s, before 1400
    }

    @Test func aRefusedServerOrAServerFailureMovesOnAtOnce() throws {
        let refusing = try ReservedPort()
        let failing = try FakeServer { query, _ in [.send(FakeServer.reply(to: query, rcode: .servFail))] }
        let answering = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer {
            failing.stop()
            answering.stop()
        }
        let fixture = try Fixture()
        let servers = [ServerEndpoint(host: "127.0.0.1", port: refusing.port), endpoint(failing), endpoint(answering)]
        let start = ContinuousClock.now
        let result = try fixture.exchange("www.example", to: servers, options: options())
        #expect(try result.get().server.port == answering.port && start.duration(to: .now) < .seconds(1))
        // Without another server to ask, the last server's SERVFAIL is the answer.
        let last = try fixture.exchange("www.example", to: [endpoint(failing), endpoint(failing)], options: options())
        #expect(try last.get().response.responseCode == .servFail)
    }

    @Test func aServerNameResolvesOffTheLoopAndAnUnknownOneFails() throws {
        let answering = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { answering.stop() }
        let fixture = try Fixture()
        let named = ServerEndpoint(host: "localhost", port: answering.port, family: .v4)
        #expect(try fixture.exchange("www.example", to: [named], options: options()).get().server.ipAddress == "127.0.0.1")
        let unknown = try fixture.exchange("www.example", to: [ServerEndpoint(host: "no-such-host.invalid", port: 53)], options: options())
        #expect(throws: TransportError(.hostNotFound, "")) { try unknown.get() }
    }

    /// A zone-transfer-like answer: three messages with the query's ID; the caller says the
    /// third completes it. It runs on a connection of its own, beside the shared one.
    @Test func anExchangeReceivesSeveralMessagesOnAConnectionOfItsOwn() throws {
        let server = try FakeServer { query, _ in
            guard (try? DNSMessage(wire: query))?.questions.first?.type == .axfr else { return [.send(FakeServer.reply(to: query))] }
            return (0..<3).map { _ in .send(FakeServer.reply(to: query)) }
        }
        defer { server.stop() }
        let fixture = try Fixture()
        var options = options(.tcp)
        options.severalMessages = true
        var delivered = 0
        var transfer: Result<ExchangeResult, TransportError>?
        var plain: Result<ExchangeResult, TransportError>?
        fixture.engine.start(try fixture.query("zone.example", type: .axfr), to: [endpoint(server)], options: options) { _, _ in
            delivered += 1
            return delivered == 3 ? .complete : .more
        } completion: {
            transfer = $0
        }
        fixture.engine.start(try fixture.query("www.example"), to: [endpoint(server)], options: self.options(.tcp)) { plain = $0 }
        fixture.run { transfer != nil && plain != nil }
        #expect(delivered == 3)
        #expect(try transfer?.get().response.questions.first?.type == .axfr)
        #expect(try plain?.get().response.responseCode == .noError)
        #expect(connectedSockets(to: server.port) == 1)  // the dedicated one closed with its exchange
    }

    /// UDPMaxQueries: 1 a fresh port per query; 3 a port for three queries in turn; 0 one
    /// port for all, with many in flight at once routed by ID.
    @Test func udpSocketsCarryAsManyQueriesAsAllowed() throws {
        let server = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { server.stop() }
        func ports(maxQueries: Int, sequential: Int) throws -> [UInt16] {
            let fixture = try Fixture()
            fixture.engine.udpMaxQueries = maxQueries
            let before = server.udpSourcePorts.withLock { $0.count }
            for index in 0..<sequential { _ = try fixture.exchange("q\(index).example", to: [endpoint(server)], options: options()).get() }
            return server.udpSourcePorts.withLock { Array($0[before...]) }
        }
        let fresh = try ports(maxQueries: 1, sequential: 7)
        #expect(Set(fresh).count >= 6)  // random ephemeral ports; two may coincide
        let shared = try ports(maxQueries: 3, sequential: 7)
        #expect(shared.count == 7 && Set(shared).count == 3 && Set(shared[0..<3]).count == 1 && Set(shared[3..<6]).count == 1)

        let fixture = try Fixture()
        fixture.engine.udpMaxQueries = 0
        var results: [Result<ExchangeResult, TransportError>] = []
        let before = server.udpSourcePorts.withLock { $0.count }
        for index in 0..<50 {
            fixture.engine.start(try fixture.query("p\(index).example"), to: [endpoint(server)], options: options()) { results.append($0) }
        }
        fixture.run { results.count == 50 }
        let names = results.compactMap { try? $0.get().response.questions.first?.name.description }
        #expect(Set(names).count == 50)  // every answer went to its own query
        #expect(Set(server.udpSourcePorts.withLock { $0[before...] }).count == 1)
        #expect(connectedSockets(to: server.port) == 1)  // kept for later queries
        fixture.engine.closeConnections()
        #expect(connectedSockets(to: server.port) == 0)
    }

    /// A shared socket sends the queries of one round together and reads answers many at a
    /// time: 150 in flight (more than one batch each way) all get their own answers, and a
    /// datagram the kernel refuses (over 65,507 octets) fails only its own query, at once.
    @Test func aSharedSocketMovesDatagramsInBatches() throws {
        let server = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { server.stop() }
        let fixture = try Fixture()
        fixture.engine.udpMaxQueries = 0
        var results: [String: Result<ExchangeResult, TransportError>] = [:]
        for index in 0..<150 {
            var query = try fixture.query("b\(index).example")
            if index == 70 { query.edns = EDNS(udpPayloadSize: 1232, options: [.padding(65_470)]) }
            fixture.engine.start(query, to: [endpoint(server)], options: options(timeout: .seconds(20))) { results["b\(index)"] = $0 }
        }
        let start = ContinuousClock.now
        fixture.run(until: { results.count == 150 }, limit: .seconds(30))
        #expect(start.duration(to: .now) < .seconds(10))  // nothing waited for its timeout
        for index in 0..<150 where index != 70 {
            let answer = try #require(try results["b\(index)"]?.get())
            #expect(answer.response.questions.first?.name.description == "b\(index).example.")
        }
        let refused = try #require(results["b70"])
        guard case .failure(let error) = refused else {
            Issue.record("the oversized query was answered")
            return
        }
        #expect(error.detail.contains("sendmmsg"), "\(error)")
        #expect(Set(server.udpSourcePorts.withLock { $0 }).count == 1)
    }

    /// On a shared socket a forged reply (another ID) reaches no query; the real ones do.
    @Test func aSharedSocketIgnoresRepliesForNoQuery() throws {
        let server = try FakeServer { query, _ in
            let id = UInt16(query[0]) << 8 | UInt16(query[1])
            return [.send(FakeServer.reply(to: query, id: id &+ 1)), .send(FakeServer.reply(to: query))]
        }
        defer { server.stop() }
        let fixture = try Fixture()
        fixture.engine.udpMaxQueries = 0
        var lines: [String] = []
        fixture.engine.logger = { lines.append($0) }
        var results: [Result<ExchangeResult, TransportError>] = []
        for index in 0..<5 {
            fixture.engine.start(try fixture.query("s\(index).example"), to: [endpoint(server)], options: options()) { results.append($0) }
        }
        fixture.run { results.count == 5 }
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        #expect(!lines.filter { $0.contains("no exchange for its ID") || $0.contains("ignored reply") }.isEmpty)
    }

    /// GOAWAY with three streams in flight: the connection is retired (it finishes the two
    /// streams it will still answer) and a new one takes the third.
    @Test func aConnectionTheServerStopsTakingRequestsOnIsRetired() throws {
        let server = try FakeHTTP2Server { request in
            let answer = FakeHTTP2Server.Action.respond(status: 200, body: FakeServer.reply(to: request.dnsQuery ?? []))
            guard request.connection == 1 else { return answer }
            return request.index == 0 ? .delay(seconds: 0.2, .goaway(lastStreamID: 3, then: answer)) : .delay(seconds: 0.3, answer)
        }
        defer { server.stop() }
        let fixture = try Fixture()
        let doh = Transport.https(DoHSettings(url: try DoHURL("http://127.0.0.1:\(server.port)/dns-query")))
        var results: [Result<ExchangeResult, TransportError>] = []
        for name in ["a.example", "b.example", "c.example"] {
            fixture.engine.start(try fixture.query(name), to: [ServerEndpoint(host: "127.0.0.1", port: server.port)], options: options(doh)) {
                results.append($0)
            }
        }
        fixture.run { results.count == 3 }
        #expect(results.count == 3 && results.allSatisfy { (try? $0.get()) != nil })
        #expect(server.acceptedConnections == 2)
    }

    @Test func streamConnectionsAreSharedAndTheIdleTimeoutReachesEveryPool() throws {
        let dns = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        let http = try FakeHTTP2Server { request in .respond(status: 200, body: FakeServer.reply(to: request.dnsQuery ?? [])) }
        defer {
            dns.stop()
            http.stop()
        }
        let fixture = try Fixture()
        let doh = Transport.https(DoHSettings(url: try DoHURL("http://127.0.0.1:\(http.port)/dns-query")))
        for name in ["a.example", "b.example", "c.example"] {
            #expect(try fixture.exchange(name, to: [endpoint(dns)], options: options(.tcp)).get().overTCP)
            _ = try fixture.exchange(name, to: [ServerEndpoint(host: "127.0.0.1", port: http.port)], options: options(doh)).get()
        }
        #expect(connectedSockets(to: dns.port) == 1 && connectedSockets(to: http.port) == 1)
        #expect(http.acceptedConnections == 1)
        fixture.engine.tcpIdleTimeout = .zero
        fixture.run { connectedSockets(to: dns.port) + connectedSockets(to: http.port) == 0 }
        #expect(connectedSockets(to: dns.port) == 0 && connectedSockets(to: http.port) == 0)
    }
}

@Suite struct RouteTests {
    @Test func serversAsUsersTypeThem() {
        func parsed(_ text: String) -> String? { ServerEndpoint(parsing: text, defaultPort: 53)?.description }
        #expect(parsed("192.0.2.1") == "192.0.2.1:53")
        #expect(parsed("dns.example:5353") == "dns.example:5353")
        #expect(parsed("[2001:db8::1]") == "[2001:db8::1]:53")
        #expect(parsed("[::1]:853") == "[::1]:853")
        #expect(parsed("::1") == "[::1]:53")
        for bad in ["", "[::1", "[::1]x", "host:0", "host:x", "host:70000", ":53"] { #expect(parsed(bad) == nil, "\(bad)") }
    }

    @Test func plainAndTLSRoutes() throws {
        let udp = try Route(server: " 192.0.2.53 ", port: 53, kind: .udp(.retryOverTCP), tls: TLSSettings())
        #expect(udp.servers == [Nameserver(ServerEndpoint(host: "192.0.2.53", port: 53), transport: .udp(.retryOverTCP))])
        #expect(udp.servers[0].endpoint.literal == SocketAddress(address: "192.0.2.53", port: 53))
        // A host name is the TLS authentication name; an address is checked as an address.
        func tlsName(_ server: String, _ tls: TLSSettings = TLSSettings()) throws -> [String?] {
            try Route(server: server, port: 853, kind: .tls, tls: tls).servers.map { $0.transport?.tlsSettings?.serverName }
        }
        #expect(try tlsName("dns.example") == ["dns.example"])
        #expect(try tlsName("192.0.2.53") == [""])
        var named = TLSSettings()
        named.serverName = "other.example"
        #expect(try tlsName("dns.example", named) == ["other.example"])
        #expect(throws: Route.Failure.noServer) { try Route(server: "  ", port: 53, kind: .tcp, tls: TLSSettings()) }
    }

    /// A server without a transport of its own takes the query's; over TLS and DTLS it
    /// authenticates its host name, while an address is checked as an address.
    @Test func aServerTakesTheQuerysTransport() {
        func names(_ host: String, _ tls: TLSSettings = TLSSettings()) -> [String] {
            let server = Nameserver(ServerEndpoint(host: host, port: 853))
            var dtls = DTLSSettings()
            dtls.tls = tls
            let overTLS = server.transport(for: .tls(tls)).tlsSettings?.serverName ?? "none"
            guard case .dtls(let settings) = server.transport(for: .dtls(dtls)) else { return [overTLS, "not DTLS"] }
            return [overTLS, settings.tls.serverName]
        }
        #expect(names("dns.example") == ["dns.example", "dns.example"])
        for address in ["192.0.2.53", "2001:db8::1", "[::1]"] { #expect(names(address) == ["", ""], "\(address)") }
        var named = TLSSettings()
        named.serverName = "other.example"
        #expect(names("dns.example", named) == ["other.example", "other.example"])
        #expect(Nameserver(ServerEndpoint(host: "dns.example", port: 53)).transport(for: .tcp) == .tcp)
    }

    /// Several servers separated by commas: each with its own port and (over TLS) its own
    /// authentication name.
    @Test func routesOfSeveralServers() throws {
        let route = try Route(server: "192.0.2.1, [2001:db8::1]:5353,dns.example:54, ::1", port: 53, kind: .tcp, tls: TLSSettings())
        #expect(route.servers.map(\.endpoint.description) == ["192.0.2.1:53", "[2001:db8::1]:5353", "dns.example:54", "[::1]:53"])
        #expect(route.servers.allSatisfy { $0.transport == .tcp })
        let tls = try Route(server: "one.example,two.example:8853", port: 853, kind: .tls, tls: TLSSettings())
        #expect(tls.servers.map { $0.transport?.tlsSettings?.serverName } == ["one.example", "two.example"])
        for bad in ["192.0.2.1,", "a,,b", "[::1", "host:0", "host:99999"] {
            #expect(throws: Route.Failure.self, "\(bad)") { try Route(server: bad, port: 53, kind: .udp(.retryOverTCP), tls: TLSSettings()) }
        }
        let doh = try Route(server: "https://a.example/q?x=1%2C2, b.example", port: 53, kind: .https(Route.DoHOptions()), tls: TLSSettings())
        #expect(doh.servers.map(\.description) == ["https://a.example/q?x=1%2C2", "https://b.example/dns-query"])
        #expect(doh.servers.map(\.endpoint.host) == ["a.example", "b.example"])
    }

    @Test func httpsRoutesUseTheURLsHostAndPortOrTheBootstrapAddress() throws {
        var options = Route.DoHOptions()
        options.method = .get
        let route = try Route(server: "https://dns.example:8443/q", port: 53, kind: .https(options), tls: TLSSettings())
        #expect(route.servers.map(\.endpoint) == [ServerEndpoint(host: "dns.example", port: 8443)])
        guard case .https(let settings)? = route.servers[0].transport else { throw TransportError(.badAddress, "not https") }
        #expect(settings.method == .get && settings.url.path == "/q" && settings.tls?.serverName == "dns.example")
        options.bootstrapAddress = "192.0.2.7"
        let bootstrapped = try Route(server: "dns.example", port: 53, kind: .https(options), tls: TLSSettings())
        #expect(bootstrapped.servers.map(\.endpoint) == [ServerEndpoint(host: "192.0.2.7", port: 443)])
        #expect(throws: Route.Failure.badURL(.unsupportedScheme("ftp"))) {
            try Route(server: "ftp://dns.example", port: 53, kind: .https(options), tls: TLSSettings())
        }
    }
}
