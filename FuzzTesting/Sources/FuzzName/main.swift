// Fuzzes domain names in both forms.
//
// - The input as presentation octets: if DomainName(presentation:) accepts it, its
//   description parses to the same name (same octets, not just case-insensitively equal),
//   and its wire form reads back.
// - The input as wire format: reading names one after another never traps (later names
//   can point back into earlier ones), and every name read is within the limits.

import DNSWire
import FuzzCommon

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzName(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: start, count: count))

    if let name = try? DomainName(presentation: bytes) {
        let text = name.description
        let again: DomainName
        do {
            again = try DomainName(text)
        } catch {
            fatalError("printed name does not parse: \(text.debugDescription): \(error)")
        }
        precondition(again == name && again.wire == name.wire, "name round trip: \(text.debugDescription)")
        checkWire(name)
    }

    var reader = WireReader(bytes)
    while reader.remaining > 0, let name = try? reader.readName() {
        checkWire(name)
    }
    return 0
}

/// A decoded name is within the limits and its wire form reads back to it.
func checkWire(_ name: DomainName) {
    precondition(name.wire.count <= DomainName.maxWireLength, "name of \(name.wire.count) octets")
    precondition(name.labels.allSatisfy { $0.count <= DomainName.maxLabelLength }, "label over 63 octets")
    var reader = WireReader(name.wire)
    let back = try! reader.readName()
    precondition(back.wire == name.wire && reader.remaining == 0, "wire round trip: \(hex(name.wire))")
    _ = name.labelCount
    _ = name.parent
}
