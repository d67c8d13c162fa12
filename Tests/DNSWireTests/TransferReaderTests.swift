// SPDX-License-Identifier: Apache-2.0
// The AXFR and IXFR response reader: every response form, every failure, fed message by message.

import DNSWire
import Testing

@Suite struct TransferReaderTests {
    typealias Data = ZoneTestData

    /// A response answering `type` for the zone, gone through the wire and back.
    private func response(
        _ answers: [DNSRecord], type: RecordType = .axfr, question: Bool = true, code: ResponseCode = .noError,
        flags: HeaderFlags = [.qr, .aa]
    ) throws -> DNSMessage {
        let message = DNSMessage(
            header: DNSHeader(id: 7, flags: flags), responseCode: code,
            questions: question ? [DNSQuestion(name: Data.origin, type: type)] : [], answers: answers)
        return try DNSMessage(wire: message.serialize())
    }

    /// Feeds the messages in turn; returns every step.
    private func feed(_ reader: inout TransferReader, _ messages: [DNSMessage]) -> [TransferStep] {
        messages.map { reader.read($0) }
    }

    private func failure(_ status: TransferStatus) -> TransferFailure? {
        if case .failed(let failure) = status { failure } else { nil }
    }

    // MARK: - AXFR

    @Test func axfrInOneMessage() throws {
        var reader = TransferReader(zone: Data.origin, kind: .axfr)
        let step = reader.read(try response(Data.version1 + [Data.soa(1)]))
        #expect(step.status == .complete(.fullZone(soa: Data.soa(1))))
        #expect(step.records == Data.version1)
        #expect(step.differences.isEmpty)
        #expect(reader.recordCount == Data.version1.count + 1)
        #expect(reader.streamEnded() == .complete(.fullZone(soa: Data.soa(1))))
        #expect(try Zone(origin: Data.origin, records: step.records) == (try Zone(origin: Data.origin, records: Data.version1)))
    }

    @Test func axfrOverSeveralMessagesHandsRecordsOutAsTheyCome() throws {
        var reader = TransferReader(zone: Data.origin, kind: .axfr)
        let all = Data.version3 + [Data.soa(3)]
        let messages = [
            try response(Array(all[0..<3])), try response(Array(all[3..<6]), question: false), try response([], question: false),
            try response(Array(all[6...]), question: false),
        ]
        let steps = feed(&reader, messages)
        #expect(steps.map(\.status) == [.inProgress, .inProgress, .inProgress, .complete(.fullZone(soa: Data.soa(3)))])
        #expect(steps.map(\.records.count) == [3, 3, 0, all.count - 7])
        #expect(steps.flatMap(\.records) == Data.version3)
        #expect(reader.messageCount == 4)
    }

    @Test func axfrMustStartWithTheZonesSOA() throws {
        var reader = TransferReader(zone: Data.origin, kind: .axfr)
        let status = reader.read(try response(Data.common + [Data.soa(1)])).status
        #expect(failure(status)?.kind == .badStart)
        #expect(failure(status)?.reason == "the first record is example.org. NS, not the SOA of example.org.")

        var empty = TransferReader(zone: Data.origin, kind: .axfr)
        #expect(failure(empty.read(try response([])).status)?.kind == .badStart)
    }

    @Test func anErrorResponseCodeFailsWithThatCode() throws {
        for code in [ResponseCode.notAuth, .refused, .servFail, .formErr] {
            var reader = TransferReader(zone: Data.origin, kind: .axfr)
            let failed = failure(reader.read(try response([], code: code)).status)
            #expect(failed?.kind == .responseCode(code))
            #expect(failed?.reason.contains(code.description) == true)
        }
        var reader = TransferReader(zone: Data.origin, kind: .axfr)
        _ = reader.read(try response(Array(Data.version1.prefix(2))))
        #expect(failure(reader.read(try response([], question: false, code: .servFail)).status)?.kind == .responseCode(.servFail))
    }

