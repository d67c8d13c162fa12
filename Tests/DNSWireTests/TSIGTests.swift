// SPDX-License-Identifier: Apache-2.0
// TSIG (RFC 8945): keys, signing and verification against dnspython's golden vectors, and every failure.

import DNSWire
import Foundation
import Testing

@testable import DNSTestSupport

/// Tests/DNSWireTests/Fixtures/tsig/vectors.json, written by Scripts/fixtures/generate-tsig-fixtures.sh.
struct TSIGFixtures: Decodable {
    struct Vector: Decodable, CustomTestStringConvertible, Sendable {
        let algorithm: String
        let keyName: String
        let secret: String
        let queryTime: UInt64
        let query: String
        let signedQuery: String
        let requestMAC: String
        let responseTime: UInt64
        let response: String
        var testDescription: String { algorithm }
    }

    struct Transfer: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let algorithm: String
        let keyName: String
        let secret: String
        let queryTime: UInt64
        let query: String
        let signedQuery: String
        let responseTime: UInt64
        let messages: [String]
        let signed: [Bool]
        var testDescription: String { name }
    }

    let fudge: UInt16
    let vectors: [Vector]
    let transfers: [Transfer]

    static let loaded: TSIGFixtures = {
        let data = try! Data(contentsOf: fixtureURL("tsig/vectors.json"))
        return try! JSONDecoder().decode(TSIGFixtures.self, from: data)
    }()
}

private func makeKey(_ algorithm: String, _ name: String, _ secret: String) throws -> TSIGKey {
    TSIGKey(name: try DomainName(name), algorithm: try TSIGAlgorithm(parsing: algorithm), secret: BaseEncoding.base64.decode(secret)!)
}

extension TSIGFixtures.Vector {
    func key() throws -> TSIGKey { try makeKey(algorithm, keyName, secret) }

    /// A session that has signed this vector's query, as dnspython did.
    func signedSession() throws -> TSIGSession {
        var session = TSIGSession(key: try key())
        _ = try session.sign(hex(query), now: queryTime)
        return session
    }
}

extension TSIGFixtures.Transfer {
    func signedSession() throws -> TSIGSession {
        var session = TSIGSession(key: try makeKey(algorithm, keyName, secret))
        _ = try session.sign(hex(query), now: queryTime)
        return session
    }

    var wires: [[UInt8]] { messages.map { hex($0) } }
}

private let sha256 = TSIGFixtures.loaded.vectors.first { $0.algorithm == "hmac-sha256" }!
private let unsignedMiddle = TSIGFixtures.loaded.transfers.first { $0.name == "unsigned-middle" }!
private let allSigned = TSIGFixtures.loaded.transfers.first { $0.name == "all-signed" }!

/// The message with its TSIG record rebuilt after `change` (and the record's class and TTL as given).
private func rewritingTSIG(
    _ wire: [UInt8], recordClass: UInt16 = 255, ttl: UInt32 = 0, _ change: (inout RecordData.TSIG) -> Void
) throws -> [UInt8] {
    let record = try #require(try DNSMessage(wire: wire).additionals.last)
    var tsig = try #require(record.data.as(RecordData.TSIG.self))
    change(&tsig)
    let rdata = try RecordData(type: .tsig, tsig).serialize()
    var out = try TSIGSession.strip(wire)
    out += record.name.wire + [0x00, 0xFA] + bigEndian(recordClass) + bigEndian(ttl) + bigEndian(UInt16(rdata.count)) + rdata
    return adjustingARCount(out, by: 1)
}

private func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<MemoryLayout<T>.size).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

private func adjustingARCount(_ wire: [UInt8], by delta: Int) -> [UInt8] {
    var out = wire
    let count = (Int(wire[10]) << 8 | Int(wire[11])) + delta
    out[10] = UInt8(count >> 8)
    out[11] = UInt8(count & 0xFF)
    return out
}

