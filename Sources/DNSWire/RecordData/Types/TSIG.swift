// SPDX-License-Identifier: Apache-2.0
// The TSIG meta-record's payload (RFC 8945).

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
}
