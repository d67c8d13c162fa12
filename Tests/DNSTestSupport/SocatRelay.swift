// SPDX-License-Identifier: Apache-2.0
// A private socat, a DNS-over-DTLS server or a plain UDP relay in front of the testbed's BIND, for one test.

import Foundation
import Glibc

/// A socat process relaying to the testbed's BIND on a free loopback port, started for one test and stopped by pid.
///
/// `.dtls` is a DNS-over-DTLS server (RFC 8094: DTLS 1.2, one DNS message per record) with the
/// given certificate and key, no client certificate asked for, that passes each record on to
/// 127.0.0.1:`upstreamPort` as one UDP datagram and each reply back as one record; `.udp` relays
/// plain datagrams. Both listen on 127.0.0.1 only, with socat's `fork`: the first datagram from
/// a new client address and port gets a child socat of its own, so sessions may follow one another
/// (each from a new source port) and several may run at once, though handshakes started at the
/// same instant can wait for a ClientHello retransmission. A child ends on close_notify, or after
/// `inactivity` seconds of silence (a DTLS child sends close_notify then). ``stop()`` ends socat
/// and every child it forked, so a relay started again on the same ``port`` knows no session.
/// Scripts/testbed/README.md tells what socat does and does not do.
///
/// ```swift
/// let relay = try SocatRelay(.dtls(certificate: tls + "/server.crt", key: tls + "/server.key"), upstreamPort: try Testbed.port())
/// defer { relay.stop() }
/// // … query 127.0.0.1:relay.port over DTLS …
/// relay.stop()  // a server restart: every session forgotten
/// let again = try SocatRelay(relay.kind, upstreamPort: try Testbed.port(), port: relay.port)
/// defer { again.stop() }
/// ```
final class SocatRelay {
    enum Kind: Sendable {
        case dtls(certificate: String, key: String)
        case udp
    }

    enum Failure: Error, CustomStringConvertible {
        /// No `socat` executable in PATH.
        case socatMissing
        /// socat could not be started, or exited before binding its port; with what it said.
        case didNotStart(String)

        var description: String {
            switch self {
            case .socatMissing:
                "socat not found in PATH: install the Debian package socat (Scripts/testbed/start.sh installs it)"
            case .didNotStart(let output):
                "socat did not start: \(output.isEmpty ? "no output" : output)"
            }
        }
    }

    let kind: Kind
    /// The UDP port socat listens on, on 127.0.0.1.
    let port: UInt16
    let pid: pid_t
    private let process: Process
    /// socat's output (and its children's), removed by ``stop()``.
    private let logPath: String
    private var stopped = false

    /// Starts socat and waits (up to 5 s) until it has bound its port.
    /// - Parameters:
    ///   - upstreamPort: where the datagrams go, on 127.0.0.1 (the testbed's `TESTBED_PORT`).
    ///   - inactivity: socat's `-T`: seconds of silence after which a client's child ends.
    ///   - requested: a port to listen on (e.g. that of a relay just stopped, to restart it);
    ///     nil picks a free one as ``ReservedPort`` does (and tries another when it is taken meanwhile).
    /// - Throws: ``Failure/socatMissing`` without socat; ``Failure/didNotStart(_:)`` when socat
    ///   exits or does not bind its port in time.
    init(_ kind: Kind, upstreamPort: Int, inactivity: Int = 30, port requested: UInt16? = nil) throws {
        guard let socat = Self.executable("socat") else { throw Failure.socatMissing }
        var output = ""
        for _ in 0..<(requested == nil ? 5 : 1) {
            let port = try requested ?? ReservedPort().port  // the kernel's pick, released again for socat
            // socat binds with SO_REUSEADDR (its children keep the port), so it would share a taken port.
            guard Self.listeners(on: port).isEmpty else {
                output = "127.0.0.1:\(port) is taken: a UDP socket is bound to it"
                if requested == nil { continue } else { break }
            }
            let logPath = FileManager.default.temporaryDirectory
                .appendingPathComponent("socat-relay-\(getpid())-\(port)-\(UUID().uuidString).log").path
            guard FileManager.default.createFile(atPath: logPath, contents: nil), let log = FileHandle(forWritingAtPath: logPath) else {
                throw Failure.didNotStart("cannot create \(logPath)")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: socat)
            process.arguments = ["-d", "-d", "-T", String(inactivity), Self.listenAddress(kind, port: port), "UDP:127.0.0.1:\(upstreamPort)"]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = log
            process.standardError = log
            do {
                try process.run()
            } catch {
                try? log.close()
                try? FileManager.default.removeItem(atPath: logPath)
                throw Failure.didNotStart("\(socat): \(error)")
            }
            try? log.close()
            if Self.waitUntilBound(process, port: port) {
                (self.kind, self.port, self.pid, self.process, self.logPath) = (kind, port, process.processIdentifier, process, logPath)
                return
            }
            Self.end(process)
            output = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            try? FileManager.default.removeItem(atPath: logPath)
            guard output.contains("Address already in use") else { break }
        }
        throw Failure.didNotStart(output)
    }

