// SPDX-License-Identifier: Apache-2.0
// The engine's hash table for its own IDs and handles, against Dictionary.

import Testing

@testable import DNSTransport

@Suite struct IDTableTests {
    @Test func insertsFindsReplacesAndRemoves() {
        var table = IDTable<UInt64, String>()
        #expect(table.isEmpty)
        #expect(table[7] == nil)
        table[7] = "seven"
        table[8] = "eight"
        #expect(table[7] == "seven")
        #expect(table[8] == "eight")
        #expect(table.count == 2)
        table[7] = "SEVEN"
        #expect(table[7] == "SEVEN")
        #expect(table.count == 2)
        #expect(table.removeValue(forKey: 7) == "SEVEN")
        #expect(table.removeValue(forKey: 7) == nil)
        #expect(table[7] == nil)
        table[8] = nil
        #expect(table.isEmpty)
        #expect(table.keys.isEmpty)
    }

    @Test func theOnlyValue() {
        var table = IDTable<UInt16, UInt64>()
        #expect(table.anyValue == nil)
        table[0xBEEF] = 42
        #expect(table.anyValue == 42)
    }

    /// A table's first entry is held in place until a second key comes; every operation
    /// sees it as in any other table, and growing keeps it.
    @Test func aTableOfOne() {
        var table = IDTable<UInt16, String>()
        table[5] = "five"
        #expect(table[5] == "five")
        #expect(table[6] == nil)
        #expect(table.count == 1)
        table[5] = "FIVE"
        #expect(table.count == 1)
        #expect(table.keys == [5])
        #expect(table.values == ["FIVE"])
        #expect(table.anyValue == "FIVE")
        #expect(table.removeValue(forKey: 6) == nil)
        #expect(table.removeValue(forKey: 5) == "FIVE")
        #expect(table.isEmpty)
        #expect(table.keys.isEmpty)
        #expect(table.anyValue == nil)
        table[9] = "nine"
        table[10] = "ten"
        #expect(table.count == 2)
        #expect(table[9] == "nine")
        #expect(table[10] == "ten")
        #expect(table.keys.sorted() == [9, 10])
    }

    /// Many random insertions and removals (long probe runs, removals that shift entries
    /// back, growth) agree with a Dictionary at every step.
    @Test(arguments: [UInt16.max, 63])
    func agreesWithADictionary(keyRange: UInt16) {
        var generator = SystemRandomNumberGenerator()
        var table = IDTable<UInt16, Int>()
        var reference: [UInt16: Int] = [:]
        for step in 0..<20_000 {
            let key = UInt16.random(in: 0...keyRange, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0, 1:
                table[key] = step
                reference[key] = step
            default:
                #expect(table.removeValue(forKey: key) == reference.removeValue(forKey: key))
            }
            #expect(table[key] == reference[key])
            #expect(table.count == reference.count)
        }
        #expect(table.keys.sorted() == reference.keys.sorted())
        #expect(table.values.sorted() == reference.values.sorted())
        for key in reference.keys { #expect(table[key] == reference[key]) }
    }

    /// Sequential handles, the engine's other keys, filled and emptied in order.
    @Test func sequentialKeys() {
        var table = IDTable<UInt64, UInt64>()
        for handle in UInt64(1)...1000 { table[handle] = handle * 2 }
        #expect(table.count == 1000)
        for handle in UInt64(1)...1000 { #expect(table[handle] == handle * 2) }
        for handle in UInt64(1)...999 { #expect(table.removeValue(forKey: handle) == handle * 2) }
        #expect(table.count == 1)
        #expect(table.anyValue == 2000)
    }
}