@Suite struct TSIGAlgorithmTests {
    @Test func namesSizesAndMinimums() throws {
        let expected: [(TSIGAlgorithm, String, Int, Int)] = [
            (.hmacMD5, "hmac-md5.sig-alg.reg.int.", 16, 10), (.hmacSHA1, "hmac-sha1.", 20, 10),
            (.hmacSHA224, "hmac-sha224.", 28, 14), (.hmacSHA256, "hmac-sha256.", 32, 16),
            (.hmacSHA384, "hmac-sha384.", 48, 24), (.hmacSHA512, "hmac-sha512.", 64, 32),
        ]
        #expect(TSIGAlgorithm.allCases.count == expected.count)
        for (algorithm, name, digest, minimum) in expected {
            #expect(algorithm.name.description == name)
            #expect(algorithm.digestSize == digest)
            #expect(algorithm.minimumMACSize == minimum)
            #expect(try TSIGAlgorithm(name: DomainName(name.uppercased())) == algorithm)
            #expect(try TSIGAlgorithm(parsing: algorithm.description.uppercased()) == algorithm)
            #expect(try TSIGAlgorithm(parsing: name) == algorithm)
        }
    }

    @Test func unknownAlgorithmsAreErrors() throws {
        #expect(throws: TSIGError(.unknownAlgorithm, "")) { try TSIGAlgorithm(name: DomainName("gss-tsig.")) }
        for text in ["sha256", "hmac-sha3", "", "md5", "hmac-md5.sig-alg", "hmac-sha256.."] {
            let error = #expect(throws: TSIGError.self) { try TSIGAlgorithm(parsing: text) }
            #expect(error?.code == .unknownAlgorithm)
            #expect(error?.message.contains("hmac-sha256") == true)
        }
    }
}

@Suite struct TSIGKeyParsingTests {
    static let secret = "c2VjcmV0LXNlY3JldA=="  // "secret-secret"

    @Test func digFormWithAlgorithm() throws {
        let key = try TSIGKey(parsing: "hmac-sha256:tsigkey:\(Self.secret)")
        #expect(key.name == (try DomainName("tsigkey.")))
        #expect(key.algorithm == .hmacSHA256)
        #expect(key.secret == Array("secret-secret".utf8))
        #expect(key.macSize == 32)
        #expect(try TSIGKey(parsing: "hmac-sha256:tsigkey.:\(Self.secret)") == key)
    }

    @Test func digFormWithoutAlgorithmIsDigsDefault() throws {
        let key = try TSIGKey(parsing: "tsigkey:\(Self.secret)")
        #expect(key.algorithm == .hmacMD5)
        #expect(key.algorithm == TSIGKey.digDefaultAlgorithm)
        #expect(key.name == (try DomainName("tsigkey")))
    }

    @Test(arguments: TSIGAlgorithm.allCases)
    func digFormTakesEveryAlgorithm(_ algorithm: TSIGAlgorithm) throws {
        for spelling in [algorithm.description, algorithm.description.uppercased(), algorithm.name.description] {
            let key = try TSIGKey(parsing: "\(spelling):k.example:\(Self.secret)")
            #expect(key.algorithm == algorithm)
            #expect(key.macSize == algorithm.digestSize)
        }
    }

