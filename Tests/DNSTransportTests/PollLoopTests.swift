// SPDX-License-Identifier: Apache-2.0
// The poll loop: timers, wake-ups from other threads, and the busy wait; and the ID generator.

@testable import DNSTransport
import Foundation
import Glibc
import Testing

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
        loop.schedule(at: now + .milliseconds(10)) { fired.append(2) }
        loop.cancelTimer(cancelled)
        while loop.nextDeadline != nil { loop.runOnce(timeout: nil) }
        #expect(fired == [1, 2, 3])
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

    @Test func secureRandomIDsAreSpread() {
        var random = SecureRandom()
        let ids = (0..<4096).map { _ in UInt16.random(in: 0...UInt16.max, using: &random) }
        #expect(Set(ids).count > 3900)  // a birthday-bound check: constant or short-cycle output fails
    }
}
