// SPDX-License-Identifier: Apache-2.0
// One TSIG-signed exchange (RFC 8945): signing the query, verifying each response message.

/// Why a response failed TSIG verification.
public enum TSIGFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// Message `message` (counted from 1) carries no TSIG where one is required: the first
    /// message of a response, and the last of a multi-message one.
    case unsigned(message: Int)
    /// The TSIG names another key or algorithm than the session's.
    case wrongKey(name: DomainName, algorithm: DomainName)
    /// The MAC does not match.
    case badMAC
    /// A MAC shorter than RFC 8945 §5.2.2.1 allows for the algorithm.
    case macTooShort(size: Int, minimum: Int)
    /// A MAC longer than the algorithm's digest.
    case macTooLong(size: Int, maximum: Int)
    /// The time signed lies outside the fudge of the local time.
    case badTime(timeSigned: UInt64, fudge: UInt16, now: UInt64)
    /// More unsigned messages in a row than RFC 8945 §5.3.1 allows (a signed one at least every 100th).
    case tooManyUnsigned(count: Int)
    /// The message or its TSIG record does not parse.
    case malformed(String)
    /// A TSIG record that is not the last record of the additional section.
    case notLast
    /// ``TSIGSession/verify(_:now:)`` before ``TSIGSession/sign(_:now:)``: there is no request MAC.
    case noSignedRequest
    /// ``TSIGSession/finish()`` before any response message.
    case noResponse

    /// The reason in words, e.g. `the MAC does not match (wrong secret or altered message)`.
    public var description: String {
        switch self {
        case .unsigned(let message) where message == 1: "the response is not signed"
        case .unsigned(let message): "message \(message) of the response is not signed (it is the last)"
        case .wrongKey(let name, let algorithm): "the response is signed with another key (\(name) \(algorithm))"
        case .badMAC: "the MAC does not match (wrong secret or altered message)"
        case .macTooShort(let size, let minimum): "the MAC of \(size) octets is shorter than the minimum of \(minimum)"
        case .macTooLong(let size, let maximum): "the MAC of \(size) octets is longer than the digest of \(maximum)"
        case .badTime(let signed, let fudge, let now): "the response was signed at \(signed), outside \(now) ± \(fudge) s"
        case .tooManyUnsigned(let count): "\(count) unsigned messages in a row (at most 99 allowed)"
        case .malformed(let detail): "malformed TSIG: \(detail)"
        case .notLast: "the TSIG record is not the last record of the additional section"
        case .noSignedRequest: "no request was signed"
        case .noResponse: "no response was received"
        }
    }
}

/// What ``TSIGSession/verify(_:now:)`` found in one response message.
public enum TSIGVerdict: Hashable, Sendable, CustomStringConvertible {
    /// Signed with the session's key, MAC and time good.
    case verified
    /// An unsigned message within a multi-message response: the next signed message covers it
    /// (RFC 8945 §5.3.1). ``TSIGSession/finish()`` tells whether the response ended signed.
    case pending
    /// The server reports the TSIG error `code` in its TSIG record: 16 BADSIG, 17 BADKEY, 18 BADTIME,
    /// 19 BADMODE, 20 BADNAME, 21 BADALG, 22 BADTRUNC. Its MAC is not checked.
    case serverError(UInt16)
    /// Verification failed, for the reason given.
    case failed(TSIGFailure)

    /// The server's TSIG error mnemonic (`BADSIG`, …) or number.
    static func errorName(_ code: UInt16) -> String {
        let names: [UInt16: String] = [16: "BADSIG", 17: "BADKEY", 18: "BADTIME", 19: "BADMODE", 20: "BADNAME", 21: "BADALG", 22: "BADTRUNC"]
        return names[code] ?? ResponseCode(rawValue: code).description
    }

    /// The verdict in words, e.g. `TSIG verification failed: the response is not signed`.
    public var description: String {
        switch self {
        case .verified: "verified"
        case .pending: "unsigned, pending the next signed message"
        case .serverError(let code): "the server reports TSIG error \(Self.errorName(code)) (\(code))"
        case .failed(let failure): "TSIG verification failed: \(failure)"
        }
    }
}

