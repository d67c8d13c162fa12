// SPDX-License-Identifier: Apache-2.0
// The component's behaviour against the BIND testbed: statuses, modes, settings, events.

import DNSComponent
import Foundation
import Testing

@testable import DNSTestSupport

@Suite(.serialized) struct ComponentTests {
    @Test func statusCodesFollowTheResponse() throws {
        let dns = try Testbed.component()
        var events: [DNSComponent.ResponseEvent] = []
        dns.onResponse = { events.append($0) }
        try dns.query("doesnotexist.testbed.test")
        #expect(dns.statusCode == 3 && dns.status == "Non-existent domain" && dns.recordCount == 0)
        try dns.query("nodata.testbed.test")
        #expect(dns.statusCode == 100 && dns.status == "No records were found.")
        dns.recordSource = .authority
        #expect(try dns.recordTypeName(0) == "SOA")
        dns.recordSource = .answer
        try dns.query("chain1.testbed.test")
        #expect(dns.statusCode == 0)
        #expect(dns.records.map(\.type.description) == ["CNAME", "CNAME", "A"])
        try dns.query("anything.wild.testbed.test")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.42")
        #expect(events.map(\.statusCode) == [3, 100, 0, 0])
        #expect(events.allSatisfy { $0.authoritative })
        #expect(events.map(\.requestId) == [1, 2, 3, 4])
        #expect(events[0].description == "Non-existent domain" && events[0].domain == "doesnotexist.testbed.test")
    }

    @Test func referralsFillTheAuthoritySection() throws {
        let dns = try Testbed.component()
        try dns.query("host.delegated.testbed.test")
        #expect(dns.recordCount == 0)
        try dns.setRecordSource(1)
        #expect(try dns.recordTypeName(0) == "NS")
        #expect(try dns.getFieldValue(0, "DNAME") == "ns.delegated.testbed.test")
        try dns.setRecordSource(2)
        #expect(try dns.getFieldValue(0, "ADDRESS") == "127.0.0.1")
        #expect(throws: DNSComponentError.self) { try dns.setRecordSource(3) }
        #expect(errorCode { try dns.setRecordSource(3) } == 222)
    }

    @Test func badIndexesThrowTheSeedCodes() throws {
        let dns = try Testbed.component()
        dns.queryType = .mx
        try dns.query("mx.testbed.test")
        #expect(errorCode { _ = try dns.recordDomain(1) } == 220)
        #expect(errorCode { _ = try dns.recordFieldName(-1) } == 220)
        #expect(errorCode { try dns.setRecordFieldIndex(0, 2) } == 221)
        #expect(errorCode { _ = try dns.getFieldValue(0, "ADDRESS") } == 221)
        #expect(try dns.getFieldValue(0, "exchange") == "mail.testbed.test")
        try dns.setRecordFieldIndex(0, 1)
        #expect(try dns.recordFieldName(0) == "EXCHANGE")
        #expect(try dns.recordFieldValue(0) == "mail.testbed.test")
        #expect(try dns.recordFieldValueBytes(0) == Array("mail.testbed.test".utf8))
        dns.queryType = DNSComponent.QueryType(rawValue: 70_000)
        #expect(errorCode { try dns.query("mx.testbed.test") } == 223)
        dns.dnsServer = ""
        dns.queryType = .mx
        #expect(errorCode { try dns.query("mx.testbed.test") } == 224)
    }

    @Test func asynchronousQueriesRunFromDoEvents() throws {
        let dns = try Testbed.component()
        try dns.setTimeout(0)
        var events: [DNSComponent.ResponseEvent] = []
        var addresses: [Int: String] = [:]
        dns.onResponse = { [unowned dns] event in
            events.append(event)
            addresses[event.requestId] = try? dns.getFieldValue(0, "ADDRESS")
        }
        let names = ["www", "chain3", "mail", "sipserver", "ns", "multi", "localhost", "x.wild"]
        for name in names { try dns.query("\(name).testbed.test") }
        #expect(!dns.idle)
        while !dns.idle { try dns.doEvents() }
        #expect(events.count == names.count)
        #expect(Set(events.map(\.requestId)) == Set(1...names.count))
        for event in events {
            #expect(event.domain == "\(names[event.requestId - 1]).testbed.test")
        }
        #expect(addresses[1] == "192.0.2.1" && addresses[2] == "192.0.2.33" && addresses[8] == "192.0.2.42")
    }

    @Test func requestIdWrapsAndIsChecked() throws {
        let dns = try Testbed.component()
        var ids: [Int] = []
        dns.onResponse = { ids.append($0.requestId) }
        try dns.setRequestId(32_767)
        try dns.query("www.testbed.test")
        #expect(dns.requestId == 32_767)  // the ID of the query just made
        try dns.query("www.testbed.test")
        #expect(ids == [32_767, 1] && dns.requestId == 1)
        for bad in [0, 32_768, -5] {
            #expect(throws: DNSComponentError.self) { try dns.setRequestId(bad) }
        }
        #expect(dns.requestId == 1)
        #expect(throws: DNSComponentError.self) { try dns.setDNSPort(0) }
        #expect(throws: DNSComponentError.self) { try dns.setDNSPort(65_536) }
        #expect(throws: DNSComponentError.self) { try dns.setTimeout(-1) }
    }

