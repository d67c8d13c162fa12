// Writes the seed corpora for the fuzz targets:
//
//   Corpus/FuzzMessage/       Tests/DNSWireTests/Fixtures/messages/*.hex (as binary),
//                             Benchmarks/data/typical-response.bin, queries built with
//                             DNSMessage.query(name:type:id:), and one response per record
//                             type from Scripts/fixtures/records.zone;
//   Corpus/FuzzPresentation/  one file per RDATA text (records.json vectors and the zone's
//                             records): a type-index octet, then the text;
//   Corpus/FuzzName/          names in presentation and wire form.
//
// Usage: MakeSeeds <package root> <FuzzTesting directory>

import DNSWire
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: MakeSeeds <package root> <FuzzTesting directory>\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[1])
let fuzzDirectory = URL(fileURLWithPath: arguments[2])
let fileManager = FileManager.default

/// The list FuzzPresentation's first octet indexes (keep in step with its main.swift).
let fuzzTypes: [RecordType] = RecordCatalog.knownTypes + [RecordType(65280)]

func corpus(_ target: String) -> URL {
    let url = fuzzDirectory.appendingPathComponent("Corpus").appendingPathComponent(target)
    try? fileManager.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

nonisolated(unsafe) var written: [String: Int] = [:]

func write(_ bytes: [UInt8], _ target: String, _ name: String) {
    let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    let url = corpus(target).appendingPathComponent(safe)
    do {
        try Data(bytes).write(to: url)
        written[target, default: 0] += 1
    } catch {
        print("cannot write \(url.path): \(error)")
    }
}

func warn(_ text: String) { print("warning: \(text)") }

// MARK: - Zone file

struct ZoneRecord {
    var owner: DomainName
    var type: RecordType
    var text: String
}

/// Cuts a `;` comment outside quotes and counts unbalanced parentheses.
func stripComment(_ line: String) -> (String, Int) {
    var out: [UInt8] = []
    var quoted = false
    var escaped = false
    var depth = 0
    for octet in line.utf8 {
        if escaped {
            escaped = false
        } else if octet == UInt8(ascii: "\\") {
            escaped = true
        } else if octet == UInt8(ascii: "\"") {
            quoted.toggle()
        } else if !quoted, octet == UInt8(ascii: ";") {
            break
        } else if !quoted, octet == UInt8(ascii: "(") {
            depth += 1
        } else if !quoted, octet == UInt8(ascii: ")") {
            depth -= 1
        }
        out.append(octet)
    }
    return (String(decoding: out, as: UTF8.self), depth)
}

func readZone(_ url: URL) -> [ZoneRecord] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    var records: [ZoneRecord] = []
    var origin = DomainName.root
    var owner = DomainName.root
    var pending = ""
    var depth = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let (line, delta) = stripComment(String(rawLine))
        pending += pending.isEmpty ? line : " " + line
        depth += delta
        guard depth <= 0 else { continue }
        let entry = pending
        pending = ""
        depth = 0
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
        if entry.hasPrefix("$ORIGIN") {
            let name = entry.dropFirst(7).trimmingCharacters(in: .whitespaces)
            origin = (try? DomainName(name)) ?? origin
            continue
        }
        if entry.hasPrefix("$") { continue }
        var rest = Substring(entry)
        func nextToken() -> Substring? {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            guard !rest.isEmpty else { return nil }
            let token = rest.prefix(while: { $0 != " " && $0 != "\t" })
            rest = rest.dropFirst(token.count)
            return token
        }
        if let first = entry.first, first != " ", first != "\t" {
            guard let token = nextToken() else { continue }
            if token == "@" {
                owner = origin
            } else if let name = try? DomainName(String(token), origin: origin) {
                owner = name
            } else {
                warn("bad owner \(token)")
                continue
            }
        }
        var type: RecordType? = nil
        while type == nil, let token = nextToken() {
            if token.allSatisfy(\.isNumber) || RecordClass(mnemonic: String(token)) != nil { continue }
            type = RecordType(mnemonic: String(token))
            if type == nil { warn("bad type \(token) in \(entry)") }
        }
        guard let type else { continue }
        records.append(ZoneRecord(owner: owner, type: type, text: rest.trimmingCharacters(in: .whitespaces)))
    }
    return records
}

