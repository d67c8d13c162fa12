// SPDX-License-Identifier: Apache-2.0
// A single-threaded event loop over poll(2): file descriptors, timers and a wake-up pipe.

internal import CDNSSocket
internal import DNSWire
internal import Glibc
import Synchronization

/// Readiness of a file descriptor, as poll(2) reports it.
public struct IOEvents: OptionSet, Sendable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }
    public static let readable = IOEvents(rawValue: Int16(POLLIN))
    public static let writable = IOEvents(rawValue: Int16(POLLOUT))
    /// Error or hang-up; always reported, never requested.
    public static let failure = IOEvents(rawValue: Int16(POLLERR | POLLHUP | POLLNVAL))
}

/// A single-threaded event loop: descriptors with interest sets and handlers, one-shot
/// timers, and a wake-up pipe so other threads can hand it work through ``remote``.
///
/// Everything must be called on the thread that runs the loop, except through ``remote``,
/// which is `Sendable`. Handlers run inside ``runOnce(timeout:)``, on that thread.
///
/// A future epoll backend needs the same four things: a registration table keyed by
/// descriptor, interest changes, a wait with a timeout, and the wake-up descriptor.
public final class PollLoop {
    public typealias Handler = (IOEvents) -> Void

    /// A scheduled timer, for ``cancelTimer(_:)``. Timers are kept in order of
    /// (deadline, sequence), so the identity is also where to find it.
    public struct TimerID: Hashable, Sendable, Comparable {
        /// The deadline, as the loop's `origin` plus a duration of these components: plain
        /// integers, which copy and compare inline (`ContinuousClock.Instant`'s layout is
        /// opaque outside the standard library, so each copy or comparison is a call).
        let seconds: Int64
        let attoseconds: Int64
        let sequence: UInt64

        /// Field by field: a tuple comparison is generic, and costs more than the search.
        public static func < (lhs: TimerID, rhs: TimerID) -> Bool {
            if lhs.seconds != rhs.seconds { return lhs.seconds < rhs.seconds }
            if lhs.attoseconds != rhs.attoseconds { return lhs.attoseconds < rhs.attoseconds }
            return lhs.sequence < rhs.sequence
        }

        /// Whether the deadline is not after `instant` (the components of its time since the origin).
        func isDue(at instant: (seconds: Int64, attoseconds: Int64)) -> Bool {
            seconds != instant.seconds ? seconds < instant.seconds : attoseconds <= instant.attoseconds
        }
    }

    private struct Registration {
        var interest: IOEvents
        let handler: Handler
        /// Which registration of the descriptor this is: a descriptor closed and reused within
        /// one round gets a new one, so the old one's events never reach the new handler.
        let generation: UInt64
    }

    private struct Timer {
        let id: TimerID
        /// Nil once the timer ran or was cancelled.
        var action: (() -> Void)?
    }

    /// How long a wait polls without sleeping before it blocks. Waking a sleeping thread
    /// costs tens of microseconds on a virtual machine, more than a local server takes to
    /// answer; a short spin catches such answers at once. Zero never spins.
    public var busyWait: Duration = .microseconds(100)
    /// Consecutive waits no spin ended (answers come from further away); past 4, only every
    /// 64th wait spins (no longer than the wait itself), to notice when answers come quickly again.
    private(set) var busyWaitMisses = 0

    // Used on the loop's thread only, never by overlapping accesses: no run-time exclusivity checks.
    @exclusivity(unchecked) private var registrations: [Int32: Registration] = [:]
    private var nextGeneration: UInt64 = 1
    /// Which generation each polled descriptor had when the round's poll set was built.
    @exclusivity(unchecked) private var polledGenerations: [UInt64] = []
    /// Timers sorted by deadline, then by creation order. Those before `firstTimer` are spent;
    /// a cancelled one loses its action but keeps its place until it is dropped, so that
    /// cancelling moves no other timer. The one at `firstTimer`, if any, is live.
    @exclusivity(unchecked) private var timers: [Timer] = []
    private var firstTimer = 0
    /// Cancelled timers from `firstTimer` on.
    private var cancelledTimers = 0
    private var nextTimerSequence: UInt64 = 1
    /// What timer deadlines are counted from.
    private let origin = ContinuousClock.now
    /// Work to do once, just before the next wait (for example one write for many queued messages).
    @exclusivity(unchecked) private var beforeWait: [() -> Void] = []
    /// Set by ``returnWithoutWaiting()`` during this round's before-wait work.
    private var wakePending = false
    /// The batch of queued work last run, emptied, kept for its storage: swapped with the
    /// queue, it takes the next batch without an allocation on either side.
    @exclusivity(unchecked) private var spareBatch: [Remote.Work] = []
    /// The thread-safe side of the loop: its wake-up pipe and queue of tasks.
    public let remote: Remote

