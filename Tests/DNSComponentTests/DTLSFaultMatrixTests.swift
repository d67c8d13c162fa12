// SPDX-License-Identifier: Apache-2.0
// The fault matrix's DTLS rows: a DTLS server (FakeDTLSServer) that answers wrongly or not at
// all, the coded error and when it came, that the next query on the same component works once
// the server behaves, and that no socket is left.

import DNSComponent
import DNSWire
import DTLSTestServer
import Foundation
import Synchronization
import Testing

@testable import DNSTestSupport

/// One DTLS fault: what the server answers a query with while it misbehaves.
struct DTLSFaultRow: Sendable, CustomTestStringConvertible {
    let fault: String
    let reply: @Sendable (_ query: [UInt8]) -> [[UInt8]]
    let code: Int
    let window: ClosedRange<Double>

    var testDescription: String { "dtls: \(fault)" }

    /// The answer to `query` (an A record 192.0.2.99), written by hand so the rows can bend it.
    static func answer(_ query: [UInt8], id: UInt16? = nil, flags: HeaderFlags = [.qr, .rd]) -> [UInt8] {
        guard var message = try? DNSMessage(wire: query), let question = message.questions.first else { return [] }
        if let id { message.id = id }
        message.header.flags = flags
        message.answers = [DNSRecord(name: question.name, ttl: 60, data: (try? RecordData(type: .a, presentation: "192.0.2.99"))!)]
        return (try? message.serialize()) ?? []
    }

    static let rows: [DTLSFaultRow] = [
        DTLSFaultRow(fault: "no answer to any query", reply: { _ in [] }, code: 10060, window: FaultMatrix.timedOut),
        DTLSFaultRow(
            fault: "an answer with another ID", reply: { [answer($0, id: (UInt16($0[0]) << 8 | UInt16($0[1])) ^ 0xFFFF)] }, code: 10060,
            window: FaultMatrix.timedOut),
        DTLSFaultRow(
            fault: "64 random octets", reply: { _ in [(0..<64).map { _ in UInt8.random(in: 0...255) }] }, code: 10060, window: FaultMatrix.timedOut),
        DTLSFaultRow(fault: "the answer with the QR bit clear", reply: { [answer($0, flags: [.rd])] }, code: 10060, window: FaultMatrix.timedOut),
        DTLSFaultRow(fault: "the answer with octets after it", reply: { [answer($0) + [0, 0, 0]] }, code: 10060, window: FaultMatrix.timedOut),
        DTLSFaultRow(fault: "the query echoed back", reply: { [$0] }, code: 10060, window: FaultMatrix.timedOut),
        DTLSFaultRow(fault: "an empty record", reply: { _ in [[]] }, code: 10060, window: FaultMatrix.timedOut),
    ]
}

@Suite(.serialized) struct DTLSFaultMatrixTests {
    @Test(arguments: DTLSFaultRow.rows)
    func faultyServer(_ row: DTLSFaultRow) throws {
        let directory = try testbedTLSDirectory()
        let behaving = Atomic<Bool>(false)
        let server = try FakeDTLSServer(.init(certificate: directory + "/server.crt", key: directory + "/server.key")) { query in
            behaving.load(ordering: .relaxed) ? [DTLSFaultRow.answer(query)] : row.reply(query)
        }
        defer { server.stop() }
        let dns = try dtlsComponent(port: server.port)
        try dns.setTimeout(Int(FaultMatrix.timeout))
        try dns.config("RetransmitInterval=200")

        let start = ContinuousClock.now
        var failure: DNSComponentError?
        do { try dns.query("fault.example") } catch let error as DNSComponentError { failure = error }
        let elapsed = start.duration(to: .now) / .seconds(1)
        #expect(failure?.code == row.code, "\(String(describing: failure))")
        #expect(row.window.contains(elapsed), "took \(elapsed) s")

        behaving.store(true, ordering: .relaxed)
        var next = "answered"
        do {
            try dns.query("fault.example")
            if dns.statusCode != 0 || (try? dns.getFieldValue(0, "ADDRESS")) != "192.0.2.99" { next = "status \(dns.statusCode)" }
        } catch {
            next = "\(error)"
        }
        #expect(next == "answered", "the next query: \(next)")

        try dns.reset()
        let limit = ContinuousClock.now + .seconds(1)
        var left = connectedSockets(to: server.port)
        while left > 0, ContinuousClock.now < limit {
            usleep(10_000)
            left = connectedSockets(to: server.port)
        }
        #expect(left == 0, "\(left) sockets still connected to the server")
        let got = "\(failure.map { "\($0.code)" } ?? "no error") in " + String(format: "%.3f s", elapsed)
        print("fault-matrix | dtls | \(row.fault) | expected \(row.code) in \(row.window) s | got \(got) | next query \(next)")
    }
}
