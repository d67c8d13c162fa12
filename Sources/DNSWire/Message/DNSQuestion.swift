// SPDX-License-Identifier: Apache-2.0
// A question: name, type and class.

/// One entry of the question section.
public struct DNSQuestion: Hashable, Sendable, CustomStringConvertible {
    public var name: DomainName
    public var type: RecordType
    public var recordClass: RecordClass

    public init(name: DomainName, type: RecordType, recordClass: RecordClass = .in) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }

    /// `www.example.org. IN A`.
    public var description: String { "\(name) \(recordClass) \(type)" }
}
