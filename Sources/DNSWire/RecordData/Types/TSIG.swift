// SPDX-License-Identifier: Apache-2.0
// The payloads of the TSIG (RFC 8945) and TKEY (RFC 2930) meta-records.

extension RecordData {
    /// A transaction signature (RFC 8945 §4.2).
    /// Presentation (as BIND prints it): `hmac-sha256. 1700000000 300 32 q0tC… 4660 NOERROR 0`.
    public struct TSIG: RecordDataType {
        public var algorithm = DomainName.root
        /// Seconds since 1970, 48 bits.
        public var timeSigned: UInt64 = 0
        public var fudge: UInt16 = 0
        public var mac: [UInt8] = []
        public var originalID: UInt16 = 0
        /// An extended RCODE (`BADSIG` 16, `BADKEY` 17, `BADTIME` 18, …).
        public var error: UInt16 = 0
        public var otherData: [UInt8] = []
        public init() {}
    }

    /// A transaction key exchange (RFC 2930 §2). Never in zone text.
    /// Presentation (as BIND prints it): `gss-tsig. 1700000000 1700086400 3 NOERROR 3 AQID 0`
    /// (an empty key prints its length and an empty token: `… NOERROR 0  0`).
    public struct TKEY: RecordDataType {
        public var algorithm = DomainName.root
        /// Seconds since 1970, modulo 2^32, printed as plain numbers.
        public var inception: UInt32 = 0
        public var expiration: UInt32 = 0
        public var mode: UInt16 = 0
        /// An extended RCODE, printed as TSIG's error is.
        public var error: UInt16 = 0
        public var key: [UInt8] = []
        public var otherData: [UInt8] = []
        public init() {}
    }
}
