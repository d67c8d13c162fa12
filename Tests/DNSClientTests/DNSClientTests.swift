// SPDX-License-Identifier: Apache-2.0
// DNSClient against the testbed's BIND (every transport) and in-process servers.

import DNSTransport
import DNSWire
import Foundation
import Testing

@testable import DNSClient
@testable import DNSTestSupport

@Suite struct DNSClientTests {
    func bind(_ port: String = "TESTBED_PORT") throws -> Nameserver {
        Nameserver(ServerEndpoint(host: "127.0.0.1", port: UInt16(try Testbed.value(port))!))
    }

    func tls() throws -> TLSSettings {
        var settings = TLSSettings()
        settings.caFile = try Testbed.value("TESTBED_CA_FILE")
        settings.serverName = "localhost"
        return settings
    }

    @Test func answersOverEveryTransport() async throws {
        let plain = try DNSClient(servers: [try bind()])
        for transport in [Transport.udp(), .tcp] {
            var options = QueryOptions()
            options.transport = transport
            let response = try await plain.query("www.testbed.test", type: .a, options: options)
            #expect(response.message.answers.map(\.data.description) == ["192.0.2.1"])
            #expect(response.server.description == "127.0.0.1:\(try Testbed.value("TESTBED_PORT"))")
            #expect(response.transport == transport)
            #expect(response.roundTripTime > .zero)
        }
        var options = QueryOptions()
        options.transport = .tls(try tls())
        let dot = try DNSClient(servers: [try bind("TESTBED_DOT_PORT")])
        let response = try await dot.query("www.testbed.test", type: .aaaa, options: options)
        #expect(response.message.answers.map(\.data.description) == ["2001:db8::1"])
    }
}

extension DNSClientTests {
    /// Many tasks at once share the engine; each gets the answer to its own question.
    @Test func manyTasksAtOnce() async throws {
        let client = try DNSClient(servers: [try bind()])
        let names = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for index in 0..<300 {
                group.addTask {
                    var options = QueryOptions()
                    options.transport = index % 2 == 0 ? .udp() : .tcp
                    let response = try await client.query(
                        index % 3 == 0 ? "mx.testbed.test" : "www.testbed.test", type: index % 3 == 0 ? .mx : .a, options: options)
                    return (response.message.questions[0].name.description, response.message.answers.first?.type.description ?? "")
                }
            }
            var all: [(String, String)] = []
            for try await pair in group { all.append(pair) }
            return all
        }
        #expect(names.count == 300)
        #expect(names.filter { $0 == ("mx.testbed.test.", "MX") }.count == 100)
        #expect(names.filter { $0 == ("www.testbed.test.", "A") }.count == 200)
        #expect(await client.isIdle)
    }

    /// Cancelling tasks mid-flight ends their queries at once: none is left outstanding, no
    /// UDP socket stays open, and the client answers the next query.
    @Test(arguments: [Transport.udp(), .tcp])
    func cancelledTasksLeaveNothingBehind(_ transport: Transport) async throws {
        let silent = try FakeServer { _, _ in [] }
        defer { silent.stop() }
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: silent.port))])
        var settings = QueryOptions()
        settings.transport = transport
        settings.timeout = .seconds(300)
        let options = settings
        let count = transport == .tcp ? 10_000 : 500
        let start = ContinuousClock.now
        let outcomes = await withTaskGroup(of: TransportError.Code?.self) { group in
            for index in 0..<count {
                group.addTask {
                    do throws(TransportError) {
                        _ = try await client.query("c\(index).example", options: options)
                        return nil
                    } catch {
                        return error.code
                    }
                }
            }
            while silent.received.withLock({ $0.count }) < count / 2 { try? await Task.sleep(for: .milliseconds(20)) }
            group.cancelAll()
            var codes: [TransportError.Code?] = []
            for await code in group { codes.append(code) }
            return codes
        }
        #expect(outcomes.count == count && outcomes.allSatisfy { $0 == .cancelled })
        #expect(start.duration(to: .now) < .seconds(120))  // not the 300 s timeout, even on a loaded machine
        #expect(await client.isIdle)
        // No UDP socket is left; the TCP connection stays pooled until its idle timeout.
        #expect(connectedSockets(to: silent.port) <= (transport == .tcp ? 1 : 0))
        let answered = try DNSClient(servers: [try bind()])
        #expect(try await answered.query("www.testbed.test").message.answers.count == 1)
    }
}

