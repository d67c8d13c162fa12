// SPDX-License-Identifier: Apache-2.0
// The DoH requests the HTTP codec targets submit.

import DNSWire

@testable import DNSTransport

/// One AAAA query as the DoH requests of each method code (post, get, json, post), built by
/// `DoHExchange.request` as the engine builds them.
public enum DoHFixture {
    public static let query = DNSMessage.query(name: try! DomainName("www.example."), type: .aaaa, id: 0x1234)
    public static let wire = try! query.serialize()

    public static let requests: [HTTPRequest] = [DoHMethod.post, .get, .json, .post].map { method in
        var settings = DoHSettings(url: try! DoHURL("https://dns.example/dns-query"))
        settings.method = method
        return try! DoHExchange.request(for: query, wire: wire, settings: settings)
    }
}
