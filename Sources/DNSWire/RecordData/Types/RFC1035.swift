// SPDX-License-Identifier: Apache-2.0
// Payloads of the RFC 1035 record types (and the later ones that share their layout).

extension RecordData {
    // MARK: - A

    /// An IPv4 host address (RFC 1035 §3.4.1). Presentation: `192.0.2.1`.
    public struct A: RecordDataType {
        public var address = IPv4Address(rawValue: 0)
        public init() {}
        public init(address: IPv4Address) { self.address = address }
    }

    // MARK: - Single name

    /// A single domain name: NS, CNAME, PTR, DNAME, NSAP-PTR, and the experimental MB, MD, MF, MG, MR.
    /// Presentation: `ns1.example.org.`
    public struct SingleName: RecordDataType {
        public var name = DomainName.root
        public init() {}
        public init(name: DomainName) { self.name = name }
    }

    public typealias NS = SingleName
    public typealias CNAME = SingleName
    public typealias PTR = SingleName
    public typealias DNAME = SingleName
    public typealias NSAPPTR = SingleName

    // MARK: - SOA

    /// The start of a zone of authority (RFC 1035 §3.3.13).
    /// Presentation: `ns1.example.org. hostmaster.example.org. 2026112101 7200 3600 1209600 300`
    public struct SOA: RecordDataType {
        public var mname = DomainName.root
        public var rname = DomainName.root
        public var serial: UInt32 = 0
        public var refresh: UInt32 = 0
        public var retry: UInt32 = 0
        public var expire: UInt32 = 0
        public var minimum: UInt32 = 0
        public init() {}
        public init(
            mname: DomainName, rname: DomainName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32,
            minimum: UInt32
        ) {
            (self.mname, self.rname, self.serial, self.refresh) = (mname, rname, serial, refresh)
            (self.retry, self.expire, self.minimum) = (retry, expire, minimum)
        }
    }

    // MARK: - Opaque

    /// Octets without structure: NULL (RFC 1035 §3.3.10), the OPT pseudo-record's options,
    /// UINFO, UID, GID and UNSPEC (named by BIND, without a presentation form of their own),
    /// and every type this package does not know (RFC 3597). Presentation: `\# 4 DEADBEEF`.
    public struct Opaque: RecordDataType {
        public var bytes: [UInt8] = []
        public init() {}
        public init(bytes: [UInt8]) { self.bytes = bytes }
    }

    public typealias NULL = Opaque
    public typealias Unknown = Opaque
    public typealias UINFO = Opaque
    public typealias UID = Opaque
    public typealias GID = Opaque
    public typealias UNSPEC = Opaque

    // MARK: - WKS

    /// Well-known services on a host (RFC 1035 §3.4.2). Presentation: `192.0.2.1 6 25 80`.
    public struct WKS: RecordDataType {
        public var address = IPv4Address(rawValue: 0)
        /// The IP protocol number (6 TCP, 17 UDP).
        public var `protocol`: UInt8 = 0
        public var ports: [UInt16] = []
        public init() {}
        public init(address: IPv4Address, protocol: UInt8, ports: [UInt16]) {
            (self.address, self.protocol, self.ports) = (address, `protocol`, ports)
        }
    }

    // MARK: - HINFO

    /// Host hardware and operating system (RFC 1035 §3.3.2). Presentation: `"PDP-11" "UNIX"`.
    public struct HINFO: RecordDataType {
        public var cpu: [UInt8] = []
        public var os: [UInt8] = []
        public init() {}
        public init(cpu: String, os: String) { (self.cpu, self.os) = (Array(cpu.utf8), Array(os.utf8)) }
    }

    // MARK: - MINFO

    /// Mailbox information (RFC 1035 §3.3.7): responsible and error mailboxes.
    public struct MINFO: RecordDataType {
        public var responsibleMailbox = DomainName.root
        public var errorMailbox = DomainName.root
        public init() {}
        public init(responsibleMailbox: DomainName, errorMailbox: DomainName) {
            (self.responsibleMailbox, self.errorMailbox) = (responsibleMailbox, errorMailbox)
        }
    }

    // MARK: - MX

    /// A mail exchange and its preference (RFC 1035 §3.3.9). RT (RFC 1183), KX (RFC 2230) and
    /// LP (RFC 6742) share the layout: preference, then a host name.
    /// Presentation: `10 mail.example.org.`
    public struct MX: RecordDataType {
        public var preference: UInt16 = 0
        public var exchange = DomainName.root
        public init() {}
        public init(preference: UInt16, exchange: DomainName) { (self.preference, self.exchange) = (preference, exchange) }
    }

    public typealias RT = MX
    public typealias KX = MX
    public typealias LP = MX

    // MARK: - TXT

    /// Descriptive text (RFC 1035 §3.3.14): one or more character-strings. SPF (RFC 7208), NINFO,
    /// AVC, RESINFO (RFC 9606) and WALLET share the layout.
    /// Presentation: `"v=spf1 -all" "second string"`.
    public struct TXT: RecordDataType {
        public var strings: [[UInt8]] = [[]]
        public init() {}
        public init(_ strings: [String]) { self.strings = strings.map { Array($0.utf8) } }
    }

    public typealias SPF = TXT
    public typealias NINFO = TXT
    public typealias AVC = TXT
    public typealias RESINFO = TXT
    public typealias WALLET = TXT
}