extension DNSClientTests {
    /// Tasks that prefer the client's executor run on its loop thread and query without
    /// changing threads; the answers are the same.
    @Test func tasksOnTheClientsThread() async throws {
        let client = try DNSClient(servers: [try bind()])
        let answers = try await withTaskExecutorPreference(client.executor) {
            var answers: [String] = []
            let loop = try #require(client.executor as? LoopTaskExecutor)
            #expect(loop.isOnLoopThread)
            for _ in 0..<20 {
                let response = try await client.query("www.testbed.test", type: .a)
                answers.append(response.message.answers.first?.data.description ?? "")
                #expect(loop.isOnLoopThread)
            }
            return answers
        }
        #expect(answers == Array(repeating: "192.0.2.1", count: 20))
    }
}

extension DNSClientTests {
    @Test func resolvConfSearchListAndNdots() {
        let text = """
            # comment
            nameserver 127.0.0.53
            nameserver ::1
            domain old.example
            search corp.example lab.example.
            options edns0 ndots:2 timeout:3
            bogus line here
            """
        let conf = ResolverConfiguration(parsing: text)
        #expect(conf.nameservers == ["127.0.0.53", "::1"])
        #expect(conf.search == ["corp.example", "lab.example."])
        #expect(conf.ndots == 2)
        #expect(conf.candidates(for: "www") == ["www.corp.example", "www.lab.example", "www"])
        #expect(conf.candidates(for: "a.b.c") == ["a.b.c", "a.b.c.corp.example", "a.b.c.lab.example"])
        #expect(conf.candidates(for: "host.") == ["host."])
        #expect(ResolverConfiguration(parsing: "options ndots:99").ndots == 15)
        let tuned = ResolverConfiguration(parsing: "options timeout:3 attempts:4 rotate")
        #expect(tuned.timeout == 3 && tuned.attempts == 4 && tuned.rotate)
        let capped = ResolverConfiguration(parsing: "options timeout:99 attempts:9 timeout:x")
        #expect(capped.timeout == 30 && capped.attempts == 5 && !capped.rotate && conf.timeout == 3 && conf.attempts == nil)
        #expect(ResolverConfiguration(parsing: "domain one.example\nsearch two.example").search == ["two.example"])
    }

    /// A and AAAA together (IPv6 first), CNAME chains followed, the search list applied, and
    /// a name without addresses is `hostNotFound`.
    @Test func addressesOfAName() async throws {
        var search = ResolverConfiguration()
        search.search = ["nowhere.test", "testbed.test"]
        let client = try DNSClient(servers: [try bind()], search: search)
        #expect(try await client.addresses(for: "www").map(\.description) == ["2001:db8::1", "192.0.2.1"])
        #expect(try await client.addresses(for: "www", family: .ipv4).map(\.description) == ["192.0.2.1"])
        #expect(try await client.addresses(for: "www.testbed.test.", family: .ipv6).map(\.description) == ["2001:db8::1"])
        #expect(try await client.addresses(for: "chain1").map(\.description) == ["192.0.2.33"])
        #expect(try await client.addresses(for: "multi", family: .ipv4).count == 10)
        await #expect(throws: TransportError.self) { try await client.addresses(for: "nodata") }
        let missing = await #expect(throws: TransportError.self) { try await client.addresses(for: "doesnotexist") }
        #expect(missing?.code == .hostNotFound)
    }
}

