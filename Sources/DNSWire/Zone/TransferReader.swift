// SPDX-License-Identifier: Apache-2.0
// Interprets the messages of an AXFR or IXFR response, one at a time, without I/O.

/// Reads the response to a zone transfer (AXFR, RFC 5936; IXFR, RFC 1995) one message at a
/// time, and says after each whether the transfer goes on, is complete, or failed.
///
/// Each ``read(_:)`` hands out what the message brought: the records of a whole zone as they
/// come (the caller keeps or streams them), or the differences of an incremental transfer as
/// each one completes. The reader itself keeps only the first SOA and the difference being
/// read. Matching message IDs and signatures is the transport's business.
///
/// ```swift
/// var reader = TransferReader(zone: origin, kind: .axfr)
/// var records: [DNSRecord] = []
/// for try await message in stream {
///     let step = reader.read(message)
///     records += step.records
///     if case .complete = step.status { break }
///     if case .failed(let failure) = step.status { throw failure }
/// }
/// // the stream closed first:
/// if case .failed(let failure) = reader.streamEnded() { throw failure }
/// ```
public struct TransferReader: Sendable {
    /// The transfer asked for.
    public enum Kind: Hashable, Sendable {
        /// A full transfer.
        case axfr
        /// An incremental transfer from the version with this serial, the client's.
        case ixfr(serial: Serial)
    }

    /// Where the reader is in the response.
    private enum Phase: Sendable {
        /// Waiting for the first record, the server's SOA.
        case start
        /// IXFR: the server's SOA was read; the next record tells the form of the response.
        case afterFirstSOA
        /// The records of a whole zone, up to the SOA that closes it.
        case fullZone
        /// The deleted records of a difference.
        case deletions
        /// The added records of a difference.
        case additions
        /// The transfer ended (or failed).
        case done
    }

    /// The zone transferred.
    public let zone: DomainName
    /// AXFR or IXFR.
    public let kind: Kind
    /// The class of the question.
    public let recordClass: RecordClass
    /// The most answer records the transfer may carry.
    public let maximumRecords: Int
    /// Whether the messages came over UDP (an IXFR's only message).
    public let overUDP: Bool

    /// Where the transfer stands.
    public private(set) var status: TransferStatus = .inProgress
    /// The answer records read so far, SOAs included.
    public private(set) var recordCount = 0
    /// The messages read so far.
    public private(set) var messageCount = 0

    private var phase = Phase.start
    private var firstSOA: DNSRecord? = nil
    private var firstSOAOctets: [UInt8] = []
    private var oldSOA: DNSRecord? = nil
    private var deleted: [DNSRecord] = []
    private var newSOA: DNSRecord? = nil
    private var added: [DNSRecord] = []

    /// - Parameters:
    ///   - zone: the zone asked for.
    ///   - kind: AXFR, or IXFR with the client's serial.
    ///   - recordClass: the class asked for.
    ///   - maximumRecords: the most answer records accepted, SOAs included; more fail the transfer.
    ///   - overUDP: whether the response comes over UDP (for IXFR, RFC 1995 §2): it is then one
    ///     message, and a lone newer SOA or a truncated answer means "ask again over TCP".
    public init(
        zone: DomainName, kind: Kind, recordClass: RecordClass = .in, maximumRecords: Int = 10_000_000, overUDP: Bool = false
    ) {
        self.zone = zone
        self.kind = kind
        self.recordClass = recordClass
        self.maximumRecords = maximumRecords
        self.overUDP = overUDP
    }

    /// The query that asks for this transfer: the question, no RD bit, no EDNS, and for IXFR
    /// an SOA with the client's serial in the authority section (RFC 1995 §3; its other fields
    /// are the root and zeros, as only the serial counts).
    public func query(id: UInt16) -> DNSMessage {
        var message = DNSMessage.query(name: zone, type: questionType, recordClass: recordClass, id: id, recursionDesired: false, edns: nil)
        if case .ixfr(let serial) = kind {
            let soa = RecordData.SOA(mname: .root, rname: .root, serial: serial.rawValue, refresh: 0, retry: 0, expire: 0, minimum: 0)
            if let data = try? RecordData(type: .soa, soa) {
                message.authorities = [DNSRecord(name: zone, recordClass: recordClass, ttl: 0, data: data)]
            }
        }
        return message
    }

    private var questionType: RecordType {
        switch kind {
        case .axfr: .axfr
        case .ixfr: .ixfr
        }
    }

