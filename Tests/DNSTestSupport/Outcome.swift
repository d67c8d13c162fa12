// SPDX-License-Identifier: Apache-2.0
// What a component call ended with, for tests that expect an error code.

import DNSComponent
import Testing

/// The `DNSComponentError` `body` threw, or nil when it returned; any other error is recorded
/// as an issue (and gives nil).
func componentError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> DNSComponentError? {
    do {
        try body()
    } catch let error as DNSComponentError {
        return error
    } catch {
        Issue.record("threw \(error), not a DNSComponentError", sourceLocation: sourceLocation)
    }
    return nil
}

/// The code of the `DNSComponentError` `body` threw, or nil when it returned.
func errorCode(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> Int? {
    componentError(body, sourceLocation: sourceLocation)?.code
}

/// The code `body` threw (nil when it returned) and how long it took.
func outcome(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> (code: Int?, elapsed: Duration) {
    let start = ContinuousClock.now
    let code = errorCode(body, sourceLocation: sourceLocation)
    return (code, start.duration(to: .now))
}