extension DNSClientTests {
    /// A chain that leaves one answer (alias.example → real.example, answered separately) is
    /// followed with a second query; a loop of aliases ends with an error, not a hang.
    @Test func aliasesAcrossAnswers() async throws {
        let server = try FakeServer { query, _ in
            guard var message = try? DNSMessage(wire: query), let asked = message.questions.first else { return [] }
            message.header.flags = [.qr, .aa, .rd]
            let record: RecordData? =
                switch (asked.name.description, asked.type) {
                case ("alias.example.", _): try? RecordData(type: .cname, presentation: "real.example.")
                case ("loop1.example.", _): try? RecordData(type: .cname, presentation: "loop2.example.")
                case ("loop2.example.", _): try? RecordData(type: .cname, presentation: "loop1.example.")
                case ("real.example.", .a): try? RecordData(type: .a, presentation: "192.0.2.7")
                default: nil
                }
            if let record { message.answers = [DNSRecord(name: asked.name, ttl: 60, data: record)] }
            return [.send((try? message.serialize()) ?? [])]
        }
        defer { server.stop() }
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: server.port))], search: ResolverConfiguration())
        #expect(try await client.addresses(for: "alias.example").map(\.description) == ["192.0.2.7"])
        await #expect(throws: TransportError.self) { try await client.addresses(for: "loop1.example") }
    }
}

extension DNSClientTests {
    /// 0x20: the name goes out in a random case, BIND echoes it, and the answer comes back in
    /// the caller's spelling.
    @Test func randomizedCaseAgainstBIND() async throws {
        let client = try DNSClient(servers: [try bind()])
        var options = QueryOptions()
        options.randomizeCase = true
        for transport in [Transport.udp(), .tcp] {
            options.transport = transport
            let response = try await client.query("www.testbed.test", options: options)
            #expect(response.message.questions[0].name.description == "www.testbed.test.")
            #expect(response.message.answers.map(\.name.description) == ["www.testbed.test."])
            #expect(response.message.answers.first?.data.description == "192.0.2.1")
        }
    }

    /// A reply that spells the name in another case is ignored as a spoof; the one that
    /// echoes the random case is taken. The letters' case really is random.
    @Test func randomizedCaseIgnoresMismatchedReplies() async throws {
        let server = try FakeServer { query, _ in
            guard let message = try? DNSMessage(wire: query), let asked = message.questions.first else { return [] }
            let lowered = DNSQuestion(name: try! DomainName(asked.name.description.lowercased()), type: asked.type)
            let spoof = FakeServer.reply(to: query, question: lowered)
            return asked.name.description.lowercased().hasPrefix("only-spoofed")
                ? [.send(spoof)] : [.send(spoof), .send(FakeServer.reply(to: query))]
        }
        defer { server.stop() }
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: server.port))])
        var options = QueryOptions()
        options.randomizeCase = true
        options.timeout = .milliseconds(600)
        let name = "abcdefghijklmnopqrstuvwxyz.example"
        let response = try await client.query(name, options: options)
        #expect(response.message.answers.map(\.name.description) == [name + "."])
        let sent = try #require(server.received.withLock { $0.last?.1 })
        let sentName = try DNSMessage(wire: sent).questions[0].name
        #expect(sentName == (try DomainName(name)) && sentName.description != name + ".")
        await #expect(throws: TransportError.self) { try await client.query("only-spoofed.example", options: options) }
    }
}

extension DNSClientTests {
    /// Without servers given, every resolv.conf nameserver is used (nothing is sent here).
    @Test func defaultServersComeFromResolvConf() throws {
        let system = ResolverConfiguration.system()
        guard !system.nameservers.isEmpty else {
            #expect(throws: TransportError.self) { try DNSClient() }
            return
        }
        let client = try DNSClient()
        #expect(client.servers.map(\.endpoint.host) == system.nameservers && client.servers.allSatisfy { $0.endpoint.port == 53 })
        #expect(client.searchConfiguration == system)
    }

    /// A client given its servers reads resolv.conf's search list only when first asked for
    /// it (and then gives what the file says); one given a search list keeps it.
    @Test func theSearchListIsReadWhenFirstNeeded() throws {
        let server = [Nameserver(ServerEndpoint(host: "127.0.0.1", port: 53))]
        let fromFile = try DNSClient(servers: server)
        #expect(fromFile.searchConfiguration == ResolverConfiguration.system())
        var given = ResolverConfiguration()
        given.search = ["example.org"]
        given.ndots = 3
        #expect(try DNSClient(servers: server, search: given).searchConfiguration == given)
    }
}

