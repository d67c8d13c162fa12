// SPDX-License-Identifier: Apache-2.0
// The IPSECKEY gateway field, whose form depends on the gateway type before it.

extension RecordField where Record == RecordData.IPSECKEY {
    /// The GATEWAY field: nothing, an IPv4 or IPv6 address, or an uncompressed name,
    /// as the record's `gatewayType` says (RFC 4025 §2.5).
    static let gateway = RecordField(
        name: "GATEWAY",
        read: { record, reader in
            switch record.gatewayType {
            case 0: record.gateway = .none
            case 1: record.gateway = .ipv4(try IPv4Codec().read(&reader))
            case 2: record.gateway = .ipv6(try IPv6Codec().read(&reader))
            case 3: record.gateway = .name(try reader.readName())
            default:
                throw WireFormatError(.invalidField, offset: reader.position, detail: "IPSECKEY gateway type \(record.gatewayType)")
            }
        },
        write: { record, writer in
            switch record.gateway {
            case .none: break
            case .ipv4(let address): writer.writeUInt32(address.rawValue)
            case .ipv6(let address): writer.writeBytes(address.bytes)
            case .name(let name): writer.writeName(name, compress: false)
            }
        },
        text: { record in
            switch record.gateway {
            case .none: "."
            case .ipv4(let address): address.description
            case .ipv6(let address): address.description
            case .name(let name): name.description
            }
        },
        value: { record in
            switch record.gateway {
            case .none: "."
            case .ipv4(let address): address.description
            case .ipv6(let address): address.description
            case .name(let name): name.fieldValue
            }
        },
        parse: { record, scanner in
            let token = try scanner.next(for: "IPSECKEY gateway")
            switch record.gatewayType {
            case 0 where token.text == ".": record.gateway = .none
            case 1: record.gateway = try IPv4Address(token.text).map(RecordData.IPSECKEY.Gateway.ipv4) ?? badGateway(token)
            case 2: record.gateway = try IPv6Address(token.text).map(RecordData.IPSECKEY.Gateway.ipv6) ?? badGateway(token)
            case 3: record.gateway = .name(try DomainName(presentation: Array(token.raw)))
            default: _ = try badGateway(token)
            }
        })

    private static func badGateway(_ token: TextScanner.Token) throws -> RecordData.IPSECKEY.Gateway {
        throw TextFormatError(.badValue, "\(token.text) does not fit the IPSECKEY gateway type")
    }
}