    /// What other threads may do with a loop: queue work, wake it, stop its ``PollLoop/run()``.
    /// Owns the wake-up pipe. It is also the loop's `SerialExecutor`: an actor whose
    /// `unownedExecutor` is this one runs its jobs on the loop's thread.
    public final class Remote: Sendable {
        fileprivate let reader: Int32
        fileprivate let writer: Int32
        fileprivate let tasks = Locked<[Work]>([])
        fileprivate let stopRequested = Atomic<Bool>(false)
        /// Set instead of writing to the pipe when the loop's own thread queued the first
        /// task: the loop runs the queue at its next round without a system call.
        fileprivate let queuedByLoop = Atomic<Bool>(false)
        /// The thread that last ran a round of the loop (its `pthread_t`), 0 before any.
        fileprivate let loopThread = Atomic<UInt>(0)

        fileprivate init() throws(TransportError) {
            var fds: [Int32] = [0, 0]
            guard cdns_nonblocking_pipe(&fds) == 0 else { throw TransportError.system("pipe2") }
            reader = fds[0]
            writer = fds[1]
        }

        deinit {
            close(reader)
            close(writer)
        }

        /// What the loop's thread runs for others: a closure, or a job of a task on one of the
        /// loop's executors (queued as it is, without a closure to allocate per job).
        fileprivate enum Work: Sendable {
            case task(@Sendable () -> Void)
            case job(UnownedJob)
            case taskExecutorJob(UnownedJob, LoopTaskExecutor)
        }

        /// Queues `task` to run on the loop's thread and wakes the loop (once per batch: the
        /// loop takes the whole queue after reading the wake-up pipe, so only the task that
        /// finds the queue empty needs to write to it; on the loop's own thread, which runs
        /// the queue at its next round anyway, not even that one).
        public func execute(_ task: @escaping @Sendable () -> Void) {
            enqueue(.task(task))
        }

        /// Queues `work` as ``execute(_:)`` queues a task.
        fileprivate func enqueue(_ work: Work) {
            let first = tasks.withLock { queue in
                queue.append(work)
                return queue.count == 1
            }
            guard first else { return }
            if isOnLoopThread {
                queuedByLoop.store(true, ordering: .relaxed)
            } else {
                wakeUp()
            }
        }

        /// Makes a blocked ``PollLoop/runOnce(timeout:)`` return soon.
        public func wakeUp() {
            var byte: UInt8 = 1
            _ = write(writer, &byte, 1)
        }

        /// Makes ``PollLoop/run()`` return after its current round.
        public func stop() {
            stopRequested.store(true, ordering: .releasing)
            wakeUp()
        }

        /// Whether the calling thread is the one running the loop.
        public var isOnLoopThread: Bool { loopThread.load(ordering: .relaxed) == UInt(pthread_self()) }
    }

    public init() throws(TransportError) {
        remote = try Remote()
    }

    // MARK: Descriptors

    /// Watches `fd` for `interest`; `handler` gets the events that occurred.
    public func register(_ fd: Int32, interest: IOEvents, handler: @escaping Handler) {
        registrations[fd] = Registration(interest: interest, handler: handler, generation: nextGeneration)
        nextGeneration += 1
    }

    public func setInterest(_ fd: Int32, _ interest: IOEvents) {
        registrations[fd]?.interest = interest
    }

