// SPDX-License-Identifier: Apache-2.0
// SVCB and HTTPS records (RFC 9460) and their service parameters.

extension RecordData {
    /// Service binding (RFC 9460); HTTPS shares the layout.
    /// Presentation: `1 . alpn="h2,h3" port=8443 ipv4hint=192.0.2.1`.
    public struct SVCB: RecordDataType {
        /// 0 is AliasMode; anything else is ServiceMode.
        public var priority: UInt16 = 0
        public var target = DomainName.root
        /// The parameters, in strictly increasing key order.
        public var parameters: [SVCParam] = []
        public init() {}
    }

    public typealias HTTPS = SVCB
}

/// One SVCB service parameter: a key and its wire-format value.
public struct SVCParam: Hashable, Sendable {
    /// A parameter key (RFC 9460 §14.3.2); unnamed ones print as `key65333`.
    public struct Key: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let mandatory = Key(rawValue: 0)
        public static let alpn = Key(rawValue: 1)
        public static let noDefaultALPN = Key(rawValue: 2)
        public static let port = Key(rawValue: 3)
        public static let ipv4hint = Key(rawValue: 4)
        public static let ech = Key(rawValue: 5)
        public static let ipv6hint = Key(rawValue: 6)
        public static let dohpath = Key(rawValue: 7)
        public static let ohttp = Key(rawValue: 8)

        static let names = ["mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint", "dohpath", "ohttp"]
        /// BIND 9.18 prints only keys 0–6 by name; dohpath and ohttp print as `key7` and `key8`.
        private static let printedNames = 7

        /// The key as presentation text prints it (`alpn`, `key7`, `key65333`); parsing accepts every name.
        public var description: String {
            Int(rawValue) < Self.printedNames ? Self.names[Int(rawValue)] : "key\(rawValue)"
        }

        /// Parses a key name or `keyNNNNN`.
        public init?(name: some StringProtocol) {
            if let index = Self.names.firstIndex(where: { $0 == name.lowercased() }) {
                rawValue = UInt16(index)
            } else if name.hasPrefix("key"), name.count > 3, name.dropFirst(3).allSatisfy(\.isASCIIDigit),
                name.count < 9 || name.dropFirst(3).first != "0", let number = UInt16(name.dropFirst(3))
            {
                rawValue = number
            } else {
                return nil
            }
        }

        public static func < (lhs: Key, rhs: Key) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var key: Key
    /// The value in wire format (RFC 9460 §7, §14.3.2).
    public var value: [UInt8]