    @Test func digFormTruncation() throws {
        #expect(try TSIGKey(parsing: "hmac-sha256-128:k:\(Self.secret)").macSize == 16)
        #expect(try TSIGKey(parsing: "hmac-sha256-129:k:\(Self.secret)").macSize == 17)
        #expect(try TSIGKey(parsing: "hmac-md5-80:k:\(Self.secret)").macSize == 10)
        #expect(try TSIGKey(parsing: "hmac-sha512-512:k:\(Self.secret)").macSize == 64)
        for bad in ["hmac-sha256-120", "hmac-sha256-300", "hmac-sha256-0", "hmac-md5-72"] {
            #expect(throws: TSIGError(.badTruncation, "")) { try TSIGKey(parsing: "\(bad):k:\(Self.secret)") }
        }
        #expect(throws: TSIGError(.badTruncation, "")) {
            try TSIGKey(name: DomainName("k"), algorithm: .hmacSHA1, secret: [1], macSize: 21)
        }
    }

    @Test func digFormBadInputs() throws {
        let cases: [(String, TSIGError.Code)] = [
            ("", .badForm), ("tsigkey", .badForm), ("a:b:c:d", .badForm), (":k:\(Self.secret)", .badForm),
            ("hmac-sha256::\(Self.secret)", .badForm), ("k:", .badForm), ("hmac-sha256:k:", .badForm),
            ("sha256:k:\(Self.secret)", .unknownAlgorithm), ("hmac-sha3:k:\(Self.secret)", .unknownAlgorithm),
            ("k:not base64!", .badSecret), ("k:c2Vjc", .badSecret), ("k:====", .badSecret),
            ("hmac-sha1:a..b:\(Self.secret)", .badForm),
        ]
        for (text, code) in cases {
            let error = #expect(throws: TSIGError.self, "\(text)") { try TSIGKey(parsing: text) }
            #expect(error?.code == code, "\(text): \(String(describing: error))")
            #expect(error.map { !$0.message.isEmpty } == true)
        }
    }

    static let secret2 = "b3RoZXItc2VjcmV0"  // "other-secret"

    @Test func bindKeyFileWithTwoKeysAndComments() throws {
        let text = """
            # written by tsig-keygen
            key "tsigkey." {
                algorithm hmac-sha256;   // the default
                secret "\(Self.secret)";
            };
            /* a second key,
               over two lines */
            key Other-Key {
            \tsecret "b3Ro ZXIt
             c2VjcmV0";  # base64 split by white space, as BIND allows
            \talgorithm "HMAC-SHA512";
            };
            key trunc.example { algorithm hmac-sha1-80; secret \(Self.secret2); };
            """
        let keys = try TSIGKey.keys(inKeyFile: text)
        #expect(keys.count == 3)
        #expect(keys[0] == (try TSIGKey(parsing: "hmac-sha256:tsigkey:\(Self.secret)")))
        #expect(keys[1].name.description == "Other-Key.")
        #expect(keys[1].algorithm == .hmacSHA512)
        #expect(keys[1].secret == Array("other-secret".utf8))
        #expect(keys[2].algorithm == .hmacSHA1 && keys[2].macSize == 10)
        #expect(try TSIGKey.keys(inKeyFile: "// nothing\n# at all\n/* here */").isEmpty)
    }

    @Test func bindKeyFileBadInputs() throws {
        let good = "algorithm hmac-sha256; secret \"\(Self.secret)\";"
        let cases: [(String, TSIGError.Code)] = [
            ("key k { \(good) }", .badForm),  // no ';' after '}'
            ("key k { algorithm hmac-sha256 secret \"\(Self.secret)\"; };", .badForm),
            ("key k { \(good) owner x; };", .badForm),
            ("key k { algorithm hmac-sha256; };", .badSecret),
            ("key k { secret \"\(Self.secret)\"; };", .badForm),
            ("key k { \(good) algorithm hmac-sha1; };", .badForm),
            ("key k { \(good) }; key K { \(good) };", .badForm),
            ("key k { \(good) }; /* open", .badForm),
            ("key \"k { \(good) };", .badForm),
            ("options { };", .badForm),
            ("key k { \(good)", .badForm),
            ("key { \(good) };", .badForm),
            ("key k { algorithm hmac-sha3; secret \"\(Self.secret)\"; };", .unknownAlgorithm),
            ("key k { algorithm hmac-sha256; secret \"not base64!\"; };", .badSecret),
            ("key k { algorithm hmac-sha256-8; secret \"\(Self.secret)\"; };", .badTruncation),
        ]
        for (text, code) in cases {
            let error = #expect(throws: TSIGError.self, "\(text)") { try TSIGKey.keys(inKeyFile: text) }
            #expect(error?.code == code, "\(text): \(String(describing: error))")
        }
    }

    @Test func descriptionNeverShowsTheSecret() throws {
        let key = try TSIGKey(parsing: "hmac-sha256:tsigkey:\(Self.secret)")
        #expect(key.description == "TSIGKey(name: tsigkey., algorithm: hmac-sha256, secret: 13 octets)")
        #expect(String(reflecting: key) == key.description)
        #expect("\(key)" == key.description)
        var dumped = ""
        dump(key, to: &dumped)
        let secretBytes = key.secret.map(String.init).joined(separator: ", ")
        for text in [key.description, String(reflecting: key), dumped, "\([key])"] {
            #expect(!text.contains(Self.secret) && !text.contains("secret-secret") && !text.contains(secretBytes), "\(text)")
        }
        #expect(try TSIGKey(parsing: "hmac-sha256-128:k:\(Self.secret)").description.contains("hmac-sha256-128"))
    }
}

