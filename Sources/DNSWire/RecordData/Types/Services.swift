// SPDX-License-Identifier: Apache-2.0
// Payloads of address and service types: AAAA, SRV, NAPTR, URI, CAA, EUI48/64, DOA, DSYNC,
// HHIT, BRID and AMTRELAY.

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

    /// A digital object (draft-durand-doa-over-dns). Presentation: `0 1 2 "" aHR0cHM6Ly93d3cuaXNjLm9yZy8=`
    /// (enterprise, type, location, media type, data in base64 or `-` when empty).
    public struct DOA: RecordDataType {
        public var enterprise: UInt32 = 0
        public var type: UInt32 = 0
        public var location: UInt8 = 0
        public var mediaType: [UInt8] = []
        public var data: [UInt8] = []
        public init() {}
    }

    /// Where to send DNS change notifications (RFC 9859). Presentation: `CDS NOTIFY 5359 cds-scanner.example.net.`
    public struct DSYNC: RecordDataType {
        public var type = RecordType(0)
        /// 1 is NOTIFY.
        public var scheme: UInt8 = 0
        public var port: UInt16 = 0
        public var target = DomainName.root
        public init() {}
    }

    /// A DRIP entity tag (HHIT) or broadcast remote ID (BRID) (draft-ietf-drip-registries):
    /// at least one octet, printed in base64.
    public struct HHIT: RecordDataType {
        public var data: [UInt8] = [0]
        public init() {}
    }

    public typealias BRID = HHIT

    /// An AMT relay (RFC 8777 §4). Presentation: `10 1 3 amtrelays.example.com.` (precedence,
    /// discovery optional, relay type, relay). Relay types above 3 print in the generic form.
    public struct AMTRELAY: RecordDataType {
        public var precedence: UInt8 = 0
        /// The D bit: whether AMT discovery may be used instead of the relay.
        public var discoveryOptional = false
        /// 0 none, 1 IPv4, 2 IPv6, 3 name; up to 127.
        public var relayType: UInt8 = 0
        /// The relay of types 0–3.
        public var relay = Gateway.none
        /// The relay octets of types 4–127, which no RFC defines yet.
        public var unknownRelay: [UInt8] = []
        public init() {}
    }
}

extension RecordData.AMTRELAY {
    static let schema = RecordSchema<Self>(
        .amtrelay,
        [
            RecordField("PRECEDENCE", \.precedence, UIntCodec<UInt8>()),
            // The D bit and the relay type share one octet: this field reads and writes it.
            RecordField(
                name: "DISCOVERYOPTIONAL",
                read: { relay, reader in
                    let octet = try reader.readUInt8()
                    relay.discoveryOptional = octet & 0x80 != 0
                    relay.relayType = octet & 0x7F
                },
                write: { relay, writer in writer.writeUInt8(relay.typeOctet) },
                text: { $0.discoveryOptional ? "1" : "0" }, value: { $0.discoveryOptional ? "1" : "0" },
                parse: { relay, scanner in relay.discoveryOptional = try UIntCodec<UInt8>(max: 1).parse(&scanner) == 1 }),
            RecordField(
                name: "RELAYTYPE", read: { _, _ in }, write: { _, _ in }, text: { String($0.relayType) }, value: { String($0.relayType) },
                parse: { relay, scanner in relay.relayType = try UIntCodec<UInt8>(max: 0x7F).parse(&scanner) }),
            .gateway("RELAY", type: \.relayType, gateway: \.relay, unknown: \Self.unknownRelay),
        ],
        generic: { relay in
            guard relay.relayType > 3 else { return nil }
            return [relay.precedence, relay.typeOctet] + relay.unknownRelay
        })

    /// The octet holding the D bit and the relay type.
    private var typeOctet: UInt8 {
        let discovery: UInt8 = discoveryOptional ? 0x80 : 0
        return discovery | relayType & 0x7F
    }
}
