// SPDX-License-Identifier: Apache-2.0
// Record type descriptions built on first use, from any thread.

import Synchronization

/// A fixed number of slots, each holding a record type's description once it is built.
/// Reading a built one is one atomic load. The first reader of an empty slot builds its
/// description; when two threads race, one description is kept and the other dropped
/// (building one has no side effects).
final class LazySchemaTable: @unchecked Sendable {  // Sendable: the slots are atomics
    private final class Built: Sendable {
        let schema: any AnyRecordSchema
        init(_ schema: any AnyRecordSchema) { self.schema = schema }
    }

    private let slots: UnsafeMutablePointer<Atomic<Unmanaged<Built>?>>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        for index in 0..<count { (slots + index).initialize(to: Atomic(nil)) }
    }

    deinit {
        for index in 0..<count { slots[index].load(ordering: .acquiring)?.release() }
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The description in slot `index`, built with `make` if it is the first asked for.
    func schema(at index: Int, building make: () -> any AnyRecordSchema) -> any AnyRecordSchema {
        precondition(index >= 0 && index < count, "slot \(index) of \(count)")
        if let built = slots[index].load(ordering: .acquiring) { return built.takeUnretainedValue().schema }
        let new = Unmanaged.passRetained(Built(make()))
        let (stored, winner) = slots[index].compareExchange(expected: nil, desired: new, ordering: .acquiringAndReleasing)
        guard !stored, let winner else { return new.takeUnretainedValue().schema }
        new.release()
        return winner.takeUnretainedValue().schema
    }
}
