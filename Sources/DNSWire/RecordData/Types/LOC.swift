// SPDX-License-Identifier: Apache-2.0
// The LOC record (RFC 1876): location as latitude, longitude, altitude and precision.

extension RecordData {
    /// A geographical location (RFC 1876).
    /// Presentation: `52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m`
    /// (latitude, longitude, altitude, size, horizontal and vertical precision).
    public struct LOC: RecordDataType {
        /// Always 0; other versions are rejected.
        public var version: UInt8 = 0
        /// Sizes and precisions as the RFC's mantissa (high nibble) and power of ten (low nibble), in cm.
        public var size: UInt8 = 0x12
        public var horizontalPrecision: UInt8 = 0x16
        public var verticalPrecision: UInt8 = 0x13
        /// Thousandths of an arc second, 2^31 at the equator / prime meridian.
        public var latitude: UInt32 = 1 << 31
        public var longitude: UInt32 = 1 << 31
        /// Centimetres above a base 100,000 m below the WGS 84 spheroid.
        public var altitude: UInt32 = 10_000_000
        public init() {}
    }
}

extension RecordData.LOC {
    static let schema = RecordSchema<Self>(
        .loc,
        [
            RecordField("VERSION", \.version, LOCVersionCodec()),
            RecordField("SIZE", \.size, LOCPrecisionCodec()),
            RecordField("HORIZPRE", \.horizontalPrecision, LOCPrecisionCodec()),
            RecordField("VERTPRE", \.verticalPrecision, LOCPrecisionCodec()),
            RecordField("LATITUDE", \.latitude, LOCCoordinateCodec.latitude),
            RecordField("LONGITUDE", \.longitude, LOCCoordinateCodec.longitude),
            RecordField("ALTITUDE", \.altitude, LOCAltitudeCodec()),
        ],
        text: { loc in
            [
                LOCCoordinateCodec.latitude.text(loc.latitude), LOCCoordinateCodec.longitude.text(loc.longitude),
                LOCAltitudeCodec().text(loc.altitude), LOCPrecisionCodec().text(loc.size),
                LOCPrecisionCodec().text(loc.horizontalPrecision), LOCPrecisionCodec().text(loc.verticalPrecision),
            ].joined(separator: " ")
        },
        parse: { scanner in
            var loc = Self()
            loc.latitude = try LOCCoordinateCodec.latitude.parse(&scanner)
            loc.longitude = try LOCCoordinateCodec.longitude.parse(&scanner)
            loc.altitude = try LOCAltitudeCodec().parse(&scanner)
            for key in [\Self.size, \.horizontalPrecision, \.verticalPrecision] where !scanner.isAtEnd() {
                loc[keyPath: key] = try LOCPrecisionCodec().parse(&scanner)
            }
            return loc
        })
}

/// The LOC version octet; only version 0 is defined.
struct LOCVersionCodec: FieldCodec {
    func read(_ reader: inout WireReader) throws -> UInt8 {
        let version = try reader.readUInt8()
        guard version == 0 else { throw WireFormatError(.invalidField, offset: reader.position - 1, detail: "LOC version \(version)") }
        return version
    }
    func write(_ value: UInt8, to writer: inout WireWriter) { writer.writeUInt8(value) }
    func text(_ value: UInt8) -> String { String(value) }
    func parse(_ scanner: inout TextScanner) throws -> UInt8 { try UIntCodec<UInt8>().parse(&scanner) }
}

/// A size or precision: mantissa and power of ten in centimetres, printed in metres (`1m`, `0.50m`).
struct LOCPrecisionCodec: FieldCodec {
    func read(_ reader: inout WireReader) throws -> UInt8 {
        let value = try reader.readUInt8()
        // Zero, or a mantissa of 1-9 and an exponent of 0-9: other zeros would print the same.
        guard value == 0 || (1...9).contains(value >> 4) && value & 0x0F <= 9 else {
            throw WireFormatError(.invalidField, offset: reader.position - 1, detail: "LOC precision \(value)")
        }
        return value
    }
    func write(_ value: UInt8, to writer: inout WireWriter) { writer.writeUInt8(value) }

    func text(_ value: UInt8) -> String {
        let mantissa = UInt64(value >> 4)
        let exponent = Int(value & 0x0F)
        if exponent >= 2 { return "\(mantissa * power(exponent - 2))m" }
        let centimetres = mantissa * power(exponent)
        return centimetres < 10 ? "0.0\(centimetres)m" : "0.\(centimetres)m"
    }

    func parse(_ scanner: inout TextScanner) throws -> UInt8 {
        let centimetres = try parseCentimetres(try scanner.next(for: "LOC precision").text, allowNegative: false)
        var exponent = 0
        while exponent < 9, centimetres >= Int64(power(exponent + 1)) { exponent += 1 }
        let mantissa = min(centimetres / Int64(power(exponent)), 9)
        return UInt8(mantissa) << 4 | UInt8(exponent)
    }
}

/// A latitude or longitude, printed `52 22 23.000 N`.
struct LOCCoordinateCodec: FieldCodec {
    let positive: String
    let negative: String
    let maxDegrees: UInt32

