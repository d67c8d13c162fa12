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

        let (failure, elapsed) = FaultMatrix.faultyQuery(dns)
        #expect(failure?.code == row.code, "\(String(describing: failure))")
        #expect(row.window.contains(elapsed), "took \(elapsed) s")

        behaving.store(true, ordering: .relaxed)
        let next = FaultMatrix.nextQuery(dns)
        #expect(next == "answered", "the next query: \(next)")

        let left = try FaultMatrix.socketsLeft(after: dns, port: server.port)
        #expect(left == 0, "\(left) sockets still connected to the server")
        FaultMatrix.printRow("dtls", row.fault, code: row.code, window: row.window, failure: failure, elapsed: elapsed, next: next)
    }
}
