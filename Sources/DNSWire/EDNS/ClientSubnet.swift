// SPDX-License-Identifier: Apache-2.0
// The EDNS client subnet option (RFC 7871).

/// A client subnet: address family, source and scope prefix lengths and the address,
/// truncated to the source prefix on the wire (RFC 7871 §6).
public struct ClientSubnet: Hashable, Sendable, CustomStringConvertible {
    /// 1 IPv4, 2 IPv6.
    public var family: UInt16
    public var sourcePrefixLength: UInt8
    public var scopePrefixLength: UInt8
    /// The address octets, only as many as the source prefix needs.
    public var address: [UInt8]

    /// - Parameters:
    ///   - address: a full IPv4 (4 octets) or IPv6 (16 octets) address; bits past the prefix are cleared.
    ///   - sourcePrefixLength: the number of leading address bits the client discloses (SOURCE PREFIX-LENGTH).
    ///   - scopePrefixLength: the number of leading bits the answer covers (SCOPE PREFIX-LENGTH; 0 in queries).
    public init(address: [UInt8], sourcePrefixLength: UInt8, scopePrefixLength: UInt8 = 0) {
        family = address.count == 4 ? 1 : 2
        self.sourcePrefixLength = sourcePrefixLength
        self.scopePrefixLength = scopePrefixLength
        let kept = (Int(sourcePrefixLength) + 7) / 8
        var truncated = Array(address.prefix(kept))
        if sourcePrefixLength % 8 != 0, !truncated.isEmpty {
            truncated[truncated.count - 1] &= 0xFF << (8 - sourcePrefixLength % 8)
        }
        self.address = truncated
    }

    init?(wire: [UInt8]) {
        guard wire.count >= 4 else { return nil }
        family = UInt16(wire[0]) << 8 | UInt16(wire[1])
        sourcePrefixLength = wire[2]
        scopePrefixLength = wire[3]
        address = Array(wire[4...])
        let size = family == 1 ? 4 : family == 2 ? 16 : 0
        guard size > 0, Int(sourcePrefixLength) <= size * 8, Int(scopePrefixLength) <= size * 8,
            address.count == (Int(sourcePrefixLength) + 7) / 8
        else { return nil }
    }

    var wire: [UInt8] { [UInt8(family >> 8), UInt8(family & 0xFF), sourcePrefixLength, scopePrefixLength] + address }

    /// `192.0.2.0/24/0`, as dig prints it.
    public var description: String {
        let size = family == 1 ? 4 : 16
        let full = address + [UInt8](repeating: 0, count: max(0, size - address.count))
        let text =
            family == 1
            ? IPv4Address(rawValue: full.reduce(0) { $0 << 8 | UInt32($1) }).description : IPv6Address(bytes: full).description
        return "\(text)/\(sourcePrefixLength)/\(scopePrefixLength)"
    }
}
