// SPDX-License-Identifier: Apache-2.0
// The poll loop: timers, wake-ups from other threads, and the busy wait; and the ID generator.

import Foundation
import Glibc
import Synchronization
import Testing

@testable import DNSTransport

@Suite struct PollLoopTests {
    /// A loop watching the read end of a pipe; `readable` counts the handler's calls.
    final class Fixture {
        let loop: PollLoop
        var fds: [Int32] = [0, 0]
        var readable = 0

        init(busyWait: Duration) throws {
            loop = try PollLoop()
            loop.busyWait = busyWait
            guard pipe(&fds) == 0 else { throw TransportError.system("pipe") }
            loop.register(fds[0], interest: .readable) { [unowned self] _ in
                var byte: UInt8 = 0
                _ = read(self.fds[0], &byte, 1)
                self.readable += 1
            }
        }

        func send() {
            var byte: UInt8 = 1
            _ = write(fds[1], &byte, 1)
        }

        deinit {
            close(fds[0])
            close(fds[1])
        }
    }

    @Test func anAnswerCaughtWhileSpinningKeepsTheSpinOn() throws {
        let fixture = try Fixture(busyWait: .microseconds(200))
        for _ in 0..<3 { fixture.loop.runOnce(timeout: .milliseconds(1)) }
        #expect(fixture.loop.busyWaitMisses == 3)
        fixture.send()
        fixture.loop.runOnce(timeout: .milliseconds(1))
        #expect(fixture.readable == 1)
        #expect(fixture.loop.busyWaitMisses == 0)
    }

    @Test func waitsThatOutlastTheSpinStopSpinningButProbeNowAndThen() throws {
        let fixture = try Fixture(busyWait: .microseconds(50))
        for _ in 0..<64 { fixture.loop.runOnce(timeout: .milliseconds(1)) }
        #expect(fixture.loop.busyWaitMisses == 64)
        // The 64th miss makes the next wait a probe: an answer already there ends the backoff.
        fixture.send()
        fixture.loop.runOnce(timeout: .milliseconds(1))
        #expect(fixture.readable == 1)
        #expect(fixture.loop.busyWaitMisses == 0)
        // Without the probe (a wait that does not spin), a caught answer leaves the count alone.
        for _ in 0..<5 { fixture.loop.runOnce(timeout: .milliseconds(1)) }
        fixture.send()
        fixture.loop.runOnce(timeout: .milliseconds(1))
        #expect(fixture.readable == 2)
        #expect(fixture.loop.busyWaitMisses == 6)
    }

    @Test func noBusyWaitNeverCounts() throws {
        let fixture = try Fixture(busyWait: .zero)
        for _ in 0..<3 { fixture.loop.runOnce(timeout: .milliseconds(1)) }
        fixture.send()
        fixture.loop.runOnce(timeout: .milliseconds(1))
        #expect(fixture.readable == 1)
        #expect(fixture.loop.busyWaitMisses == 0)
    }

    @Test func timersFireInDeadlineOrder() throws {
        let loop = try PollLoop()
        var fired: [Int] = []
        let now = ContinuousClock.now
        loop.schedule(at: now + .milliseconds(30)) { fired.append(3) }
        loop.schedule(at: now + .milliseconds(10)) { fired.append(1) }
        let cancelled = loop.schedule(at: now + .milliseconds(20)) { fired.append(99) }
        let sameDeadline = loop.schedule(at: now + .milliseconds(10)) { fired.append(98) }
        loop.schedule(at: now + .milliseconds(10)) { fired.append(2) }
        loop.cancelTimer(cancelled)
        loop.cancelTimer(sameDeadline)  // found among timers with its deadline
        loop.cancelTimer(sameDeadline)  // a second cancel changes nothing
        while loop.nextDeadline != nil { loop.runOnce(timeout: nil) }
        #expect(fired == [1, 2, 3])
    }