    deinit {
        stop()
    }

    /// Ends socat and the children it forked: SIGTERM, then SIGKILL to those left after 2 s,
    /// and waits until socat is reaped. Calling it again does nothing.
    func stop() {
        guard !stopped else { return }
        stopped = true
        Self.end(process)
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// What socat has written so far (notices for every client, warnings, errors).
    var output: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    private static func listenAddress(_ kind: Kind, port: UInt16) -> String {
        switch kind {
        case .dtls(let certificate, let key):
            "OPENSSL-DTLS-SERVER:\(port),bind=127.0.0.1,fork,cert=\(certificate),key=\(key),verify=0"
        case .udp:
            "UDP-LISTEN:\(port),bind=127.0.0.1,fork"
        }
    }

    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":") + ["/usr/bin"]).map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether socat itself holds a UDP socket bound to `port`, polled for up to 5 s while it runs.
    private static func waitUntilBound(_ process: Process, port: UInt16) -> Bool {
        for _ in 0..<500 {
            guard process.isRunning else { return false }
            if !listeners(on: port).isDisjoint(with: socketInodes(of: process.processIdentifier)) { return true }
            usleep(10_000)
        }
        return false
    }

    /// The inodes of the unconnected UDP sockets (IPv4 or IPv6) bound to `port`, from /proc/net.
    private static func listeners(on port: UInt16) -> Set<String> {
        let suffix = ":" + String(format: "%04X", port)
        var inodes: Set<String> = []
        for table in ["/proc/net/udp", "/proc/net/udp6"] {
            // Read to the end: String(contentsOfFile:) stops after the first 4 KB of a /proc file.
            guard let file = FileHandle(forReadingAtPath: table) else { continue }
            defer { try? file.close() }
            let text = String(decoding: (try? file.readToEnd()) ?? Data(), as: UTF8.self)
            for line in text.split(separator: "\n").dropFirst() {
                // sl, local address:port, remote address:port (zero when unconnected), st, …, inode (10th)
                let fields = line.split(separator: " ")
                if fields.count > 9, fields[1].hasSuffix(suffix), fields[2].allSatisfy({ $0 == "0" || $0 == ":" }) {
                    inodes.insert(String(fields[9]))
                }
            }
        }
        return inodes
    }

    /// The inodes of the sockets `pid` has open.
    private static func socketInodes(of pid: pid_t) -> Set<String> {
        let directory = "/proc/\(pid)/fd"
        let links = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(
            links.compactMap { name -> String? in
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + name),
                    target.hasPrefix("socket:[")
                else { return nil }
                return String(target.dropFirst(8).dropLast())
            })
    }

    /// The parent and process group of `pid`, from /proc/PID/stat.
    private static func parentAndGroup(of pid: pid_t) -> (parent: pid_t, group: pid_t)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: end)...].split(separator: " ")  // state, ppid, pgrp, …
        guard fields.count > 2, let parent = pid_t(fields[1]), let group = pid_t(fields[2]) else { return nil }
        return (parent, group)
    }

    /// SIGTERM to socat and the children it forked, SIGKILL after 2 s, until Foundation has reaped
    /// socat. Process spawns socat as the leader of a process group of its own, which its children
    /// join, so the group is signalled (orphans included); otherwise socat is stopped (SIGSTOP) so
    /// it forks no more while its children are found by parent pid.
    private static func end(_ process: Process) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        let leadsGroup = parentAndGroup(of: pid)?.group == pid
        var children: [pid_t] = []
        if !leadsGroup {
            kill(pid, SIGSTOP)
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            children = entries.compactMap { pid_t($0) }.filter { parentAndGroup(of: $0)?.parent == pid }
        }
        func send(_ number: Int32) {
            if leadsGroup {
                kill(-pid, number)
            } else {
                for child in children { kill(child, number) }
                kill(pid, number)
                kill(pid, SIGCONT)
            }
        }
        // Children blocked in OpenSSL may ignore SIGTERM; they hold the descriptor by which
        // Process notices socat's end, so it stays "running" until they are gone as well.
        send(SIGTERM)
        if !waitForExit(process, seconds: 2) {
            send(SIGKILL)
            _ = waitForExit(process, seconds: 5)
        }
    }

    private static func waitForExit(_ process: Process, seconds: Int) -> Bool {
        for _ in 0..<(seconds * 100) {
            if !process.isRunning { return true }
            usleep(10_000)
        }
        return !process.isRunning
    }
}