    @Test func everyMessageMustAnswerTheQuestion() throws {
        var reader = TransferReader(zone: Data.origin, kind: .axfr)
        _ = reader.read(try response(Array(Data.version1.prefix(2))))
        let failed = failure(reader.read(try response(Array(Data.version1.dropFirst(2)), type: .ixfr)).status)
        #expect(failed?.kind == .wrongQuestion)
        #expect(failed?.reason == "message 2 answers example.org. IN IXFR, not example.org. IN AXFR")

        var other = TransferReader(zone: Data.origin, kind: .axfr)
        var message = try response(Data.version1)
        message.questions = [DNSQuestion(name: try DomainName("example.net."), type: .axfr)]
        #expect(failure(other.read(message).status)?.kind == .wrongQuestion)

        var notAResponse = TransferReader(zone: Data.origin, kind: .axfr)
        #expect(failure(notAResponse.read(try response(Data.version1, flags: [])).status)?.kind == .malformed)
    }

    @Test func aSecondZonesRecordsFail() throws {
        var reader = TransferReader(zone: Data.origin, kind: .axfr)
        let stray = DNSRecord(name: try DomainName("www.example.net."), ttl: 60, data: try RecordData(type: .a, presentation: "192.0.2.1"))
        let failed = failure(reader.read(try response([Data.soa(1), Data.common[0], stray, Data.soa(1)])).status)
        #expect(failed?.kind == .outsideZone)
        #expect(failed?.reason.hasPrefix("a second zone's records: www.example.net. A") == true)

        // The SOA of a zone below: another zone's start.
        var below = TransferReader(zone: Data.origin, kind: .axfr)
        let childSOA = DNSRecord(name: try DomainName("child.example.org."), ttl: 60, data: Data.soa(5).data)
        let childFailure = failure(below.read(try response([Data.soa(1), childSOA, Data.soa(1)])).status)
        #expect(childFailure?.kind == .outsideZone)
        #expect(childFailure?.reason.contains("a second zone's records") == true)

        var chaos = TransferReader(zone: Data.origin, kind: .axfr)
        let chaosRecord = Data.rr("txt", 0, .txt, "x", class: .chaos)
        #expect(failure(chaos.read(try response([Data.soa(1), chaosRecord, Data.soa(1)])).status)?.kind == .outsideZone)
    }

    @Test func moreRecordsThanTheLimitFail() throws {
        var reader = TransferReader(zone: Data.origin, kind: .axfr, maximumRecords: 5)
        #expect(reader.read(try response(Array(Data.version1.prefix(3)))).status == .inProgress)
        let failed = failure(reader.read(try response(Array(Data.version1.dropFirst(3)) + [Data.soa(1)], question: false)).status)
        #expect(failed?.kind == .tooManyRecords)
        #expect(failed?.reason == "more than 5 records")

        var exact = TransferReader(zone: Data.origin, kind: .axfr, maximumRecords: Data.version1.count + 1)
        #expect(exact.read(try response(Data.version1 + [Data.soa(1)])).status == .complete(.fullZone(soa: Data.soa(1))))
    }

    @Test func aStreamThatEndsEarlyFails() throws {
        var reader = TransferReader(zone: Data.origin, kind: .axfr)
        _ = reader.read(try response(Array(Data.version1.prefix(4))))
        let status = reader.streamEnded()
        #expect(failure(status)?.kind == .endedEarly)
        #expect(failure(status)?.reason == "the stream closed after 4 records, before the closing SOA")
        #expect(reader.status == status)

        var nothing = TransferReader(zone: Data.origin, kind: .axfr)
        #expect(failure(nothing.streamEnded())?.reason == "the stream closed before the first record")
    }

    @Test func nothingMayFollowTheClosingSOA() throws {
        var sameMessage = TransferReader(zone: Data.origin, kind: .axfr)
        let step = sameMessage.read(try response(Data.version1 + [Data.soa(1), Data.common[0]]))
        #expect(failure(step.status)?.reason == "records after the closing SOA")
        #expect(step.records.isEmpty)

        var nextMessage = TransferReader(zone: Data.origin, kind: .axfr)
        _ = nextMessage.read(try response(Data.version1 + [Data.soa(1)]))
        #expect(failure(nextMessage.read(try response([Data.soa(1)])).status)?.reason == "a message after the end of the transfer")
    }

