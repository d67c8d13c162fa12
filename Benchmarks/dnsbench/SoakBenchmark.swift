// SPDX-License-Identifier: Apache-2.0
// `dnsbench soak`: a million queries over every protocol, some to misbehaving servers, with
// memory, descriptors and OpenSSL allocations sampled along the way.

import CSoakCounters
import DNSComponent
import DNSTransport
import DNSWire
import Glibc

/// Servers on 127.0.0.1 that misbehave in the cheap ways a soak run needs: a UDP port that
/// never answers, one with nothing bound (ICMP refusal), and TCP listeners that close, reset,
/// or accept and then never read.
final class SoakFaultServers: @unchecked Sendable {
    let silentUDP: UInt16
    let refusedUDP: UInt16
    let closing: UInt16
    let resetting: UInt16
    let stalling: UInt16
    private let silentSocket: Int32
    private let listeners: [Int32]

    init() throws {
        (silentSocket, silentUDP) = try Self.bind(type: SOCK_DGRAM)
        let (probe, refused) = try Self.bind(type: SOCK_DGRAM)
        close(probe)
        refusedUDP = refused
        let sockets = try (0..<3).map { _ in try Self.bind(type: SOCK_STREAM) }
        listeners = sockets.map(\.0)
        (closing, resetting, stalling) = (sockets[0].1, sockets[1].1, sockets[2].1)
        for listener in listeners { listen(listener, 128) }
        try startThread(name: "soak faults") { [self] in self.serve() }
    }

    private static func bind(type: __socket_type) throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound else { throw BenchError("cannot bind a fault server socket") }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// Accepts on the three listeners forever. Stalled connections are never read; each is
    /// closed once the client has closed its end (at most 256 are kept, the oldest closed first).
    private func serve() {
        var stalled: [Int32] = []
        while true {
            var fds = listeners.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            // 0x2000 is POLLRDHUP (the client closed its end), which Glibc's module does not export.
            fds += stalled.map { pollfd(fd: $0, events: 0x2000, revents: 0) }
            guard poll(&fds, nfds_t(fds.count), 1000) > 0 else { continue }
            for entry in fds.dropFirst(listeners.count) where entry.revents != 0 {
                close(entry.fd)
                stalled.removeAll { $0 == entry.fd }
            }
            for (index, entry) in fds.prefix(listeners.count).enumerated() where entry.revents != 0 {
                let client = accept(entry.fd, nil, nil)
                guard client >= 0 else { continue }
                switch index {
                case 0: close(client)
                case 1:
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    close(client)
                default:
                    stalled.append(client)
                    if stalled.count > 256 { close(stalled.removeFirst()) }
                }
            }
        }
    }
}

/// Process figures sampled during the soak.
struct SoakSample {
    let queries: Int
    let rssKB: Int
    let peakRSSKB: Int
    let descriptors: Int
    let opensslAllocations: Int
    let heapInUseKB: Int

    static func now(queries: Int) -> SoakSample {
        let status = (try? readTextFile("/proc/self/status")) ?? ""
        func field(_ name: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return -1 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        let descriptors = openDescriptors()
        return SoakSample(
            queries: queries, rssKB: field("VmRSS"), peakRSSKB: field("VmHWM"), descriptors: descriptors,
            opensslAllocations: openssl_counter_live(), heapInUseKB: heap_in_use() / 1024)
    }

    var json: String {
        "{\"queries\": \(queries), \"rss_kb\": \(rssKB), \"peak_rss_kb\": \(peakRSSKB), \"fds\": \(descriptors), "
            + "\"openssl_allocations\": \(opensslAllocations), \"heap_in_use_kb\": \(heapInUseKB)}"
    }
}

/// How many descriptors the process has open (the entries of /proc/self/fd, less the one
/// reading it); -1 when the directory cannot be read.
private func openDescriptors() -> Int {
    guard let directory = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { count += 1 }
    }
    return count - 1
}

private func currentDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
}

