// SPDX-License-Identifier: Apache-2.0
// async-client: resolves names concurrently with DNSClient over a set of servers.
//
//   async-client [--server HOST[:PORT]]... [--protocol udp|tcp|tls|https|dtls] [--type T] [--timeout S]
//                [--config Key=Value]... [--repeat N] [--interval S] [--json] NAME...
//
// Each name is asked in a task of its own over the server set: in the order given until
// their round-trip times are measured, then the fastest first (DNSClient's rule). One
// line per name, in the order given; with --repeat N the names are resolved N times, S
// seconds apart (--interval, default 1), by the one client and its cache, the rounds in
// order. With --json each line is an object with the keys name, server, rttMs, statusCode,
// records, ede, cached, or name and error {code, description}; with DNSSECValidation=True
// also dnssec {status, ede, reason} (a Bogus answer: error 228 with its dnssec object, and
// the exit status 1).

import DNSClient
import DNSComponent
import DNSTransport
import DNSWire
import Foundation

let usage = """
    usage: async-client [--server HOST[:PORT]]... [--protocol udp|tcp|tls|https|dtls] [--type T] [--timeout S]
                        [--config Key=Value]... [--repeat N] [--interval S] [--json] NAME...
      --server    an address ([::1] with a port), a host name, or for https a URL; repeat (or
                  separate with commas) for a set, the fastest asked first
                  (default: every nameserver in /etc/resolv.conf)
      --config    SSLCAFile=F, SSLServerName=N, DNSSECOK=True, EDNSPayloadSize=N (0: no EDNS),
                  DoHMethod=0|1|2, and the cache: CacheSize=N, CacheMaxBytes=N, CacheMaxTTL=S,
                  CacheMinTTL=S, ServeStale=True, StaleMaxAge=S, StaleAnswerTimeout=MS, and DNSSEC
                  validation: DNSSECValidation=True, TrustAnchorFile=F, NegativeTrustAnchors=Z,...,
                  DNSSECReturnBogus=True, DNSSECTrustAD=True, DNSSECMaxValidationsPerRRset=N,
                  DNSSECMaxValidationsPerResponse=N, DNSSECMaxNSEC3Iterations=N, DNSSECClockSkew=S
      --repeat    resolve the names N times (default 1), --interval S seconds apart (default 1)
    """

struct UsageError: Error { let message: String }

struct Arguments {
    var servers: [String] = []
    var transport = "udp"
    var type = RecordType.a
    var timeout = 5
    var configs: [(String, String)] = []
    var json = false
    var rounds = 1
    var interval = 1.0
    var names: [String] = []

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ option: String) throws -> String {
            guard let value = rest.popFirst() else { throw UsageError(message: "\(option) needs a value") }
            return value
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--server": servers.append(try value(argument))
            case "--protocol":
                transport = try value(argument)
                guard ["udp", "tcp", "tls", "https", "dtls"].contains(transport) else { throw UsageError(message: "unknown protocol \(transport)") }
            case "--type":
                let text = try value(argument)
                guard let parsed = RecordType(mnemonic: text) ?? UInt16(text).map(RecordType.init(_:)) else {
                    throw UsageError(message: "unknown type \(text)")
                }
                type = parsed
            case "--timeout":
                guard let seconds = Int(try value(argument)), seconds > 0 else { throw UsageError(message: "--timeout needs seconds > 0") }
                timeout = seconds
            case "--config":
                let setting = try value(argument)
                guard let equals = setting.firstIndex(of: "=") else { throw UsageError(message: "--config needs Key=Value") }
                configs.append((String(setting[..<equals]), String(setting[setting.index(after: equals)...])))
            case "--repeat":
                guard let count = Int(try value(argument)), count > 0 else { throw UsageError(message: "--repeat needs a count > 0") }
                rounds = count
            case "--interval":
                guard let seconds = Double(try value(argument)), seconds >= 0 else { throw UsageError(message: "--interval needs seconds >= 0") }
                interval = seconds
            case "--json": json = true
            case let option where option.hasPrefix("--"): throw UsageError(message: "unknown option \(option)")
            default: names.append(argument)
            }
        }
        guard !names.isEmpty else { throw UsageError(message: "no name to resolve") }
    }
}