@Suite struct TSIGGoldenTests {
    static let fixtures = TSIGFixtures.loaded

    @Test(arguments: fixtures.vectors)
    func signedQueryMatchesDnspython(_ vector: TSIGFixtures.Vector) throws {
        var session = TSIGSession(key: try vector.key(), fudge: Self.fixtures.fudge)
        let signed = try session.sign(hex(vector.query), now: vector.queryTime)
        #expect(hexString(signed) == vector.signedQuery)
        #expect(session.requestMAC == hex(vector.requestMAC))
        // DNSMessage reads the TSIG back as the last additional record
        let message = try DNSMessage(wire: signed)
        let tsig = try #require(message.additionals.last?.data.as(RecordData.TSIG.self))
        #expect(tsig.timeSigned == vector.queryTime && tsig.originalID == message.id && tsig.fudge == 300)
    }

    @Test(arguments: fixtures.vectors)
    func dnspythonResponseVerifies(_ vector: TSIGFixtures.Vector) throws {
        var session = try vector.signedSession()
        #expect(session.verify(hex(vector.response), now: vector.responseTime + 1) == .verified)
        #expect(session.finish() == .verified)
        #expect(session.messageCount == 1)
    }

    @Test(arguments: fixtures.transfers)
    func dnspythonTransferVerifies(_ transfer: TSIGFixtures.Transfer) throws {
        var session = try transfer.signedSession()
        #expect(hexString(try TSIGSession(key: session.key).signing(hex(transfer.query), at: transfer.queryTime)) == transfer.signedQuery)
        let verdicts = transfer.wires.map { session.verify($0, now: transfer.responseTime) }
        #expect(verdicts == transfer.signed.map { $0 ? .verified : .pending })
        #expect(session.finish() == .verified)
    }

    @Test func unsignedMiddleIsPendingUntilTheNextSignedMessage() throws {
        var session = try unsignedMiddle.signedSession()
        let wires = unsignedMiddle.wires
        #expect(session.verify(wires[0], now: unsignedMiddle.responseTime) == .verified)
        #expect(session.verify(wires[1], now: unsignedMiddle.responseTime) == .pending)
        #expect(session.finish() == .failed(.unsigned(message: 2)))
        #expect(session.verify(wires[2], now: unsignedMiddle.responseTime) == .verified)
        #expect(session.finish() == .verified)
    }

    @Test(arguments: fixtures.transfers)
    func lastMessageUnsignedFailsFinish(_ transfer: TSIGFixtures.Transfer) throws {
        var session = try transfer.signedSession()
        var wires = transfer.wires
        wires[2] = try TSIGSession.strip(wires[2])
        let verdicts = wires.map { session.verify($0, now: transfer.responseTime) }
        #expect(verdicts[0] == .verified && verdicts[2] == .pending)
        #expect(session.finish() == .failed(.unsigned(message: 3)))
        #expect(session.finish().description.contains("message 3"))
    }

    @Test func alteredUnsignedMiddleFailsTheNextSignedMessage() throws {
        var session = try unsignedMiddle.signedSession()
        var wires = unsignedMiddle.wires
        wires[1][wires[1].count - 1] ^= 0x01  // the last octet of the last A record's address
        #expect(session.verify(wires[0], now: unsignedMiddle.responseTime) == .verified)
        #expect(session.verify(wires[1], now: unsignedMiddle.responseTime) == .pending)
        #expect(session.verify(wires[2], now: unsignedMiddle.responseTime) == .failed(.badMAC))
        #expect(session.finish() == .failed(.badMAC))
    }

