// SPDX-License-Identifier: Apache-2.0
// Dynamic UPDATE messages against dnspython's (Fixtures/update/vectors.json, written by
// Scripts/fixtures/generate-update-fixtures.sh), and nsupdate commands read as nsupdate does.

import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

/// One vector: an update dnspython wrote, the nsupdate commands that say the same, and the
/// record lines nsupdate's `show` printed for them.
struct UpdateVector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let covers: String
    let nsupdate: String
    let wire: String
    let nsupdateShow: [String]

    var testDescription: String { "\(name): \(covers)" }

    private struct File: Decodable {
        let id: UInt16
        let vectors: [UpdateVector]
    }

    private static let file: File? = try? JSONDecoder().decode(File.self, from: Data(contentsOf: fixtureURL("update/vectors.json")))
    static let all: [UpdateVector] = file?.vectors ?? []
    static let messageID: UInt16 = file?.id ?? 0
}

@Suite struct UpdateTests {
    private func name(_ text: String) throws -> DomainName { try DomainName(text) }
    private func data(_ type: RecordType, _ text: String) throws -> RecordData { try RecordData(type: type, presentation: text) }

    /// The update of each vector, built with the typed API.
    private func built(_ vector: String) throws -> DNSUpdate? {
        let www = try name("www.example.org.")
        var update = DNSUpdate(zone: try name("example.org"))
        switch vector {
        case "add-a":
            update.add(www, ttl: 300, try data(.a, "192.0.2.1"))
        case "add-rrset":
            update.add(DNSRecord(name: www, ttl: 300, data: try data(.a, "192.0.2.1")))
            update.add(DNSRecord(name: www, ttl: 300, data: try data(.a, "192.0.2.2")))
            update.add(www, ttl: 300, try data(.aaaa, "2001:db8::1"))
        case "add-types":
            update.add(try name("example.org."), ttl: 3600, try data(.mx, "10 mail.example.org."))
            update.add(try name("txt.example.org."), ttl: 60, try data(.txt, #""hello world" "say \"hi\"" plain"#))
            update.add(try name("_sip._tcp.example.org."), ttl: 60, try data(.srv, "10 20 5060 sip.example.net."))
            update.add(try name("example.org."), ttl: 3600, try data(.caa, #"0 issue "ca.example.net""#))
            update.add(try name("sub.example.org."), ttl: 86400, try data(.ns, "ns1.sub.example.org."))
            update.add(try name("alias.example.org."), ttl: 60, try data(.cname, "www.example.org."))
        case "delete-rrset":
            update.delete(.rrset(try name("old.example.org."), .a))
        case "delete-name":
            update.delete(.allRRsets(try name("old.example.org.")))
        case "delete-record":
            update.delete(.record(www, try data(.a, "192.0.2.1")))
            update.delete(.record(www, try data(.mx, "20 backup.example.org.")))
        case "prereq-rrset-exists":
            update.require(.rrsetExists(www, .a))
        case "prereq-rrset-matches":
            update.require(.rrsetMatches(www, [try data(.a, "192.0.2.1"), try data(.a, "192.0.2.2")]))
        case "prereq-rrset-absent":
            update.require(.rrsetDoesNotExist(www, .aaaa))
        case "prereq-name-in-use":
            update.require(.nameInUse(www))
        case "prereq-name-not-in-use":
            update.require(.nameNotInUse(try name("new.example.org.")))
        case "everything":
            update.require(.nameInUse(www))
            update.require(.nameNotInUse(try name("new.example.org.")))
            update.require(.rrsetExists(www, .a))
            update.require(.rrsetMatches(try name("mail.example.org."), [try data(.a, "192.0.2.25")]))
            update.require(.rrsetDoesNotExist(www, .txt))
            update.delete(.allRRsets(try name("old.example.org.")))
            update.delete(.rrset(www, .aaaa))
            update.delete(.record(www, try data(.a, "192.0.2.1")))
            update.add(www, ttl: 300, try data(.a, "192.0.2.3"))
            update.add(try name("new.example.org."), ttl: 300, try data(.txt, #""v=spf1 -all""#))
        case "class-ch":
            update = DNSUpdate(zone: try name("example.org."), zoneClass: .chaos)
            update.add(try name("version.example.org."), ttl: 0, try data(.txt, #""1.0""#))
            update.require(.rrsetExists(try name("version.example.org."), .txt))
        default:
            return nil
        }
        return update
    }

    @Test func theVectorsAreThere() {
        #expect(UpdateVector.all.count >= 13)
        #expect(UpdateVector.messageID == 0x1234)
    }

    @Test(arguments: UpdateVector.all)
    func theBuilderWritesWhatDnspythonWrites(_ vector: UpdateVector) throws {
        let update = try #require(try built(vector.name), "no builder for \(vector.name)")
        #expect(hexString(try update.message(id: UpdateVector.messageID).serialize()) == vector.wire)
    }

    @Test(arguments: UpdateVector.all)
    func nsupdateCommandsReadToTheSameMessage(_ vector: UpdateVector) throws {
        let update = try DNSUpdate(nsupdate: vector.nsupdate)
        #expect(hexString(try update.message(id: UpdateVector.messageID).serialize()) == vector.wire)
        #expect(update == (try built(vector.name)))
    }

    @Test(arguments: UpdateVector.all)
    func dnspythonsMessagesParseBack(_ vector: UpdateVector) throws {
        let message = try UpdateMessage(wire: hex(vector.wire))
        #expect(message.id == UpdateVector.messageID)
        #expect(message.header.opcode == .update)
        #expect(hexString(try message.serialize()) == vector.wire)
        let update = try #require(try built(vector.name))
        #expect(message == update.message(id: UpdateVector.messageID))
    }

    @Test(arguments: UpdateVector.all)
    func messagesPrintAsNsupdateShowsThem(_ vector: UpdateVector) throws {
        let message = try DNSUpdate(nsupdate: vector.nsupdate).message(id: 0)
        let lines = message.description.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix(";;") }
        #expect(lines == vector.nsupdateShow)
    }

    @Test func eachKindHasItsClassTTLAndRDATA() throws {
        let www = try name("www.example.org.")
        let address = try data(.a, "192.0.2.1")
        var update = DNSUpdate(zone: try name("example.org."))
        update.require(.rrsetExists(www, .a))
        update.require(.rrsetMatches(www, [address]))
        update.require(.rrsetDoesNotExist(www, .a))
        update.require(.nameInUse(www))
        update.require(.nameNotInUse(www))
        update.add(DNSRecord(name: www, recordClass: .chaos, ttl: 300, data: address))
        update.delete(.rrset(www, .a))
        update.delete(.allRRsets(www))
        update.delete(.record(www, address))
        let expected: [(RecordClass, RecordType, UInt32, RecordData?)] = [
            (.any, .a, 0, nil), (.in, .a, 0, address), (.none, .a, 0, nil), (.any, .any, 0, nil), (.none, .any, 0, nil),
            (.in, .a, 300, address), (.any, .a, 0, nil), (.any, .any, 0, nil), (.none, .a, 0, address),
        ]
        let records = update.prerequisites + update.updates
        #expect(records.count == expected.count)
        for (record, (recordClass, type, ttl, data)) in zip(records, expected) {
            #expect(record.name == www && record.recordClass == recordClass && record.type == type && record.ttl == ttl && record.data == data)
        }
        let message = update.message(id: 1)
        #expect(message.zone == DNSQuestion(name: try name("example.org."), type: .soa))
        #expect(message.header.opcode == .update && message.header.flags.isEmpty)
        #expect(try UpdateMessage(wire: message.serialize()) == message)
    }

    /// DNSMessage cannot carry empty RDATA of a type that has data, which is why UpdateMessage exists.
    @Test func emptyRDATANeedsUpdateMessage() throws {
        let wire = try DNSUpdate(nsupdate: "zone example.org.\ndelete www.example.org. A").message(id: 1).serialize()
        #expect(throws: WireFormatError.self) { try DNSMessage(wire: wire) }
        let record = try #require(try UpdateMessage(wire: wire).updates.first)
        #expect(record.data == nil && record.record == nil && record.type == .a)
    }

    @Test func additionalRecordsEDNSAndTSIGRoundTrip() throws {
        var message = try DNSUpdate(nsupdate: "zone example.org.\nadd www.example.org. 60 A 192.0.2.1").message(id: 77)
        message.additionals = [
            DNSRecord(name: try name("ns.example.org."), ttl: 60, data: try data(.a, "192.0.2.53")),
            DNSRecord(
                name: try name("tsigkey."), recordClass: .any, ttl: 0,
                data: try data(.tsig, "hmac-sha256. 1796008895 300 32 RvY+OeDuwqZYXGRghRvUULTQ2ZcGWq7r/RLt2JZgA4g= 77 NOERROR 0")),
        ]
        message.edns = EDNS(udpPayloadSize: 1232)
        let wire = try message.serialize()
        let again = try UpdateMessage(wire: wire)
        #expect(again == message)
        #expect(again.additionals.last?.type == .tsig)
        // The OPT record sits before TSIG, which stays last.
        let plain = try DNSMessage(wire: wire)
        #expect(plain.edns == message.edns && plain.additionals.last?.type == .tsig)
    }

    @Test func responsesWithoutSectionsParse() throws {
        var response = UpdateMessage(id: 9, zone: nil)
        response.header.flags = [.qr]
        response.responseCode = .yxDomain
        let wire = try response.serialize()
        #expect(try UpdateMessage(wire: wire) == response)
        let plain = try DNSMessage(wire: wire)
        #expect(plain.responseCode == .yxDomain && plain.header.opcode == .update && plain.questions.isEmpty)
        #expect(response.description.hasPrefix(";; ->>HEADER<<- opcode: UPDATE, status: YXDOMAIN, id: 9"))
    }

    @Test func otherMessagesAreRefused() throws {
        let query = try DNSMessage.query(name: name("example.org."), type: .soa, id: 1, edns: nil).serialize()
        #expect(throws: WireFormatError(.invalidField)) { try UpdateMessage(wire: query) }
        var twoZones = try DNSUpdate(zone: name("example.org.")).message(id: 1).serialize()
        twoZones[5] = 2
        twoZones += twoZones[12...]
        #expect(throws: WireFormatError(.invalidField)) { try UpdateMessage(wire: twoZones) }
        var trailing = try DNSUpdate(zone: name("example.org.")).message(id: 1).serialize()
        trailing.append(0)
        #expect(throws: WireFormatError(.trailingMessageData)) { try UpdateMessage(wire: trailing) }
    }

    // MARK: - nsupdate commands

    @Test func namesWithoutATrailingDotAreRelativeToTheRoot() throws {
        let error = #expect(throws: UpdateScriptError.self) { try DNSUpdate(nsupdate: "zone example.org\nupdate add www 300 A 192.0.2.1\n") }
        #expect(
            error?.description
                == "line 2: www. is not in the zone example.org. (a name without a trailing dot is relative to the root, as in nsupdate)")
        // Without a trailing dot, names are absolute all the same, in RDATA too.
        let update = try DNSUpdate(nsupdate: "add www.example.org 300 MX 10 mail\n", zone: name("example.org"))
        #expect(update.updates.first?.name == (try name("www.example.org.")))
        #expect(update.updates.first?.data == (try data(.mx, "10 mail.")))
        #expect(#expect(throws: UpdateScriptError.self) { try DNSUpdate(nsupdate: "zone example.org\ndel @") }?.line == 2)
    }

    @Test func commandsCommentsAndDefaults() throws {
        let script = """
            ; a comment
            # another

            zone example.org.
            ttl 600
            UPDATE ADD a.example.org. A 192.0.2.1
            add b.example.org. 30 IN TXT unquoted;semicolon "and quoted"
            ttl none
            delete c.example.org. 300 IN A 192.0.2.3
            del d.example.org. ANY
            update del e.example.org. IN
            prereq yxrrset f.example.org. IN A
            show
            answer
            send
            ; done
            quit
            this is not read
            """
        let update = try DNSUpdate(nsupdate: script)
        var expected = DNSUpdate(zone: try name("example.org."))
        expected.add(try name("a.example.org."), ttl: 600, try data(.a, "192.0.2.1"))
        expected.add(try name("b.example.org."), ttl: 30, try data(.txt, #""unquoted;semicolon" "and quoted""#))
        expected.delete(.record(try name("c.example.org."), try data(.a, "192.0.2.3")))
        expected.delete(.allRRsets(try name("d.example.org.")))
        expected.delete(.allRRsets(try name("e.example.org.")))
        expected.require(.rrsetExists(try name("f.example.org."), .a))
        #expect(update == expected)
        // The last zone command counts; lines may end with CR LF.
        let crlf = try DNSUpdate(nsupdate: "zone example.net.\r\nzone example.org.\r\nadd a.example.org. 1 A 192.0.2.1\r\n")
        #expect(crlf.zone == (try name("example.org.")) && crlf.updates.count == 1)
    }

    @Test(arguments: [
        ("add a.example.org. A 192.0.2.1", 2, "TTL 'A' is not a number"),
        ("add a.example.org. 2147483648 A 192.0.2.1", 2, "TTL '2147483648' is out of range (0 to 2147483647)"),
        ("add a.example.org. 60 CH TXT x", 2, "class CH is not the zone's class, IN"),
        ("add a.example.org. 60 A 192.0.2", 2, "bad A RDATA '192.0.2'"),
        ("add a.example.org. 60 A", 2, "A RDATA is missing"),
        ("add a.example.org. 60 BOGUS 1", 2, "'BOGUS' is not a record type"),
        ("add a.example.org. 60 ANY \\# 0", 2, "ANY is a meta type, which cannot be added"),
        ("add a..example.org. 60 A 192.0.2.1", 2, "'a..example.org.' is not a domain name"),
        ("delete a.example.org. ANY 192.0.2.1", 2, "type ANY takes no RDATA"),
        ("delete", 2, "owner name is missing"),
        ("prereq nxdomain a.example.org. extra", 2, "unexpected 'extra'"),
        ("prereq nxrrset a.example.org. A 192.0.2.1", 2, "unexpected '192.0.2.1'"),
        ("prereq maybe a.example.org.", 2, "incorrect prerequisite 'maybe'"),
        ("update replace a.example.org. 1 A 192.0.2.1", 2, "incorrect operation 'replace'"),
        ("server 192.0.2.53", 2, "'server' sets up how the update is sent"),
        ("key hmac-sha256:k c2VjcmV0", 2, "'key' sets up how the update is sent"),
        ("frobnicate", 2, "unknown command 'frobnicate'"),
        ("send\nadd a.example.org. 1 A 192.0.2.1", 3, "'add' after send would start a second message"),
        ("add a.example.org. 1 A 192.0.2.1\nclass CH", 3, "class must come before the prerequisites and updates"),
        ("add a.example.net. 1 A 192.0.2.1", 2, "a.example.net. is not in the zone example.org."),
    ])
    func mistakesNameTheirLine(_ script: String, _ line: Int, _ message: String) {
        let error = #expect(throws: UpdateScriptError.self) { try DNSUpdate(nsupdate: "zone example.org.\n" + script) }
        #expect(error?.line == line)
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
    }

    @Test func aZoneIsRequired() {
        let error = #expect(throws: UpdateScriptError.self) { try DNSUpdate(nsupdate: "add a.example.org. 1 A 192.0.2.1\nshow\n") }
        #expect(error?.message == "no zone: give a zone command or the zone argument")
        #expect(error?.line == 2)
    }
}
