// SPDX-License-Identifier: Apache-2.0
// EDNS(0): the data of the OPT pseudo-record (RFC 6891).

/// The EDNS(0) data carried in a message's OPT pseudo-record (RFC 6891 §6.1).
public struct EDNS: Hashable, Sendable {
    /// The largest UDP payload the sender can receive; 1232 avoids IP fragmentation (DNS Flag Day 2020).
    public var udpPayloadSize: UInt16
    public var version: UInt8
    /// The DO bit: the sender wants DNSSEC records (RFC 3225).
    public var dnssecOK: Bool
    /// The other 15 flag bits, reserved (Z); kept so they survive a round trip.
    public var reservedFlags: UInt16
    public var options: [EDNSOption]
    /// The upper 8 bits of the 12-bit RCODE; ``DNSMessage/responseCode`` holds the whole code.
    var extendedResponseCodeHigh: UInt8 = 0

    public init(udpPayloadSize: UInt16 = 1232, version: UInt8 = 0, dnssecOK: Bool = false, options: [EDNSOption] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.version = version
        self.dnssecOK = dnssecOK
        self.reservedFlags = 0
        self.options = options
    }

    /// Reads an OPT record's fields after its owner and type (RFC 6891 §6.1.2).
    init(reading reader: inout WireReader) throws {
        let (payloadSize, ttl) = (try reader.readUInt16(), try reader.readUInt32())
        try self.init(payloadSize: payloadSize, ttl: ttl, options: try reader.readBytes(Int(try reader.readUInt16())))
    }

    /// Reads an OPT record already read as a record (its data opaque).
    init(record: DNSRecord) throws {
        try self.init(
            payloadSize: record.recordClass.rawValue, ttl: record.ttl, options: record.data.as(RecordData.Opaque.self)?.bytes ?? [])
    }

    /// An OPT record's CLASS (the payload size), TTL (the extended RCODE, version and flags)
    /// and RDATA (the options).
    private init(payloadSize: UInt16, ttl: UInt32, options: [UInt8]) throws {
        udpPayloadSize = payloadSize
        extendedResponseCodeHigh = UInt8(ttl >> 24)
        version = UInt8(truncatingIfNeeded: ttl >> 16)
        dnssecOK = ttl & 0x8000 != 0
        reservedFlags = UInt16(ttl & 0x7FFF)
        self.options = try EDNSOption.parseList(options)
    }

    /// Writes the OPT record for these values, with the given upper RCODE bits.
    func write(to writer: inout WireWriter, extendedResponseCodeHigh: UInt8) throws {
        let ttl = UInt32(extendedResponseCodeHigh) << 24 | UInt32(version) << 16 | (dnssecOK ? 0x8000 : 0) | UInt32(reservedFlags)
        try writer.writeRecord(name: .root, type: .opt, class: udpPayloadSize, ttl: ttl) { writer in
            for option in options { option.write(to: &writer) }
        }
    }

    public static func == (lhs: EDNS, rhs: EDNS) -> Bool {
        (lhs.udpPayloadSize, lhs.version, lhs.dnssecOK, lhs.reservedFlags) == (rhs.udpPayloadSize, rhs.version, rhs.dnssecOK, rhs.reservedFlags)
            && lhs.options == rhs.options
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(udpPayloadSize)
        hasher.combine(version)
        hasher.combine(dnssecOK)
        hasher.combine(options)
    }

    /// The padding option that makes a message of `length` octets (already including this
    /// OPT record without the option) a multiple of `blockSize` (RFC 8467 §4.1).
    public static func padding(messageLength length: Int, blockSize: Int) -> EDNSOption {
        let withHeader = length + 4
        return .padding((blockSize - withHeader % blockSize) % blockSize)
    }
}