extension DNSClientTests {
    /// A fake server speaking cookies: `respond` gets the query's client and server cookie
    /// and returns the reply (nil: none).
    func cookieServer(
        _ respond: @escaping @Sendable (DNSMessage, [UInt8], [UInt8], FakeServer.Transport) -> DNSMessage?
    ) throws -> FakeServer {
        try FakeServer { query, transport in
            guard var message = try? DNSMessage(wire: query) else { return [] }
            var client: [UInt8] = []
            var server: [UInt8] = []
            for case .cookie(let c, let s) in message.edns?.options ?? [] { (client, server) = (c, s) }
            message.header.flags = [.qr, .aa, .rd]
            guard let reply = respond(message, client, server, transport) else { return [] }
            return [.send((try? reply.serialize()) ?? [])]
        }
    }

    static func answer(_ reply: DNSMessage, _ address: String) -> DNSMessage {
        var reply = reply
        reply.answers = [DNSRecord(name: reply.questions[0].name, ttl: 60, data: try! RecordData(type: .a, presentation: address))]
        return reply
    }

    static func badCookie(_ reply: DNSMessage) -> DNSMessage {
        var reply = reply
        reply.responseCode = .badCookie
        return reply
    }

    /// BADCOOKIE: one retry carrying the server cookie the server just sent, answered.
    @Test func badCookieIsRetriedWithTheNewServerCookie() async throws {
        let fresh: [UInt8] = Array(1...16)
        let server = try cookieServer { message, client, cookie, _ in
            var reply = message
            reply.edns?.options = [.cookie(client: client, server: fresh)]
            return cookie == fresh ? Self.answer(reply, "192.0.2.8") : Self.badCookie(reply)
        }
        defer { server.stop() }
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: server.port))])
        let response = try await client.query("cookie.example")
        #expect(response.message.answers.first?.data.description == "192.0.2.8")
        #expect(response.transport == .udp())
        #expect(server.received.withLock { $0.count } == 2)
    }

    /// BADCOOKIE twice over UDP: the query goes to TCP. A reply with another client cookie
    /// is ignored as a spoof.
    @Test func badCookieTwiceGoesToTCPAndForeignCookiesAreIgnored() async throws {
        let server = try cookieServer { message, client, _, transport in
            var reply = message
            if message.questions[0].name.description.hasPrefix("spoof") {
                reply.edns?.options = [.cookie(client: client.map { $0 ^ 0xFF }, server: Array(repeating: 7, count: 8))]
                return reply
            }
            reply.edns?.options = [.cookie(client: client, server: Array(repeating: 9, count: 8))]
            return transport == .udp ? Self.badCookie(reply) : Self.answer(reply, "192.0.2.9")
        }
        defer { server.stop() }
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: server.port))])
        let response = try await client.query("twice.example")
        #expect(response.transport == .tcp && response.message.answers.first?.data.description == "192.0.2.9")
        #expect(server.received.withLock { $0.map(\.0) } == [.udp, .udp, .tcp])
        var options = QueryOptions()
        options.timeout = .milliseconds(500)
        options.retransmissions = 0
        await #expect(throws: TransportError.self) { try await client.query("spoof.example", options: options) }
        options.cookies = false  // without cookies the same reply is taken
        #expect(try await client.query("spoof.example", options: options).message.responseCode == .noError)
    }
}

