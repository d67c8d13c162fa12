// Fuzzes what a zone transfer's client reads from the network: TSIG verification of each
// response message (TSIGSession) and the transfer's interpretation (TransferReader), then
// applying what it gave to a Zone.
//
// The input is split into messages (two length octets each, as over TCP). Properties:
// - verifying, reading and applying never trap, whatever the octets;
// - a reader that said complete or failed stays so (another message fails it);
// - the zone a full transfer gives prints as zone-file text without trapping.

import DNSWire
import FuzzCommon

let zone = try! DomainName("example.org")
let key = TSIGKey(name: try! DomainName("fuzz.key"), algorithm: .hmacSHA256, secret: Array(repeating: 7, count: 32))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTransfer(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var bytes = [UInt8](UnsafeBufferPointer(start: start, count: count))[...]
    guard let selector = bytes.popFirst() else { return 0 }
    var session = TSIGSession(key: key)
    let query = try! DNSMessage.query(name: zone, type: .axfr, id: 0x1234).serialize()
    _ = try? session.sign(query, now: 1_700_000_000)
    var reader = TransferReader(
        zone: zone, kind: selector & 1 == 0 ? .axfr : .ixfr(serial: Serial(UInt32(selector))), maximumRecords: 1000,
        overUDP: selector & 2 != 0)
    var records: [DNSRecord] = []
    var differences: [ZoneDiff] = []
    var ended = false
    while bytes.count >= 2, !ended {
        let length = Int(bytes.removeFirst()) << 8 | Int(bytes.removeFirst())
        let message = Array(bytes.prefix(length))
        bytes = bytes.dropFirst(length)
        _ = session.verify(message, now: 1_700_000_000)
        guard let parsed = try? DNSMessage(wire: message) else { continue }
        let step = reader.read(parsed)
        records += step.records
        differences += step.differences
        if case .inProgress = step.status { continue }
        ended = true
        let after = reader.read(parsed)
        guard case .failed = after.status else { fatalError("a finished transfer took another message") }
    }
    _ = session.finish()
    _ = reader.streamEnded()
    if case .complete(.fullZone) = reader.status, let built = try? Zone(origin: zone, records: records) {
        _ = built.zoneFileText
        var changed = built
        _ = try? changed.apply(differences)
    }
    return 0
}
