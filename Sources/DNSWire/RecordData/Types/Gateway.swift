// SPDX-License-Identifier: Apache-2.0
// Gateways whose form depends on a type field before them: IPSECKEY's gateway, AMTRELAY's relay.

extension RecordData {
    /// Where to reach an IPsec gateway (RFC 4025 §2.5) or an AMT relay (RFC 8777 §4.2.4); its
    /// case matches the gateway or relay type field before it (0 none, 1 IPv4, 2 IPv6, 3 name).
    public enum Gateway: Hashable, Sendable {
        case none
        case ipv4(IPv4Address)
        case ipv6(IPv6Address)
        case name(DomainName)
    }
}

extension RecordField {
    /// A gateway field: nothing (printed `.`), an IPv4 or IPv6 address, or an uncompressed
    /// name, as the record's `type` says. Other types are refused on the wire, unless `unknown`
    /// keeps their octets (the rest of the RDATA); text never gives them (BIND prints such
    /// records in the generic form and parses them only from it).
    static func gateway(
        _ name: String, type: any KeyPath<Record, UInt8> & Sendable, gateway: any WritableKeyPath<Record, RecordData.Gateway> & Sendable,
        unknown: (any WritableKeyPath<Record, [UInt8]> & Sendable)? = nil
    ) -> RecordField {
        RecordField(
            name: name,
            read: { record, reader in
                switch record[keyPath: type] {
                case 0: record[keyPath: gateway] = .none
                case 1: record[keyPath: gateway] = .ipv4(try IPv4Codec().read(&reader))
                case 2: record[keyPath: gateway] = .ipv6(try IPv6Codec().read(&reader))
                case 3: record[keyPath: gateway] = .name(try reader.readName())
                default:
                    guard let unknown else {
                        throw WireFormatError(.invalidField, offset: reader.position, detail: "\(name) type \(record[keyPath: type])")
                    }
                    record[keyPath: unknown] = reader.readRemainder()
                }
            },
            write: { record, writer in
                if let unknown, record[keyPath: type] > 3 { return writer.writeBytes(record[keyPath: unknown]) }
                switch record[keyPath: gateway] {
                case .none: break
                case .ipv4(let address): writer.writeUInt32(address.rawValue)
                case .ipv6(let address): writer.writeBytes(address.bytes)
                case .name(let name): writer.writeName(name, compress: false)
                }
            },
            text: { record in gatewayText(record, type: type, gateway: gateway, unknown: unknown, value: false) },
            value: { record in gatewayText(record, type: type, gateway: gateway, unknown: unknown, value: true) },
            parse: { record, scanner in
                let token = try scanner.next(for: name)
                let mismatch = TextFormatError(.badValue, "\(token.text) does not fit the \(name) type")
                switch record[keyPath: type] {
                case 0 where token.text == ".": record[keyPath: gateway] = .none
                case 1:
                    guard let address = IPv4Address(token.text) else { throw mismatch }
                    record[keyPath: gateway] = .ipv4(address)
                case 2:
                    guard let address = IPv6Address(token.text) else { throw mismatch }
                    record[keyPath: gateway] = .ipv6(address)
                case 3: record[keyPath: gateway] = .name(try DomainName(presentation: Array(token.raw)))
                default: throw mismatch
                }
            })
    }

    /// The presentation text (or, with `value`, the field value) of a gateway; upper-case hex for an unknown type.
    private static func gatewayText(
        _ record: Record, type: KeyPath<Record, UInt8>, gateway: KeyPath<Record, RecordData.Gateway>,
        unknown: KeyPath<Record, [UInt8]>?, value: Bool
    ) -> String {
        if let unknown, record[keyPath: type] > 3 { return BaseEncoding.hex.encode(record[keyPath: unknown]) }
        switch record[keyPath: gateway] {
        case .none: return "."
        case .ipv4(let address): return address.description
        case .ipv6(let address): return address.description
        case .name(let name): return value ? name.fieldValue : name.description
        }
    }

}
