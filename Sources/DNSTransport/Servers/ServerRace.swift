// SPDX-License-Identifier: Apache-2.0
// The sans-I/O rules of one query over a server set: who is asked when, and which answer wins.

/// One query over several servers, free of I/O: the servers are asked in the order given,
/// each after the one before it has had its stagger time (or at once when that one failed),
/// several of them in flight together; the first good answer wins and the others are
/// cancelled. SERVFAIL and REFUSED (with ``ExchangeOptions/movesOnServerFailure``), a
/// timeout or a network error move on to the next server; the best of what came back is
/// the result when every server has been asked and none answered well. Everything happens
/// before one deadline: each server gets the time left until it, and the servers not yet
/// asked share that time, so more servers never make a query take longer.
struct ServerRace {
    enum Action: Equatable {
        /// Ask `server` (an index into the set), allowing `timeout`.
        case ask(server: Int, timeout: Duration)
        /// Stop waiting for `server`: another answered.
        case cancel(server: Int)
        case armTimer(ContinuousClock.Instant)
        case finish(Outcome)
    }

    enum Outcome: Equatable {
        case answer(server: Int)
        /// No server answered well: the best answer that came (SERVFAIL, REFUSED), if any.
        case fallback(server: Int)
        case failure(TransportError)
    }

    /// The servers' indexes in the order they are asked.
    private let order: [Int]
    /// How long to wait for a server before also asking the next, given the time it would
    /// have as its share (the time left divided among the servers not yet asked).
    private let stagger: (_ server: Int, _ share: Duration) -> Duration
    private let deadline: ContinuousClock.Instant
    /// Whether servers are asked one at a time, the next only when one failed (answers of
    /// several messages must come from one server).
    private let oneAtATime: Bool
    private let movesOnServerFailure: Bool
    private var next = 0
    private var running: Set<Int> = []
    private var nextStart: ContinuousClock.Instant?
    private var fallback: Int?
    /// The last failure that says more than a timeout (or the timeout, when all timed out).
    private var lastError: TransportError?
    private(set) var isFinished = false

    init(
        order: [Int], deadline: ContinuousClock.Instant, oneAtATime: Bool, movesOnServerFailure: Bool,
        stagger: @escaping (_ server: Int, _ share: Duration) -> Duration
    ) {
        self.order = order
        self.deadline = deadline
        self.oneAtATime = oneAtATime
        self.movesOnServerFailure = movesOnServerFailure
        self.stagger = stagger
    }

    mutating func start(now: ContinuousClock.Instant) -> [Action] {
        askNext(now: now)
    }

    /// Asks the next server, and arms the timer for the one after it.
    private mutating func askNext(now: ContinuousClock.Instant) -> [Action] {
        guard next < order.count else { return settle() }
        let server = order[next]
        next += 1
        running.insert(server)
        let left = max(now.duration(to: deadline), .zero)
        var actions: [Action] = [.ask(server: server, timeout: left)]
        nextStart = nil
        if next < order.count, !oneAtATime {
            let share = left / (order.count - next + 1)
            nextStart = now + stagger(server, share)
            actions.append(.armTimer(nextStart!))
        }
        return actions
    }

    /// The timer went off: the next server is asked when its turn has come.
    mutating func timerFired(now: ContinuousClock.Instant) -> [Action] {
        guard !isFinished, let nextStart else { return [] }
        guard now >= nextStart else { return [.armTimer(nextStart)] }
        return askNext(now: now)
    }

    /// `server` answered with `code`.
    mutating func answered(server: Int, code: ResponseCodeClass, now: ContinuousClock.Instant) -> [Action] {
        guard !isFinished, running.remove(server) != nil else { return [] }
        if code == .serverFailure, movesOnServerFailure, next < order.count || !running.isEmpty {
            if fallback == nil { fallback = server }
            return next < order.count ? askNext(now: now) : []
        }
        isFinished = true
        return running.sorted().map { .cancel(server: $0) } + [.finish(.answer(server: server))]
    }

    /// Asking `server` failed (it timed out, or the network said no).
    mutating func failed(server: Int, _ error: TransportError, now: ContinuousClock.Instant) -> [Action] {
        guard !isFinished, running.remove(server) != nil else { return [] }
        if lastError == nil || error.code != .timedOut { lastError = error }
        return next < order.count ? askNext(now: now) : settle()
    }

    /// Ends the race when nothing is left to wait for.
    private mutating func settle() -> [Action] {
        guard running.isEmpty, next >= order.count else { return [] }
        isFinished = true
        if let fallback { return [.finish(.fallback(server: fallback))] }
        return [.finish(.failure(lastError ?? TransportError(.timedOut, "no server answered")))]
    }

    /// What an answer's response code means for the race.
    enum ResponseCodeClass {
        case answer
        /// SERVFAIL or REFUSED: another server may do better.
        case serverFailure
    }
}
