// SPDX-License-Identifier: Apache-2.0
// EDNS(0) options, typed where an RFC defines them.

/// An EDNS option code (IANA "DNS EDNS0 Option Codes"), an open set.
public struct EDNSOptionCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let nsid = EDNSOptionCode(rawValue: 3)
    public static let clientSubnet = EDNSOptionCode(rawValue: 8)
    public static let cookie = EDNSOptionCode(rawValue: 10)
    public static let tcpKeepalive = EDNSOptionCode(rawValue: 11)
    public static let padding = EDNSOptionCode(rawValue: 12)
    public static let extendedError = EDNSOptionCode(rawValue: 15)

    private static let names: [UInt16: String] = [
        3: "NSID", 8: "CLIENT-SUBNET", 10: "COOKIE", 11: "TCP-KEEPALIVE", 12: "PADDING", 15: "EDE",
    ]
    public var description: String { Self.names[rawValue] ?? "OPT=\(rawValue)" }
}

/// One EDNS option. Known options are typed; a known option whose data is malformed
/// for its RFC, and every other option, is kept as ``unknown(code:data:)``.
public enum EDNSOption: Hashable, Sendable, CustomStringConvertible {
    /// Name server identifier (RFC 5001); empty in queries.
    case nsid([UInt8])
    /// Client subnet (RFC 7871).
    case clientSubnet(ClientSubnet)
    /// DNS cookie (RFC 7873): an 8-octet client cookie and an 8–32 octet server cookie (or none).
    case cookie(client: [UInt8], server: [UInt8])
    /// Idle timeout in units of 100 ms (RFC 7828); nil in queries.
    case tcpKeepalive(timeout: UInt16?)
    /// That many padding octets (RFC 7830).
    case padding(Int)
    /// An extended DNS error (RFC 8914).
    case extendedError(ExtendedDNSError)
    case unknown(code: EDNSOptionCode, data: [UInt8])

    public var code: EDNSOptionCode {
        switch self {
        case .nsid: .nsid
        case .clientSubnet: .clientSubnet
        case .cookie: .cookie
        case .tcpKeepalive: .tcpKeepalive
        case .padding: .padding
        case .extendedError: .extendedError
        case .unknown(let code, _): code
        }
    }

    /// The option's data in wire format.
    public var data: [UInt8] {
        switch self {
        case .nsid(let data): data
        case .clientSubnet(let subnet): subnet.wire
        case .cookie(let client, let server): client + server
        case .tcpKeepalive(let timeout): timeout.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } ?? []
        case .padding(let count): [UInt8](repeating: 0, count: count)
        case .extendedError(let error): [UInt8(error.infoCode >> 8), UInt8(error.infoCode & 0xFF)] + Array(error.extraText.utf8)
        case .unknown(_, let data): data
        }
    }

    /// Interprets one option's data.
    public init(code: EDNSOptionCode, data: [UInt8]) {
        switch code {
        case .nsid:
            self = .nsid(data)
        case .clientSubnet:
            self = ClientSubnet(wire: data).map(EDNSOption.clientSubnet) ?? .unknown(code: code, data: data)
        case .cookie where data.count == 8 || (16...40).contains(data.count):
            self = .cookie(client: Array(data[0..<8]), server: Array(data[8...]))
        case .tcpKeepalive where data.isEmpty:
            self = .tcpKeepalive(timeout: nil)
        case .tcpKeepalive where data.count == 2:
            self = .tcpKeepalive(timeout: UInt16(data[0]) << 8 | UInt16(data[1]))
        case .padding:
            self = data.allSatisfy({ $0 == 0 }) ? .padding(data.count) : .unknown(code: code, data: data)
        case .extendedError where data.count >= 2:
            guard let text = String(validating: data[2...], as: UTF8.self) else {
                self = .unknown(code: code, data: data)
                return
            }
            self = .extendedError(ExtendedDNSError(infoCode: UInt16(data[0]) << 8 | UInt16(data[1]), extraText: text))
        default:
            self = .unknown(code: code, data: data)
        }
    }

    /// Splits OPT RDATA into options.
    /// - Throws: ``WireFormatError/Code/badOPT`` when an option overruns the RDATA (RFC 6891 §6.1.2).
    static func parseList(_ bytes: [UInt8]) throws -> [EDNSOption] {
        var options: [EDNSOption] = []
        var index = 0
        while index < bytes.count {
            guard index + 4 <= bytes.count else { throw WireFormatError(.badOPT, detail: "option header cut short") }
            let code = EDNSOptionCode(rawValue: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            guard index + 4 + length <= bytes.count else { throw WireFormatError(.badOPT, detail: "option \(code) overruns the OPT RDATA") }
            options.append(EDNSOption(code: code, data: Array(bytes[index + 4..<index + 4 + length])))
            index += 4 + length
        }
        return options
    }

    func write(to writer: inout WireWriter) {
        let data = self.data
        writer.writeUInt16(code.rawValue)
        writer.writeUInt16(UInt16(truncatingIfNeeded: data.count))
        writer.writeBytes(data)
    }

    /// dig's pseudosection line, without the leading `; `.
    public var description: String {
        switch self {
        case .nsid(let data):
            let printable = data.allSatisfy { (0x20...0x7E).contains($0) }
            return "NSID: \(BaseEncoding.hex.encode(data))" + (printable ? " (\"\(String(decoding: data, as: UTF8.self))\")" : "")
        case .clientSubnet(let subnet): return "CLIENT-SUBNET: \(subnet)"
        case .cookie(let client, let server): return "COOKIE: \(BaseEncoding.hex.encode(client + server).lowercased())"
        case .tcpKeepalive(let timeout): return "TCP-KEEPALIVE: " + (timeout.map { "\(Double($0) / 10) secs" } ?? "")
        case .padding(let count): return "PADDING: (\(count) bytes)"
        case .extendedError(let error): return "EDE: \(error)"
        case .unknown(let code, let data): return "\(code): \(BaseEncoding.hex.encode(data))"
        }
    }
}
