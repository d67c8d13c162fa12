// SPDX-License-Identifier: Apache-2.0
// dnsquery: the IPWorks "DNS Query" sample for DNSComponent — a Type/Field/Value table per query.

import DNSComponent
import DNSWire
import Foundation

let usage = """
    usage: dnsquery [--server S] [--port N] [--protocol udp|tcp|tls|https|dtls] [--type NAME|NUMBER]...
                    [--source answer|authority|additional|all] [--timeout S] [--config Key=Value]... [--json] DOMAIN
    """

struct Arguments {
    var server: String?
    var port: Int?
    var transport = DNSComponent.TransportProtocol.udp
    var types: [DNSComponent.QueryType] = []
    var sources: [DNSComponent.RecordSource] = [.answer]
    var timeout: Int?
    var configs: [String] = []
    var json = false
    var domain = ""

    init(_ list: [String]) throws {
        var rest = list[...]
        func value(_ flag: String) throws -> String {
            guard let value = rest.popFirst() else { throw UsageError("\(flag) needs a value") }
            return value
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--server": server = try value(argument)
            case "--port":
                guard let number = Int(try value(argument)) else { throw UsageError("--port needs a number") }
                port = number
            case "--protocol":
                let name = try value(argument).lowercased()
                guard let match = DNSComponent.TransportProtocol.allCases.first(where: { "\($0)" == name }) else {
                    throw UsageError("unknown protocol \(name)")
                }
                transport = match
            case "--type": types.append(try Self.queryType(try value(argument)))
            case "--source":
                let name = try value(argument).lowercased()
                if name == "all" {
                    sources = DNSComponent.RecordSource.allCases
                } else if let source = DNSComponent.RecordSource.allCases.first(where: { "\($0)" == name }) {
                    sources = [source]
                } else {
                    throw UsageError("unknown source \(name)")
                }
            case "--timeout":
                guard let seconds = Int(try value(argument)) else { throw UsageError("--timeout needs a number") }
                timeout = seconds
            case "--config": configs.append(try value(argument))
            case "--json": json = true
            case "-h", "--help": throw UsageError(nil)
            default:
                guard !argument.hasPrefix("--"), domain.isEmpty else { throw UsageError("unexpected argument \(argument)") }
                domain = argument
            }
        }
        guard !domain.isEmpty else { throw UsageError("DOMAIN is missing") }
        if types.isEmpty { types = [.address] }
    }

    /// A mnemonic (`MX`, `TYPE65280`, `RevLookup`) or a number (the IPWorks QueryType: 100 is RevLookup).
    static func queryType(_ text: String) throws -> DNSComponent.QueryType {
        if let type = DNSComponent.QueryType(mnemonic: text) { return type }
        guard RecordType(mnemonic: text) == .uinfo else { throw UsageError("unknown type \(text)") }
        throw UsageError(
            "cannot query \(text): type 100 (UINFO) is the component's RevLookup query type, a PTR query for an address "
                + "(use --type RevLookup for that)")
    }
}

struct UsageError: Error {
    let message: String?
    init(_ message: String?) { self.message = message }
}

/// The `--json` object: the contract other tools rely on (extend, never rename).
struct QueryOutput: Encodable {
    struct Record: Encodable {
        let section: String
        let domain: String
        let type: Int
        let typeName: String
        let ttl: Int
        let data: String
        let text: String
        let fields: [[String]]
    }

    let domain: String
    let requestId: Int
    let statusCode: Int
    let status: String
    let authoritative: Bool
    let truncated: Bool
    let `protocol`: String
    let records: [Record]
    /// The Extended DNS Error codes of the answer (RFC 8914), and the validator's; empty when
    /// there are none.
    let ede: [Int]
    /// With `--config DNSSECValidation=True`: `status`, `ede` (or null) and `reason`.
    let dnssec: ValidationFinding?
}

/// Runs the queries; the exit status (1 after a Bogus answer printed as JSON).
func run(_ arguments: Arguments) throws -> Int32 {
    let dns = try DNSComponent()
    if let server = arguments.server { dns.dnsServer = server }
    if let port = arguments.port { try dns.setDNSPort(port) }
    if let timeout = arguments.timeout { try dns.setTimeout(timeout) }
    dns.protocol = arguments.transport
    for setting in arguments.configs { try dns.config(setting) }
    var event: DNSComponent.ResponseEvent?
    dns.onResponse = { event = $0 }
    if !arguments.json { print("Type\tField\tValue\n" + String(repeating: "-", count: 40)) }
    var status: Int32 = 0
    for type in arguments.types {
        dns.queryType = type
        event = nil
        let response: (requestId: Int, domain: String, statusCode: Int, description: String, authoritative: Bool)
        do {
            try dns.query(arguments.domain)
            guard let answered = event else { continue }
            response = (answered.requestId, answered.domain, answered.statusCode, answered.description, answered.authoritative)
        } catch let error as DNSComponentError where error.code == ErrorCode.dnssecValidationFailed && arguments.json {
            // A Bogus answer: its verdict, no records, and a nonzero exit status.
            response = (dns.requestId, arguments.domain, error.code, error.message, false)
            status = 1
        }
        var records: [QueryOutput.Record] = []
        for source in arguments.sources {
            dns.recordSource = source
            for index in 0..<dns.recordCount {
                let record = dns.records[index]
                var fields: [[String]] = []
                for field in 0..<(try dns.recordFieldCount(index)) {
                    try dns.setRecordFieldIndex(index, field)
                    fields.append([try dns.recordFieldName(index), try dns.recordFieldValue(index)])
                }
                records.append(
                    QueryOutput.Record(
                        section: "\(source)", domain: try dns.recordDomain(index), type: try dns.recordType(index),
                        typeName: try dns.recordTypeName(index), ttl: try dns.recordTTL(index),
                        data: try dns.recordData(index).map { String(format: "%02x", $0) }.joined(),
                        text: record.data.description, fields: fields))
            }
        }
        if arguments.json {
            let output = QueryOutput(
                domain: response.domain, requestId: response.requestId, statusCode: response.statusCode,
                status: response.description, authoritative: response.authoritative,
                truncated: try dns.config("ResponseTruncated") == "True", protocol: "\(dns.protocol)", records: records,
                ede: (dns.response?.extendedErrors ?? []).map { Int($0.infoCode) } + (dns.dnssecEDE >= 0 ? [dns.dnssecEDE] : []),
                dnssec: dns.dnssecStatus.isEmpty
                    ? nil
                    : ValidationFinding(
                        ValidationState(rawValue: dns.dnssecStatus)!, ede: dns.dnssecEDE >= 0 ? UInt16(dns.dnssecEDE) : nil, dns.dnssecReason))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        } else if records.isEmpty {
            print("\(type)\t\t\(response.description)")
        } else {
            for record in records {
                for (index, field) in record.fields.enumerated() {
                    print("\(index == 0 ? record.typeName : "")\t\(field[0])\t\(field[1])")
                }
            }
        }
    }
    return status
}

do {
    exit(try run(Arguments(Array(CommandLine.arguments.dropFirst()))))
} catch let error as UsageError {
    FileHandle.standardError.write(Data(((error.message.map { "dnsquery: \($0)\n" } ?? "") + usage + "\n").utf8))
    exit(2)
} catch let error as DNSComponentError {
    FileHandle.standardError.write(Data("Error: \(error.code) [\(error.message)]\n".utf8))
    exit(1)
}
