// SPDX-License-Identifier: Apache-2.0
// The client's engine, isolated to the thread that runs its poll loop.

import DNSTransport
import DNSWire
import Logging

/// Owns the engine; its executor is the poll loop's, so every method runs on the loop's
/// thread, where the engine must be used.
actor ClientCore {
    /// Touched only by the loop's own thread (``run()``) and, through the executor, by this
    /// actor's jobs, which run on that same thread.
    nonisolated(unsafe) private let loop: PollLoop
    private let engine: DNSEngine
    private let logger: Logger
    nonisolated let remote: PollLoop.Remote

    nonisolated var unownedExecutor: UnownedSerialExecutor { remote.asUnownedSerialExecutor() }

    init(logger: Logger) throws(TransportError) {
        loop = try PollLoop()
        remote = loop.remote
        engine = DNSEngine(loop: loop)
        self.logger = logger
        engine.logger = { [logger] line in logger.trace("\(line)") }
    }

    /// Whether no exchange is outstanding.
    var isIdle: Bool { engine.isIdle }

    /// Runs the loop until `PollLoop/Remote/stop()`; called once, on the loop's thread.
    nonisolated func run() { loop.run() }

    /// Sends `query` to `servers` in turn and waits for the answer. Cancelling the task ends
    /// the exchange at once (its socket or stream slot is freed) with
    /// `TransportError/Code/cancelled`; it never delivers later.
    func exchange(_ query: DNSMessage, to servers: [ServerEndpoint], options: ExchangeOptions) async throws -> ExchangeResult {
        let cancellation = Cancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ExchangeResult, any Error>) in
                guard !cancellation.requested else {
                    return continuation.resume(throwing: TransportError(.cancelled, "the task was cancelled"))
                }
                let started = ContinuousClock.now
                let handle = engine.start(query, to: servers, options: options) { [logger] result in
                    switch result {
                    case .success(let answer):
                        logger.debug(
                            "answer", metadata: ["server": "\(answer.server)", "rtt": "\(started.duration(to: .now))", "id": "\(answer.response.id)"])
                    case .failure(let error):
                        logger.debug("query failed", metadata: ["servers": "\(servers)", "error": "\(error)"])
                    }
                    continuation.resume(with: result)
                }
                cancellation.onRequest { [remote] in
                    remote.execute { self.assumeIsolated { $0.engine.cancel(handle, TransportError(.cancelled, "the task was cancelled")) } }
                }
            }
        } onCancel: {
            cancellation.request()
        }
    }
}

/// A task's cancellation, which may come from any thread before or after the exchange started.
private final class Cancellation: Sendable {
    private struct State {
        var requested = false
        var action: (@Sendable () -> Void)?
    }
    private let state = Locked(State())

    var requested: Bool { state.withLock { $0.requested } }

    /// Runs `action` when cancellation is requested (at once if it already was).
    func onRequest(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            state.action = action
            return state.requested
        }
        if now { action() }
    }

    func request() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            state.requested = true
            return state.action
        }
        action?()
    }
}