extension DNSClientTests {
    /// dnspython's knobs: raise on truncation, take trailing octets, fail on an unexpected reply.
    @Test func perQueryKnobsForUnusualReplies() async throws {
        let server = try FakeServer { query, transport in
            let name = (try? DNSMessage(wire: query))?.questions.first?.name.description ?? ""
            switch (name, transport) {
            case ("tc.example.", .udp): return [.send(FakeServer.reply(to: query, truncated: true))]
            case ("trailing.example.", _): return [.send(FakeServer.reply(to: query) + [1, 2, 3])]
            case ("unexpected.example.", _):
                let id = UInt16(query[0]) << 8 | UInt16(query[1])
                return [.send(FakeServer.reply(to: query, id: id &+ 1)), .send(FakeServer.reply(to: query))]
            default: return [.send(FakeServer.reply(to: query))]
            }
        }
        defer { server.stop() }
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: server.port))])
        var options = QueryOptions()
        options.timeout = .milliseconds(500)
        options.retransmissions = 0

        #expect(try await client.query("tc.example", options: options).transport == .tcp)
        options.raiseOnTruncation = true
        let truncated = await #expect(throws: TransportError.self) { try await client.query("tc.example", options: options) }
        #expect(truncated?.code == .truncated)
        options.raiseOnTruncation = false

        await #expect(throws: TransportError.self) { try await client.query("trailing.example", options: options) }
        options.ignoreTrailing = true
        let trimmed = try await client.query("trailing.example", options: options)
        #expect(try trimmed.message.answers.count == 1 && DNSMessage(wire: trimmed.wire) == trimmed.message)
        options.ignoreTrailing = false

        #expect(try await client.query("unexpected.example", options: options).message.answers.count == 1)
        options.ignoreUnexpected = false
        let unexpected = await #expect(throws: TransportError.self) { try await client.query("unexpected.example", options: options) }
        #expect(unexpected?.code == .malformedResponse)
    }
}