    @Test func resetRestoresDefaults() throws {
        let dns = try Testbed.component(.tcp)
        dns.queryType = .mx
        dns.recursive = false
        dns.recordSource = .additional
        try dns.config("LogLevel=3")
        try dns.config("UseIDNs=yes")
        try dns.query("mx.testbed.test")
        #expect(dns.recordCount == 4)  // the exchanges' A and AAAA glue
        try dns.reset()
        #expect(dns.dnsPort == 53 && dns.protocol == .udp && dns.queryType == .address && dns.recordSource == .answer)
        #expect(dns.recursive && dns.requestId == 1 && dns.timeout == 60 && dns.recordCount == 0 && dns.statusCode == 0)
        #expect(try dns.config("LogLevel") == "1")
        #expect(try dns.config("UseIDNs") == "False")
        #expect(dns.idle)
    }

    @Test func reverseLookupsForBothFamilies() throws {
        let dns = try Testbed.component()
        dns.queryType = .revLookup
        var domains: [String] = []
        dns.onResponse = { domains.append($0.domain) }
        try dns.query("192.0.2.1")
        #expect(try dns.recordTypeName(0) == "PTR")
        #expect(try dns.getFieldValue(0, "PTRDNAME") == "www.testbed.test")
        #expect(try dns.recordDomain(0) == "1.2.0.192.in-addr.arpa")
        try dns.query("2001:db8::1")
        #expect(try dns.getFieldValue(0, "PTRDNAME") == "www.testbed.test")
        #expect(try dns.recordDomain(0).hasSuffix("8.b.d.0.1.0.0.2.ip6.arpa"))
        try dns.query("::1")
        #expect(try dns.getFieldValue(0, "PTRDNAME") == "localhost.testbed.test")
        #expect(domains == ["192.0.2.1", "2001:db8::1", "::1"])
        #expect(throws: DNSComponentError.self) { try dns.query("not-an-address") }
        #expect(errorCode { try dns.query("999.1.1.1") } == 225)
    }

    @Test func internationalizedNames() throws {
        let dns = try Testbed.component()
        try dns.config("UseIDNs=True")
        try dns.query("café.münchen.test")
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.81")
        #expect(try dns.recordDomain(0) == "xn--caf-dma.xn--mnchen-3ya.test")
        dns.queryType = .text
        try dns.query("CAFÉ.MÜNCHEN.test")
        #expect(try dns.getFieldValue(0, "TXT") == "café")
        try dns.config("UseIDNs=False")
        dns.queryType = .address
        try dns.query("café.münchen.test")
        // Sent as raw UTF-8 octets, which no zone here holds: BIND refuses.
        #expect(dns.response?.questions.first?.name.labels.first.map(Array.init) == Array("café".utf8))
        #expect(dns.statusCode == 5 && dns.status == "Query refused")
    }

    @Test func truncationFallsBackToTCP() throws {
        let dns = try Testbed.component()
        dns.queryType = .text
        try dns.config("EDNSPayloadSize=0")
        try dns.query("bigtxt.testbed.test")
        #expect(dns.recordCount == 4)
        #expect(try dns.config("ResponseTruncated") == "False")
        try dns.config("ConnectionMode=1")
        try dns.query("bigtxt.testbed.test")
        #expect(try dns.config("ResponseTruncated") == "True")
        try dns.config("ConnectionMode=0")
        try dns.config("EDNSPayloadSize=4096")
        try dns.query("hugetxt.testbed.test")
        #expect(dns.recordCount == 24)
        #expect(try dns.config("ResponseTruncated") == "False")
        try dns.config("EDNSPayloadSize=1232")
        try dns.query("bigtxt.testbed.test")
        #expect(dns.recordCount == 4)
    }