// MARK: - FuzzPresentation seeds

func typeIndex(_ type: RecordType) -> UInt8 {
    UInt8(fuzzTypes.firstIndex(of: type) ?? fuzzTypes.count - 1)
}

func presentationSeed(_ type: RecordType, _ text: String, _ name: String) {
    write([typeIndex(type)] + Array(text.utf8), "FuzzPresentation", name)
}

/// Finds `{"type": …, "text": …}` objects anywhere in records.json.
func jsonVectors(_ value: Any, into vectors: inout [(RecordType, String)]) {
    if let object = value as? [String: Any] {
        if let text = object["text"] as? String {
            var type: RecordType? = nil
            if let name = object["type"] as? String { type = RecordType(mnemonic: name) }
            if let number = object["type"] as? Int, let code = UInt16(exactly: number) { type = RecordType(code) }
            if let type {
                vectors.append((type, text))
                // The zone-file spelling, when the vector keeps one that differs.
                if let zone = object["zone"] as? String, zone != text { vectors.append((type, zone)) }
            }
        }
        for item in object.values { jsonVectors(item, into: &vectors) }
    } else if let array = value as? [Any] {
        for item in array { jsonVectors(item, into: &vectors) }
    }
}

let zone = readZone(root.appendingPathComponent("Scripts/fixtures/records.zone"))
var parsed: [DNSRecord] = []
var perType: [RecordType: Int] = [:]
for record in zone {
    let number = perType[record.type, default: 0] + 1
    perType[record.type] = number
    presentationSeed(record.type, record.text, "zone-\(record.type)-\(number)")
    let data: RecordData
    do {
        data = try RecordData(type: record.type, presentation: record.text)
    } catch {
        print("zone record does not parse (kept as a seed): \(record.type) \(record.text): \(error)")
        continue
    }
    if data.description != record.text {
        presentationSeed(record.type, data.description, "printed-\(record.type)-\(number)")
    }
    parsed.append(DNSRecord(name: record.owner, ttl: 3600, data: data))
}
print("records.zone: \(zone.count) records, \(parsed.count) parse")

let jsonURL = root.appendingPathComponent("Tests/DNSWireTests/Fixtures/records.json")
if let json = try? Data(contentsOf: jsonURL), let object = try? JSONSerialization.jsonObject(with: json) {
    var vectors: [(RecordType, String)] = []
    jsonVectors(object, into: &vectors)
    for (index, (type, text)) in vectors.enumerated() { presentationSeed(type, text, "json-\(type)-\(index)") }
    print("records.json: \(vectors.count) vectors")
} else {
    print("records.json: not found")
}
// A few texts the zone does not have: generic RDATA, and SVCB escapes.
presentationSeed(RecordType(65280), "\\# 4 0A000001", "generic-TYPE65280")
presentationSeed(.a, "\\# 4 C0000201", "generic-A")
presentationSeed(.https, "1 . alpn=\"h2,h3\\\\,x\" ech=AEj+DQ== ipv6hint=::1,::ffff:192.0.2.1 key65000=\"a\\\\b\"", "svcb-escapes")

// MARK: - FuzzMessage seeds

let messagesURL = root.appendingPathComponent("Tests/DNSWireTests/Fixtures/messages")
if let files = try? fileManager.contentsOfDirectory(atPath: messagesURL.path) {
    for file in files.sorted() where file.hasSuffix(".hex") {
        guard let text = try? String(contentsOf: messagesURL.appendingPathComponent(file), encoding: .utf8) else { continue }
        let digits = text.split(separator: "\n").map { line in
            line.prefix(while: { $0 != "#" && $0 != ";" })
        }.joined().filter { !$0.isWhitespace }
        guard digits.count % 2 == 0, let bytes = decodeHex(digits) else {
            warn("\(file) is not hex")
            continue
        }
        write(bytes, "FuzzMessage", "fixture-" + file.dropLast(4))
    }
} else {
    print("Fixtures/messages: not found")
}