    public init(key: Key, value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

/// The SvcParams list: keys strictly increasing, each value checked against its key's format.
struct SVCParamsCodec: FieldCodec {
    func read(_ reader: inout WireReader) throws -> [SVCParam] {
        var parameters: [SVCParam] = []
        while reader.remaining > 0 {
            let offset = reader.position
            let key = SVCParam.Key(rawValue: try reader.readUInt16())
            let value = try reader.readBytes(Int(try reader.readUInt16()))
            if let last = parameters.last, key <= last.key {
                throw WireFormatError(.invalidField, offset: offset, detail: "SVCB keys out of order")
            }
            let parameter = SVCParam(key: key, value: value)
            guard Self.isValid(parameter) else {
                throw WireFormatError(.invalidField, offset: offset, detail: "bad SVCB \(key) value")
            }
            parameters.append(parameter)
        }
        return parameters
    }

    func write(_ value: [SVCParam], to writer: inout WireWriter) throws {
        for parameter in value {
            guard parameter.value.count <= 0xFFFF else { throw WireFormatError(.tooLong, detail: "SVCB value") }
            writer.writeUInt16(parameter.key.rawValue)
            writer.writeUInt16(UInt16(parameter.value.count))
            writer.writeBytes(parameter.value)
        }
    }

    /// Whether a value has its key's wire format (RFC 9460 §7, §8).
    static func isValid(_ parameter: SVCParam) -> Bool {
        let value = parameter.value
        switch parameter.key {
        case .mandatory:
            // Keys strictly increasing, and never `mandatory` itself (RFC 9460 §8).
            guard !value.isEmpty, value.count % 2 == 0 else { return false }
            let keys = stride(from: 0, to: value.count, by: 2).map { UInt16(value[$0]) << 8 | UInt16(value[$0 + 1]) }
            return keys.first != 0 && zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }
        case .alpn: return splitALPN(value) != nil
        case .noDefaultALPN, .ohttp: return value.isEmpty
        case .port: return value.count == 2
        case .ipv4hint: return !value.isEmpty && value.count % 4 == 0
        case .ipv6hint: return !value.isEmpty && value.count % 16 == 0
        case .ech: return !value.isEmpty
        case .dohpath: return String(validating: value, as: UTF8.self) != nil
        default: return true
        }
    }

    /// Splits an alpn value into its length-prefixed, non-empty ids.
    static func splitALPN(_ value: [UInt8]) -> [ArraySlice<UInt8>]? {
        guard !value.isEmpty else { return nil }
        var ids: [ArraySlice<UInt8>] = []
        var index = 0
        while index < value.count {
            let length = Int(value[index])
            guard length > 0, index + 1 + length <= value.count else { return nil }
            ids.append(value[index + 1...index + length])
            index += 1 + length
        }
        return ids
    }

    func text(_ value: [SVCParam]) -> String {
        value.map { parameter in
            guard let text = Self.valueText(parameter) else { return parameter.key.description }
            return "\(parameter.key)=\(text)"
        }.joined(separator: " ")
    }

    /// The presentation of a value, or nil for keys printed without one.
    static func valueText(_ parameter: SVCParam) -> String? {
        let value = parameter.value
        func list<T>(_ size: Int, _ make: ([UInt8]) -> T) -> [T] {
            stride(from: 0, to: value.count, by: size).map { make(Array(value[$0..<$0 + size])) }
        }
        switch parameter.key {
        case .mandatory:
            return list(2) { SVCParam.Key(rawValue: UInt16($0[0]) << 8 | UInt16($0[1])).description }.joined(separator: ",")
        case .alpn:
            var text: [UInt8] = []
            for (index, id) in (splitALPN(value) ?? []).enumerated() {
                if index > 0 { text.append(UInt8(ascii: ",")) }
                for octet in id {
                    // A comma or backslash inside an id is escaped for the list, then for the string.
                    // A comma is escaped for the list (`\,`) and that backslash for the string: `\\,`.
                    // A backslash likewise becomes `\\` for the list, then `\\\\` for the string.
                    if octet == UInt8(ascii: ",") {
                        text += Array("\\\\,".utf8)
                    } else if octet == UInt8(ascii: "\\") {
                        text += Array("\\\\\\\\".utf8)
                    } else {
                        text.append(octet)
                    }
                }
            }
            return quotedValue(text, escapeBackslash: false)
        case .noDefaultALPN, .ohttp:
            return value.isEmpty ? nil : quotedValue(value, escapeBackslash: true)
        case .port:
            return String(UInt16(value[0]) << 8 | UInt16(value[1]))
        case .ipv4hint:
            return list(4) { bytes in IPv4Address(rawValue: bytes.reduce(0) { $0 << 8 | UInt32($1) }).description }
                .joined(separator: ",")
        case .ipv6hint:
            return list(16) { IPv6Address(bytes: $0).description }.joined(separator: ",")
        case .ech:
            return BaseEncoding.base64.encode(value)
        default:
            return value.isEmpty ? nil : quotedValue(value, escapeBackslash: true)
        }
    }

    /// A quoted string value; `escapeBackslash` is false when the caller already escaped.
    private static func quotedValue(_ octets: [UInt8], escapeBackslash: Bool) -> String {
        var text: [UInt8] = [UInt8(ascii: "\"")]
        for octet in octets {
            switch octet {
            case UInt8(ascii: "\""): text += [UInt8(ascii: "\\"), octet]
            case UInt8(ascii: "\\") where escapeBackslash: text += [UInt8(ascii: "\\"), octet]
            case 0x20...0x7E: text.append(octet)
            default: DomainName.appendDecimalEscape(octet, to: &text)
            }
        }
        text.append(UInt8(ascii: "\""))
        return String(decoding: text, as: UTF8.self)
    }

    func parse(_ scanner: inout TextScanner) throws -> [SVCParam] {
        var parameters: [SVCParam] = []
        while let token = try scanner.next() {
            let text = token.text
            let (name, valueToken): (Substring, TextScanner.Token?)
            if let equals = text.firstIndex(of: "=") {
                name = text[..<equals]
                if text.index(after: equals) == text.endIndex {
                    // `key="value"`: the quoted value is the next token.
                    valueToken = try scanner.next(for: "SVCB value")
                } else {
                    let offset = text.utf8.distance(from: text.startIndex, to: equals) + 1
                    valueToken = TextScanner.Token(raw: token.raw.dropFirst(offset), quoted: false)
                }
            } else {
                (name, valueToken) = (Substring(text), nil)
            }
            guard let key = SVCParam.Key(name: name) else { throw TextFormatError(.badValue, "unknown SVCB key \(name)") }
            guard !parameters.contains(where: { $0.key == key }) else {
                throw TextFormatError(.badValue, "SVCB key \(key) repeated")
            }
            let parameter = SVCParam(key: key, value: try Self.parseValue(key, valueToken))
            guard Self.isValid(parameter) else { throw TextFormatError(.badValue, "bad value for SVCB key \(key)") }
            parameters.append(parameter)
        }
        return parameters.sorted { $0.key < $1.key }
    }

    private static func parseValue(_ key: SVCParam.Key, _ token: TextScanner.Token?) throws -> [UInt8] {
        guard let token else { return [] }
        let octets = try token.decoded()
        func items() -> [[UInt8]] {
            // RFC 9460 Appendix A.1: commas separate items; `\,` and `\\` escape inside an item.
            var items: [[UInt8]] = [[]]
            var index = 0
            while index < octets.count {
                if octets[index] == UInt8(ascii: "\\"), index + 1 < octets.count {
                    items[items.count - 1].append(octets[index + 1])
                    index += 2
                    continue
                }
                if octets[index] == UInt8(ascii: ",") { items.append([]) } else { items[items.count - 1].append(octets[index]) }
                index += 1
            }
            return items
        }
        func strings() -> [String] { items().map { String(decoding: $0, as: UTF8.self) } }
        switch key {
        case .mandatory:
            // The wire form lists the keys in strictly increasing order (RFC 9460 §8).
            let keys = try strings().map { name in
                guard let key = SVCParam.Key(name: name) else { throw TextFormatError(.badValue, "bad mandatory key \(name)") }
                return key.rawValue
            }
            guard Set(keys).count == keys.count else { throw TextFormatError(.badValue, "mandatory key repeated") }
            return keys.sorted().flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .alpn:
            return try items().flatMap { id -> [UInt8] in
                guard (1...255).contains(id.count) else { throw TextFormatError(.badValue, "bad alpn id") }
                return [UInt8(id.count)] + id
            }
        case .port:
            guard let port = UInt16(String(decoding: octets, as: UTF8.self)) else { throw TextFormatError(.badValue, "bad port") }
            return [UInt8(port >> 8), UInt8(port & 0xFF)]
        case .ipv4hint:
            return try strings().flatMap { text -> [UInt8] in
                guard let address = IPv4Address(text) else { throw TextFormatError(.badValue, "bad ipv4hint \(text)") }
                return address.bytes
            }
        case .ipv6hint:
            return try strings().flatMap { text -> [UInt8] in
                guard let address = IPv6Address(text) else { throw TextFormatError(.badValue, "bad ipv6hint \(text)") }
                return address.bytes
            }
        case .ech:
            guard let bytes = BaseEncoding.base64.decode(String(decoding: octets, as: UTF8.self)) else {
                throw TextFormatError(.badValue, "bad ech base64")
            }
            return bytes
        default:
            return octets
        }
    }
}
