// SPDX-License-Identifier: Apache-2.0
// The client's engine, used on the thread that runs its poll loop.

import DNSTransport
import DNSWire
import Glibc
import Logging
import Synchronization

/// Owns the engine and the poll loop it runs on. The engine is used on the loop's thread
/// only: work from other threads reaches it through the loop's `PollLoop/Remote`, and a
/// task already running there (the client's executor) uses it directly, without a hop.
final class ClientCore: @unchecked Sendable {
    private let loop: PollLoop
    private let engine: DNSEngine
    let logger: Logger
    let remote: PollLoop.Remote
    let taskExecutor: LoopTaskExecutor
    /// The thread that runs the loop, from `init` until `stop()`.
    private var thread: pthread_t = 0

    init(logger: Logger, udpMaxQueries: Int) throws(TransportError) {
        loop = try PollLoop()
        remote = loop.remote
        taskExecutor = LoopTaskExecutor(remote: remote)
        engine = DNSEngine(loop: loop)
        self.logger = logger
        // The engine builds its step lines only for a logger that keeps them.
        if logger.logLevel <= .trace { engine.logger = { [logger] line in logger.trace("\(line)") } }
        engine.udpMaxQueries = udpMaxQueries
        // The loop's thread holds the core until the loop stops.
        thread = try startThread(name: "DNSClient", detached: false) { [self] in loop.run() }
    }

    /// Stops the loop. Called on another thread, it waits for the loop's thread to end: the
    /// engine is then freed with the caller's last reference, not on that thread while the
    /// process may be exiting (freeing TLS contexts as OpenSSL's exit handlers run crashes).
    func stop() {
        remote.stop()
        if remote.isOnLoopThread { pthread_detach(thread) } else { pthread_join(thread, nil) }
    }

    /// Whether no exchange is outstanding.
    var isIdle: Bool {
        get async {
            await withUnsafeContinuation { continuation in remote.execute { continuation.resume(returning: self.engine.isIdle) } }
        }
    }

    /// What an exchange sends.
    enum Outgoing: Sendable {
        case query(DNSMessage)
        case update(UpdateMessage)
    }

    /// Sends `outgoing` to `servers` (see `DNSEngine.start(_:servers:order:options:onMessage:completion:)`)
    /// and waits for the answer. Cancelling the task ends the exchange at once (its socket
    /// or stream slot is freed) with `TransportError/Code/cancelled`; it never delivers later.
    /// It runs on its caller's executor: no switch on entry (which, for a task with an executor
    /// preference, takes the task's status lock in the runtime).
    nonisolated(nonsending) func exchange(
        _ outgoing: Outgoing, to servers: [Nameserver], order: ServerOrder, options: ExchangeOptions, cache: ResponseCache? = nil,
        validator: ResponseValidator? = nil
    ) async throws(TransportError) -> ExchangeResult {
        let pending = PendingExchange()
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                // A task on the client's executor is on the loop's thread already: no hop.
                if remote.isOnLoopThread {
                    start(outgoing, to: servers, order: order, options: options, cache: cache, validator: validator, pending, continuation)
                } else {
                    remote.execute {
                        self.start(outgoing, to: servers, order: order, options: options, cache: cache, validator: validator, pending, continuation)
                    }
                }
            }
        } onCancel: {
            cancel(pending, "the task was cancelled")
        }
        // Switched on, not `get()`: the result moves out rather than being copied.
        switch pending.takeOutcome() {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }

    /// Cancels what `pending` started, or keeps it from starting; from any thread.
    private func cancel(_ pending: PendingExchange, _ reason: String) {
        pending.cancelled.store(true, ordering: .sequentiallyConsistent)
        // Queued behind the start (or after it ran): the handle is known by then.
        remote.execute {
            guard let handle = pending.handle else { return }
            self.engine.cancel(handle, TransportError(.cancelled, reason))
        }
    }

    /// Starts the exchange, on the loop's thread, unless the task was cancelled already.
    private func start(
        _ outgoing: Outgoing, to servers: [Nameserver], order: ServerOrder, options: ExchangeOptions, cache: ResponseCache?,
        validator: ResponseValidator?, _ pending: PendingExchange, _ continuation: UnsafeContinuation<Void, Never>
    ) {
        pending.waiting = continuation
        guard !pending.cancelled.load(ordering: .sequentiallyConsistent) else {
            return pending.deliver(.failure(TransportError(.cancelled, "the task was cancelled")))
        }
        let completion: DNSEngine.Completion
        if logger.logLevel <= .debug {
            let started = ContinuousClock.now
            completion = { [logger] result in
                switch result {
                case .success(let answer):
                    logger.debug(
                        "answer",
                        metadata: [
                            "server": "\(servers[answer.serverIndex])", "address": "\(answer.server)",
                            "rtt": "\(started.duration(to: .now))", "id": "\(answer.response.id)",
                        ])
                case .failure(let error):
                    logger.debug("query failed", metadata: ["servers": "\(servers)", "error": "\(error)"])
                }
                pending.deliver(result)
            }
        } else {
            // Answers are not logged: the completion keeps neither the logger, the servers nor a
            // start time, only `pending` (a closure that captures one object uses it as its
            // context: nothing is allocated for it).
            completion = { [pending] result in pending.deliver(consume result) }
        }
        pending.handle =
            switch outgoing {
            case .query(let query):
                engine.start(query, servers: servers, order: order, options: options, cache: cache, validator: validator, completion: completion)
            case .update(let update): engine.start(update: update, servers: servers, order: order, options: options, completion: completion)
            }
    }
}

