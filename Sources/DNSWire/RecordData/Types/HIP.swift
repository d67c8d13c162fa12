// SPDX-License-Identifier: Apache-2.0
// The HIP record (RFC 8005): a host identity, its tag and rendezvous servers.

extension RecordData {
    /// A host identity (RFC 8005 §5). Presentation:
    /// `2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNu… rvs1.example.com. rvs2.example.com.`
    /// (public key algorithm, HIT in hex, public key in base64, rendezvous servers).
    public struct HIP: RecordDataType {
        public var algorithm: UInt8 = 0
        /// The host identity tag: 1–255 octets.
        public var hit: [UInt8] = [0]
        /// 1–65535 octets.
        public var publicKey: [UInt8] = [0]
        public var rendezvousServers: [DomainName] = []
        public init() {}
    }
}

extension RecordData.HIP {
    private static let servers = NameListCodec()

    /// The wire form puts both lengths before the HIT and key (RFC 8005 §5), so the fields
    /// are read and written here; they still print, parse and show in text order.
    static let schema = RecordSchema<Self>(
        .hip,
        [
            RecordField("PKALGORITHM", \.algorithm, UIntCodec<UInt8>()), RecordField("HIT", \.hit, BinaryCodec(.hex)),
            RecordField("PUBLICKEY", \.publicKey, BinaryCodec(.base64)),
            RecordField("RENDEZVOUSSERVERS", \.rendezvousServers, Self.servers),
        ],
        parse: { scanner in
            var hip = Self()
            hip.algorithm = try UIntCodec<UInt8>().parse(&scanner)
            hip.hit = try Self.token(&scanner, .hex, "HIT", limit: 0xFF)
            hip.publicKey = try Self.token(&scanner, .base64, "public key", limit: 0xFFFF)
            hip.rendezvousServers = try Self.servers.parse(&scanner)
            return hip
        },
        read: { reader in
            let start = reader.position
            let hitLength = Int(try reader.readUInt8())
            var hip = Self()
            hip.algorithm = try reader.readUInt8()
            let keyLength = Int(try reader.readUInt16())
            guard hitLength > 0, keyLength > 0 else { throw WireFormatError(.invalidField, offset: start, detail: "empty HIP HIT or key") }
            hip.hit = try reader.readBytes(hitLength)
            hip.publicKey = try reader.readBytes(keyLength)
            hip.rendezvousServers = try Self.servers.read(&reader)
            return hip
        },
        write: { hip, writer in
            guard (1...0xFF).contains(hip.hit.count), (1...0xFFFF).contains(hip.publicKey.count) else {
                throw WireFormatError(.invalidField, detail: "HIP HIT must be 1-255 octets, its key 1-65535")
            }
            writer.writeUInt8(UInt8(hip.hit.count))
            writer.writeUInt8(hip.algorithm)
            writer.writeUInt16(UInt16(hip.publicKey.count))
            writer.writeBytes(hip.hit)
            writer.writeBytes(hip.publicKey)
            Self.servers.write(hip.rendezvousServers, to: &writer)
        })

    /// One token of `encoding`, 1 to `limit` octets.
    private static func token(_ scanner: inout TextScanner, _ encoding: BaseEncoding, _ what: String, limit: Int) throws -> [UInt8] {
        let text = try scanner.next(for: "HIP \(what)").text
        guard let bytes = encoding.decode(text), (1...limit).contains(bytes.count) else {
            throw TextFormatError(.badValue, "bad HIP \(what) \(text)")
        }
        return bytes
    }
}
