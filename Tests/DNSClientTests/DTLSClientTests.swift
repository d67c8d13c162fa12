// SPDX-License-Identifier: Apache-2.0
// DNSClient over DNS over DTLS: queries and a name's addresses through socat to BIND, and the
// DNS-over-TLS fallback reported as the transport used.

import DNSTransport
import DNSWire
import Foundation
import Testing

@testable import DNSClient
@testable import DNSTestSupport

@Suite struct DTLSClientTests {
    func dtls(payloadSize: Int = 1232) throws -> DTLSSettings {
        var settings = DTLSSettings()
        settings.tls.caFile = try Testbed.value("TESTBED_CA_FILE")
        settings.payloadSize = payloadSize
        return settings
    }

    @Test func queriesAndAddressesOverDTLS() async throws {
        let directory = URL(fileURLWithPath: try Testbed.value("TESTBED_CA_FILE")).deletingLastPathComponent().path
        let relay = try SocatRelay(.dtls(certificate: directory + "/server.crt", key: directory + "/server.key"), upstreamPort: try Testbed.port())
        defer { relay.stop() }
        var options = QueryOptions()
        options.transport = .dtls(try dtls())
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: relay.port))], defaults: options)
        let response = try await client.query("www.testbed.test", type: .a)
        #expect(response.message.answers.map(\.data.description) == ["192.0.2.1"])
        guard case .dtls = response.transport else {
            Issue.record("answered over \(response.transport)")
            return
        }
        let addresses = try await client.addresses(for: "www.testbed.test", family: .any)
        #expect(addresses.map(\.description) == ["2001:db8::1", "192.0.2.1"])
    }

    @Test func aTruncatedAnswerComesOverTLS() async throws {
        var options = QueryOptions()
        options.transport = .dtls(try dtls(payloadSize: 600))
        let port = UInt16(try Testbed.value("TESTBED_DTLS_PORT"))!
        let client = try DNSClient(servers: [Nameserver(ServerEndpoint(host: "127.0.0.1", port: port))], defaults: options)
        let response = try await client.query("bigtxt.testbed.test", type: .txt)
        #expect(response.message.answers.count == 4)
        guard case .tls = response.transport else {
            Issue.record("answered over \(response.transport)")
            return
        }
        options.raiseOnTruncation = true
        await #expect(throws: TransportError.self) { try await client.query("bigtxt.testbed.test", type: .txt, options: options) }
    }
}
