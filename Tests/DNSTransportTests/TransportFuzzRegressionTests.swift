// SPDX-License-Identifier: Apache-2.0
// Regressions found by the transport fuzz targets (FuzzTesting/FailCases/<target>-<description>).

import Testing

@testable import DNSTransport

struct TransportFuzzRegressionTests {
    /// FuzzStreamFraming-answer-then-short-frame: an answer, then a frame shorter than a
    /// message ID, in one read. The read fails the connection; the answered handle was taken
    /// from the waiting ones and its answer not delivered, so takeWaiting() did not report it
    /// lost and its query waited for its timeout.
    @Test func streamFramingReportsAnswersOfAFailingReadAsLost() throws {
        let framing = DNSStreamFraming()
        try framing.enqueue(DNSStreamFraming.Request(id: 7, wire: [0, 7, 1, 0]), for: 1)
        try framing.enqueue(DNSStreamFraming.Request(id: 8, wire: [0, 8, 1, 0]), for: 2)
        var output: [UInt8] = []
        _ = try framing.produce(into: &output)
        let octets: [UInt8] = [0, 3, 0, 7, 0x81, 0, 0]  // an answer for ID 7, then an empty frame
        #expect(throws: TransportError(.malformedResponse, "")) { try framing.consume(octets[...]) }
        #expect(framing.takeWaiting().sorted() == [1, 2])
    }
}
