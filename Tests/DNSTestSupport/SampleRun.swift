// SPDX-License-Identifier: Apache-2.0
// Runs a sample program as a user would, for the tests of its command-line contract.

import Foundation
import Testing

/// What a sample run printed and how it ended.
struct SampleRun {
    let status: Int32
    let output: String
    let error: String
}

/// Runs the built sample `name` (`.build/debug/NAME`) with `arguments` and waits for it; records
/// an issue (failing the test) when it was not built.
func runSample(_ name: String, _ arguments: [String]) throws -> SampleRun {
    let sample = Testbed.root.appendingPathComponent(".build/debug/\(name)")
    try #require(FileManager.default.isExecutableFile(atPath: sample.path), "build the samples first (swift build --build-tests)")
    let process = Process()
    process.executableURL = sample
    process.arguments = arguments
    let (output, error) = (Pipe(), Pipe())
    (process.standardOutput, process.standardError) = (output, error)
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let problem = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return SampleRun(status: process.terminationStatus, output: text, error: problem)
}
