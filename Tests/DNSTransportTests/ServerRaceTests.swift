// SPDX-License-Identifier: Apache-2.0
// The rules of a query over a server set, and the statistics that order the servers.

import Testing

@testable import DNSTransport

struct ServerRaceTests {
    let start = ContinuousClock.now

    func race(servers: Int = 3, timeout: Duration = .seconds(3), stagger: Duration = .milliseconds(100), oneAtATime: Bool = false)
        -> ServerRace
    {
        ServerRace(order: Array(0..<servers), deadline: start + timeout, oneAtATime: oneAtATime, movesOnServerFailure: true) { _, share in
            min(stagger, share)
        }
    }

    @Test func theNextServerIsAskedAfterTheStaggerAndTheFirstAnswerWins() {
        var race = race()
        #expect(race.start(now: start) == [.ask(server: 0, timeout: .seconds(3)), .armTimer(start + .milliseconds(100))])
        // Early wake-ups re-arm.
        #expect(race.timerFired(now: start + .milliseconds(50)) == [.armTimer(start + .milliseconds(100))])
        let later = start + .milliseconds(100)
        #expect(race.timerFired(now: later) == [.ask(server: 1, timeout: .milliseconds(2900)), .armTimer(later + .milliseconds(100))])
        #expect(race.answered(server: 1, code: .answer, now: later + .milliseconds(5)) == [.cancel(server: 0), .finish(.answer(server: 1))])
        #expect(race.isFinished)
        #expect(race.failed(server: 0, TransportError(.cancelled, ""), now: later).isEmpty)
    }

    @Test func aFailureAsksTheNextAtOnce() {
        var race = race(stagger: .seconds(1))
        _ = race.start(now: start)
        let now = start + .milliseconds(10)
        #expect(race.failed(server: 0, TransportError(.connectionClosed, "refused"), now: now).first == .ask(server: 1, timeout: .milliseconds(2990)))
    }

    /// The stagger never exceeds an equal share of the time left among the servers not yet asked.
    @Test func theStaggerIsAtMostAShareOfTheTimeLeft() {
        var race = race(servers: 3, timeout: .seconds(3), stagger: .seconds(10))
        #expect(race.start(now: start) == [.ask(server: 0, timeout: .seconds(3)), .armTimer(start + .seconds(1))])
    }

    @Test func servfailIsTheAnswerOnlyWhenNoServerDoesBetter() {
        var race = race()
        _ = race.start(now: start)
        #expect(race.answered(server: 0, code: .serverFailure, now: start).first == .ask(server: 1, timeout: .seconds(3)))
        #expect(race.failed(server: 1, TransportError(.timedOut, ""), now: start).first == .ask(server: 2, timeout: .seconds(3)))
        #expect(race.failed(server: 2, TransportError(.connectionClosed, ""), now: start) == [.finish(.fallback(server: 0))])

        var better = self.race()
        _ = better.start(now: start)
        _ = better.answered(server: 0, code: .serverFailure, now: start)
        #expect(better.answered(server: 1, code: .answer, now: start) == [.finish(.answer(server: 1))])
    }

    /// The last server's SERVFAIL, with nothing else in flight, is the answer as it is.
    @Test func theLastServersServfailIsReturned() {
        var race = race(servers: 2)
        _ = race.start(now: start)
        _ = race.failed(server: 0, TransportError(.timedOut, ""), now: start)
        #expect(race.answered(server: 1, code: .serverFailure, now: start) == [.finish(.answer(server: 1))])
    }

    /// When every server failed, a failure that says more than a timeout is reported.
    @Test func everyServerFailing() {
        var race = race(servers: 3)
        _ = race.start(now: start)
        _ = race.failed(server: 0, TransportError(.timedOut, "t"), now: start)
        _ = race.failed(server: 1, TransportError(.connectionClosed, "r"), now: start)
        #expect(race.failed(server: 2, TransportError(.timedOut, "t"), now: start) == [.finish(.failure(TransportError(.connectionClosed, "r")))])
    }

    /// A server still in flight when the last one fails keeps the race open.
    @Test func theRaceWaitsForServersInFlight() {
        var race = race(servers: 2)
        _ = race.start(now: start)
        _ = race.timerFired(now: start + .milliseconds(100))
        #expect(race.failed(server: 1, TransportError(.connectionClosed, ""), now: start + .milliseconds(101)).isEmpty)
        #expect(race.answered(server: 0, code: .answer, now: start + .milliseconds(200)) == [.finish(.answer(server: 0))])
    }