/// `dnsbench soak [--queries N] [--fault-every K] [--concurrency C] [--sample-every S]
/// [--testbed DIR] [--json]`: N asynchronous queries (C outstanding) against the testbed,
/// the protocol changing every 1000 queries (UDP, TCP, DoT, DoH), every K-th query sent to a
/// fault server instead; a sample before the first query, every S queries, and one after
/// everything has closed.
func soakBenchmark(_ options: Options) throws {
    guard openssl_counter_install() == 1 else { throw BenchError("OpenSSL allocated before the counter was installed") }
    let total = try options.integer("queries", default: 1_000_000)
    let faultEvery = try options.integer("fault-every", default: 100)
    let concurrency = try options.integer("concurrency", default: 100)
    let sampleEvery = try options.integer("sample-every", default: 100_000)
    let directory = options.values["testbed"] ?? currentDirectory() + "/.testbed"
    guard let text = try? readTextFile(directory + "/testbed.env") else {
        throw BenchError("no testbed at \(directory): start it with Scripts/testbed/start.sh")
    }
    var testbed: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1)
        if parts.count == 2 { testbed[String(parts[0])] = String(parts[1]) }
    }
    func port(_ key: String) throws -> Int {
        guard let value = testbed[key].flatMap(Int.init) else { throw BenchError("testbed.env has no \(key)") }
        return value
    }
    let faults = try SoakFaultServers()
    let protocols: [DNSComponent.TransportProtocol] = [.udp, .tcp, .tls, .https]
    let goodPorts = [try port("TESTBED_PORT"), try port("TESTBED_PORT"), try port("TESTBED_DOT_PORT"), try port("TESTBED_DOH_PORT")]

    let dns = try DNSComponent()
    try dns.setTimeout(0)
    try dns.config("AsyncQueryTimeout=1")
    try dns.config("RetransmitInterval=300")
    try dns.config("SSLCAFile=\(testbed["TESTBED_CA_FILE"] ?? "")")
    var answered = 0
    var errors: [Int: Int] = [:]
    dns.onResponse = { _ in answered += 1 }
    dns.onError = { errors[$0.errorCode, default: 0] += 1 }

    /// Aims the component at the good server for `kind`, or at a fault server.
    func aim(_ kind: Int, fault: Int?) throws {
        dns.protocol = protocols[kind]
        var port = goodPorts[kind]
        if let fault {
            switch protocols[kind] {
            case .udp: port = Int(fault % 2 == 0 ? faults.silentUDP : faults.refusedUDP)
            default: port = Int([faults.closing, faults.resetting, faults.stalling][fault % 3])
            }
        }
        if protocols[kind] == .https {
            dns.dnsServer = "https://127.0.0.1:\(port)/dns-query"
        } else {
            dns.dnsServer = "127.0.0.1"
            try dns.setDNSPort(port)
        }
    }

    let json = options.flags.contains("json")
    func report(_ sample: SoakSample) {
        print(
            json
                ? sample.json
                : "\(sample.queries) queries: RSS \(sample.rssKB) kB (peak \(sample.peakRSSKB)), \(sample.descriptors) fds, "
                    + "\(sample.opensslAllocations) OpenSSL allocations, heap in use \(sample.heapInUseKB) kB")
        fflush(nil)
    }
    report(SoakSample.now(queries: 0))
    let start = ContinuousClock.now
    var issued = 0
    while issued < total || !dns.idle {
        while issued < total, issued - answered - errors.values.reduce(0, +) < concurrency {
            let kind = (issued / 1000) % protocols.count
            let isFault = issued % faultEvery == faultEvery - 1
            try aim(kind, fault: isFault ? issued / faultEvery : nil)
            try dns.query("www.testbed.test")
            issued += 1
            if issued % sampleEvery == 0 { report(SoakSample.now(queries: issued)) }
        }
        try dns.doEvents()
    }
    let elapsed = start.duration(to: .now)
    try dns.reset()
    usleep(1_200_000)  // the fault servers close their end of stalled connections within a second
    let final = SoakSample.now(queries: issued)
    report(final)
    let codes = errors.keys.sorted().map { "\"\($0)\": \(errors[$0]!)" }.joined(separator: ", ")
    print("{\"answered\": \(answered), \"errors\": {\(codes)}, \"seconds\": \(elapsed.components.seconds)}")
}
