// SPDX-License-Identifier: Apache-2.0
// Payloads of the DNSSEC types (RFC 4034, RFC 5155, RFC 7344) and their forerunners (RFC 2535).

extension RecordData {
    /// A delegation signer (RFC 4034 §5); CDS (RFC 7344), TA and DLV (RFC 4431) share it.
    /// Presentation: `60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118`.
    public struct DS: RecordDataType {
        public var keyTag: UInt16 = 0
        public var algorithm: UInt8 = 0
        public var digestType: UInt8 = 0
        public var digest: [UInt8] = []
        public init() {}
    }

    public typealias CDS = DS
    public typealias TA = DS
    public typealias DLV = DS

    /// A zone key (RFC 4034 §2); CDNSKEY (RFC 7344), KEY (RFC 2535 §3) and RKEY share it.
    /// Presentation: `256 3 5 AQPSKmyn…`. A KEY whose flags say "no key" (0xC000 set) has
    /// an empty ``publicKey`` and prints without it.
    public struct DNSKEY: RecordDataType {
        public var flags: UInt16 = 0
        public var `protocol`: UInt8 = 3
        public var algorithm: UInt8 = 0
        public var publicKey: [UInt8] = []
        public init() {}
    }

    public typealias CDNSKEY = DNSKEY
    public typealias KEY = DNSKEY
    public typealias RKEY = DNSKEY

    /// A signature over an RRset (RFC 4034 §3); SIG (RFC 2535 §4) shares it.
    /// Presentation: `A 5 3 86400 20030322173103 20030220173103 2642 example. oJB1W6WN…`
    /// (SIG prints a type without a mnemonic as a bare number: `65280 5 …`).
    public struct RRSIG: RecordDataType {
        public var typeCovered = RecordType.a
        public var algorithm: UInt8 = 0
        public var labels: UInt8 = 0
        public var originalTTL: UInt32 = 0
        /// Seconds since 1970, modulo 2^32 (RFC 4034 §3.1.5).
        public var expiration: UInt32 = 0
        public var inception: UInt32 = 0
        public var keyTag: UInt16 = 0
        public var signerName = DomainName.root
        public var signature: [UInt8] = []
        public init() {}
    }

    public typealias SIG = RRSIG

    /// Authenticated denial of existence (RFC 4034 §4).
    /// Presentation: `host.example.com. A MX RRSIG NSEC TYPE1234`.
    public struct NSEC: RecordDataType {
        public var nextDomainName = DomainName.root
        public var types: [RecordType] = []
        public init() {}
    }

    /// The next name and the types at the owner (RFC 2535 §5), NSEC's forerunner: types 1–127
    /// in a bit map without windows. Presentation: `medium.foo.tld. A MX SIG NXT`.
    public struct NXT: RecordDataType {
        public var nextDomainName = DomainName.root
        public var types: [RecordType] = []
        public init() {}
    }

    /// Hashed authenticated denial of existence (RFC 5155 §3).
    /// Presentation: `1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG`.
    public struct NSEC3: RecordDataType {
        public var hashAlgorithm: UInt8 = 0
        public var flags: UInt8 = 0
        public var iterations: UInt16 = 0
        public var salt: [UInt8] = []
        public var nextHashedOwnerName: [UInt8] = []
        public var types: [RecordType] = []
        public init() {}
    }

    /// NSEC3 parameters for a zone (RFC 5155 §4). Presentation: `1 0 0 -`.
    public struct NSEC3PARAM: RecordDataType {
        public var hashAlgorithm: UInt8 = 0
        public var flags: UInt8 = 0
        public var iterations: UInt16 = 0
        public var salt: [UInt8] = []
        public init() {}
    }
}
