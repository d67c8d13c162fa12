// SPDX-License-Identifier: Apache-2.0
// The messages of a zone transfer on their way from the engine to the task iterating them.

import DNSTransport
import DNSWire

/// The messages of a transfer between the engine, which hands each over on the loop's thread
/// as it arrives, and the task that iterates them. When ``limit`` messages wait, the engine
/// stops reading the connection (TCP's flow control then holds the server back) until the
/// task has taken all but ``resumeBelow`` of them: a zone larger than memory streams through
/// a bounded buffer however slowly the task works.
final class TransferBuffer: Sendable {
    /// Messages waiting at which reading stops, and below which it resumes.
    static let limit = 16
    static let resumeBelow = 4

    private struct State {
        var messages: [DNSMessage] = []
        /// The index of the first message not yet taken.
        var head = 0
        var paused = false
        /// The most messages that waited at once.
        var mostWaiting = 0
        /// How the transfer ended, once it has.
        var end: Result<Void, any Error>?
        /// The task waiting for a message.
        var waiting: UnsafeContinuation<Void, Never>?
        /// The transfer, once started.
        var control: ClientCore.TransferControl?

        var count: Int { messages.count - head }
    }

    private let state = Locked(State())

    /// Connects the buffer to its transfer (once started).
    func attach(_ control: ClientCore.TransferControl) {
        state.withLock { $0.control = control }
    }

    // MARK: The engine's side, on the loop's thread

    /// A message arrived.
    func append(_ message: DNSMessage) {
        let (waiting, pause) = state.withLock { state in
            state.messages.append(message)
            state.mostWaiting = max(state.mostWaiting, state.count)
            // Before the buffer is attached (the first messages cannot come that soon, but if
            // they did) reading cannot be paused yet: a later message pauses it.
            let pause = !state.paused && state.count >= Self.limit ? state.control : nil
            if pause != nil { state.paused = true }
            return (state.waiting.take(), pause)
        }
        pause?.setReadingPaused(true)
        waiting?.resume()
    }

    /// The transfer ended (complete, or failed with the error).
    func finish(_ end: Result<Void, any Error>) {
        let waiting = state.withLock { state in
            if state.end == nil { state.end = end }
            return state.waiting.take()
        }
        waiting?.resume()
    }

    /// The most messages that waited for the task at once.
    var mostWaiting: Int { state.withLock { $0.mostWaiting } }

    // MARK: The iterating task's side

    /// The next message; nil at the end of a complete transfer or once the task is cancelled
    /// (which cancels the transfer).
    /// - Throws: the transfer's failure.
    func next() async throws -> DNSMessage? {
        while true {
            if Task.isCancelled {
                cancel()
                return nil
            }
            enum Step {
                /// A message, and the transfer when its reading is to resume.
                case message(DNSMessage, resume: ClientCore.TransferControl?)
                case end(Result<Void, any Error>)
                case wait
            }
            let step: Step = state.withLock { state in
                if state.count > 0 {
                    let message = state.messages[state.head]
                    state.head += 1
                    // Taken messages are dropped once they are half the array.
                    if state.head * 2 >= state.messages.count {
                        state.messages.removeFirst(state.head)
                        state.head = 0
                    }
                    let resume = state.paused && state.count < Self.resumeBelow
                    if resume { state.paused = false }
                    return .message(message, resume: resume ? state.control : nil)
                }
                return state.end.map(Step.end) ?? .wait
            }
            switch step {
            case .message(let message, let resume):
                resume?.setReadingPaused(false)
                return message
            case .end(let end):
                try end.get()
                return nil
            case .wait:
                await withTaskCancellationHandler {
                    await withUnsafeContinuation { continuation in
                        let ready = state.withLock { state in
                            guard state.count == 0, state.end == nil else { return true }
                            state.waiting = continuation
                            return false
                        }
                        if ready { continuation.resume() }
                    }
                } onCancel: {
                    cancel()
                }
            }
        }
    }

    /// Stops the transfer: the task iterating it was cancelled or let it go.
    func cancel() {
        state.withLock { $0.control }?.cancel()
    }
}

/// Cancels its transfer when the stream that iterates it is let go before the end (a loop
/// left early): the last reference to it is the stream's.
final class TransferLease: Sendable {
    let buffer: TransferBuffer
    /// The client, kept (and so its loop) until the stream is let go.
    private let client: DNSClient

    init(_ buffer: TransferBuffer, client: DNSClient) {
        self.buffer = buffer
        self.client = client
    }

    deinit {
        buffer.cancel()
    }
}