    /// Reads the next message of the response.
    ///
    /// The message must be a response (QR, opcode QUERY) with NOERROR, and its question, if it
    /// has one, the transfer's. Its answer records are checked and interpreted; the step hands
    /// out what they brought. Once the transfer is complete or failed, another message fails it.
    public mutating func read(_ message: DNSMessage) -> TransferStep {
        guard status == .inProgress else { return fail(.malformed, "a message after the end of the transfer") }
        messageCount += 1
        guard message.header.flags.contains(.qr) else { return fail(.malformed, "message \(messageCount) is not a response") }
        guard message.header.opcode == .query else {
            return fail(.malformed, "message \(messageCount) has opcode \(message.header.opcode)")
        }
        guard message.responseCode == .noError else {
            let code = message.responseCode
            return fail(.responseCode(code), "the server answered \(code) (\(code.text))")
        }
        guard message.questions.count <= 1 else {
            return fail(.wrongQuestion, "message \(messageCount) has \(message.questions.count) questions")
        }
        if let question = message.questions.first {
            guard question.name == zone, question.type == questionType, question.recordClass == recordClass else {
                return fail(.wrongQuestion, "message \(messageCount) answers \(question), not \(zone) \(recordClass) \(questionType)")
            }
        }
        if overUDP, message.header.flags.contains(.tc) {
            return finish(.retryOverTCP, records: [], differences: [])
        }
        if messageCount == 1, message.answers.isEmpty {
            return fail(.badStart, "the first message has no answer records")
        }
        var records: [DNSRecord] = []
        var differences: [ZoneDiff] = []
        for record in message.answers {
            if let failure = take(record, records: &records, differences: &differences) {
                return fail(failure.kind, failure.reason)
            }
        }
        if case .complete = status { return TransferStep(status: status, records: records, differences: differences) }
        if phase == .afterFirstSOA, messageCount == 1, let first = firstSOA, case .ixfr(let ours) = kind {
            let theirs = serial(of: first)
            switch theirs.compare(ours) {
            case .less, .equal:
                return finish(.upToDate(soa: first), records: [], differences: [])
            case .greater:
                if overUDP { return finish(.retryOverTCP, records: [], differences: []) }
            case nil:
                return fail(.malformed, "the server's serial \(theirs) cannot be compared with ours, \(ours) (RFC 1982)")
            }
        }
        if overUDP { return fail(.endedEarly, "the UDP response ended before the transfer did") }
        return TransferStep(status: status, records: records, differences: differences)
    }

    /// Tells the reader that the stream closed; returns the final status: the one reached, or a
    /// failure saying where the transfer stopped if it was still in progress.
    public mutating func streamEnded() -> TransferStatus {
        guard case .inProgress = status else { return status }
        let reason: String
        switch phase {
        case .start:
            reason = "the stream closed before the first record"
        case .afterFirstSOA:
            reason = "the stream closed after the server's SOA (serial \(firstSOA.map(serial(of:)) ?? 0))"
        case .fullZone:
            reason = "the stream closed after \(recordCount) records, before the closing SOA"
        case .deletions, .additions:
            let from = oldSOA.map(serial(of:)).map(String.init(describing:)) ?? "?"
            reason = "the stream closed in the difference from serial \(from), after \(recordCount) records"
        case .done:
            reason = "the stream closed"
        }
        return fail(.endedEarly, reason).status
    }

    // MARK: - Records

    private struct Failure {
        let kind: TransferFailure.Kind
        let reason: String
    }

    /// Interprets one answer record; nil when it fits, else why not.
    private mutating func take(_ record: DNSRecord, records: inout [DNSRecord], differences: inout [ZoneDiff]) -> Failure? {
        recordCount += 1
        guard recordCount <= maximumRecords else {
            return Failure(kind: .tooManyRecords, reason: "more than \(maximumRecords) records")
        }
        guard record.name.isInZone(zone) else {
            return Failure(kind: .outsideZone, reason: "a second zone's records: \(record.name) \(record.type) is not in \(zone)")
        }
        guard record.recordClass == recordClass else {
            return Failure(kind: .outsideZone, reason: "\(record.name) \(record.type) is of class \(record.recordClass), not \(recordClass)")
        }
        let isSOA = record.type == .soa
        if isSOA, record.name != zone {
            return Failure(kind: .outsideZone, reason: "a second zone's records: an SOA for \(record.name) in \(zone)")
        }
        switch phase {
        case .start:
            guard isSOA else {
                return Failure(kind: .badStart, reason: "the first record is \(record.name) \(record.type), not the SOA of \(zone)")
            }
            firstSOA = record
            firstSOAOctets = octets(record)
            if kind == .axfr {
                records.append(record)
                phase = .fullZone
            } else {
                phase = .afterFirstSOA
            }
        case .afterFirstSOA:
            guard let first = firstSOA else { return nil }
            if !isSOA {
                records.append(first)
                records.append(record)
                phase = .fullZone
            } else if octets(record) == firstSOAOctets {
                records.append(first)
                complete(.fullZone(soa: first))
            } else if case .ixfr(let ours) = kind, serial(of: record) != ours {
                return Failure(
                    kind: .malformed, reason: "the first difference starts at serial \(serial(of: record)), not at ours, \(ours)")
            } else {
                oldSOA = record
                phase = .deletions
            }
        case .fullZone:
            guard isSOA else {
                records.append(record)
                return nil
            }
            guard octets(record) == firstSOAOctets, let first = firstSOA else {
                let expected = firstSOA.map(serial(of:)).map(String.init(describing:)) ?? "?"
                return Failure(
                    kind: .malformed, reason: "an SOA with serial \(serial(of: record)) inside the zone of serial \(expected)")
            }
            complete(.fullZone(soa: first))
        case .deletions:
            guard isSOA else {
                deleted.append(record)
                return nil
            }
            guard let old = oldSOA, serial(of: record).follows(serial(of: old)) else {
                let from = oldSOA.map(serial(of:)).map(String.init(describing:)) ?? "?"
                return Failure(kind: .malformed, reason: "a difference from serial \(from) to \(serial(of: record)), which is not later")
            }
            newSOA = record
            phase = .additions
        case .additions:
            guard isSOA else {
                added.append(record)
                return nil
            }
            guard let old = oldSOA, let new = newSOA, let first = firstSOA,
                let difference = try? ZoneDiff(oldSOA: old, deleted: deleted, newSOA: new, added: added)
            else { return Failure(kind: .malformed, reason: "a difference without its SOA records") }
            differences.append(difference)
            deleted = []
            added = []
            oldSOA = nil
            newSOA = nil
            if difference.newSerial == serial(of: first) {
                guard octets(record) == firstSOAOctets else {
                    return Failure(kind: .malformed, reason: "the closing SOA differs from the first, of the same serial")
                }
                complete(.incremental(soa: first))
            } else if serial(of: record) != difference.newSerial {
                return Failure(
                    kind: .malformed,
                    reason: "the differences do not chain: one ends at serial \(difference.newSerial), the next starts at \(serial(of: record))")
            } else {
                oldSOA = record
                phase = .deletions
            }
        case .done:
            return Failure(kind: .malformed, reason: "records after the closing SOA")
        }
        return nil
    }