    static let latitude = LOCCoordinateCodec(positive: "N", negative: "S", maxDegrees: 90)
    static let longitude = LOCCoordinateCodec(positive: "E", negative: "W", maxDegrees: 180)

    func read(_ reader: inout WireReader) throws -> UInt32 {
        let value = try reader.readUInt32()
        let offset = value >= 1 << 31 ? value - (1 << 31) : (1 << 31) - value
        guard offset <= maxDegrees * 3_600_000 else {
            throw WireFormatError(.invalidField, offset: reader.position - 4, detail: "LOC coordinate out of range")
        }
        return value
    }
    func write(_ value: UInt32, to writer: inout WireWriter) { writer.writeUInt32(value) }

    func text(_ value: UInt32) -> String {
        let hemisphere = value >= 1 << 31 ? positive : negative
        var rest = value >= 1 << 31 ? value - (1 << 31) : (1 << 31) - value
        let thousandths = rest % 1000
        rest /= 1000
        let seconds = rest % 60
        rest /= 60
        let fraction = thousandths < 10 ? "00\(thousandths)" : thousandths < 100 ? "0\(thousandths)" : "\(thousandths)"
        return "\(rest / 60) \(rest % 60) \(seconds).\(fraction) \(hemisphere)"
    }

    /// Reads `degrees [minutes [seconds]] hemisphere`.
    func parse(_ scanner: inout TextScanner) throws -> UInt32 {
        var parts: [String] = []
        while true {
            let token = try scanner.next(for: "LOC coordinate").text.uppercased()
            if token == positive || token == negative {
                guard !parts.isEmpty, parts.count <= 3 else { throw TextFormatError(.badValue, "bad LOC coordinate") }
                let degrees = UInt32(parts[0])
                let minutes = parts.count > 1 ? UInt32(parts[1]) : 0
                let seconds: Int64? = parts.count > 2 ? parseScaled(Substring(parts[2]), decimals: 3) : 0
                guard let degrees, let minutes, let seconds, minutes < 60, seconds < 60_000 else {
                    throw TextFormatError(.badValue, "bad LOC coordinate \(parts.joined(separator: " "))")
                }
                let offset = UInt64(degrees) * 3_600_000 + UInt64(minutes) * 60_000 + UInt64(seconds)
                guard offset <= UInt64(maxDegrees) * 3_600_000 else { throw TextFormatError(.badValue, "LOC coordinate out of range") }
                return token == positive ? UInt32((1 << 31) + offset) : UInt32((1 << 31) - offset)
            }
            parts.append(token)
            guard parts.count <= 3 else { throw TextFormatError(.badValue, "LOC coordinate needs N/S or E/W") }
        }
    }
}

/// An altitude in centimetres above -100,000 m, printed `-2.00m`.
struct LOCAltitudeCodec: FieldCodec {
    func read(_ reader: inout WireReader) throws -> UInt32 { try reader.readUInt32() }
    func write(_ value: UInt32, to writer: inout WireWriter) { writer.writeUInt32(value) }
    func text(_ value: UInt32) -> String {
        let below = value < 10_000_000
        let centimetres = below ? 10_000_000 - value : value - 10_000_000
        let fraction = centimetres % 100 < 10 ? "0\(centimetres % 100)" : "\(centimetres % 100)"
        return "\(below ? "-" : "")\(centimetres / 100).\(fraction)m"
    }
    func parse(_ scanner: inout TextScanner) throws -> UInt32 {
        let centimetres = try parseCentimetres(try scanner.next(for: "LOC altitude").text, allowNegative: true) + 10_000_000
        guard let value = UInt32(exactly: centimetres) else { throw TextFormatError(.badValue, "LOC altitude out of range") }
        return value
    }
}

private func power(_ exponent: Int) -> UInt64 { (0..<exponent).reduce(1) { value, _ in value * 10 } }

/// Parses metres with up to two decimals and an optional `m` into centimetres.
private func parseCentimetres(_ text: String, allowNegative: Bool) throws -> Int64 {
    var body = Substring(text)
    if body.hasSuffix("m") || body.hasSuffix("M") { body = body.dropLast() }
    let negative = body.hasPrefix("-")
    if negative {
        guard allowNegative else { throw TextFormatError(.badValue, "\(text) may not be negative") }
        body = body.dropFirst()
    }
    guard let value = parseScaled(body, decimals: 2), value < 10_000_000_000 else {
        throw TextFormatError(.badValue, "\(text) is not a distance in metres")
    }
    return negative ? -value : value
}

/// Parses an unsigned decimal with at most `decimals` digits after the point, scaled by 10^decimals.
private func parseScaled(_ text: Substring, decimals: Int) -> Int64? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
        parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }), let whole = Int64(parts[0])
    else { return nil }
    let digits = parts.count == 2 ? Array(parts[1]) : []
    guard digits.count <= decimals, parts.count == 1 || !digits.isEmpty else { return nil }
    let padded = String(digits) + String(repeating: "0", count: decimals - digits.count)
    return whole * Int64(power(decimals)) + (Int64(padded) ?? 0)
}
