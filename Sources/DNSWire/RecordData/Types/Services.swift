// SPDX-License-Identifier: Apache-2.0
// Payloads of address and service types: AAAA, SRV, NAPTR, URI, CAA, EUI48/64.

extension RecordData {
    /// An IPv6 host address (RFC 3596). Presentation: `2001:db8::1`.
    public struct AAAA: RecordDataType {
        public var address = IPv6Address.unspecified
        public init() {}
        public init(address: IPv6Address) { self.address = address }
    }

    /// A service location (RFC 2782). Presentation: `10 60 5060 sip.example.org.`
    public struct SRV: RecordDataType {
        public var priority: UInt16 = 0
        public var weight: UInt16 = 0
        public var port: UInt16 = 0
        public var target = DomainName.root
        public init() {}
        public init(priority: UInt16, weight: UInt16, port: UInt16, target: DomainName) {
            (self.priority, self.weight, self.port, self.target) = (priority, weight, port, target)
        }
    }

    /// A naming authority pointer (RFC 3403).
    /// Presentation: `100 10 "S" "SIP+D2U" "" _sip._udp.example.org.`
    public struct NAPTR: RecordDataType {
        public var order: UInt16 = 0
        public var preference: UInt16 = 0
        public var flags: [UInt8] = []
        public var services: [UInt8] = []
        public var regexp: [UInt8] = []
        public var replacement = DomainName.root
        public init() {}
    }

    /// A URI for a service (RFC 7553). Presentation: `10 1 "https://example.org/"`.
    public struct URI: RecordDataType {
        public var priority: UInt16 = 0
        public var weight: UInt16 = 0
        public var target: [UInt8] = []
        public init() {}
    }

    /// A certification authority authorization (RFC 8659). Presentation: `0 issue "ca.example.net"`.
    public struct CAA: RecordDataType {
        public var flags: UInt8 = 0
        public var tag: [UInt8] = []
        public var value: [UInt8] = []
        public init() {}
        public init(flags: UInt8, tag: String, value: String) {
            (self.flags, self.tag, self.value) = (flags, Array(tag.utf8), Array(value.utf8))
        }
    }

    /// An EUI-48 or EUI-64 address (RFC 7043). Presentation: `00-00-5e-00-53-2a`.
    public struct EUI: RecordDataType {
        public var address: [UInt8] = []
        public init() {}
        public init(address: [UInt8]) { self.address = address }
    }

    public typealias EUI48 = EUI
    public typealias EUI64 = EUI
}