/// The client and query settings the arguments ask for.
func setUp(_ arguments: Arguments) throws -> (DNSClient, QueryOptions) {
    var options = QueryOptions()
    options.timeout = .seconds(arguments.timeout)
    var tls = TLSSettings()
    var dohMethod = DoHMethod.post
    var cache = CacheSettings()
    var dnssec = DNSSECSettings()
    var validation = false
    func number(_ value: String, _ key: String) throws -> Int {
        guard let number = Int(value), number >= 0 else { throw UsageError(message: "\(key) needs a number >= 0") }
        return number
    }
    for (key, value) in arguments.configs {
        switch key.lowercased() {
        case "cachesize": cache.maxEntries = try number(value, key)
        case "cachemaxbytes": cache.maxBytes = try number(value, key)
        case "cachemaxttl": cache.maxTTL = UInt32(clamping: try number(value, key))
        case "cacheminttl": cache.minTTL = UInt32(clamping: try number(value, key))
        case "servestale": cache.serveStale = value.lowercased() == "true"
        case "stalemaxage": cache.staleMaxAge = UInt32(clamping: try number(value, key))
        case "staleanswertimeout": cache.staleAnswerTimeout = .milliseconds(try number(value, key))
        case "dnssecvalidation": validation = value.lowercased() == "true"
        case "trustanchorfile":
            do { dnssec.anchors = try TrustAnchors(contentsOfFile: value) } catch { throw UsageError(message: "TrustAnchorFile: \(error)") }
        case "negativetrustanchors":
            do { dnssec.anchors.negativeAnchors = try TrustAnchors.negativeAnchors(parsing: value) } catch {
                throw UsageError(message: "NegativeTrustAnchors: \(error)")
            }
        case "dnssecreturnbogus": dnssec.returnBogus = value.lowercased() == "true"
        case "dnssectrustad": dnssec.trustAD = value.lowercased() == "true"
        case "dnssecmaxvalidationsperrrset": dnssec.limits.verificationsPerRRset = try number(value, key)
        case "dnssecmaxvalidationsperresponse": dnssec.limits.verificationsPerResponse = try number(value, key)
        case "dnssecmaxnsec3iterations": dnssec.limits.nsec3Iterations = try number(value, key)
        case "dnssecclockskew": dnssec.limits.clockSkew = UInt32(clamping: try number(value, key))
        case "sslcafile": tls.caFile = value
        case "sslservername": tls.serverName = value
        case "dnssecok": options.dnssecOK = value.lowercased() == "true"
        case "ednspayloadsize":
            guard let size = UInt16(value) else { throw UsageError(message: "EDNSPayloadSize must be 0-65535") }
            options.ednsPayloadSize = size == 0 ? nil : size
        case "dohmethod":
            guard let method = Int(value).flatMap(DoHMethod.init(rawValue:)) else { throw UsageError(message: "DoHMethod must be 0, 1 or 2") }
            dohMethod = method
        default: throw UsageError(message: "unknown setting \(key)")
        }
    }
    let texts = arguments.servers.isEmpty ? ResolverConfiguration.system().nameservers : arguments.servers
    guard !texts.isEmpty else { throw UsageError(message: "no --server and no nameserver in /etc/resolv.conf") }
    let kind: Route.Kind
    switch arguments.transport {
    case "tcp": kind = .tcp
    case "tls": kind = .tls
    case "dtls":
        var dtls = DTLSSettings()
        dtls.tls = tls
        kind = .dtls(dtls)
    case "https":
        var doh = Route.DoHOptions()
        doh.method = dohMethod
        kind = .https(doh)
    default: kind = .udp(.retryOverTCP)
    }
    var servers: [Nameserver] = []
    for text in texts {
        do {
            servers += try Route(server: text, port: ["tls", "dtls"].contains(arguments.transport) ? 853 : 53, kind: kind, tls: tls).servers
        } catch {
            throw UsageError(message: "bad server \(text): \(error)")
        }
    }
    options.transport = servers[0].transport!
    return (try DNSClient(servers: servers, search: ResolverConfiguration(), cache: cache, dnssec: validation ? dnssec : nil), options)
}