    /// Answers of several messages come from one server: the next is asked only after a failure.
    @Test func oneAtATimeArmsNoStagger() {
        var race = race(oneAtATime: true)
        #expect(race.start(now: start) == [.ask(server: 0, timeout: .seconds(3))])
        #expect(race.failed(server: 0, TransportError(.timedOut, ""), now: start + .seconds(1)) == [.ask(server: 1, timeout: .seconds(2))])
    }
}

struct ServerStatisticsTests {
    let now = ContinuousClock.now
    let keys = [53, 54, 55].map { ServerStatistics.Key(endpoint: ServerEndpoint(host: "127.0.0.1", port: $0), transport: .udp()) }

    @Test func unmeasuredServersComeFirstThenTheFastest() {
        let statistics = ServerStatistics()
        #expect(statistics.order(keys, rankByTime: true, now: now) == [0, 1, 2])
        statistics.answered(keys[0], rtt: .milliseconds(30), now: now)
        #expect(statistics.order(keys, rankByTime: true, now: now) == [1, 2, 0])
        statistics.answered(keys[1], rtt: .milliseconds(50), now: now)
        statistics.answered(keys[2], rtt: .milliseconds(5), now: now)
        #expect(statistics.order(keys, rankByTime: true, now: now) == [2, 0, 1])
        #expect(statistics.order(keys, rankByTime: false, now: now) == [0, 1, 2])
    }

    @Test func aFailedServerBacksOffThenRanksAgain() {
        let statistics = ServerStatistics()
        for key in keys { statistics.answered(key, rtt: .milliseconds(10), now: now) }
        statistics.failed(keys[0], elapsed: .milliseconds(10), now: now)
        #expect(statistics.order(keys, rankByTime: true, now: now) == [1, 2, 0])
        #expect(statistics.order(keys, rankByTime: false, now: now) == [1, 2, 0])
        // Back after a second; a second failure in a row doubles the wait.
        #expect(statistics.order(keys, rankByTime: true, now: now + .seconds(1)) == [0, 1, 2])
        statistics.failed(keys[0], elapsed: .milliseconds(10), now: now + .seconds(1))
        #expect(statistics.order(keys, rankByTime: true, now: now + .milliseconds(2500)).last == 0)
        #expect(statistics.order(keys, rankByTime: true, now: now + .seconds(3)).first == 0)
        statistics.answered(keys[0], rtt: .milliseconds(1), now: now + .seconds(3))
        #expect(statistics.entries[keys[0]]?.failures == 0)
    }

    @Test func staggerFollowsTheMeasuredTime() {
        let statistics = ServerStatistics()
        #expect(statistics.stagger(keys[0], share: .seconds(5)) == ServerStatistics.unmeasuredStagger)
        #expect(statistics.stagger(keys[0], share: .milliseconds(300)) == .milliseconds(300))
        statistics.answered(keys[0], rtt: .milliseconds(20), now: now)
        // 2 × 20 ms + 4 × 10 ms.
        #expect(statistics.stagger(keys[0], share: .seconds(5)) == .milliseconds(80))
        statistics.answered(keys[1], rtt: .microseconds(100), now: now)
        #expect(statistics.stagger(keys[1], share: .seconds(5)) == ServerStatistics.shortestStagger)
    }

    /// Servers not chosen decay toward being tried again; the table forgets the least recently used.
    @Test func decayAndCapacity() {
        let statistics = ServerStatistics()
        statistics.answered(keys[0], rtt: .milliseconds(100), now: now)
        statistics.answered(keys[1], rtt: .milliseconds(10), now: now)
        statistics.decay(keys, except: 1)
        #expect(statistics.entries[keys[0]]?.smoothed == .milliseconds(98))
        #expect(statistics.entries[keys[1]]?.smoothed == .milliseconds(10))
        for port in 0..<ServerStatistics.capacity {
            let key = ServerStatistics.Key(endpoint: ServerEndpoint(host: "192.0.2.1", port: UInt16(1000 + port)), transport: .tcp)
            statistics.answered(key, rtt: .milliseconds(1), now: now + .seconds(1))
        }
        #expect(statistics.entries.count == ServerStatistics.capacity)
        #expect(statistics.entries[keys[0]] == nil && statistics.entries[keys[1]] == nil)
    }
}