    @Test func anotherSOAInsideTheZoneFails() throws {
        var reader = TransferReader(zone: Data.origin, kind: .axfr)
        let failed = failure(reader.read(try response(Data.version1 + [Data.soa(2)])).status)
        #expect(failed?.kind == .malformed)
        #expect(failed?.reason == "an SOA with serial 2 inside the zone of serial 1")
    }

    @Test func theQueryAsksForTheTransfer() throws {
        let axfr = TransferReader(zone: Data.origin, kind: .axfr).query(id: 9)
        #expect(axfr.questions == [DNSQuestion(name: Data.origin, type: .axfr)])
        #expect(!axfr.header.flags.contains(.rd) && axfr.edns == nil && axfr.authorities.isEmpty)
        let ixfr = TransferReader(zone: Data.origin, kind: .ixfr(serial: 41)).query(id: 9)
        #expect(ixfr.questions == [DNSQuestion(name: Data.origin, type: .ixfr)])
        #expect(ixfr.authorities.first?.name == Data.origin)
        #expect(ixfr.authorities.first?.data.as(RecordData.SOA.self)?.serial == 41)
        #expect(try DNSMessage(wire: ixfr.serialize()) == ixfr)
    }

    // MARK: - IXFR

    @Test func aLoneSOANotNewerThanOursIsUpToDate() throws {
        for (ours, theirs) in [(UInt32(5), UInt32(5)), (5, 4), (2, 0xFFFF_FFF0)] {
            for udp in [false, true] {
                var reader = TransferReader(zone: Data.origin, kind: .ixfr(serial: Serial(ours)), overUDP: udp)
                let step = reader.read(try response([Data.soa(theirs)], type: .ixfr))
                #expect(step.status == .complete(.upToDate(soa: Data.soa(theirs))), "ours \(ours), theirs \(theirs)")
            }
        }
    }