    @Test func droppedOrReorderedMessagesFail() throws {
        var dropped = try allSigned.signedSession()
        let wires = allSigned.wires
        #expect(dropped.verify(wires[0], now: allSigned.responseTime) == .verified)
        #expect(dropped.verify(wires[2], now: allSigned.responseTime) == .failed(.badMAC))
        var skipped = try unsignedMiddle.signedSession()
        #expect(skipped.verify(unsignedMiddle.wires[0], now: unsignedMiddle.responseTime) == .verified)
        #expect(skipped.verify(unsignedMiddle.wires[2], now: unsignedMiddle.responseTime) == .failed(.badMAC))
        var later = try allSigned.signedSession()
        #expect(later.verify(wires[1], now: allSigned.responseTime) == .failed(.badMAC))  // later messages hold timers only
    }

    @Test func atMost99UnsignedMessagesInARow() throws {
        var session = try unsignedMiddle.signedSession()
        let wires = unsignedMiddle.wires
        #expect(session.verify(wires[0], now: unsignedMiddle.responseTime) == .verified)
        for _ in 0..<TSIGSession.maxUnsignedInARow {
            #expect(session.verify(wires[1], now: unsignedMiddle.responseTime) == .pending)
        }
        #expect(session.verify(wires[1], now: unsignedMiddle.responseTime) == .failed(.tooManyUnsigned(count: 100)))
        #expect(session.verify(wires[2], now: unsignedMiddle.responseTime) == .failed(.tooManyUnsigned(count: 100)))
        #expect(session.finish() == .failed(.tooManyUnsigned(count: 100)))
    }

    @Test func truncatedSigningSendsThePrefixOfTheFullMAC() throws {
        let full = try sha256.key()
        let key = try TSIGKey(name: full.name, algorithm: full.algorithm, secret: full.secret, macSize: 16)
        var session = TSIGSession(key: key)
        let signed = try session.sign(hex(sha256.query), now: sha256.queryTime)
        #expect(signed == (try rewritingTSIG(hex(sha256.signedQuery)) { $0.mac = Array($0.mac.prefix(16)) }))
        #expect(session.requestMAC == Array(hex(sha256.requestMAC).prefix(16)))
    }

    @Test(arguments: fixtures.vectors)
    func stripRemovesTheTSIG(_ vector: TSIGFixtures.Vector) throws {
        #expect(try TSIGSession.strip(hex(vector.signedQuery)) == hex(vector.query))
        #expect(try TSIGSession.strip(hex(vector.query)) == hex(vector.query))
        let response = try DNSMessage(wire: hex(vector.response))
        let stripped = try DNSMessage(wire: TSIGSession.strip(hex(vector.response)))
        #expect(stripped.additionals == Array(response.additionals.dropLast()))
        #expect(stripped.answers == response.answers && stripped.edns == response.edns)
    }
}

extension TSIGSession {
    /// A copy that has signed `query`: the signed octets.
    func signing(_ query: [UInt8], at time: UInt64) throws -> [UInt8] {
        var copy = self
        return try copy.sign(query, now: time)
    }
}

@Suite struct TSIGFailureTests {
    static let vectors = TSIGFixtures.loaded.vectors

    private func verdict(_ vector: TSIGFixtures.Vector, _ response: [UInt8], now: UInt64? = nil) throws -> TSIGVerdict {
        var session = try vector.signedSession()
        return session.verify(response, now: now ?? vector.responseTime + 1)
    }

    @Test(arguments: vectors)
    func flippedBitsFail(_ vector: TSIGFixtures.Vector) throws {
        let response = hex(vector.response)
        let badMAC = try rewritingTSIG(response) { $0.mac[$0.mac.count - 1] ^= 0x01 }
        #expect(try verdict(vector, badMAC) == .failed(.badMAC))
        var badBody = response
        badBody[3] ^= 0x10  // CD
        #expect(try verdict(vector, badBody) == .failed(.badMAC))
        let badOriginalID = try rewritingTSIG(response) { $0.originalID ^= 0x0100 }
        #expect(try verdict(vector, badOriginalID) == .failed(.badMAC))
        let badFudge = try rewritingTSIG(response) { $0.fudge += 1 }
        #expect(try verdict(vector, badFudge) == .failed(.badMAC))
        let otherData = try rewritingTSIG(response) { $0.otherData = [0] }
        #expect(try verdict(vector, otherData) == .failed(.badMAC))
    }

