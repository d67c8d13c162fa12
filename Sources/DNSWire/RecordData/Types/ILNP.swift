// SPDX-License-Identifier: Apache-2.0
// Payloads of the ILNP types (RFC 6742): NID, L32 and L64 (LP shares MX's layout).

extension RecordData {
    /// An ILNP node identifier (RFC 6742 §2.1). Presentation: `10 14:4fff:ff20:ee64`.
    public struct NID: RecordDataType {
        public var preference: UInt16 = 0
        public var nodeID: UInt64 = 0
        public init() {}
    }

    /// A 32-bit ILNP locator (RFC 6742 §2.2). Presentation: `10 10.1.2.0`.
    public struct L32: RecordDataType {
        public var preference: UInt16 = 0
        public var locator = IPv4Address(rawValue: 0)
        public init() {}
    }

    /// A 64-bit ILNP locator (RFC 6742 §2.3). Presentation: `10 2001:db8:1140:1000`.
    public struct L64: RecordDataType {
        public var preference: UInt16 = 0
        public var locator: UInt64 = 0
        public init() {}
    }
}