/// One TSIG-signed exchange (RFC 8945): signs the query's final octets, then verifies each
/// response message in order.
///
/// ```swift
/// var tsig = TSIGSession(key: key)
/// let signed = try tsig.sign(queryOctets, now: secondsSinceEpoch)      // TSIG appended, ARCOUNT + 1
/// switch tsig.verify(responseOctets, now: secondsSinceEpoch) {
/// case .verified: break                                                  // parse it as usual
/// case .serverError(let code): print("server says", code)               // BADKEY, BADSIG, …
/// case .failed(let reason): print(reason)
/// case .pending: break                                                   // unsigned, inside a transfer
/// }
/// // a zone transfer: verify(_:now:) each message, then finish() once the last has arrived
/// ```
///
/// A verified message still holds its TSIG as the last additional record, which ``DNSMessage``
/// parses; ``strip(_:)`` removes it for callers that want the message without it.
///
/// Once a message fails (or reports a server error), every later ``verify(_:now:)`` and
/// ``finish()`` gives that same verdict, as RFC 8945 §5.3.1 has the client abandon the exchange.
/// A session is a value: to check a datagram that may be forged without committing to it, verify
/// a copy and keep it only if it verified. Signing again starts a new exchange.
public struct TSIGSession: Sendable {
    /// The RFC 8945 §5.3.1 limit: a signed message at least every 100th.
    public static let maxUnsignedInARow = 99

    /// The key that signs the query and must sign the response.
    public let key: TSIGKey
    /// The permitted clock skew written into the query's TSIG, in seconds.
    public let fudge: UInt16

    /// The MAC of the signed query, as sent; nil before ``sign(_:now:)``.
    public private(set) var requestMAC: [UInt8]?
    /// The response messages verified so far, signed or not.
    public private(set) var messageCount = 0
    /// The MAC the next signed message's digest starts with: the request's, then each verified one's.
    private var previousMAC: [UInt8] = []
    /// Unsigned messages since the last signed one, to be covered by the next signed one.
    private var unsignedOctets: [UInt8] = []
    private var unsignedInARow = 0
    /// A failure or server error, which ends the exchange.
    private var outcome: TSIGVerdict?

    /// A session for one exchange signed with `key`, allowing `fudge` seconds of clock skew.
    public init(key: TSIGKey, fudge: UInt16 = 300) {
        self.key = key
        self.fudge = fudge
    }

    /// Signs a query (RFC 8945 §4.3): appends a TSIG record to `query`, which must be a whole DNS
    /// message without one, and increments ARCOUNT. The MAC covers the octets as given plus the
    /// TSIG variables (§4.3.3); the TSIG's original ID is the query's ID. Starts a new exchange.
    ///
    /// - Parameters:
    ///   - query: the final query octets, after the ID, cookie and padding are set.
    ///   - now: seconds since 1970, written as the time signed.
    /// - Throws: ``TSIGError`` `.badMessage` (not a whole message, already signed, ARCOUNT full, over
    ///   65535 octets signed, a time over 48 bits), `.crypto`.
    public mutating func sign(_ query: [UInt8], now: UInt64) throws(TSIGError) -> [UInt8] {
        let parsed: TSIGRecordLocation?
        do {
            parsed = try TSIGRecordLocation.find(in: query)
        } catch {
            throw TSIGError(.badMessage, "the query does not parse: \(error)")
        }
        guard parsed == nil else { throw TSIGError(.badMessage, "the query is already signed") }
        let arCount = UInt16(query[10]) << 8 | UInt16(query[11])
        guard arCount < 0xFFFF else { throw TSIGError(.badMessage, "the additional section is full") }
        guard now <= Self.maxTime else { throw TSIGError(.badMessage, "time \(now) does not fit in 48 bits") }

        var digest = query
        digest.append(contentsOf: variables(timeSigned: now, fudge: fudge, error: 0, otherData: []))
        guard let full = MessageAuthentication.hmac(key.algorithm, key: key.secret, data: digest) else {
            throw TSIGError(.crypto, "OpenSSL could not compute \(key.algorithm)")
        }
        let mac = Array(full.prefix(key.macSize))

        var record = WireWriter(compression: false, capacity: 64 + mac.count)
        record.writeBytes(key.name.wire)
        record.writeUInt16(RecordType.tsig.rawValue)
        record.writeUInt16(RecordClass.any.rawValue)
        record.writeUInt32(0)
        record.writeUInt16(UInt16(key.algorithm.name.wire.count + 16 + mac.count))
        record.writeBytes(key.algorithm.name.wire)
        Self.writeTime(now, to: &record)
        record.writeUInt16(fudge)
        record.writeUInt16(UInt16(mac.count))
        record.writeBytes(mac)
        record.writeBytes(query[0..<2])
        record.writeUInt16(0)
        record.writeUInt16(0)
        guard query.count + record.count <= 0xFFFF else {
            throw TSIGError(.badMessage, "the signed query would be \(query.count + record.count) octets")
        }
        var signed = query
        signed.append(contentsOf: record.bytes)
        signed[10] = UInt8((arCount + 1) >> 8)
        signed[11] = UInt8((arCount + 1) & 0xFF)

        requestMAC = mac
        previousMAC = mac
        messageCount = 0
        unsignedOctets = []
        unsignedInARow = 0
        outcome = nil
        return signed
    }

