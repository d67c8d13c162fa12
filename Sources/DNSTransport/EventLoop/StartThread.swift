// SPDX-License-Identifier: Apache-2.0
// A pthread running one closure: the library's threads without Foundation.

internal import CDNSSocket
internal import Glibc

/// Starts a thread that runs `body` and ends, named `name` (Linux shows its first 15 bytes,
/// e.g. in `top -H`). A detached thread frees itself when it ends; otherwise the caller must
/// `pthread_join` (or `pthread_detach`) the thread returned (a `pthread_t`).
/// - Throws: ``TransportError/Code/system`` when the system cannot start another thread.
@discardableResult
package func startThread(name: String, detached: Bool = true, _ body: @escaping @Sendable () -> Void) throws(TransportError) -> UInt {
    let context = Unmanaged.passRetained(ThreadBody(name: name, body: body)).toOpaque()
    var thread = pthread_t()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(detached ? PTHREAD_CREATE_DETACHED : PTHREAD_CREATE_JOINABLE))
    let started = pthread_create(
        &thread, &attributes,
        { context in
            let body = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
            cdns_name_this_thread(body.name)
            body.body()
            return nil
        }, context)
    guard started == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(context).release()
        throw .system("pthread_create", errno: started)
    }
    return thread
}

/// What a new thread runs, carried to it through `pthread_create`'s argument.
private final class ThreadBody {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, body: @escaping @Sendable () -> Void) { (self.name, self.body) = (name, body) }
}