extension DNSClientTests {
    /// resolv.conf's `timeout:`, `attempts:` and `rotate` shape the client's defaults (nothing
    /// is sent); explicit options win over them.
    @Test func resolvConfOptionsBecomeTheDefaults() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resolv-\(UUID().uuidString).conf").path
        try "nameserver 127.0.0.1\nnameserver ::1\noptions timeout:2 attempts:3 rotate\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let client = try DNSClient(resolvConf: path)
        #expect(client.servers.map(\.description) == ["127.0.0.1:53", "[::1]:53"] && client.rotatesServers)
        #expect(client.defaultOptions.retransmitInterval == .seconds(2) && client.defaultOptions.retransmissions == 2)
        #expect(client.defaultOptions.timeout == .seconds(12))  // 2 s × 3 tries × 2 servers
    }

    /// A query may name its source address and port (dnspython's `source`, `source_port`):
    /// the server sees them, and a port another socket holds fails the query at bind.
    @Test(arguments: [Transport.udp(), .tcp])
    func aQueryChoosesItsSourceAddressAndPort(_ transport: Transport) async throws {
        let free = try ReservedPort().port  // released at once: free to bind
        let server = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { server.stop() }
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: server.port))])
        var options = QueryOptions()
        options.transport = transport
        options.source = "127.0.0.1"
        options.sourcePort = free
        #expect(try await client.query("src.example", options: options).message.responseCode == .noError)
        if transport == .udp() { #expect(server.udpSourcePorts.withLock { $0 } == [free]) }
        // The real server too.
        let bind = try DNSClient(servers: [try self.bind()])
        options.sourcePort = 0
        #expect(try await bind.query("www.testbed.test", options: options).message.answers.count == 1)
        // A port held elsewhere, or a source of the other family, fails the query.
        let held = try ReservedPort()
        options.sourcePort = held.port
        let error = await #expect(throws: TransportError.self) { try await client.query("src.example", options: options) }
        #expect(error?.code == .system && error?.errno == EADDRINUSE)
        options.source = "::1"
        options.sourcePort = 0
        let wrongFamily = await #expect(throws: TransportError.self) { try await client.query("src.example", options: options) }
        #expect(wrongFamily?.code == .badAddress)
    }

    /// SERVFAIL and REFUSED move on to the next server; when no server does better, the last
    /// answer is returned as it is.
    @Test func serverFailuresMoveOnToTheNextServer() async throws {
        let failing = try FakeServer { query, _ in [.send(FakeServer.reply(to: query, rcode: .servFail))] }
        let refusing = try FakeServer { query, _ in [.send(FakeServer.reply(to: query, rcode: .refused))] }
        let answering = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { for server in [failing, refusing, answering] { server.stop() } }
        func endpoint(_ server: FakeServer) -> Nameserver { Nameserver(ServerEndpoint(host: "127.0.0.1", port: server.port)) }
        let client = try DNSClient(servers: [failing, refusing, answering].map(endpoint))
        let response = try await client.query("sf.example")
        #expect(response.message.responseCode == .noError && response.nameserver == endpoint(answering))
        #expect(failing.received.withLock { $0.count } == 1 && refusing.received.withLock { $0.count } == 1)
        let hopeless = try DNSClient(servers: [failing, refusing].map(endpoint))
        #expect(try await hopeless.query("sf.example").message.responseCode == .refused)
    }

    /// A server that never answers gives way to the next within the query's one budget; it
    /// then backs off, so the next query goes to the server that answered.
    @Test func aSilentServerGivesWayWithinTheBudget() async throws {
        let silent = try FakeServer { _, _ in [] }
        let answering = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer { for server in [silent, answering] { server.stop() } }
        let client = try DNSClient(servers: [silent, answering].map { Nameserver(ServerEndpoint(host: "127.0.0.1", port: $0.port)) })
        var options = QueryOptions()
        options.timeout = .seconds(3)
        // On the client's thread: the times measured are the queries', not waits for the pool.
        try await withTaskExecutorPreference(client.executor) { () async throws -> Void in
            let first = ContinuousClock.now
            #expect(try await client.query("s.example", options: options).server.port == answering.port)
            #expect(first.duration(to: .now) < .seconds(3))
            try await Task.sleep(for: .milliseconds(100))  // a retransmission sent as the answer came
            let askedSilent = silent.received.withLock { $0.count }
            let second = ContinuousClock.now
            #expect(try await client.query("s.example", options: options).server.port == answering.port)
            #expect(second.duration(to: .now) < .milliseconds(900))  // not the silent server's 1 s stagger
            #expect(silent.received.withLock { $0.count } == askedSilent)
        }
        #expect(await client.isIdle)
    }

    /// Cancelling queries over a server set cancels every server's attempt.
    @Test func cancellingAQueryOverSeveralServersEndsEveryAttempt() async throws {
        let silent = try FakeServer { _, _ in [] }
        let alsoSilent = try FakeServer { _, _ in [] }
        defer { for server in [silent, alsoSilent] { server.stop() } }
        let client = try DNSClient(servers: [silent, alsoSilent].map { Nameserver(ServerEndpoint(host: "127.0.0.1", port: $0.port)) })
        var settings = QueryOptions()
        settings.timeout = .milliseconds(2400)  // a 1.2 s share: the second server is asked after 1 s
        let options = settings
        let error = await withTaskExecutorPreference(client.executor) {
            let query = Task { try await client.query("x.example", options: options) }
            while alsoSilent.received.withLock({ $0.count }) == 0 { try? await Task.sleep(for: .milliseconds(10)) }
            query.cancel()
            return await #expect(throws: TransportError.self) { try await query.value }
        }
        #expect(error?.code == .cancelled)
        #expect(await client.isIdle)
    }

    /// With `rotate`, each query starts with the next server in turn; without it, each
    /// server is measured once (in the order given), then the faster goes first.
    @Test func rotationSpreadsQueriesOverTheServersAndOtherwiseTheFastestGoesFirst() async throws {
        let slow = try FakeServer { query, _ in
            usleep(30_000)
            return [.send(FakeServer.reply(to: query))]
        }
        let fast = try FakeServer { query, _ in [.send(FakeServer.reply(to: query))] }
        defer {
            slow.stop()
            fast.stop()
        }
        let servers = [slow, fast].map { Nameserver(ServerEndpoint(host: "127.0.0.1", port: $0.port)) }
        let rotating = try DNSClient(servers: servers, rotate: true)
        var answeredBy: [UInt16] = []
        for _ in 0..<4 { answeredBy.append(try await rotating.query("r.example").server.port) }
        #expect(answeredBy == [slow.port, fast.port, slow.port, fast.port])
        let fastestFirst = try DNSClient(servers: servers)
        answeredBy = []
        for _ in 0..<4 { answeredBy.append(try await fastestFirst.query("r.example").server.port) }
        #expect(answeredBy == [slow.port, fast.port, fast.port, fast.port])
    }
}