    @Test func aLoneNewerSOAOverUDPMeansAskAgainOverTCP() throws {
        var udp = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1), overUDP: true)
        #expect(udp.read(try response([Data.soa(3)], type: .ixfr)).status == .complete(.retryOverTCP))

        var truncated = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1), overUDP: true)
        #expect(truncated.read(try response([], type: .ixfr, flags: [.qr, .aa, .tc])).status == .complete(.retryOverTCP))

        // Over TCP the rest may follow in the next message; if the stream ends instead, it failed.
        var tcp = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        #expect(tcp.read(try response([Data.soa(3)], type: .ixfr)).status == .inProgress)
        #expect(failure(tcp.streamEnded())?.reason == "the stream closed after the server's SOA (serial 3)")
    }

    @Test func aSerialHalfwayAroundCannotBeCompared() throws {
        var reader = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        let failed = failure(reader.read(try response([Data.soa(0x8000_0001)], type: .ixfr)).status)
        #expect(failed?.kind == .malformed)
    }

    @Test func anAXFRStyleAnswerGivesTheWholeZone() throws {
        var reader = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        let all = Data.version3 + [Data.soa(3)]
        let steps = feed(&reader, [try response([all[0]], type: .ixfr), try response(Array(all.dropFirst()), type: .ixfr, question: false)])
        #expect(steps.map(\.status) == [.inProgress, .complete(.fullZone(soa: Data.soa(3)))])
        #expect(steps.flatMap(\.records) == Data.version3)

        var onlySOA = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        let step = onlySOA.read(try response([Data.soa(3), Data.soa(3)], type: .ixfr))
        #expect(step.status == .complete(.fullZone(soa: Data.soa(3))) && step.records == [Data.soa(3)])
    }

    /// The records of an incremental response: SOA(new), then per difference SOA(old),
    /// deletions, SOA(newer), additions, and SOA(new) again.
    private func incremental(_ differences: [ZoneDiff], server: UInt32) -> [DNSRecord] {
        var records = [Data.soa(server)]
        for difference in differences {
            records.append(difference.oldSOA)
            records += difference.deleted
            records.append(difference.newSOA)
            records += difference.added
        }
        records.append(Data.soa(server))
        return records
    }

    @Test func incrementalDifferencesBringTheZoneToTheNewVersion() throws {
        let records = incremental([Data.diff1to2, Data.diff2to3], server: 3)
        var reader = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        // One record per message: differences come out as each completes.
        let steps = feed(&reader, try records.map { try response([$0], type: .ixfr) })
        #expect(steps.last?.status == .complete(.incremental(soa: Data.soa(3))))
        #expect(steps.dropLast().allSatisfy { $0.status == .inProgress })
        #expect(steps.flatMap(\.records).isEmpty)
        let differences = steps.flatMap(\.differences)
        #expect(differences == [Data.diff1to2, Data.diff2to3])
        // The first difference is handed out with the SOA that starts the second.
        let firstDone = try #require(steps.firstIndex { !$0.differences.isEmpty })
        #expect(firstDone == 1 + 1 + Data.diff1to2.deleted.count + 1 + Data.diff1to2.added.count)

        var zone = try Zone(origin: Data.origin, records: Data.version1)
        try zone.apply(differences)
        #expect(zone == (try Zone(origin: Data.origin, records: Data.version3)))
    }

    @Test func theCondensedFormIsOneDifference() throws {
        var reader = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1), overUDP: true)
        let step = reader.read(try response(incremental([Data.diff1to3], server: 3), type: .ixfr))
        #expect(step.status == .complete(.incremental(soa: Data.soa(3))))
        #expect(step.differences == [Data.diff1to3])
        var zone = try Zone(origin: Data.origin, records: Data.version1)
        try zone.apply(step.differences)
        #expect(zone == (try Zone(origin: Data.origin, records: Data.version3)))
    }

    @Test func anIncrementalResponseThatCannotBeInterpretedFails() throws {
        // Differences that do not chain: 1→2, then 3→…
        let gap = try ZoneDiff(oldSOA: Data.soa(3), deleted: [], newSOA: Data.soa(4), added: [])
        var chain = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        let chainFailure = failure(chain.read(try response(incremental([Data.diff1to2, gap], server: 4), type: .ixfr)).status)
        #expect(chainFailure?.reason == "the differences do not chain: one ends at serial 2, the next starts at 3")

        // A first difference that does not start at our version.
        var start = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        let startFailure = failure(start.read(try response(incremental([Data.diff2to3], server: 3), type: .ixfr)).status)
        #expect(startFailure?.reason == "the first difference starts at serial 2, not at ours, 1")

        // A difference that goes backwards.
        let backwards = try ZoneDiff(oldSOA: Data.soa(1), deleted: [], newSOA: Data.soa(0), added: [])
        var back = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        let backFailure = failure(back.read(try response(incremental([backwards], server: 2), type: .ixfr)).status)
        #expect(backFailure?.reason == "a difference from serial 1 to 0, which is not later")

        // Over UDP, a response cut short is not a transfer.
        var udp = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1), overUDP: true)
        let cut = Array(incremental([Data.diff1to2], server: 2).dropLast())
        #expect(failure(udp.read(try response(cut, type: .ixfr)).status)?.kind == .endedEarly)

        // Over TCP, a stream that ends inside a difference.
        var tcp = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        #expect(tcp.read(try response(cut, type: .ixfr)).status == .inProgress)
        #expect(failure(tcp.streamEnded())?.reason == "the stream closed in the difference from serial 1, after \(cut.count) records")
    }

    @Test func incrementalRecordsAreCheckedToo() throws {
        let stray = DNSRecord(name: try DomainName("x.example.net."), ttl: 1, data: try RecordData(type: .a, presentation: "192.0.2.1"))
        var reader = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1))
        let records = [Data.soa(2), Data.soa(1), stray, Data.soa(2), Data.soa(2)]
        #expect(failure(reader.read(try response(records, type: .ixfr)).status)?.kind == .outsideZone)

        var limited = TransferReader(zone: Data.origin, kind: .ixfr(serial: 1), maximumRecords: 4)
        let full = incremental([Data.diff1to2], server: 2)
        #expect(failure(limited.read(try response(full, type: .ixfr)).status)?.kind == .tooManyRecords)
    }

    @Test func failuresAreErrorsWithTheirReason() {
        let failure = TransferFailure(kind: .endedEarly, reason: "the stream closed")
        #expect(failure.description == "the stream closed")
        #expect("\(failure as any Error)" == "the stream closed")
    }
}