/// One `--json` line: the contract other tools rely on (extend, never rename).
struct Line: Encodable {
    struct Failure: Encodable {
        let code: Int
        let description: String
    }
    let name: String
    var server: String?
    var rttMs: Double?
    var statusCode: Int?
    var records: [String]?
    var ede: [Int]?
    var cached: Bool?
    var error: Failure?
    /// With DNSSECValidation=True: `status`, `ede` (or null) and `reason`.
    var dnssec: ValidationFinding?
}

/// Resolves the names every round; whether an answer failed DNSSEC validation.
func resolve(_ arguments: Arguments) async throws -> Bool {
    let (client, options) = try setUp(arguments)
    var bogus = false
    for round in 0..<arguments.rounds {
        if round > 0 { try await Task.sleep(for: .seconds(arguments.interval)) }
        bogus = try await resolveOnce(arguments, client, options) || bogus
    }
    return bogus
}

/// One round: every name at once, one line each in the order given; whether an answer was Bogus.
func resolveOnce(_ arguments: Arguments, _ client: DNSClient, _ options: QueryOptions) async throws -> Bool {
    let lines = await withTaskGroup(of: (Int, Line).self) { group in
        for (index, name) in arguments.names.enumerated() {
            group.addTask {
                do throws(TransportError) {
                    let response = try await client.query(name, type: arguments.type, options: options)
                    let named = response.cached || response.nameserver.transport?.isHTTPS == true
                    let server = named ? response.nameserver.description : response.server.description
                    let rtt = response.roundTripTime.components
                    return (
                        index,
                        Line(
                            name: name, server: server, rttMs: Double(rtt.seconds) * 1000 + Double(rtt.attoseconds) / 1e15,
                            statusCode: DNSComponent.status(of: response.message).code,
                            records: response.message.answers.map(\.data.description),
                            ede: response.message.extendedErrors.map { Int($0.infoCode) } + (response.dnssec?.ede.map { [Int($0)] } ?? []),
                            cached: response.cached, dnssec: response.dnssec)
                    )
                } catch {
                    let failure = DNSComponentError(error)
                    var line = Line(name: name, error: Line.Failure(code: failure.code, description: failure.message))
                    line.dnssec = error.dnssec
                    line.ede = error.dnssec?.ede.map { [Int($0)] }
                    return (index, line)
                }
            }
        }
        var lines = [Line?](repeating: nil, count: arguments.names.count)
        for await (index, line) in group { lines[index] = line }
        return lines.compactMap { $0 }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    for line in lines {
        if arguments.json {
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
        } else if let error = line.error {
            print("\(line.name)\terror \(error.code): \(error.description)")
        } else {
            let records = line.records ?? []
            print(
                "\(line.name)\t\(line.server ?? "")\t\(String(format: "%.2f", line.rttMs ?? 0)) ms\tstatus \(line.statusCode ?? 0)"
                    + (records.isEmpty ? "" : "\t" + records.joined(separator: ", ")))
        }
    }
    return lines.contains { $0.dnssec?.state == .bogus && $0.error != nil }
}

do {
    if try await resolve(try Arguments(Array(CommandLine.arguments.dropFirst()))) { exit(1) }
} catch let error as UsageError {
    FileHandle.standardError.write(Data("async-client: \(error.message)\n\(usage)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("async-client: \(error)\n".utf8))
    exit(1)
}