    /// Verifies the next message of the response (RFC 8945 §5.3, §5.3.1); call it for each message
    /// in the order received.
    ///
    /// The first message must be signed; its MAC covers the request MAC, the message without its
    /// TSIG (ARCOUNT decremented, ID set to the TSIG's original ID) and all TSIG variables. A later
    /// message of a multi-message response may be unsigned (``TSIGVerdict/pending``, at most 99 in a
    /// row); a signed one's MAC covers the previous MAC, the unsigned messages since, the message
    /// itself and only the timers. Each signed message must name the session's key and algorithm,
    /// carry a MAC of an allowed length, and have been signed within its fudge of `now`.
    ///
    /// - Parameters:
    ///   - response: one whole response message, as received (without a TCP length prefix).
    ///   - now: seconds since 1970.
    public mutating func verify(_ response: [UInt8], now: UInt64) -> TSIGVerdict {
        if let outcome { return outcome }
        guard requestMAC != nil else { return end(.failed(.noSignedRequest)) }
        messageCount += 1
        let location: TSIGRecordLocation?
        do {
            location = try TSIGRecordLocation.find(in: response)
        } catch {
            return end(.failed(error))
        }
        guard let location else {
            guard messageCount > 1 else { return end(.failed(.unsigned(message: messageCount))) }
            unsignedInARow += 1
            guard unsignedInARow <= Self.maxUnsignedInARow else { return end(.failed(.tooManyUnsigned(count: unsignedInARow))) }
            unsignedOctets.append(contentsOf: response)
            return .pending
        }
        let tsig = location.data
        if tsig.error != 0 { return end(.serverError(tsig.error)) }
        guard location.owner == key.name, tsig.algorithm == key.algorithm.name else {
            return end(.failed(.wrongKey(name: location.owner, algorithm: tsig.algorithm)))
        }
        let algorithm = key.algorithm
        guard tsig.mac.count <= algorithm.digestSize else {
            return end(.failed(.macTooLong(size: tsig.mac.count, maximum: algorithm.digestSize)))
        }
        guard tsig.mac.count >= algorithm.minimumMACSize else {
            return end(.failed(.macTooShort(size: tsig.mac.count, minimum: algorithm.minimumMACSize)))
        }

        var digest: [UInt8] = []
        digest.reserveCapacity(2 + previousMAC.count + unsignedOctets.count + location.start + 300)
        digest.append(UInt8(previousMAC.count >> 8))
        digest.append(UInt8(previousMAC.count & 0xFF))
        digest.append(contentsOf: previousMAC)
        digest.append(contentsOf: unsignedOctets)
        digest.append(UInt8(tsig.originalID >> 8))
        digest.append(UInt8(tsig.originalID & 0xFF))
        digest.append(contentsOf: response[2..<10])
        digest.append(UInt8((location.arCount - 1) >> 8))
        digest.append(UInt8((location.arCount - 1) & 0xFF))
        digest.append(contentsOf: response[12..<location.start])
        if messageCount == 1 {
            digest.append(contentsOf: variables(timeSigned: tsig.timeSigned, fudge: tsig.fudge, error: tsig.error, otherData: tsig.otherData))
        } else {
            var timers = WireWriter(compression: false, capacity: 8)
            Self.writeTime(tsig.timeSigned, to: &timers)
            timers.writeUInt16(tsig.fudge)
            digest.append(contentsOf: timers.bytes)
        }
        guard let expected = MessageAuthentication.hmac(algorithm, key: key.secret, data: digest) else {
            return end(.failed(.badMAC))
        }
        guard MessageAuthentication.constantTimeEqual(tsig.mac[...], expected.prefix(tsig.mac.count)) else {
            return end(.failed(.badMAC))
        }
        let skew = now > tsig.timeSigned ? now - tsig.timeSigned : tsig.timeSigned - now
        guard skew <= UInt64(tsig.fudge) else {
            return end(.failed(.badTime(timeSigned: tsig.timeSigned, fudge: tsig.fudge, now: now)))
        }
        previousMAC = tsig.mac
        unsignedOctets = []
        unsignedInARow = 0
        return .verified
    }

    /// The verdict on the whole response once its last message has been verified: ``TSIGVerdict/verified``
    /// when the last message was signed and verified, else the failure or server error that ended the
    /// exchange, or ``TSIGFailure/unsigned(message:)`` when the last message was unsigned.
    public func finish() -> TSIGVerdict {
        if let outcome { return outcome }
        guard requestMAC != nil else { return .failed(.noSignedRequest) }
        guard messageCount > 0 else { return .failed(.noResponse) }
        guard unsignedInARow == 0 else { return .failed(.unsigned(message: messageCount)) }
        return .verified
    }

