// SPDX-License-Identifier: Apache-2.0
// Unsigned integers, type mnemonics and timestamps.

/// A big-endian unsigned integer of `octets` octets, printed in decimal.
public struct UIntCodec<Value: FixedWidthInteger & UnsignedInteger & Sendable>: FieldCodec {
    let octets: Int
    /// The largest value allowed (A6's prefix length 128), on the wire and in text.
    let max: Value

    /// - Parameters:
    ///   - octets: the wire width; defaults to the type's own (6 for TSIG's 48-bit time in a `UInt64`).
    ///   - max: the largest value allowed.
    public init(octets: Int = Value.bitWidth / 8, max: Value = .max) {
        self.octets = octets
        self.max = max
    }

    @inline(__always)
    public func read(_ reader: inout WireReader) throws -> Value {
        let value: Value
        switch octets {
        case 1: value = Value(try reader.readUInt8())
        case 2: value = Value(try reader.readUInt16())
        case 4: value = Value(try reader.readUInt32())
        default:
            var number: Value = 0
            for _ in 0..<octets { number = number << 8 | Value(try reader.readUInt8()) }
            value = number
        }
        guard value <= max else { throw WireFormatError(.invalidField, offset: reader.position - octets, detail: "\(value) is over \(max)") }
        return value
    }

    public func write(_ value: Value, to writer: inout WireWriter) {
        for shift in stride(from: (octets - 1) * 8, through: 0, by: -8) {
            writer.writeUInt8(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    public func text(_ value: Value) -> String { String(value) }

    public func parse(_ scanner: inout TextScanner) throws -> Value {
        let token = try scanner.next(for: "integer")
        guard let value = Value(token.text), octets >= Value.bitWidth / 8 || value >> (octets * 8) == 0 else {
            throw TextFormatError(.badValue, "\(token.text) is not an integer of \(octets) octets")
        }
        guard value <= max else { throw TextFormatError(.badValue, "\(token.text) is over \(max)") }
        return value
    }
}

/// A record type code, printed as its mnemonic (RRSIG and SIG type covered, DSYNC type).
/// Text may also give the type as a plain number, as BIND accepts.
public struct RecordTypeCodec: FieldCodec {
    /// Whether a type without a mnemonic prints as a bare number (SIG) rather than `TYPE65280`.
    let unknownAsNumber: Bool

    public init(unknownAsNumber: Bool = false) { self.unknownAsNumber = unknownAsNumber }

    public func read(_ reader: inout WireReader) throws -> RecordType { RecordType(try reader.readUInt16()) }
    public func write(_ value: RecordType, to writer: inout WireWriter) { writer.writeUInt16(value.rawValue) }
    public func text(_ value: RecordType) -> String { unknownAsNumber ? value.mnemonicOrNumber : value.description }
    public func parse(_ scanner: inout TextScanner) throws -> RecordType {
        let token = try scanner.next(for: "type")
        guard let type = RecordType(mnemonicOrNumber: token.text) else { throw TextFormatError(.unknownType, token.text) }
        return type
    }
}

/// A code printed through a mnemonic table, or in decimal when it has none
/// (CERT type and algorithm, TSIG error, WKS protocol).
public struct MnemonicCodec<Value: FixedWidthInteger & UnsignedInteger & Sendable>: FieldCodec {
    let names: [Value: String]
    private let number = UIntCodec<Value>()

    public init(names: [Value: String]) { self.names = names }

    public func read(_ reader: inout WireReader) throws -> Value { try number.read(&reader) }
    public func write(_ value: Value, to writer: inout WireWriter) { number.write(value, to: &writer) }
    public func text(_ value: Value) -> String { names[value] ?? String(value) }
    public func parse(_ scanner: inout TextScanner) throws -> Value {
        var probe = scanner
        let token = try probe.next(for: "code").text.uppercased()
        if let match = names.first(where: { $0.value.uppercased() == token }) {
            scanner = probe
            return match.key
        }
        return try number.parse(&scanner)
    }
}

/// A 32-bit time in seconds since 1970, printed `YYYYMMDDHHmmSS` in UTC (RFC 4034 §3.2).
/// Parsing also accepts a plain decimal number of seconds.
public struct TimestampCodec: FieldCodec {
    public func read(_ reader: inout WireReader) throws -> UInt32 { try reader.readUInt32() }
    public func write(_ value: UInt32, to writer: inout WireWriter) { writer.writeUInt32(value) }

    public func text(_ value: UInt32) -> String {
        let seconds = Int(value)
        let (days, daySeconds) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        let parts = [month, day, daySeconds / 3600, daySeconds / 60 % 60, daySeconds % 60]
        return String(year) + parts.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined()
    }

    public func parse(_ scanner: inout TextScanner) throws -> UInt32 {
        let token = try scanner.next(for: "timestamp").text
        let digits = Array(token.utf8)
        guard digits.allSatisfy({ $0 &- 0x30 < 10 }), !digits.isEmpty else {
            throw TextFormatError(.badValue, "\(token) is not a timestamp")
        }
        guard digits.count == 14 else {
            guard let value = UInt32(token) else { throw TextFormatError(.badValue, "\(token) is out of range") }
            return value
        }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let (year, month, day) = (number(0..<4), number(4..<6), number(6..<8))
        let (hour, minute, second) = (number(8..<10), number(10..<12), number(12..<14))
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            throw TextFormatError(.badValue, "\(token) is not a valid date")
        }
        let total = Self.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        // Serial number arithmetic (RFC 1982): times wrap modulo 2^32.
        return UInt32(truncatingIfNeeded: total)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
