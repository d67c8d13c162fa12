// SPDX-License-Identifier: Apache-2.0
// Payloads of the RFC 1183 types: RP, AFSDB, X25, ISDN (RT shares MX's layout).

extension RecordData {
    /// A responsible person (RFC 1183 §2.2): a mailbox and a name holding TXT records.
    public struct RP: RecordDataType {
        public var mailbox = DomainName.root
        public var textDomain = DomainName.root
        public init() {}
        public init(mailbox: DomainName, textDomain: DomainName) { (self.mailbox, self.textDomain) = (mailbox, textDomain) }
    }

    /// An AFS database server (RFC 1183 §1). Presentation: `1 afsdb.example.org.`
    public struct AFSDB: RecordDataType {
        public var subtype: UInt16 = 0
        public var hostname = DomainName.root
        public init() {}
        public init(subtype: UInt16, hostname: DomainName) { (self.subtype, self.hostname) = (subtype, hostname) }
    }

    /// An X.25 PSDN address (RFC 1183 §3.1). Presentation: `"311061700956"`.
    public struct X25: RecordDataType {
        public var address: [UInt8] = []
        public init() {}
        public init(address: String) { self.address = Array(address.utf8) }
    }

    /// An ISDN address with an optional subaddress (RFC 1183 §3.2).
    /// Presentation: `"150862028003217" "004"`.
    public struct ISDN: RecordDataType {
        public var address: [UInt8] = []
        public var subaddress: [UInt8]? = nil
        public init() {}
        public init(address: String, subaddress: String? = nil) {
            self.address = Array(address.utf8)
            self.subaddress = subaddress.map { Array($0.utf8) }
        }
    }
}
