// SPDX-License-Identifier: Apache-2.0
// The APL record (RFC 3123): lists of address prefixes.

extension RecordData {
    /// A list of address prefixes (RFC 3123). Presentation: `1:192.168.32.0/21 !1:192.168.38.0/28`.
    public struct APL: RecordDataType {
        /// One prefix: address family (1 IPv4, 2 IPv6), prefix length, negation and address.
        public struct Item: Hashable, Sendable {
            public var family: UInt16
            public var prefixLength: UInt8
            public var negated: Bool
            /// The address octets, trailing zero octets removed as on the wire.
            public var address: [UInt8]
            public init(family: UInt16, prefixLength: UInt8, negated: Bool, address: [UInt8]) {
                (self.family, self.prefixLength, self.negated) = (family, prefixLength, negated)
                var trimmed = address
                while trimmed.last == 0 { trimmed.removeLast() }
                self.address = trimmed
            }
        }

        public var items: [Item] = []
        public init() {}
    }
}

/// The APL item list, filling the RDATA.
struct APLItemsCodec: FieldCodec {
    private static let familySize: [UInt16: Int] = [1: 4, 2: 16]

    func read(_ reader: inout WireReader) throws -> [RecordData.APL.Item] {
        var items: [RecordData.APL.Item] = []
        while reader.remaining > 0 {
            let family = try reader.readUInt16()
            let prefix = try reader.readUInt8()
            let lengthOctet = try reader.readUInt8()
            let length = Int(lengthOctet & 0x7F)
            guard let size = Self.familySize[family], length <= size, Int(prefix) <= size * 8 else {
                throw WireFormatError(.invalidField, offset: reader.position, detail: "bad APL item")
            }
            let address = try reader.readBytes(length)
            guard address.last != 0 else {
                throw WireFormatError(.invalidField, offset: reader.position, detail: "APL address has trailing zeros")
            }
            items.append(.init(family: family, prefixLength: prefix, negated: lengthOctet & 0x80 != 0, address: address))
        }
        return items
    }

    func write(_ value: [RecordData.APL.Item], to writer: inout WireWriter) {
        for item in value {
            writer.writeUInt16(item.family)
            writer.writeUInt8(item.prefixLength)
            writer.writeUInt8(UInt8(item.address.count) | (item.negated ? 0x80 : 0))
            writer.writeBytes(item.address)
        }
    }

    func text(_ value: [RecordData.APL.Item]) -> String {
        value.map { item in
            let full = item.address + [UInt8](repeating: 0, count: (Self.familySize[item.family] ?? 0) - item.address.count)
            let address =
                item.family == 1
                ? IPv4Address(rawValue: full.reduce(0) { $0 << 8 | UInt32($1) }).description
                : IPv6Address(bytes: full).description
            return "\(item.negated ? "!" : "")\(item.family):\(address)/\(item.prefixLength)"
        }.joined(separator: " ")
    }

    func parse(_ scanner: inout TextScanner) throws -> [RecordData.APL.Item] {
        try scanner.rest().map { token in
            var text = Substring(token.text)
            let negated = text.hasPrefix("!")
            if negated { text = text.dropFirst() }
            let parts = text.split(separator: ":", maxSplits: 1)
            let addressAndPrefix = parts.count == 2 ? parts[1].split(separator: "/") : []
            guard parts.count == 2, addressAndPrefix.count == 2, let family = UInt16(parts[0]),
                let prefix = UInt8(addressAndPrefix[1])
            else { throw TextFormatError(.badValue, "bad APL item \(token.text)") }
            let address: [UInt8]?
            switch family {
            case 1: address = IPv4Address(addressAndPrefix[0])?.bytes
            case 2: address = IPv6Address(addressAndPrefix[0])?.bytes
            default: address = nil
            }
            guard let address, Int(prefix) <= address.count * 8 else {
                throw TextFormatError(.badValue, "bad APL item \(token.text)")
            }
            return .init(family: family, prefixLength: prefix, negated: negated, address: address)
        }
    }
}
