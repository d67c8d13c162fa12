// SPDX-License-Identifier: Apache-2.0
// A value behind a pthread mutex, for state shared between threads.

internal import Glibc

/// A value guarded by a pthread mutex. Unlike `Synchronization.Mutex` (a bare futex on
/// Linux), ThreadSanitizer sees its ordering, so sanitized runs report only real races.
package final class Locked<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
