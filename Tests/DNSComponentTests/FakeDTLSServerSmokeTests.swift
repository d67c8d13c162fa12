// SPDX-License-Identifier: Apache-2.0
// FakeDTLSServer against `openssl s_client -dtls1_2` and raw datagrams: each behaviour the DTLS client's tests rely on.

import DTLSTestServer
import Foundation
import Glibc
import Testing

@testable import DNSTestSupport

@Suite struct FakeDTLSServerSmokeTests {
    static let psk = FakeDTLSServer.PreSharedKey(identity: "client", key: [UInt8](repeating: 0x5A, count: 32))
    static let pskHex = String(repeating: "5a", count: 32)

    /// The testbed's TLS directory (certificates), from its CA file.
    func tls() throws -> String { URL(fileURLWithPath: try Testbed.value("TESTBED_CA_FILE")).deletingLastPathComponent().path }

    func certified(_ change: (inout FakeDTLSServer.Behaviour) -> Void = { _ in }) throws -> FakeDTLSServer.Behaviour {
        var behaviour = FakeDTLSServer.Behaviour(certificate: try tls() + "/server.crt", key: try tls() + "/server.key")
        change(&behaviour)
        return behaviour
    }

    /// s_client arguments that trust the test CA and insist on the server's certificate.
    func verifying() throws -> [String] { ["-CAfile", try tls() + "/ca.crt", "-verify_return_error", "-verify_ip", "127.0.0.1"] }

    @Test func answersQueriesRelayedToTheTestbedOverACertifiedSession() throws {
        let server = try FakeDTLSServer(try certified(), answer: FakeDTLSServer.relay(toPort: try Testbed.port()))
        defer { server.stop() }
        let client = try SClient(port: server.port, arguments: try verifying())
        for id in [0x1234, 0x1235] as [UInt16] {
            let reply = try client.exchange(dnsQuery(id: id))
            #expect(reply.starts(with: [UInt8(id >> 8), UInt8(id & 0xFF)]), "\(client.errors)")
            #expect(reply.count > 12 && reply[6..<8] == [0, 1] && reply.contains([0, 4, 192, 0, 2, 1]), "www.testbed.test A 192.0.2.1")
        }
        client.close()
        #expect(server.handshakes == 1 && server.resumedHandshakes == 0)
        #expect(server.queries == [dnsQuery(id: 0x1234), dnsQuery(id: 0x1235)])
        #expect(server.alerts == [])
        server.stop()  // idempotent
    }