    @Test func wrongKeyNameOrAlgorithm() throws {
        let right = try sha256.key()
        for key in [
            TSIGKey(name: try DomainName("other.keys.test"), algorithm: right.algorithm, secret: right.secret),
            TSIGKey(name: right.name, algorithm: .hmacSHA512, secret: right.secret),
        ] {
            var session = TSIGSession(key: key)
            _ = try session.sign(hex(sha256.query), now: sha256.queryTime)
            let verdict = session.verify(hex(sha256.response), now: sha256.responseTime)
            #expect(verdict == .failed(.wrongKey(name: right.name, algorithm: TSIGAlgorithm.hmacSHA256.name)))
            #expect(verdict.description.contains("another key"))
        }
        // the key name compares without regard to case
        var session = TSIGSession(key: TSIGKey(name: try DomainName("key-sha256.example"), algorithm: .hmacSHA256, secret: right.secret))
        _ = try session.sign(hex(sha256.query), now: sha256.queryTime)
        #expect(session.verify(hex(sha256.response), now: sha256.responseTime) == .verified)
    }

    @Test func wrongSecret() throws {
        let right = try sha256.key()
        var session = TSIGSession(key: TSIGKey(name: right.name, algorithm: right.algorithm, secret: Array(right.secret.dropLast())))
        _ = try session.sign(hex(sha256.query), now: sha256.queryTime)
        #expect(session.verify(hex(sha256.response), now: sha256.responseTime) == .failed(.badMAC))
    }

    @Test func timeOutsideTheFudge() throws {
        let response = hex(sha256.response)
        let signedAt = sha256.responseTime
        #expect(try verdict(sha256, response, now: signedAt + 300) == .verified)
        #expect(try verdict(sha256, response, now: signedAt - 300) == .verified)
        #expect(try verdict(sha256, response, now: signedAt + 301) == .failed(.badTime(timeSigned: signedAt, fudge: 300, now: signedAt + 301)))
        #expect(try verdict(sha256, response, now: signedAt - 301) == .failed(.badTime(timeSigned: signedAt, fudge: 300, now: signedAt - 301)))
        #expect(try verdict(sha256, response, now: 0) == .failed(.badTime(timeSigned: signedAt, fudge: 300, now: 0)))
        #expect(try verdict(sha256, response, now: .max) == .failed(.badTime(timeSigned: signedAt, fudge: 300, now: .max)))
    }

    @Test(arguments: vectors)
    func macLengths(_ vector: TSIGFixtures.Vector) throws {
        let algorithm = try TSIGAlgorithm(parsing: vector.algorithm)
        let response = hex(vector.response)
        let minimum = algorithm.minimumMACSize
        for size in [minimum, minimum + 1, algorithm.digestSize - 1] {
            let truncated = try rewritingTSIG(response) { $0.mac = Array($0.mac.prefix(size)) }
            #expect(try verdict(vector, truncated) == .verified, "\(size) octets")
        }
        for size in [minimum - 1, 1, 0] {
            let truncated = try rewritingTSIG(response) { $0.mac = Array($0.mac.prefix(size)) }
            #expect(try verdict(vector, truncated) == .failed(.macTooShort(size: size, minimum: minimum)), "\(size) octets")
        }
        let long = try rewritingTSIG(response) { $0.mac += [0] }
        #expect(try verdict(vector, long) == .failed(.macTooLong(size: algorithm.digestSize + 1, maximum: algorithm.digestSize)))
        let badTruncated = try rewritingTSIG(response) {
            $0.mac = Array($0.mac.prefix(minimum))
            $0.mac[0] ^= 0x80
        }
        #expect(try verdict(vector, badTruncated) == .failed(.badMAC))
    }