func decodeHex(_ text: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
        bytes.append(byte)
        index = next
    }
    return bytes
}

for path in ["Benchmarks/data/typical-response.bin"] {
    if let data = try? Data(contentsOf: root.appendingPathComponent(path)) {
        write(Array(data), "FuzzMessage", "bench-" + (path as NSString).lastPathComponent)
    }
}

func message(_ value: DNSMessage, _ name: String, compression: Bool = true) {
    do {
        write(try value.serialize(compression: compression), "FuzzMessage", name)
    } catch {
        warn("\(name): \(error)")
    }
}

let www = try! DomainName("www.example.org")
for type in [RecordType.a, .aaaa, .mx, .txt, .https, .any, .soa, RecordType(65280)] {
    message(DNSMessage.query(name: www, type: type, id: 0x1234), "query-\(type)")
}
message(DNSMessage.query(name: try! DomainName("example.org"), type: .ns, id: 1, recursionDesired: false, edns: nil), "query-plain")
var options = EDNS(udpPayloadSize: 4096, dnssecOK: true)
options.options = [
    .nsid([]), .cookie(client: Array(1...8), server: Array(9...24)), .tcpKeepalive(timeout: 600),
    .clientSubnet(ClientSubnet(address: [192, 0, 2, 77], sourcePrefixLength: 24)),
    .extendedError(ExtendedDNSError(infoCode: 18, extraText: "blocked")), .padding(12),
    .unknown(code: EDNSOptionCode(rawValue: 65001), data: [1, 2, 3]),
]
message(DNSMessage.query(name: www, type: .a, id: 0xBEEF, edns: options), "query-edns-options")

// One response per record type in the zone, with an SOA in authority and EDNS.
let soa = parsed.first { $0.type == .soa }
var types: [RecordType] = []
for record in parsed where !types.contains(record.type) { types.append(record.type) }
for type in types {
    let answers = parsed.filter { $0.type == type }
    var response = DNSMessage(
        header: DNSHeader(id: 0x4242, flags: [.qr, .aa, .rd, .ra]),
        questions: [DNSQuestion(name: answers[0].name, type: type)], answers: answers,
        authorities: soa.map { [$0] } ?? [], edns: EDNS(dnssecOK: true))
    message(response, "response-\(type)")
    if type == .svcb || type == .txt || type == .loc {
        response.edns = nil
        message(response, "response-\(type)-uncompressed", compression: false)
    }
}
// Extended RCODE through EDNS, and a TSIG record that must stay last.
if let tsig = try? RecordData(type: .tsig, presentation: "hmac-sha256. 1700000000 300 4 AAECAw== 4660 NOERROR 0") {
    let response = DNSMessage(
        header: DNSHeader(id: 4660, flags: [.qr]), responseCode: .badVers,
        questions: [DNSQuestion(name: www, type: .a)],
        additionals: [DNSRecord(name: try! DomainName("key.example.org"), recordClass: .any, ttl: 0, data: tsig)], edns: EDNS())
    message(response, "response-badvers-tsig")
}

// MARK: - FuzzName seeds

let names = [
    "www.example.org.", "www.example.org", ".", "a\\.b.example.org.", "\\032space.\\200byte.", "q\\\"uote\\;\\@\\$\\\\.",
    "MiXeD.CaSe.Example.ORG", "xn--bcher-kva.example.", "_sip._udp.example.org.",
    String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 63) + ".",
]
for (index, name) in names.enumerated() { write(Array(name.utf8), "FuzzName", "text-\(index)") }
// Wire: a name, then one that points back at it, then one that points at the pointer's target.
var wireNames = try! DomainName("www.example.org").wire
wireNames += [3] + Array("ftp".utf8) + [0xC0, 4]
wireNames += [0xC0, 0]
write(wireNames, "FuzzName", "wire-compressed")
write(DomainName.root.wire, "FuzzName", "wire-root")

for (target, count) in written.sorted(by: { $0.key < $1.key }) { print("\(target): \(count) files") }