    @Test func aServerCertifiedForAnotherNameFailsVerification() throws {
        let tls = try tls()
        let server = try FakeDTLSServer(.init(certificate: tls + "/wrong.crt", key: tls + "/wrong.key"), answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let client = try SClient(port: server.port, arguments: try verifying())
        #expect(client.exitStatus() != 0)
        #expect(server.handshakes == 0)
    }

    @Test func aPSKOnlyServerAcceptsTheRightIdentityOnly() throws {
        let server = try FakeDTLSServer(.init(psk: Self.psk), answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let client = try SClient(port: server.port, arguments: ["-psk_identity", "client", "-psk", Self.pskHex])
        let reply = try client.exchange(dnsQuery(id: 0x2345))
        #expect(reply.suffix(4) == [192, 0, 2, 99], "\(client.errors)")
        client.close()
        let stranger = try SClient(port: server.port, arguments: ["-psk_identity", "stranger", "-psk", Self.pskHex])
        // Certificate suites only: nothing in common with a PSK-only server.
        let certified = try SClient(port: server.port, arguments: ["-cipher", "ECDHE-RSA-AES128-GCM-SHA256"])
        #expect(stranger.exitStatus() != 0 && certified.exitStatus() != 0)
        #expect(server.handshakes == 1 && server.alerts.sorted() == [40, 115], "handshake_failure, unknown_psk_identity")
    }

    @Test func aServerWithCertificateAndPSKOffersBoth() throws {
        let server = try FakeDTLSServer(try certified { $0.psk = Self.psk }, answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        for arguments in [["-cipher", "PSK", "-psk_identity", "client", "-psk", Self.pskHex], try verifying()] {
            let client = try SClient(port: server.port, arguments: arguments + ["-state"])
            #expect(try client.exchange(dnsQuery(id: 0x2456)).suffix(4) == [192, 0, 2, 99], "\(client.errors)")
            client.close()
            #expect(client.errors.contains("read server certificate") == (arguments.first != "-cipher"), "\(client.errors)")
        }
        #expect(server.handshakes == 2)
    }

    @Test func cookieExchangeSendsHelloVerifyRequest() throws {
        for exchange in [false, true] {
            let server = try FakeDTLSServer(try certified { $0.cookieExchange = exchange }, answer: { [FakeServer.reply(to: $0)] })
            defer { server.stop() }
            // -state writes to standard error, unbuffered (-trace -msgfile would be lost to SIGKILL).
            let client = try SClient(port: server.port, arguments: try verifying() + ["-state"])
            #expect(try client.exchange(dnsQuery(id: 0x3456)).suffix(4) == [192, 0, 2, 99], "\(client.errors)")
            client.close()
            #expect(client.errors.contains("read hello verify request") == exchange, "\(client.errors)")  // then the cookie passed
            #expect(server.handshakes == 1)
        }
    }

    @Test func sessionsResumeUntilTheServerRestarts() throws {
        let session = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-session-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: session) }
        // By ticket, by session id from the server's cache, and not at all.
        for (resumption, tickets) in [(true, true), (true, false), (false, true)] {
            let server = try FakeDTLSServer(try certified { $0.resumption = resumption }, answer: { [FakeServer.reply(to: $0)] })
            defer { server.stop() }
            let arguments = try verifying() + (tickets ? [] : ["-no_ticket"])
            let first = try SClient(port: server.port, arguments: arguments + ["-sess_out", session])
            _ = try first.exchange(dnsQuery(id: 0x4567))
            first.close()
            let second = try SClient(port: server.port, arguments: arguments + ["-sess_in", session])
            #expect(try second.exchange(dnsQuery(id: 0x4568)).suffix(4) == [192, 0, 2, 99])
            second.close()
            #expect(server.handshakes == 2 && server.resumedHandshakes == (resumption ? 1 : 0), "\(resumption) \(tickets)")
            guard resumption else { continue }
            server.restart()
            let third = try SClient(port: server.port, arguments: arguments + ["-sess_in", session])
            #expect(try third.exchange(dnsQuery(id: 0x4569)).suffix(4) == [192, 0, 2, 99])
            third.close()
            #expect(server.handshakes == 3 && server.resumedHandshakes == 1, "new ticket keys, empty cache")
        }
    }

    @Test func aRestartedServerIgnoresTheOldSessionAndAcceptsANewOne() throws {
        let server = try FakeDTLSServer(try certified(), answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let client = try SClient(port: server.port, arguments: try verifying())
        _ = try client.exchange(dnsQuery(id: 0x5678))
        server.restart()
        #expect(try client.exchange(dnsQuery(id: 0x5679), timeout: 0.3) == [])
        #expect(server.queries.count == 1)
        client.kill()
        let fresh = try SClient(port: server.port, arguments: try verifying())
        #expect(try fresh.exchange(dnsQuery(id: 0x567A)).suffix(4) == [192, 0, 2, 99])
        fresh.close()
        #expect(server.handshakes == 2 && server.queries.count == 2)
    }

    @Test func anIdleSessionIsForgotten() throws {
        let server = try FakeDTLSServer(try certified { $0.idleTimeout = .milliseconds(200) }, answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let client = try SClient(port: server.port, arguments: try verifying())
        #expect(try client.exchange(dnsQuery(id: 0x5701)).suffix(4) == [192, 0, 2, 99])
        usleep(300_000)
        #expect(try client.exchange(dnsQuery(id: 0x5702), timeout: 0.3) == [])
        #expect(server.queries.count == 1 && server.alerts == [])
    }

    @Test func unansweredQueriesAndCloseNotifyAfterQueries() throws {
        let server = try FakeDTLSServer(try certified { $0.alertAfterQueries = 2 }, answer: { $0[1] == 0x01 ? [] : [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let client = try SClient(port: server.port, arguments: try verifying())
        #expect(try client.exchange(dnsQuery(id: 0x6701), timeout: 0.3) == [], "left unanswered")
        #expect(try client.exchange(dnsQuery(id: 0x6702)).suffix(4) == [192, 0, 2, 99])
        #expect(client.exitStatus() == 0, "s_client ends on close_notify")
        #expect(server.alerts == [0] && server.queries.count == 2, "close_notify")
    }

    @Test func twoClientsAtOnce() throws {
        let server = try FakeDTLSServer(.init(psk: Self.psk), answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let clients = try (0..<2).map { _ in try SClient(port: server.port, arguments: ["-psk_identity", "client", "-psk", Self.pskHex]) }
        for (index, client) in clients.enumerated() {
            #expect(try client.exchange(dnsQuery(id: 0x7800 + UInt16(index))).suffix(4) == [192, 0, 2, 99])
        }
        #expect(try clients[0].exchange(dnsQuery(id: 0x7810)).suffix(4) == [192, 0, 2, 99])
        for client in clients { client.close() }
        #expect(server.handshakes == 2 && server.queries.count == 3)
    }

    @Test func aSilentServerSendsNothing() throws {
        let server = try FakeDTLSServer(try certified { $0.silent = true }, answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let raw = try RawClient(port: server.port)
        raw.send(try RawClient.clientHello())
        #expect(raw.receive(timeout: 0.3).isEmpty)
    }

    @Test func theFirstHellosAreDroppedThenAnswered() throws {
        let server = try FakeDTLSServer(try certified { $0.dropFirstDatagrams = 2 }, answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let raw = try RawClient(port: server.port)
        let hello = try RawClient.clientHello()
        for _ in 0..<2 {
            raw.send(hello)
            #expect(raw.receive(timeout: 0.2).isEmpty)
        }
        raw.send(hello)
        let flight = raw.receive(timeout: 1)
        #expect(flight.first.map { $0[0] == 22 && $0[13] == 2 } == true, "ServerHello")
    }

    @Test func theServerRetransmitsItsFlightOnItsOwnTimer() throws {
        let server = try FakeDTLSServer(try certified(), answer: { [FakeServer.reply(to: $0)] })
        defer { server.stop() }
        let raw = try RawClient(port: server.port)
        raw.send(try RawClient.clientHello())
        let flight = raw.receive(timeout: 0.5)
        #expect(flight.count >= 4, "ServerHello, Certificate, ServerKeyExchange, ServerHelloDone")
        #expect(flight.allSatisfy { $0.count <= 1400 }, "records fit the link MTU")
        let again = raw.receive(timeout: 2.5, atLeast: flight.count)
        #expect(again.count == flight.count && again.first.map { $0[13] == 2 } == true, "the same flight, unasked")
        let sequence = { (record: [UInt8]) in record[5..<11].reduce(0) { $0 << 8 | Int($1) } }
        #expect(zip(flight, again).allSatisfy { sequence($1) > sequence($0) && $0.count == $1.count })
    }
}

/// A DNS query for `name` (type A, RD).
private func dnsQuery(id: UInt16, name: String = "www.testbed.test") -> [UInt8] {
    var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
    for label in name.split(separator: ".") { bytes += [UInt8(label.utf8.count)] + Array(label.utf8) }
    return bytes + [0, 0, 1, 0, 1]
}

/// `openssl s_client -dtls1_2 -quiet` against 127.0.0.1:`port`: what is written to its standard
/// input goes out as one record, what arrives is on its standard output.
private final class SClient {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errorFile: URL

    init(port: UInt16, arguments: [String]) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("s_client-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(port)", "-quiet", "-no_ign_eof", "-nocommands"] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: errorFile)
    }

    /// What s_client wrote on standard error (its handshake summary and errors).
    var errors: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Sends `query`; returns what arrives within `timeout` (one reply: it stops at the first pause).
    func exchange(_ query: [UInt8], timeout: TimeInterval = 5) throws -> [UInt8] {
        // An s_client that already exited must fail the test, not kill the test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try input.fileHandleForWriting.write(contentsOf: query)
        let fd = output.fileHandleForReading.fileDescriptor
        var reply: [UInt8] = []
        var wait = Int32(timeout * 1000)
        while true {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, wait) > 0 else { return reply }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { return reply }
            reply += buffer[0..<count]
            wait = 50
        }
    }

    /// Closes standard input, so s_client sends close_notify at once; ends it 50 ms later (it
    /// would linger for 500 ms).
    func close() {
        try? input.fileHandleForWriting.close()
        _ = exitStatus(within: 0.05)
    }

    /// Waits for s_client to end by itself (killing it after `within` seconds).
    /// - Returns: its exit status.
    func exitStatus(within timeout: TimeInterval = 5) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(2000) }
        kill()
        while process.isRunning { usleep(2000) }  // faster than waitUntilExit
        return process.terminationStatus
    }

    /// Ends s_client with SIGKILL (the test process's threads block SIGTERM, and s_client inherits that).
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}

/// A UDP socket connected to the server, for datagrams the test writes itself.
private final class RawClient {
    let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else { throw POSIXError(.EINVAL) }
    }

    deinit { close(fd) }

    func send(_ datagram: [UInt8]) { _ = Glibc.send(fd, datagram, datagram.count, 0) }

    /// The datagrams that arrive within `timeout`, stopping early once there are `atLeast` and a
    /// pause of 100 ms.
    func receive(timeout: TimeInterval, atLeast: Int = 1) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let wait = datagrams.count >= atLeast ? 100 : Int32(deadline.timeIntervalSinceNow * 1000) + 1
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, wait) > 0 else {
                if datagrams.count >= atLeast { break }
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { datagrams.append(Array(buffer[0..<count])) }
        }
        return datagrams
    }

    /// A DTLS 1.2 ClientHello as s_client sends it (caught on a socket of the test's own).
    static func clientHello() throws -> [UInt8] {
        let catcher = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(catcher) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(catcher, $0, length) == 0 && getsockname(catcher, $0, &length) == 0 }
        }
        let client = try SClient(port: UInt16(bigEndian: address.sin_port), arguments: [])
        defer { client.kill() }
        var entry = pollfd(fd: catcher, events: Int16(POLLIN), revents: 0)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        guard poll(&entry, 1, 5000) > 0 else { throw POSIXError(.ETIMEDOUT) }
        let count = recv(catcher, &buffer, buffer.count, 0)
        let hello = Array(buffer[0..<max(count, 0)])
        try #require(hello.count > 13 && hello[0] == 22 && hello[13] == 1, "s_client sent no ClientHello")
        return hello
    }
}
