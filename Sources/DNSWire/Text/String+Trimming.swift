// SPDX-License-Identifier: Apache-2.0
// Trimming text at both ends, for every layer's own idea of what to trim.

extension StringProtocol {
    /// The text without the leading and trailing characters `isTrimmed` accepts.
    package func trimming(_ isTrimmed: (Character) -> Bool) -> SubSequence {
        let start = firstIndex { !isTrimmed($0) } ?? endIndex
        let end = lastIndex { !isTrimmed($0) }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