    @Test(arguments: [UInt16(16), 17, 18, 19, 20, 21, 22])
    func serverErrorsSurface(_ code: UInt16) throws {
        var response = try rewritingTSIG(hex(sha256.response)) {
            $0.error = code
            $0.mac = []
        }
        response[3] = response[3] & 0xF0 | 9  // NOTAUTH
        var session = try sha256.signedSession()
        #expect(session.verify(response, now: sha256.responseTime) == .serverError(code))
        #expect(session.finish() == .serverError(code))
        #expect(session.verify(hex(sha256.response), now: sha256.responseTime) == .serverError(code))  // the exchange is over
        let name = ["BADSIG", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC"][Int(code) - 16]
        #expect(TSIGVerdict.serverError(code).description.contains(name))
    }

    @Test func signedBadTimeIsAServerErrorEvenOutsideTheFudge() throws {
        let response = try rewritingTSIG(hex(sha256.response)) {
            $0.error = 18
            $0.otherData = [0x00, 0x00, 0x65, 0x53, 0xF1, 0x00]
        }
        #expect(try verdict(sha256, response, now: 1) == .serverError(18))
    }

    @Test func unsignedResponseToASignedQuery() throws {
        let unsigned = try TSIGSession.strip(hex(sha256.response))
        #expect(try verdict(sha256, unsigned) == .failed(.unsigned(message: 1)))
        #expect(TSIGVerdict.failed(.unsigned(message: 1)).description == "TSIG verification failed: the response is not signed")
    }

    @Test func tsigNotLast() throws {
        let response = hex(sha256.response)
        let extra = hex("0161 00 0001 0001 00000e10 0004 c0000201")
        #expect(try verdict(sha256, adjustingARCount(response + extra, by: 1)) == .failed(.notLast))
        // the same TSIG as the only record of the answer section
        let stripped = try TSIGSession.strip(response)
        let tsigRecord = Array(response[stripped.count...])
        var query = hex(sha256.query)
        query[2] |= 0x80
        query[7] = 1  // ANCOUNT
        query[11] = 0  // no OPT in this copy
        let question = Array(query[12..<(12 + 21)])  // www.example.org. A IN
        let inAnswer = Array(query[0..<12]) + question + tsigRecord
        #expect(try verdict(sha256, inAnswer) == .failed(.notLast))
        // two TSIG records
        #expect(try verdict(sha256, adjustingARCount(response + tsigRecord, by: 1)) == .failed(.notLast))
    }

    @Test func malformedTSIGRecords() throws {
        let response = hex(sha256.response)
        let start = try TSIGSession.strip(response).count
        let ownerLength = 20  // Key-SHA256.Example.
        let rdlengthAt = start + ownerLength + 8
        let rdataAt = rdlengthAt + 2
        let macSizeAt = rdataAt + 13 + 8
        let otherLengthAt = response.count - 2
        func patched(_ offset: Int, _ value: UInt16) -> [UInt8] {
            var out = response
            out[offset] = UInt8(value >> 8)
            out[offset + 1] = UInt8(value & 0xFF)
            return out
        }
        let rdlength = Int(response[rdlengthAt]) << 8 | Int(response[rdlengthAt + 1])
        #expect(rdlength == response.count - rdataAt)
        let cases: [(String, [UInt8])] = [
            ("RDLENGTH one short", patched(rdlengthAt, UInt16(rdlength - 1))),
            ("RDLENGTH one long", patched(rdlengthAt, UInt16(rdlength + 1))),
            ("RDLENGTH 0", patched(rdlengthAt, 0)),
            ("RDLENGTH 0xFFFF", patched(rdlengthAt, 0xFFFF)),
            ("MAC size past the RDATA", patched(macSizeAt, 0x0100)),
            ("MAC size one short", patched(macSizeAt, 31)),
            ("other length past the RDATA", patched(otherLengthAt, 1)),
            ("octet after the message", response + [0]),
            ("class IN", try rewritingTSIG(response, recordClass: 1) { _ in }),
            ("TTL 1", try rewritingTSIG(response, ttl: 1) { _ in }),
            ("algorithm name cut", Array(response[..<(rdataAt + 5)])),
            ("header only", Array(response[..<12])),
        ]
        for (name, wire) in cases {
            let result = try verdict(sha256, wire)
            guard case .failed(.malformed(let detail)) = result else {
                Issue.record("\(name): \(result)")
                continue
            }
            #expect(!detail.isEmpty, "\(name)")
        }
        #expect(throws: TSIGFailure.self) { try TSIGSession.strip(patched(rdlengthAt, 0)) }
        // a count that promises a record after the TSIG
        #expect(try verdict(sha256, adjustingARCount(response, by: 1)) == .failed(.notLast))
    }

    /// Every prefix, and every octet of the TSIG record set to 0x00 and 0xFF: never a trap, never `.verified`.
    @Test(arguments: vectors)
    func everyCorruptionFailsWithoutATrap(_ vector: TSIGFixtures.Vector) throws {
        let response = hex(vector.response)
        let session = try vector.signedSession()
        let now = vector.responseTime
        for length in 0..<response.count {
            var copy = session
            #expect(copy.verify(Array(response[..<length]), now: now) != .verified, "prefix \(length)")
        }
        let start = try TSIGSession.strip(response).count
        for offset in start..<response.count {
            for value: UInt8 in [0x00, 0xFF] where response[offset] != value {
                var wire = response
                wire[offset] = value
                var copy = session
                #expect(copy.verify(wire, now: now) != .verified, "offset \(offset) = \(value)")
            }
        }
    }

    @Test func aFailedCopyLeavesTheSessionUsable() throws {
        let session = try sha256.signedSession()
        var trial = session
        #expect(trial.verify(hex(sha256.query), now: sha256.responseTime) == .failed(.unsigned(message: 1)))
        #expect(trial.finish() == .failed(.unsigned(message: 1)))
        var real = session
        #expect(real.verify(hex(sha256.response), now: sha256.responseTime) == .verified)
    }

    @Test func misuse() throws {
        var fresh = TSIGSession(key: try sha256.key())
        #expect(fresh.finish() == .failed(.noSignedRequest))
        #expect(fresh.verify(hex(sha256.response), now: sha256.responseTime) == .failed(.noSignedRequest))
        let signed = try sha256.signedSession()
        #expect(signed.finish() == .failed(.noResponse))
    }

    @Test func signingRejectsBadQueries() throws {
        var session = TSIGSession(key: try sha256.key())
        let cases: [[UInt8]] = [[], Array(hex(sha256.query).prefix(11)), hex(sha256.query) + [0], hex(sha256.signedQuery)]
        for query in cases {
            let error = #expect(throws: TSIGError.self) { try session.sign(query, now: sha256.queryTime) }
            #expect(error?.code == .badMessage)
        }
        #expect(throws: TSIGError(.badMessage, "")) { try session.sign(hex(sha256.query), now: 1 << 48) }
        #expect(session.requestMAC == nil)
        // the largest time that fits is signed
        let signed = try session.sign(hex(sha256.query), now: (1 << 48) - 1)
        #expect(try DNSMessage(wire: signed).additionals.last?.data.as(RecordData.TSIG.self)?.timeSigned == (1 << 48) - 1)
    }

    @Test func signingAQueryOfNearly65535Octets() throws {
        // the query's OPT record grown by a padding option, so that the signed query would pass 65535 octets
        var grown = hex(sha256.query)
        let optionLength = 65535 - grown.count - 4 - 40
        let rdlengthAt = 12 + 21 + 9  // header, www.example.org. A IN, the OPT's owner, type, class and TTL
        grown += [0x00, 0x0C] + bigEndian(UInt16(optionLength)) + [UInt8](repeating: 0, count: optionLength)
        let rdlength = (Int(grown[rdlengthAt]) << 8 | Int(grown[rdlengthAt + 1])) + 4 + optionLength
        grown[rdlengthAt] = UInt8(rdlength >> 8)
        grown[rdlengthAt + 1] = UInt8(rdlength & 0xFF)
        _ = try DNSMessage(wire: grown)
        var session = TSIGSession(key: try sha256.key())
        #expect(throws: TSIGError(.badMessage, "")) { try session.sign(grown, now: sha256.queryTime) }
    }
}