    @Test func everyConfigSettingRoundTrips() throws {
        let dns = try DNSComponent()
        let readOnly: Set = ["ResponseTruncated", "BuildInfo", "LicenseInfo", "SSLSessionResumed", "CacheStatistics"]
        for (name, _) in DNSComponent.configSettings {
            let value = try dns.config(name)
            if readOnly.contains(name) {
                #expect(throws: DNSComponentError.self) { try dns.config("\(name)=\(value)") }
            } else if name != "DNSProtocolLog" {
                try dns.config("\(name)=\(value)")
                #expect(try dns.config(name.lowercased()) == value, "\(name)")
            }
        }
        let changes = [
            "UseIDNs": ("yes", "True"), "DontFragment": ("1", "True"), "LocalPort": ("0", "0"), "MaxPacketSize": ("4096", "4096"),
            "ShareLocalPort": ("TRUE", "True"), "UseConnection": ("no", "False"), "UseIPv6": ("1", "True"),
            "AbsoluteTimeout": ("True", "True"), "InBufferSize": ("65536", "65536"), "OutBufferSize": ("", ""),
            "CodePage": ("1252", "1252"), "LogLevel": ("3", "3"), "MaskSensitive": ("False", "False"),
            "ProcessIdleEvents": ("True", "True"), "SelectWaitMillis": ("5", "5"), "ConnectionMode": ("2", "2"),
            "EDNSPayloadSize": ("0", "0"), "DNSSECOK": ("yes", "True"), "RetransmitInterval": ("250", "250"),
            "Retransmissions": ("1", "1"), "TCPIdleTimeout": ("500", "500"), "AsyncQueryTimeout": ("9", "9"),
            "DoHMethod": ("2", "2"), "DelayHostResolution": ("True", "True"), "LocalHost": ("127.0.0.1", "127.0.0.1"),
        ]
        for (name, (value, expected)) in changes {
            try dns.config("\(name)=\(value)")
            #expect(try dns.config(name) == expected, "\(name)")
        }
        #expect(try dns.config("SelectWaitMillis") == "5")
        #expect(throws: DNSComponentError.self) { try dns.config("NoSuchSetting") }
        #expect(throws: DNSComponentError.self) { try dns.config("LogLevel=7") }
        #expect(throws: DNSComponentError.self) { try dns.config("UseIDNs=maybe") }
        #expect(throws: DNSComponentError.self) { try dns.config("CodePage=12345") }
        #expect(throws: DNSComponentError.self) { try dns.config("UseDNSAPIDLL=True") }
        try dns.config("UseDNSAPIDLL=false")
        #expect(try dns.config("QOSDSCPValue") == "0")
        #expect(throws: DNSComponentError.self) { try dns.config("QOSDSCPValue=5") }
    }

    @Test func defaultSettingsAreDocumented() throws {
        let dns = try DNSComponent()
        #expect(try dns.config("SelectWaitMillis") == "20")
        #expect(try dns.config("CodePage") == "65001")
        #expect(try dns.config("LogLevel") == "1")
        #expect(try dns.config("ConnectionMode") == "0")
        #expect(try dns.config("EDNSPayloadSize") == "1232")
        #expect(DNSComponent.configSettings.count == 79)
        #expect(DNSComponent.configSettings.allSatisfy { !$0.summary.isEmpty })
    }

    @Test func protocolLogDescribesTheResponse() throws {
        let dns = try Testbed.component()
        try dns.config("DNSProtocolLog=True")
        dns.queryType = .mx
        try dns.query("mx.testbed.test")
        let log = try dns.config("DNSProtocolLog")
        #expect(log.contains("Got answer:"))
        #expect(log.contains("rcode = NOERROR"))
        #expect(log.contains("mx.testbed.test, type = MX, class = IN"))
        #expect(log.contains("exchange = mail.testbed.test"))
    }

    @Test func handlerErrorsFireCodeMinusOneAndRethrow() throws {
        struct Oops: Error {}
        let dns = try Testbed.component()
        var errors: [DNSComponent.ErrorEvent] = []
        dns.onError = { errors.append($0) }
        dns.onResponse = { _ in throw Oops() }
        let error = componentError { try dns.query("www.testbed.test") }
        #expect(error?.code == -1 && error?.underlying is Oops)
        #expect(errors.map(\.errorCode) == [-1])
        #expect(try dns.getFieldValue(0, "ADDRESS") == "192.0.2.1")  // the response was still processed
        dns.onResponse = nil
        try dns.query("www.testbed.test")  // the error does not linger
    }

    @Test func logEventsFollowTheLogLevel() throws {
        let dns = try Testbed.component()
        var levels: [Int] = []
        dns.onLog = { levels.append($0.logLevel) }
        try dns.query("www.testbed.test")
        #expect(!levels.isEmpty && levels.allSatisfy { $0 == 1 })
        levels = []
        try dns.config("LogLevel=3")
        try dns.query("www.testbed.test")
        #expect(Set(levels) == [1, 2, 3])
        levels = []
        try dns.config("LogLevel=0")
        try dns.query("www.testbed.test")
        #expect(levels.isEmpty)
    }

    @Test func interruptCancelsASynchronousQuery() throws {
        let server = try FakeServer { _, _ in [] }  // never answers
        defer { server.stop() }
        let dns = try DNSComponent()
        dns.dnsServer = "127.0.0.1"
        try dns.setDNSPort(Int(server.port))
        try dns.config("LogLevel=2")
        dns.onLog = { [unowned dns] event in if event.message.contains("UDP") { try dns.interrupt() } }
        let (code, elapsed) = outcome { try dns.query("www.example") }
        #expect(code == 10004 && elapsed < .seconds(5))
        #expect(dns.idle)
    }
}

@Suite struct DocumentationTests {
    @Test func readmeListsEverySettingWithItsSummary() throws {
        let readme = try String(contentsOf: Testbed.root.appendingPathComponent("README.md"), encoding: .utf8)
        for (name, summary) in DNSComponent.configSettings {
            #expect(readme.contains("| `\(name)` | \(summary) |"), "README's config table lacks or misstates \(name)")
        }
    }
}
