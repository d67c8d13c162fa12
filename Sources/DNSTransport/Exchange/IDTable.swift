// SPDX-License-Identifier: Apache-2.0
// A hash table for keys the engine makes itself: message IDs, handles.

/// A hash table keyed by integers the engine picks itself (random message IDs, sequential
/// handles), never by a peer: open addressing with linear probing, and a multiplicative hash
/// (Fibonacci hashing) in place of `Dictionary`'s SipHash, whose cost buys resistance to
/// keys an attacker chooses, which these are not.
///
/// Removal shifts later entries of a probe run back into the hole, so no tombstones build
/// up. The table keeps at most three quarters of its slots filled. Until a second key
/// comes, the first is held in place, with no slots allocated (a UDP socket of its own
/// carries one exchange).
struct IDTable<Key: FixedWidthInteger & UnsignedInteger, Value> {
    /// nil marks an empty slot.
    private var slots: [(key: Key, value: Value)?] = []
    /// The one entry of a table that has no slots yet.
    private var single: (key: Key, value: Value)?
    /// 64 minus log2 of the slot count: a key's home slot is the top bits of its product.
    private var shift = 64
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    private var mask: Int { slots.count - 1 }

    private func home(_ key: Key) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
    }

    /// The slot holding `key`, if any.
    private func slot(of key: Key) -> Int? {
        guard count > 0, !slots.isEmpty else { return nil }
        var index = home(key)
        while let slot = slots[index] {
            if slot.key == key { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    subscript(key: Key) -> Value? {
        get {
            if let index = slot(of: key) { return slots[index]?.value }
            return single?.key == key ? single?.value : nil
        }
        set {
            if let newValue { insert(newValue, for: key) } else { removeValue(forKey: key) }
        }
    }

    private mutating func insert(_ value: Value, for key: Key) {
        if slots.isEmpty {
            switch single {
            case nil:
                (single, count) = ((key, value), 1)
                return
            case let first? where first.key == key:
                single = (key, value)
                return
            default:
                grow()
            }
        }
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var index = home(key)
        while let slot = slots[index] {
            if slot.key == key {
                slots[index] = (key, value)
                return
            }
            index = (index + 1) & mask
        }
        slots[index] = (key, value)
        count += 1
    }

    @discardableResult
    mutating func removeValue(forKey key: Key) -> Value? {
        if slots.isEmpty {
            guard let first = single, first.key == key else { return nil }
            (single, count) = (nil, 0)
            return first.value
        }
        guard var hole = slot(of: key) else { return nil }
        let removed = slots[hole].take()?.value
        count -= 1
        // Entries after the hole whose home slot is not between the hole and them move back.
        var next = (hole + 1) & mask
        while let slot = slots[next] {
            if (next - home(slot.key)) & mask >= (next - hole) & mask {
                slots[hole] = slots[next].take()
                hole = next
            }
            next = (next + 1) & mask
        }
        return removed
    }

    /// Doubles the slots (at least 4) and puts every entry in its new place.
    private mutating func grow() {
        let old = slots + [single.take()]
        let capacity = max(4, slots.count * 2)
        slots = Array(repeating: nil, count: capacity)
        shift = 64 - capacity.trailingZeroBitCount
        count = 0
        for case (let key, let value)? in old { insert(value, for: key) }
    }

    /// Every entry, in no particular order.
    private var entries: [(key: Key, value: Value)] { slots.isEmpty ? (single.map { [$0] } ?? []) : slots.compactMap { $0 } }

    /// The keys, in no particular order.
    var keys: [Key] { entries.map(\.key) }

    /// The values, in no particular order.
    var values: [Value] { entries.map(\.value) }

    /// Any one value (the only one, in a table of one).
    var anyValue: Value? { slots.isEmpty ? single?.value : slots.first { $0 != nil }??.value }
}