    /// The message without its TSIG record and with ARCOUNT decremented (the ID is left as it is);
    /// a message without TSIG comes back unchanged.
    ///
    /// - Throws: ``TSIGFailure`` `.malformed` or `.notLast`.
    public static func strip(_ message: [UInt8]) throws(TSIGFailure) -> [UInt8] {
        guard let location = try TSIGRecordLocation.find(in: message) else { return message }
        var stripped = Array(message[..<location.start])
        stripped[10] = UInt8((location.arCount - 1) >> 8)
        stripped[11] = UInt8((location.arCount - 1) & 0xFF)
        return stripped
    }

    private mutating func end(_ verdict: TSIGVerdict) -> TSIGVerdict {
        outcome = verdict
        return verdict
    }

    private static let maxTime: UInt64 = 0xFFFF_FFFF_FFFF

    private static func writeTime(_ time: UInt64, to writer: inout WireWriter) {
        writer.writeUInt16(UInt16(truncatingIfNeeded: time >> 32))
        writer.writeUInt32(UInt32(truncatingIfNeeded: time))
    }

    /// The TSIG variables of RFC 8945 §4.3.3: key name and algorithm in canonical form, class ANY, TTL 0.
    private func variables(timeSigned: UInt64, fudge: UInt16, error: UInt16, otherData: [UInt8]) -> [UInt8] {
        var writer = WireWriter(compression: false, capacity: 300)
        writer.writeBytes(key.name.canonical.wire)
        writer.writeUInt16(RecordClass.any.rawValue)
        writer.writeUInt32(0)
        writer.writeBytes(key.algorithm.name.canonical.wire)
        Self.writeTime(timeSigned, to: &writer)
        writer.writeUInt16(fudge)
        writer.writeUInt16(error)
        writer.writeUInt16(UInt16(truncatingIfNeeded: otherData.count))
        writer.writeBytes(otherData)
        return writer.bytes
    }
}

/// Where a message's TSIG record is and what it holds.
struct TSIGRecordLocation {
    /// The offset of the TSIG record's owner name: the message without TSIG ends here.
    let start: Int
    /// The message's ARCOUNT, the TSIG included.
    let arCount: UInt16
    let owner: DomainName
    let data: RecordData.TSIG

    /// Walks the whole message, checking every length: the TSIG record if the last record of the
    /// additional section is one, nil if the message has none.
    ///
    /// - Throws: ``TSIGFailure`` `.notLast` for a TSIG anywhere else, `.malformed` for octets that do
    ///   not parse (including a TSIG whose class is not ANY or TTL not 0, or whose RDATA is not exact).
    static func find(in message: [UInt8]) throws(TSIGFailure) -> TSIGRecordLocation? {
        do {
            return try walk(message)
        } catch let error as TSIGFailure {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }

    private static func walk(_ message: [UInt8]) throws -> TSIGRecordLocation? {
        var reader = WireReader(message)
        _ = try reader.readUInt32()
        let counts = (try reader.readUInt16(), try reader.readUInt16(), try reader.readUInt16(), try reader.readUInt16())
        for _ in 0..<counts.0 {
            _ = try reader.readName()
            _ = try reader.readUInt32()
        }
        let records = Int(counts.1) + Int(counts.2) + Int(counts.3)
        var found: TSIGRecordLocation? = nil
        for index in 0..<records {
            let start = reader.position
            let owner = try reader.readName()
            let type = RecordType(try reader.readUInt16())
            let recordClass = try reader.readUInt16()
            let ttl = try reader.readUInt32()
            let length = Int(try reader.readUInt16())
            guard type == .tsig else {
                try reader.need(length)
                reader.seek(to: reader.position + length)
                continue
            }
            guard index == records - 1, counts.3 > 0 else { throw TSIGFailure.notLast }
            guard recordClass == RecordClass.any.rawValue else { throw TSIGFailure.malformed("TSIG class \(recordClass) is not ANY") }
            guard ttl == 0 else { throw TSIGFailure.malformed("TSIG TTL \(ttl) is not 0") }
            let data = try reader.withLimit(length) { rdata in
                var tsig = RecordData.TSIG()
                tsig.algorithm = try rdata.readName()
                tsig.timeSigned = UInt64(try rdata.readUInt16()) << 32 | UInt64(try rdata.readUInt32())
                tsig.fudge = try rdata.readUInt16()
                tsig.mac = try rdata.readBytes(Int(try rdata.readUInt16()))
                tsig.originalID = try rdata.readUInt16()
                tsig.error = try rdata.readUInt16()
                tsig.otherData = try rdata.readBytes(Int(try rdata.readUInt16()))
                return tsig
            }
            found = TSIGRecordLocation(start: start, arCount: counts.3, owner: owner, data: data)
        }
        guard reader.remaining == 0 else {
            throw WireFormatError(.trailingMessageData, offset: reader.position, detail: "\(reader.remaining) octets after the message")
        }
        return found
    }
}