    /// Stops watching `fd`; its handler is not called again, even for events already polled.
    public func unregister(_ fd: Int32) {
        registrations[fd] = nil
    }

    // MARK: Timers

    /// Runs `action` once at `deadline`, from ``runOnce(timeout:)``.
    @discardableResult
    public func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping () -> Void) -> TimerID {
        let (seconds, attoseconds) = sinceOrigin(deadline)
        let id = TimerID(seconds: seconds, attoseconds: attoseconds, sequence: nextTimerSequence)
        nextTimerSequence += 1
        // Usually the latest deadline yet (deadlines mostly grow): appended without a search.
        if timers.count == firstTimer || timers[timers.count - 1].id < id {
            timers.append(Timer(id: id, action: action))
        } else {
            timers.insert(Timer(id: id, action: action), at: timerIndex(id))  // after every earlier one: sequences only grow
        }
        return id
    }

    public func cancelTimer(_ id: TimerID) {
        let index = timerIndex(id)
        guard index < timers.count, timers[index].id == id, timers[index].action != nil else { return }
        timers[index].action = nil
        cancelledTimers += 1
        dropSpentTimers()
    }

    /// Moves `firstTimer` past cancelled timers, and keeps only live ones once most of the
    /// table is spent (each timer is thus moved a bounded number of times on average).
    private func dropSpentTimers() {
        while firstTimer < timers.count, timers[firstTimer].action == nil {
            firstTimer += 1
            cancelledTimers -= 1
        }
        let spent = firstTimer + cancelledTimers
        if spent >= 64, spent * 2 > timers.count {
            timers.removeAll { $0.action == nil }
            (firstTimer, cancelledTimers) = (0, 0)
        }
    }

    /// The position of the first timer not before `id` among those from `firstTimer` on (binary search).
    private func timerIndex(_ id: TimerID) -> Int {
        var low = firstTimer
        var high = timers.count
        while low < high {
            let middle = (low + high) / 2
            if timers[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The earliest timer deadline, if any.
    public var nextDeadline: ContinuousClock.Instant? {
        guard firstTimer < timers.count else { return nil }
        let id = timers[firstTimer].id
        return origin + Duration(secondsComponent: id.seconds, attosecondsComponent: id.attoseconds)
    }

    /// The components of the time from the origin to `instant`.
    private func sinceOrigin(_ instant: ContinuousClock.Instant) -> (seconds: Int64, attoseconds: Int64) {
        origin.duration(to: instant).components
    }

    /// Runs `action` once at the start of the next ``runOnce(timeout:)``, before it waits.
    public func beforeNextWait(_ action: @escaping () -> Void) {
        beforeWait.append(action)
    }

    /// Called from before-wait work, makes this round poll without blocking, so whoever runs
    /// the loop sees at once what that work finished (a query failed while its write was
    /// flushed), instead of sleeping until some unrelated event. Elsewhere it changes
    /// nothing: a round returns after its handlers and timers anyway.
    public func returnWithoutWaiting() {
        wakePending = true
    }

    // MARK: Running

    /// Runs rounds until ``Remote/stop()`` is called, from any thread (or from a handler).
    /// The loop's thread is then the calling thread; ``remote`` is its executor.
    public func run() {
        while !remote.stopRequested.exchange(false, ordering: .acquiring) { runOnce(timeout: nil) }
    }

    /// Waits up to `timeout` (nil: until the next timer or forever) for descriptors, due
    /// timers or queued tasks, and runs their handlers. Returns after one round.
    public func runOnce(timeout: Duration?) {
        remote.loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        wakePending = false
        while !beforeWait.isEmpty {
            let actions = beforeWait
            beforeWait.removeAll()
            for action in actions { action() }
        }
        let now = ContinuousClock.now
        var wait = wakePending || remote.queuedByLoop.load(ordering: .relaxed) ? .zero : timeout
        wakePending = false
        if let deadline = nextDeadline {
            let untilTimer = max(.zero, now.duration(to: deadline))
            wait = min(wait ?? untilTimer, untilTimer)
        }
        let milliseconds = wait.map(Self.pollMilliseconds) ?? -1

        var fds: [pollfd] = []
        fds.reserveCapacity(registrations.count + 1)  // one allocation per round
        fds.append(pollfd(fd: remote.reader, events: Int16(POLLIN), revents: 0))
        polledGenerations.removeAll(keepingCapacity: true)
        polledGenerations.append(0)
        for (fd, registration) in registrations {
            fds.append(pollfd(fd: fd, events: registration.interest.rawValue, revents: 0))
            polledGenerations.append(registration.generation)
        }
        var ready: Int32 = 0
        if milliseconds != 0, busyWait > .zero {
            if busyWaitMisses < 4 || busyWaitMisses % 64 == 0 {
                let end = now + min(busyWait, wait ?? busyWait)
                repeat { ready = poll(&fds, nfds_t(fds.count), 0) } while ready == 0 && ContinuousClock.now < end
            }
            busyWaitMisses = ready > 0 ? 0 : busyWaitMisses + 1
        }
        if ready == 0 { ready = poll(&fds, nfds_t(fds.count), milliseconds) }
        if ready > 0 {
            if fds[0].revents != 0 { drainWakeUps() }
            for index in 1..<fds.count where fds[index].revents != 0 {
                // A handler may have unregistered this descriptor earlier in the round, or
                // closed it and registered the reused number anew.
                guard let registration = registrations[fds[index].fd], registration.generation == polledGenerations[index] else {
                    continue
                }
                registration.handler(IOEvents(rawValue: fds[index].revents))
            }
        }
        if remote.queuedByLoop.exchange(false, ordering: .relaxed) { runQueuedTasks() }
        runDueTimers()
    }

    /// `wait` in whole milliseconds for poll(2), rounded up and saturating: any wait beyond
    /// Int32.max milliseconds (about 24.8 days) is that long, and the loop simply waits again.
    static func pollMilliseconds(_ wait: Duration) -> Int32 {
        let (seconds, attoseconds) = wait.components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(Int32.max / 1000) else { return Int32.max }
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    private func drainWakeUps() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(remote.reader, &buffer, buffer.count) > 0 {}
        runQueuedTasks()
    }

    private func runQueuedTasks() {
        // The spare is taken out first, so that work running a nested round cannot swap this batch back in.
        var batch = spareBatch
        spareBatch = []
        remote.tasks.withLock { queue in swap(&queue, &batch) }
        for work in batch {
            switch work {
            case .task(let task): task()
            case .job(let job): job.runSynchronously(on: remote.asUnownedSerialExecutor())
            case .taskExecutorJob(let job, let executor): job.runSynchronously(on: executor.asUnownedTaskExecutor())
            }
        }
        batch.removeAll(keepingCapacity: true)
        spareBatch = batch
    }

    private func runDueTimers() {
        let now = sinceOrigin(.now)
        while firstTimer < timers.count, timers[firstTimer].id.isDue(at: now), let action = timers[firstTimer].action {
            timers[firstTimer].action = nil
            firstTimer += 1
            dropSpentTimers()
            action()
        }
    }
}

extension PollLoop.Remote: SerialExecutor {
    /// Queues the job to run on the loop's thread, in order with every other task.
    public func enqueue(_ job: consuming ExecutorJob) {
        enqueue(.job(UnownedJob(job)))
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func checkIsolated() {
        precondition(isOnLoopThread, "not on the poll loop's thread")
    }
}

/// A ``PollLoop``'s thread as a `TaskExecutor`: a task run with
/// `withTaskExecutorPreference(LoopTaskExecutor(remote: loop.remote))` runs its nonisolated
/// code on the loop's thread, and goes on after each await without changing threads.
public final class LoopTaskExecutor: TaskExecutor {
    let remote: PollLoop.Remote

    public init(remote: PollLoop.Remote) {
        self.remote = remote
    }

    /// Whether the calling thread is the one running the loop.
    public var isOnLoopThread: Bool { remote.isOnLoopThread }

    /// Queues the job to run on the loop's thread, in order with every other task.
    public func enqueue(_ job: consuming ExecutorJob) {
        remote.enqueue(.taskExecutorJob(UnownedJob(job), self))
    }
}