    private mutating func complete(_ outcome: TransferOutcome) {
        status = .complete(outcome)
        phase = .done
    }

    private mutating func finish(_ outcome: TransferOutcome, records: [DNSRecord], differences: [ZoneDiff]) -> TransferStep {
        complete(outcome)
        return TransferStep(status: status, records: records, differences: differences)
    }

    private mutating func fail(_ kind: TransferFailure.Kind, _ reason: String) -> TransferStep {
        if case .failed = status {} else { status = .failed(TransferFailure(kind: kind, reason: reason)) }
        phase = .done
        deleted = []
        added = []
        return TransferStep(status: status, records: [], differences: [])
    }

    private func serial(of soa: DNSRecord) -> Serial { Serial(soa.data.as(RecordData.SOA.self)?.serial ?? 0) }

    private func octets(_ record: DNSRecord) -> [UInt8] { (try? record.data.serialize()) ?? [] }
}

/// What one message of a zone transfer brought, and where the transfer stands after it.
public struct TransferStep: Hashable, Sendable {
    /// Whether the transfer goes on, is complete, or failed.
    public var status: TransferStatus
    /// Records of a whole zone (AXFR, or an IXFR answered with the whole zone) this message
    /// carried, in order: the SOA first, the closing SOA left out. Empty after a failure.
    public var records: [DNSRecord]
    /// The differences of an incremental transfer this message completed, in order.
    public var differences: [ZoneDiff]
}

/// Where a zone transfer stands.
public enum TransferStatus: Hashable, Sendable {
    /// More messages are to come.
    case inProgress
    /// The transfer is complete.
    case complete(TransferOutcome)
    /// The transfer failed.
    case failed(TransferFailure)
}

/// What a complete zone transfer gave.
public enum TransferOutcome: Hashable, Sendable {
    /// The records handed out are the whole zone, at this SOA.
    case fullZone(soa: DNSRecord)
    /// The differences handed out lead from the client's version to this SOA's.
    case incremental(soa: DNSRecord)
    /// IXFR: the server's version, of this SOA, is not newer than the client's.
    case upToDate(soa: DNSRecord)
    /// IXFR over UDP: the server has a newer version but sent only its SOA, or a truncated
    /// answer; ask again over TCP.
    case retryOverTCP
}

/// Why a zone transfer failed: a kind to act on and a reason to show.
public struct TransferFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Kind: Hashable, Sendable {
        /// The server answered with this response code.
        case responseCode(ResponseCode)
        /// A message answers another question.
        case wrongQuestion
        /// The response does not start with the zone's SOA.
        case badStart
        /// A record outside the zone or of another class: a second zone's records.
        case outsideZone
        /// More records than the limit.
        case tooManyRecords
        /// The response ended before the closing SOA.
        case endedEarly
        /// A response that cannot be interpreted.
        case malformed
    }

    /// What kind of failure it is.
    public let kind: Kind
    /// What went wrong, for people.
    public let reason: String

    /// A failure of `kind`, explained by `reason`.
    public init(kind: Kind, reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// The ``reason``.
    public var description: String { reason }
}
