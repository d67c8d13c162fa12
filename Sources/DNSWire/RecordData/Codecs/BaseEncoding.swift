// SPDX-License-Identifier: Apache-2.0
// Base16, base32hex and base64 (RFC 4648) as DNS presentation uses them, and base64url for DNS over HTTPS.

/// The binary-to-text encodings of DNS presentation format (RFC 4648).
public enum BaseEncoding: Sendable {
    /// Upper-case hex; parsing accepts either case.
    case hex
    /// Base32 with the extended hex alphabet, upper case, no padding (NSEC3, RFC 5155).
    case base32hex
    /// Base64 with padding.
    case base64
    /// Base64 with the URL and file name safe alphabet, no padding (RFC 4648 §5, RFC 8484 §4.1).
    case base64url

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let base32Digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUV".utf8)
    private static let base64Digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let base64urlDigits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public func encode<C: Collection<UInt8>>(_ data: C) -> String {
        var out: [UInt8] = []
        switch self {
        case .hex:
            out.reserveCapacity(data.count * 2)
            for byte in data {
                out.append(Self.hexDigits[Int(byte >> 4)])
                out.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        case .base32hex:
            out = Self.encodeBits(Array(data), bitsPerDigit: 5, digits: Self.base32Digits, pad: false)
        case .base64:
            out = Self.encodeBits(Array(data), bitsPerDigit: 6, digits: Self.base64Digits, pad: true)
        case .base64url:
            out = Self.encodeBits(Array(data), bitsPerDigit: 6, digits: Self.base64urlDigits, pad: false)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes text, ignoring nothing: white space must have been removed by the caller.
    public func decode(_ text: some StringProtocol) -> [UInt8]? {
        let input = Array(text.utf8)
        switch self {
        case .hex:
            guard input.count % 2 == 0 else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(input.count / 2)
            var index = 0
            while index < input.count {
                guard let high = Self.hexValue(input[index]), let low = Self.hexValue(input[index + 1]) else { return nil }
                out.append(high << 4 | low)
                index += 2
            }
            return out
        case .base32hex:
            let upper = input.map { $0 &- 0x61 < 26 ? $0 - 0x20 : $0 }
            return Self.decodeBits(upper, bitsPerDigit: 5, digits: Self.base32Digits, blockDigits: 8)
        case .base64:
            return Self.decodeBits(input, bitsPerDigit: 6, digits: Self.base64Digits, blockDigits: 4)
        case .base64url:
            guard !input.contains(UInt8(ascii: "=")) else { return nil }
            return Self.decodeBits(input, bitsPerDigit: 6, digits: Self.base64urlDigits, blockDigits: 4)
        }
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: return digit - 0x30
        case 0x41...0x46: return digit - 0x37
        case 0x61...0x66: return digit - 0x57
        default: return nil
        }
    }

    private static func encodeBits(_ data: [UInt8], bitsPerDigit: Int, digits: [UInt8], pad: Bool) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        for byte in data {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= bitsPerDigit {
                bits -= bitsPerDigit
                out.append(digits[(buffer >> bits) & ((1 << bitsPerDigit) - 1)])
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { out.append(digits[(buffer << (bitsPerDigit - bits)) & ((1 << bitsPerDigit) - 1)]) }
        if pad { while out.count % 4 != 0 { out.append(UInt8(ascii: "=")) } }
        return out
    }

    /// Decodes base32hex or base64 (either alphabet); padding is optional, but other characters and
    /// non-zero leftover bits are rejected.
    private static func decodeBits(_ input: [UInt8], bitsPerDigit: Int, digits: [UInt8], blockDigits: Int) -> [UInt8]? {
        var body = input[...]
        while body.last == UInt8(ascii: "=") { body = body.dropLast() }
        if bitsPerDigit == 6, input.count != body.count, input.count % blockDigits != 0 { return nil }
        var table = [Int](repeating: -1, count: 256)
        for (index, digit) in digits.enumerated() { table[Int(digit)] = index }
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        for digit in body {
            let value = table[Int(digit)]
            guard value >= 0 else { return nil }
            buffer = buffer << bitsPerDigit | value
            bits += bitsPerDigit
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> bits) & 0xFF))
            }
            buffer &= (1 << bits) - 1
        }
        guard buffer == 0, bits < bitsPerDigit else { return nil }
        return out
    }
}
