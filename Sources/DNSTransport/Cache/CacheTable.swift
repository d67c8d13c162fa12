// SPDX-License-Identifier: Apache-2.0
// The cache's index: a dictionary of keys to slots, the slots in a list by recency.

/// The entries of a response cache by key, in order of use: a dictionary from key to slot, and
/// the slots doubly linked from the most to the least recently used (links are slot indexes,
/// freed slots are reused). Finding, using, adding and removing an entry are O(1).
struct CacheTable {
    struct Node {
        let key: CacheKey
        let entry: CacheEntry
        /// When a refresh of this entry, given stale, last failed.
        var refreshFailed: ContinuousClock.Instant?
        /// The slot used just after this one (towards the most recent), or ``none``.
        var newer: Int
        /// The slot used just before this one (towards the least recent), or ``none``.
        var older: Int
    }

    static let none = -1

    private var slots: [CacheKey: Int] = [:]
    private var nodes: [Node?] = []
    private var freeSlots: [Int] = []
    private var newest = none
    private var oldest = none
    /// The sum of the entries' costs.
    private(set) var bytes = 0

    var count: Int { slots.count }

    func slot(of key: CacheKey) -> Int? { slots[key] }

    func entry(at slot: Int) -> CacheEntry { nodes[slot]!.entry }

    func refreshFailed(at slot: Int) -> ContinuousClock.Instant? { nodes[slot]!.refreshFailed }

    mutating func setRefreshFailed(at slot: Int, _ instant: ContinuousClock.Instant) { nodes[slot]!.refreshFailed = instant }

    /// Adds `entry` for `key` (which must not be present) as the most recently used.
    mutating func insert(_ entry: CacheEntry, for key: CacheKey) {
        let node = Node(key: key, entry: entry, refreshFailed: nil, newer: Self.none, older: newest)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            nodes[slot] = node
        } else {
            slot = nodes.count
            nodes.append(node)
        }
        link(slot)
        slots[key] = slot
        bytes += entry.cost
    }

    /// Makes `slot` the most recently used.
    mutating func touch(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        nodes[slot]!.older = newest
        nodes[slot]!.newer = Self.none
        link(slot)
    }

    /// Removes the entry in `slot`.
    mutating func remove(_ slot: Int) {
        unlink(slot)
        let node = nodes[slot].take()!
        slots[node.key] = nil
        bytes -= node.entry.cost
        freeSlots.append(slot)
    }

    /// Removes the least recently used entry; false when there is none.
    mutating func removeOldest() -> Bool {
        guard oldest != Self.none else { return false }
        remove(oldest)
        return true
    }

    /// The slots whose key satisfies `matches`, by walking every entry.
    func slots(where matches: (CacheKey) -> Bool) -> [Int] {
        var found: [Int] = []
        var slot = newest
        while slot != Self.none {
            if matches(nodes[slot]!.key) { found.append(slot) }
            slot = nodes[slot]!.older
        }
        return found
    }

    /// Puts `slot`, whose `older` link is set to the current newest, at the front.
    private mutating func link(_ slot: Int) {
        if newest != Self.none { nodes[newest]!.newer = slot }
        newest = slot
        if oldest == Self.none { oldest = slot }
    }

    /// Takes `slot` out of the order, joining its neighbours.
    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (nodes[slot]!.newer, nodes[slot]!.older)
        if newer != Self.none { nodes[newer]!.older = older } else { newest = older }
        if older != Self.none { nodes[older]!.newer = newer } else { oldest = newer }
    }
}
