// SPDX-License-Identifier: Apache-2.0
// Record type descriptions built on first use: one per type, whichever thread asks first.

import Testing

@testable import DNSWire

@Suite struct LazySchemaTableTests {
    /// Tasks racing for the same empty slots all get the one description kept for each.
    @Test func racingReadersShareOneDescription() async {
        let table = LazySchemaTable(count: 256)
        let seen = await withTaskGroup(of: [ObjectIdentifier].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<256).map { index in
                        ObjectIdentifier(table.schema(at: index) { RecordCatalog.opaque(RecordType(UInt16(index))) })
                    }
                }
            }
            return await group.reduce(into: [[ObjectIdentifier]]()) { $0.append($1) }
        }
        #expect(seen.count == 8)
        for identifiers in seen { #expect(identifiers == seen[0]) }
        for index in 0..<256 {
            let kept = table.schema(at: index) { preconditionFailure("slot \(index) is built already") }
            #expect(ObjectIdentifier(kept) == seen[0][index])
            #expect(kept.type == RecordType(UInt16(index)))
        }
    }

    /// The catalog builds a type's description once and gives that one every time after.
    @Test func theCatalogKeepsWhatItBuilt() {
        for type in [RecordType.a, .soa, .txt, .amtrelay, .ta, .dlv] {
            #expect(RecordCatalog.schema(for: type) === RecordCatalog.schema(for: type), "\(type)")
            #expect(RecordCatalog.schema(for: type).type == type)
        }
        #expect(RecordCatalog.schema(for: RecordType(65_280)).fieldNames == ["RDATA"])
    }
}