    /// Cancelled timers keep their place until dropped; the table is compacted as most of it
    /// is spent, and order, cancellation and the next deadline stay right through it.
    @Test func manyTimersCancelledAndFiredKeepTheirOrder() throws {
        let loop = try PollLoop()
        var fired: [Int] = []
        let now = ContinuousClock.now
        // Mostly growing deadlines, with some earlier ones and some in the past.
        let offsets = (0..<300).map { $0 % 7 == 0 ? $0 * 10 - 1500 : $0 * 20 }
        let ids = offsets.indices.map { index in loop.schedule(at: now + .microseconds(offsets[index])) { fired.append(index) } }
        // The oldest first (as finished queries cancel theirs), then a scattered few.
        for index in 0..<150 where index % 7 != 0 { loop.cancelTimer(ids[index]) }
        for index in stride(from: 151, to: 300, by: 5) { loop.cancelTimer(ids[index]) }
        let live = (0..<300).filter { $0 < 150 ? $0 % 7 == 0 : ($0 - 151) % 5 != 0 }
        // By deadline, then in the order they were scheduled.
        let expected = live.sorted { (offsets[$0], $0) < (offsets[$1], $1) }
        #expect(loop.nextDeadline == now + .microseconds(-1500))
        while loop.nextDeadline != nil { loop.runOnce(timeout: nil) }
        #expect(fired == expected)
        for id in ids { loop.cancelTimer(id) }  // spent and cancelled ones alike: nothing happens
        #expect(loop.nextDeadline == nil)
    }

    @Test func executeWakesTheLoopFromAnotherThread() throws {
        let loop = try PollLoop()
        nonisolated(unsafe) var ran = false
        let start = ContinuousClock.now
        let remote = loop.remote
        Thread.detachNewThread { remote.execute { ran = true } }
        while !ran, start.duration(to: .now) < .seconds(5) { loop.runOnce(timeout: .seconds(10)) }
        #expect(ran && start.duration(to: .now) < .seconds(5))
    }

    /// Two descriptors ready in one round; the first handler to run replaces the other with
    /// a new pipe under the same number (dup2). The old descriptor's event must not reach the
    /// new registration.
    @Test func aDescriptorReusedWithinARoundGetsNoStaleEvent() throws {
        let loop = try PollLoop()
        var first: [Int32] = [0, 0]
        var second: [Int32] = [0, 0]
        var replacement: [Int32] = [0, 0]
        guard pipe(&first) == 0, pipe(&second) == 0, pipe(&replacement) == 0 else { throw TransportError.system("pipe") }
        var byte: UInt8 = 1
        _ = write(first[1], &byte, 1)
        _ = write(second[1], &byte, 1)
        var staleCalls = 0
        var reused: Int32?
        func replace(_ fd: Int32) {
            guard reused == nil else { return }
            reused = fd
            loop.unregister(fd)
            dup2(replacement[0], fd)  // fd now reads the empty replacement pipe
            loop.register(fd, interest: .readable) { _ in staleCalls += 1 }
        }
        loop.register(first[0], interest: .readable) { _ in replace(second[0]) }
        loop.register(second[0], interest: .readable) { _ in replace(first[0]) }
        loop.runOnce(timeout: .zero)
        #expect(reused != nil && staleCalls == 0)
        for fd in [first[0], second[0]] { loop.unregister(fd) }  // the handlers hold the loop
        for fd in first + second + replacement { close(fd) }
    }

    @Test func runUntilStoppedFromAnotherThread() throws {
        let loop = try PollLoop()
        let remote = loop.remote
        // Taken before the thread starts, whose sleep may begin before this thread goes on.
        let start = ContinuousClock.now
        Thread.detachNewThread {
            usleep(50_000)
            remote.stop()
        }
        loop.run()
        #expect(start.duration(to: .now) >= .milliseconds(50))
    }

    /// An actor on the loop's executor runs on the thread that runs the loop.
    actor OnTheLoop {
        let remote: PollLoop.Remote
        init(_ remote: PollLoop.Remote) { self.remote = remote }
        nonisolated var unownedExecutor: UnownedSerialExecutor { remote.asUnownedSerialExecutor() }
        func isOnLoopThread() -> Bool { remote.isOnLoopThread }
    }

    @Test func anActorRunsOnTheLoopsThread() async throws {
        let remote = try PollLoop.detachedForTest()
        let actor = OnTheLoop(remote)
        #expect(await actor.isOnLoopThread())
        #expect(!remote.isOnLoopThread)
        remote.stop()
    }

    @Test func secureRandomIDsAreSpread() {
        var random = SecureRandom()
        let ids = (0..<4096).map { _ in UInt16.random(in: 0...UInt16.max, using: &random) }
        #expect(Set(ids).count > 3900)  // a birthday-bound check: constant or short-cycle output fails
    }
}

extension PollLoop {
    /// A loop running on a thread of its own until its remote is stopped.
    static func detachedForTest() throws -> Remote {
        let ready = Mutex<Remote?>(nil)
        Thread.detachNewThread {
            guard let loop = try? PollLoop() else { return }
            ready.withLock { $0 = loop.remote }
            loop.run()
        }
        while true {
            if let remote = ready.withLock({ $0 }) { return remote }
            usleep(1000)
        }
    }
}
