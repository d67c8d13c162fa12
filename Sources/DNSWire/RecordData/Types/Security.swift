// SPDX-License-Identifier: Apache-2.0
// Payloads of key, certificate and fingerprint types outside DNSSEC proper.

extension RecordData {
    /// A certificate or CRL (RFC 4398). Presentation: `PKIX 0 0 MIIB…`.
    public struct CERT: RecordDataType {
        public var certificateType: UInt16 = 0
        public var keyTag: UInt16 = 0
        public var algorithm: UInt8 = 0
        public var certificate: [UInt8] = []
        public init() {}
    }

    /// An SSH host key fingerprint (RFC 4255). Presentation: `4 2 1A2B…`.
    public struct SSHFP: RecordDataType {
        public var algorithm: UInt8 = 0
        public var fingerprintType: UInt8 = 0
        public var fingerprint: [UInt8] = []
        public init() {}
    }

    /// A TLS certificate association (RFC 6698); SMIMEA (RFC 8162) shares it.
    /// Presentation: `3 1 1 0C72…`.
    public struct TLSA: RecordDataType {
        public var usage: UInt8 = 0
        public var selector: UInt8 = 0
        public var matchingType: UInt8 = 0
        public var certificateAssociationData: [UInt8] = []
        public init() {}
    }

    public typealias SMIMEA = TLSA

    /// An OpenPGP public key (RFC 7929), printed in base64.
    public struct OPENPGPKEY: RecordDataType {
        public var publicKey: [UInt8] = []
        public init() {}
    }

    /// A DHCP client identifier (RFC 4701). The presentation is the base64 of the whole RDATA.
    public struct DHCID: RecordDataType {
        public var identifierType: UInt16 = 0
        public var digestType: UInt8 = 0
        public var digest: [UInt8] = []
        public init() {}
    }

    /// An IPsec keying record (RFC 4025). Presentation: `10 1 2 192.0.2.38 AQNRU3mG…`.
    public struct IPSECKEY: RecordDataType {
        /// Where to reach the IPsec gateway; its case matches the gateway type field.
        public typealias Gateway = RecordData.Gateway

        public var precedence: UInt8 = 0
        /// 0 none, 1 IPv4, 2 IPv6, 3 domain name.
        public var gatewayType: UInt8 = 0
        public var algorithm: UInt8 = 0
        public var gateway = Gateway.none
        public var publicKey: [UInt8] = []
        public init() {}
    }

    /// A message digest of a zone (RFC 8976). Presentation: `2026112101 1 1 FEBE3D…`.
    public struct ZONEMD: RecordDataType {
        public var serial: UInt32 = 0
        public var scheme: UInt8 = 0
        public var hashAlgorithm: UInt8 = 0
        public var digest: [UInt8] = []
        public init() {}
    }

    /// Child-to-parent synchronization (RFC 7477). Presentation: `2026112101 3 A NS AAAA`.
    public struct CSYNC: RecordDataType {
        public var soaSerial: UInt32 = 0
        public var flags: UInt16 = 0
        public var types: [RecordType] = []
        public init() {}
    }
}
