// SPDX-License-Identifier: Apache-2.0
// Zone transfers through the component: AXFR and IXFR from BIND and Knot DNS, signed.

import DNSComponent
import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct TransferTests {
    /// A synchronous component for a transfer of `type` from BIND (or `port`), over TCP,
    /// signed with the hmac-sha256 testbed key unless `key` is "".
    func component(_ type: Int, port: Int? = nil, key: String? = nil) throws -> DNSComponent {
        let dns = try Testbed.component(.tcp)
        if let port { try dns.setDNSPort(port) }
        let signing = try key ?? Testbed.value("TESTBED_TSIG_HMAC_SHA256")
        if !signing.isEmpty { try dns.config("TSIGKey=\(signing)") }
        dns.queryType = DNSComponent.QueryType(rawValue: type)
        return dns
    }

    static let axfr = 252
    static let ixfr = 251
    var knotPort: Int { get throws { Int(try Testbed.value("TESTBED_KNOT_PORT"))! } }

    /// The zone an AXFR's records make (without the closing SOA).
    func zone(_ records: [DNSRecord], _ origin: String) throws -> Zone {
        #expect(records.first?.type == .soa && records.last?.type == .soa)
        return try Zone(origin: try DomainName(origin), records: records.dropLast())
    }

    /// The same zone from BIND and from Knot DNS, signed, every record once.
    @Test func axfrFromBINDAndKnot() throws {
        let bind = try component(Self.axfr)
        try bind.query("xfr.test")
        #expect(bind.statusCode == 0 && bind.recordCount >= 12)
        let fromBIND = try zone(bind.records, "xfr.test")
        let knot = try component(Self.axfr, port: try knotPort)
        try knot.query("xfr.test")
        let fromKnot = try zone(knot.records, "xfr.test")
        #expect(fromBIND.rrset(try DomainName("www.xfr.test"), .a) == fromKnot.rrset(try DomainName("www.xfr.test"), .a))
        #expect(fromBIND.rrset(try DomainName("text.xfr.test"), .txt) != nil)
    }

    /// Zone transfer over TLS (XoT, RFC 9103) from BIND's DoT listener, signed.
    @Test func axfrOverTLS() throws {
        let dns = try component(Self.axfr, port: Int(try Testbed.value("TESTBED_DOT_PORT"))!)
        dns.protocol = .tls
        dns.dnsServer = "localhost"
        try dns.config("UseIPv6=False")
        try dns.config("SSLCAFile=\(try Testbed.value("TESTBED_CA_FILE"))")
        try dns.query("xfr.test")
        #expect(dns.statusCode == 0 && dns.records.first?.type == .soa && dns.records.last?.type == .soa)
    }

    /// 100,000 records in many messages, every one verified (the running MAC over all of them),
    /// each message's records in the accessors when its log event fires.
    @Test func aHundredThousandRecordsSigned() throws {
        let dns = try component(Self.axfr)
        var counts: [Int] = []
        var firstOwner = ""
        dns.onLog = { [unowned dns] event in
            guard event.message.contains("Transfer") && event.message.contains("message") else { return }
            counts.append(dns.recordCount)
            if counts.count == 1 { firstOwner = (try? dns.recordDomain(0)) ?? "" }
        }
        try dns.query("big.test")
        #expect(dns.statusCode == 0 && dns.recordCount == 100_001)
        #expect(counts.count > 1 && counts.first! > 0 && counts == counts.sorted() && counts.last == 100_001)
        #expect(firstOwner == "big.test")
        #expect(try zone(dns.records, "big.test").recordCount == 100_000)
    }

    /// Refusals and limits fail with 227, the reason in the description; the wrong protocol
    /// fails before any I/O with 10022.
    @Test func failures() throws {
        let unsigned = try component(Self.axfr, key: "")
        #expect(outcome { try unsigned.query("xfr.test") }.code == 227)
        #expect(unsigned.status.contains("REFUSED") && unsigned.recordCount == 0)
        let limited = try component(Self.axfr)
        try limited.config("MaxTransferRecords=5")
        #expect(outcome { try limited.query("xfr.test") }.code == 227)
        let overUDP = try component(Self.axfr)
        overUDP.protocol = .udp
        #expect(outcome { try overUDP.query("xfr.test") }.code == 10022)
        let overHTTPS = try component(Self.axfr)
        overHTTPS.protocol = .https
        #expect(outcome { try overHTTPS.query("xfr.test") }.code == 10022)
    }

    /// A server that does not know IXFR (NOTIMP): the zone comes by AXFR instead, unless
    /// IXFRFallbackToAXFR is off.
    @Test func ixfrFallsBackToAXFR() throws {
        let server = try FakeServer { query, _ in
            guard var message = try? DNSMessage(wire: query), let question = message.questions.first else { return [] }
            message.header.flags = [.qr, .aa]
            message.authorities = []
            guard question.type == .axfr else {
                message.responseCode = .notImp
                return [.send((try? message.serialize()) ?? [])]
            }
            let soa = DNSRecord(name: question.name, ttl: 60, data: try! RecordData(type: .soa, presentation: "ns.example. host.example. 9 1 1 1 1"))
            message.answers = [soa, DNSRecord(name: question.name, ttl: 60, data: try! RecordData(type: .txt, presentation: "\"whole\"")), soa]
            return [.send((try? message.serialize()) ?? [])]
        }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(server.port))
        try dns.setTimeout(3)
        dns.queryType = DNSComponent.QueryType(rawValue: Self.ixfr)
        try dns.config("IXFRSerial=3")
        try dns.query("example")
        #expect(dns.statusCode == 0 && dns.recordCount == 3)
        try dns.config("IXFRFallbackToAXFR=False")
        #expect(outcome { try dns.query("example") }.code == 227)
        #expect(dns.status.contains("NOTIMP"))
    }

    /// TransferTimeout limits the whole transfer, whatever the timeout between messages: a
    /// server that sends one message and then nothing fails after it, not after Timeout.
    @Test func transferTimeoutLimitsTheWholeTransfer() throws {
        let server = try FakeServer { query, transport in
            guard transport == .tcp, var message = try? DNSMessage(wire: query), let question = message.questions.first else { return [] }
            message.header.flags = [.qr, .aa]
            let soa = try! RecordData(type: .soa, presentation: "ns.example. host.example. 5 1 1 1 1")
            message.answers = [DNSRecord(name: question.name, ttl: 60, data: soa)]
            return [.send((try? message.serialize()) ?? [])]  // and the connection stays open
        }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(server.port))
        try dns.setTimeout(10)
        try dns.config("TransferTimeout=1")
        dns.protocol = .tcp
        dns.queryType = DNSComponent.QueryType(rawValue: Self.axfr)
        let (code, elapsed) = outcome { try dns.query("example") }
        #expect(code == 10060 && dns.status.contains("limit"))
        #expect(elapsed >= .seconds(1) && elapsed < .seconds(5))
    }

    /// A server that closes after the first message: 227, and no records presented.
    @Test func aServerClosingMidTransfer() throws {
        let server = try FakeServer { query, transport in
            guard transport == .tcp, var message = try? DNSMessage(wire: query), let question = message.questions.first else { return [] }
            message.header.flags = [.qr, .aa]
            let soa = try! RecordData(type: .soa, presentation: "ns.example. host.example. 5 1 1 1 1")
            message.answers = [
                DNSRecord(name: question.name, ttl: 60, data: soa),
                DNSRecord(name: try! DomainName("a.\(question.name)"), ttl: 60, data: try! RecordData(type: .a, presentation: "192.0.2.1")),
            ]
            return [.send((try? message.serialize()) ?? []), .close]
        }
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(server.port))
        try dns.setTimeout(3)
        dns.protocol = .tcp
        dns.queryType = DNSComponent.QueryType(rawValue: Self.axfr)
        var partial = 0
        dns.onLog = { [unowned dns] event in if event.message.contains("message 1,") { partial = dns.recordCount } }
        let (code, elapsed) = outcome { try dns.query("example") }
        // The first message's records were there while it was the transfer so far; none are left.
        #expect(code == 227 && partial == 2 && dns.recordCount == 0)
        #expect(elapsed < .seconds(2))
    }

    /// After an update (BIND's nsupdate, or ours), IXFR from the old serial gives the
    /// difference; applied to the old AXFR it equals a fresh AXFR. From the current serial it
    /// is up to date. Over UDP first, then TCP.
    @Test(arguments: [false, true], [false, true])
    func ixfrAppliesToTheOldZone(_ knot: Bool, _ ourUpdate: Bool) throws {
        let port = knot ? try knotPort : try Testbed.port()
        let before = try component(Self.axfr, port: port)
        try before.query("xfr.test")
        var old = try zone(before.records, "xfr.test")
        let name = "ixfr-\(UInt32.random(in: 0...UInt32.max)).xfr.test."
        if ourUpdate {
            let update = try component(Self.axfr, port: port)
            try update.update("xfr.test", ["update add \(name) 300 A 192.0.2.77"])
            #expect(update.statusCode == 0)
        } else {
            try nsupdate(port: port, "update add \(name) 300 A 192.0.2.77")
        }
        let ixfr = try component(Self.ixfr, port: port)
        ixfr.protocol = .udp
        try ixfr.config("IXFRSerial=\(old.serial.rawValue)")
        try ixfr.query("xfr.test")
        #expect(ixfr.statusCode == 0 && ixfr.records.count >= 4)
        var reader = TransferReader(zone: try DomainName("xfr.test"), kind: .ixfr(serial: old.serial))
        var message = DNSMessage.query(name: try DomainName("xfr.test"), type: .ixfr, id: 1)
        message.header.flags = [.qr]
        message.answers = ixfr.records
        let step = reader.read(message)
        try old.apply(step.differences)
        let after = try component(Self.axfr, port: port)
        try after.query("xfr.test")
        #expect(old == (try zone(after.records, "xfr.test")))
        #expect(old.contains(DNSRecord(name: try DomainName(name), ttl: 300, data: try RecordData(type: .a, presentation: "192.0.2.77"))))
        try ixfr.config("IXFRSerial=\(old.serial.rawValue)")
        try ixfr.query("xfr.test")
        #expect(ixfr.statusCode == 0 && ixfr.records.count == 1)
    }

    /// The zone-transfer sample's contract: a zone file named-checkzone accepts, or
    /// `Error: <code> [<description>]` on stderr and a nonzero exit.
    @Test func theZoneTransferSample() throws {
        func run(_ arguments: [String]) throws -> SampleRun {
            try runSample("zone-transfer", ["--server", "127.0.0.1", "--port", String(try Testbed.port())] + arguments)
        }
        let signed = try run(["--tsig", try Testbed.value("TESTBED_TSIG_HMAC_SHA512"), "xfr.test"])
        #expect(signed.status == 0 && signed.output.hasPrefix("$ORIGIN xfr.test."))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("xfr-\(UUID()).zone")
        try signed.output.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/named-checkzone")
        check.arguments = ["-q", "xfr.test", file.path]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
        let unsigned = try run(["xfr.test"])
        #expect(unsigned.status != 0 && unsigned.error.hasPrefix("Error: 227 [") && unsigned.output.isEmpty)
    }

    /// Runs BIND's nsupdate against the testbed, signed with the hmac-sha256 key.
    func nsupdate(port: Int, _ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsupdate")
        process.arguments = ["-y", try Testbed.value("TESTBED_TSIG_HMAC_SHA256")]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data("server 127.0.0.1 \(port)\n\(command)\nsend\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "nsupdate \(command)")
    }
}