extension ClientCore {
    /// What the consumer of a transfer may do to it, from any thread.
    struct TransferControl: Sendable {
        /// Stops the transfer.
        let cancel: @Sendable () -> Void
        /// Stops (true) or resumes (false) reading its answer.
        let setReadingPaused: @Sendable (Bool) -> Void
    }

    /// Starts a zone transfer on the loop's thread: `onMessage` gets each message of the
    /// response that counts, `completion` the end.
    func transfer(
        _ zone: DomainName, servers: [Nameserver], options: ExchangeOptions, transfer: TransferOptions,
        onMessage: @escaping @Sendable (DNSMessage) -> Void, completion: @escaping @Sendable (Result<TransferResult, TransportError>) -> Void
    ) -> TransferControl {
        let pending = PendingExchange()
        remote.execute { [self] in
            guard !pending.cancelled.load(ordering: .sequentiallyConsistent) else {
                return completion(.failure(TransportError(.cancelled, "the transfer was cancelled")))
            }
            pending.handle = engine.startTransfer(
                zone, servers: servers, options: options, transfer: transfer, onMessage: onMessage, completion: completion)
        }
        return TransferControl(
            cancel: { [self] in cancel(pending, "the transfer was cancelled") },
            setReadingPaused: { [self] paused in
                // Asked while a message is handed over, on the loop's thread: at once, before
                // the connection is read again.
                let apply: @Sendable () -> Void = { [self] in if let handle = pending.handle { engine.pauseTransfer(handle, paused) } }
                if remote.isOnLoopThread { apply() } else { remote.execute(apply) }
            })
    }
}

/// One exchange as its task sees it: whether the task was cancelled (set from any thread);
/// once started, the engine's handle and the task's continuation (set and read on the loop's
/// thread only); at the end, its outcome, set on the loop's thread before the task is resumed.
///
/// The outcome is published by an atomic store the task's load pairs with, not through the
/// continuation: a continuation resumed before its task suspended lets the task go on
/// without a synchronization ThreadSanitizer sees (the runtime's fast path has no annotation).
private final class PendingExchange: @unchecked Sendable {
    let cancelled = Atomic<Bool>(false)
    var handle: DNSEngine.Handle?
    /// The task waiting for the outcome.
    var waiting: UnsafeContinuation<Void, Never>?
    private var result: Result<ExchangeResult, TransportError>?
    private let delivered = Atomic<Bool>(false)

    /// Keeps the outcome for the task, then resumes it; on the loop's thread.
    func deliver(_ result: consuming Result<ExchangeResult, TransportError>) {
        self.result = consume result
        delivered.store(true, ordering: .releasing)
        waiting.take()?.resume()
    }

    /// The outcome, taken (not copied) by the task once resumed.
    func takeOutcome() -> Result<ExchangeResult, TransportError> {
        guard delivered.load(ordering: .acquiring), let result = result.take() else { preconditionFailure("the exchange has no outcome yet") }
        return result
    }
}
