// SPDX-License-Identifier: Apache-2.0
// Zone transfers and TSIG through DNSClient, against the testbed's BIND.

import DNSTransport
import DNSWire
import Foundation
import Testing

@testable import DNSClient
@testable import DNSTestSupport

@Suite struct TransferClientTests {
    func client() throws -> DNSClient {
        try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: UInt16(try Testbed.port())))])
    }

    func signed(_ algorithm: String = "HMAC_SHA384") throws -> QueryOptions {
        var options = QueryOptions()
        options.tsig = try TSIGKey(parsing: try Testbed.value("TESTBED_TSIG_\(algorithm)"))
        return options
    }

    /// A signed AXFR of 100,000 records, streamed; the zone they make.
    @Test func aLargeZoneStreams() async throws {
        var count = 0
        var first: DNSRecord?
        var last: DNSRecord?
        // The client goes out of scope at once: the transfer keeps it.
        for try await record in try client().transfer(try DomainName("big.test"), options: try signed()) {
            count += 1
            if first == nil { first = record }
            last = record
        }
        #expect(count == 100_001 && first?.type == .soa && last?.type == .soa)
    }

    /// The same transfer a message at a time: many messages, whose answers are the records
    /// `transfer` yields, in the same order; a refusal throws as there.
    @Test func messagesCarryTheSameRecords() async throws {
        let client = try client()
        var messages = 0
        var fromMessages: [DNSRecord] = []
        for try await message in client.transferMessages(try DomainName("big.test"), options: try signed()) {
            messages += 1
            fromMessages += message.answers
        }
        var records: [DNSRecord] = []
        for try await record in client.transfer(try DomainName("big.test"), options: try signed()) { records.append(record) }
        #expect(messages > 1 && fromMessages.count == 100_001 && fromMessages == records)
        let refused = await #expect(throws: TransportError.self) {
            for try await _ in client.transferMessages(try DomainName("xfr.test")) {}
        }
        #expect(refused?.code == .transferFailed)
    }

    /// IXFR from the current serial is one SOA (of big.test., which nothing changes); an
    /// unsigned AXFR of the signed-only xfr.test. is refused with `transferFailed`; a signed
    /// query verifies.
    @Test func ixfrUpToDateRefusalAndSignedQueries() async throws {
        let client = try client()
        let soa = try await client.query("big.test", type: .soa, options: try signed("HMAC_SHA1"))
        let serial = try #require(soa.message.answers.first?.data.as(RecordData.SOA.self)?.serial)
        #expect(soa.message.additionals.last?.type == .tsig)
        var records: [DNSRecord] = []
        for try await record in client.transfer(try DomainName("big.test"), kind: .ixfr(serial: Serial(serial)), options: try signed()) {
            records.append(record)
        }
        #expect(records.count == 1 && records.first?.type == .soa)
        let refused = await #expect(throws: TransportError.self) {
            for try await _ in client.transfer(try DomainName("xfr.test")) {}
        }
        #expect(refused?.code == .transferFailed)
    }

    /// A typed update, signed: NOERROR, and the record answers; unsigned it is REFUSED.
    @Test func aSignedUpdate() async throws {
        let client = try client()
        let name = try DomainName("client-\(UInt32.random(in: 0...UInt32.max)).upd.test")
        var update = DNSUpdate(zone: try DomainName("upd.test"))
        update.require(.nameNotInUse(name))
        update.add(name, ttl: 300, try RecordData(type: .a, presentation: "192.0.2.33"))
        let response = try await client.send(update, options: try signed("HMAC_SHA512"))
        #expect(response.message.responseCode == .noError && response.message.header.opcode == .update)
        #expect(try await client.query(name).message.answers.map(\.data.description) == ["192.0.2.33"])
        #expect(try await client.send(update).message.responseCode == .refused)
    }

    /// Leaving the loop early cancels the transfer; the client is idle again.
    @Test func stoppingEarlyCancels() async throws {
        let client = try client()
        var seen = 0
        for try await _ in client.transfer(try DomainName("big.test")) {
            seen += 1
            if seen == 10 { break }
        }
        #expect(seen == 10)
        var idle = false
        for _ in 0..<100 where !idle {
            idle = await client.isIdle
            if !idle { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(idle)
    }

    /// Waits, taking nothing, until the buffer is full (a fraction of a second, longer on a loaded
    /// machine or under ThreadSanitizer), then a second longer: long enough for BIND to send the
    /// whole zone (some 200 messages) were it all read.
    func untilFull(_ buffer: TransferBuffer) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while buffer.mostWaiting < TransferBuffer.limit, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .seconds(1))
    }

    /// A task that takes the messages slowly holds the engine back: at most a bounded number
    /// wait for it (the connection is left unread meanwhile), and all of them arrive.
    @Test func aSlowConsumerHoldsTheTransferBack() async throws {
        let client = try client()
        let lease = client.startTransfer(try DomainName("big.test"), kind: .axfr, maximumRecords: 10_000_000, fallbackToAXFR: true, options: nil)
        try await untilFull(lease.buffer)
        var records = 0
        var messages = 0
        while let message = try await lease.buffer.next() {
            messages += 1
            records += message.answers.count
            // Now and then slowly again, so reading stops and resumes many times.
            if messages % 20 == 0 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(records == 100_001 && messages > 100)
        // One read of the connection may bring a few messages beyond the limit.
        #expect(lease.buffer.mostWaiting >= TransferBuffer.limit && lease.buffer.mostWaiting <= TransferBuffer.limit + 8)
    }

    /// The same over TLS (XoT), signed: the TLS session holds nothing back while the
    /// connection is left unread, and every message still verifies.
    @Test func aSlowConsumerOverTLS() async throws {
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: UInt16(try Testbed.value("TESTBED_DOT_PORT"))!))])
        var options = try signed()
        var tls = TLSSettings()
        tls.caFile = try Testbed.value("TESTBED_CA_FILE")
        tls.serverName = "localhost"
        options.transport = .tls(tls)
        let lease = client.startTransfer(try DomainName("big.test"), kind: .axfr, maximumRecords: 10_000_000, fallbackToAXFR: true, options: options)
        try await untilFull(lease.buffer)
        var records = 0
        while let message = try await lease.buffer.next() {
            records += message.answers.count
            if records % 5_000 < message.answers.count { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(records == 100_001)
        #expect(lease.buffer.mostWaiting >= TransferBuffer.limit && lease.buffer.mostWaiting <= TransferBuffer.limit + 8)
    }

    /// While the task does not take messages, the time between messages is not counted: a
    /// pause longer than the timeout does not fail the transfer.
    @Test func aPauseLongerThanTheTimeout() async throws {
        var options = QueryOptions()
        options.timeout = .milliseconds(500)
        var records = 0
        for try await _ in try client().transfer(try DomainName("big.test"), options: options) {
            records += 1
            if records == 1 { try await Task.sleep(for: .milliseconds(1_500)) }
        }
        #expect(records == 100_001)
    }
}
