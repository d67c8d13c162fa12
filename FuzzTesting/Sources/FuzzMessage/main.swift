// Fuzzes whole DNS messages: wire → message → text and wire again.
//
// Properties checked for every input DNSMessage(wire:) accepts:
// - printing the message never traps;
// - it serializes (compressed and uncompressed) unless it is too long, and the
//   result parses back to an equal message;
// - each record's RDATA text parses back to equal RDATA (text the library printed
//   but cannot parse is a crash too).

import DNSWire
import FuzzCommon

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessage(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: start, count: count))
    guard let message = try? DNSMessage(wire: bytes) else { return 0 }

    // Printing never traps.
    _ = message.description

    // Compressed round trip.
    let wire: [UInt8]
    do {
        wire = try message.serialize()
    } catch let error as WireFormatError where error.code == .tooLong {
        return 0
    } catch {
        fatalError("serialize failed: \(error)")
    }
    let again = try! DNSMessage(wire: wire)
    precondition(again == message, "compressed round trip changed the message: \(hex(wire))")

    // Uncompressed round trip (decompressed names can make it too long).
    do {
        let plain = try message.serialize(compression: false)
        let parsed = try! DNSMessage(wire: plain)
        precondition(parsed == message, "uncompressed round trip changed the message: \(hex(plain))")
    } catch let error as WireFormatError where error.code == .tooLong {
        // Fine: the expanded names do not fit in 65535 octets.
    } catch {
        fatalError("serialize(compression: false) failed: \(error)")
    }

    // RDATA text round trip, record by record.
    for record in message.answers + message.authorities + message.additionals {
        _ = record.description
        _ = record.data.fields
        let text = record.data.description
        do {
            let back = try RecordData(type: record.type, presentation: text)
            precondition(back == record.data, "text round trip: \(record.type) \(text.debugDescription)")
        } catch {
            reportUnparsableText(record.type, text, error, context: "message")
        }
    }
    return 0
}
