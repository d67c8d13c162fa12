// SPDX-License-Identifier: Apache-2.0
// The reverse-mapping names of addresses (RFC 1035 §3.5, RFC 3596 §2.5).

extension DomainName {
    /// `d.c.b.a.in-addr.arpa.` for the IPv4 address a.b.c.d.
    public init(reverseOf address: IPv4Address) {
        let labels = address.bytes.reversed().map { Array(String($0).utf8) } + [Array("in-addr".utf8), Array("arpa".utf8)]
        self.init(checkedLabels: labels)
    }

    /// The 32 nibble labels of an IPv6 address, lowest first, under `ip6.arpa.`.
    public init(reverseOf address: IPv6Address) {
        let digits = Array("0123456789abcdef".utf8)
        let nibbles = address.bytes.reversed().flatMap { [[digits[Int($0 & 0x0F)]], [digits[Int($0 >> 4)]]] }
        self.init(checkedLabels: nibbles + [Array("ip6".utf8), Array("arpa".utf8)])
    }

    /// Labels known to be short enough (at most 34 labels of at most 7 octets).
    private init(checkedLabels labels: [[UInt8]]) {
        var wire: [UInt8] = []
        for label in labels {
            wire.append(UInt8(label.count))
            wire += label
        }
        wire.append(0)
        self.init(uncheckedWire: wire)
    }
}
