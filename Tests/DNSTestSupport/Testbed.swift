// SPDX-License-Identifier: Apache-2.0
// Finds the BIND testbed started by Scripts/testbed/start.sh; tests that need it fail without it.

import DNSComponent
import Foundation
import Testing

enum Testbed {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `KEY=VALUE` lines of testbed.env.
    static let environment: [String: String] = {
        let directory = ProcessInfo.processInfo.environment["TESTBED_DIR"] ?? root.appendingPathComponent(".testbed").path
        guard let text = try? String(contentsOfFile: directory + "/testbed.env", encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return values
    }()

    /// The testbed's port; records an issue (failing the test) when the testbed is not running.
    static func port() throws -> Int {
        let port = try #require(
            environment["TESTBED_PORT"].flatMap(Int.init),
            "the BIND testbed is not running: start it with Scripts/testbed/start.sh")
        return port
    }

    /// The port of kresd's plain DNS listener (UDP and TCP, 127.0.0.1 and ::1; it forwards to
    /// the testbed named); records an issue (failing the test) when testbed.env lacks it.
    static func kresdPort() throws -> Int {
        try #require(
            environment["TESTBED_KRESD_PORT"].flatMap(Int.init),
            "no TESTBED_KRESD_PORT in testbed.env (testbed not running, or started by an older start.sh): run stop.sh, then start.sh")
    }

    /// A value of testbed.env; records an issue when the testbed is not running.
    static func value(_ key: String) throws -> String {
        try #require(environment[key], "the BIND testbed is not running (no \(key)): start it with Scripts/testbed/start.sh")
    }

    /// A component aimed at the testbed over `transport`, synchronous with a 5 s timeout;
    /// for TLS, at the CA-signed DoT listener; TLS and HTTPS trust the test CA.
    static func component(_ transport: DNSComponent.TransportProtocol = .udp, address: String = "127.0.0.1") throws -> DNSComponent {
        let dns = try DNSComponent()
        dns.dnsServer = address
        try dns.setDNSPort(try port())
        try dns.setTimeout(5)
        dns.protocol = transport
        if transport == .tls {
            try dns.setDNSPort(Int(try value("TESTBED_DOT_PORT"))!)
        }
        if transport == .tls || transport == .https {
            try dns.config("SSLCAFile=\(try value("TESTBED_CA_FILE"))")
        }
        return dns
    }
}

extension Testbed {
    /// A component aimed at one of the testbed's DNS-over-HTTPS endpoints (`port` names the
    /// testbed.env key), with the test CA trusted; `http` uses cleartext HTTP/2.
    static func dohComponent(port key: String = "TESTBED_DOH_PORT", host: String = "localhost", scheme: String = "https", method: Int = 0)
        throws -> DNSComponent
    {
        let dns = try component(.https)
        dns.dnsServer = "\(scheme)://\(host):\(try value(key))/dns-query"
        try dns.config("DoHMethod=\(method)")
        return dns
    }
}

extension DNSComponent {
    /// Queries `names` asynchronously (timeout 0) and runs events until all have finished.
    /// - Returns: the domains answered and the error codes, in the order their events fired.
    func queryAll(_ names: [String]) throws -> (answered: [String], failed: [Int]) {
        try setTimeout(0)
        var answered: [String] = []
        var failed: [Int] = []
        onResponse = { answered.append($0.domain) }
        onError = { failed.append($0.errorCode) }
        for name in names { try query(name) }
        while !idle { try doEvents() }
        return (answered, failed)
    }
}
