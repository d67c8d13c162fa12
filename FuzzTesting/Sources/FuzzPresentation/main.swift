// Fuzzes RDATA presentation text: text → RecordData → text and wire again.
//
// Input: the first octet picks a record type (an index into the known types plus
// TYPE65280, modulo their count); the rest is the RDATA text, which must be UTF-8.
// For text RecordData(type:presentation:) accepts:
// - what it prints parses again, to equal data;
// - it serializes, and the wire form reads back to equal data.

import DNSWire
import FuzzCommon

/// The types the first input octet selects from.
let fuzzTypes: [RecordType] = RecordCatalog.knownTypes + [RecordType(65280)]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPresentation(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count >= 1 else { return 0 }
    let type = fuzzTypes[Int(start[0]) % fuzzTypes.count]
    guard let text = String(validating: UnsafeBufferPointer(start: start + 1, count: count - 1), as: UTF8.self) else {
        return 0
    }
    guard let data = try? RecordData(type: type, presentation: text) else { return 0 }
    _ = data.fields

    let printed = data.description
    let again: RecordData
    do {
        again = try RecordData(type: type, presentation: printed)
    } catch {
        fatalError("printed text does not parse: \(type) \(printed.debugDescription) (from \(text.debugDescription)): \(error)")
    }
    precondition(again == data, "text round trip: \(type) \(printed.debugDescription) (from \(text.debugDescription))")

    let wire: [UInt8]
    do {
        wire = try data.serialize()
    } catch {
        fatalError("serialize failed: \(type) \(printed.debugDescription): \(error)")
    }
    let back: RecordData
    do {
        back = try RecordData(type: type, wire: wire)
    } catch {
        fatalError("wire does not read back: \(type) \(printed.debugDescription) wire \(hex(wire)): \(error)")
    }
    precondition(back == data, "wire round trip: \(type) \(printed.debugDescription) wire \(hex(wire))")
    return 0
}
