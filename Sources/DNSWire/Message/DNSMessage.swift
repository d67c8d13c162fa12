// SPDX-License-Identifier: Apache-2.0
// A whole DNS message: header, question and the three record sections.

/// A DNS message (RFC 1035 §4.1).
///
/// The OPT pseudo-record is not kept in ``additionals``: it is read into ``edns``, and its
/// extended RCODE bits into ``responseCode``; writing puts it back. Section counts are
/// computed when writing.
///
/// ```swift
/// let query = DNSMessage.query(name: try DomainName("www.example.org"), type: .aaaa, id: 0x1234)
/// let wire = try query.serialize()
/// let again = try DNSMessage(wire: wire)      // again == query
/// ```
public struct DNSMessage: Hashable, Sendable {
    public var header: DNSHeader
    /// The full response code: header RCODE plus OPT's extended bits.
    public var responseCode: ResponseCode
    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    public var authorities: [DNSRecord]
    /// The additional section without the OPT pseudo-record.
    public var additionals: [DNSRecord]
    /// The EDNS(0) data of the OPT pseudo-record, if the message has one.
    public var edns: EDNS? {
        get { ednsSlot.value }
        _modify { yield &ednsSlot.value }
        set { ednsSlot.value = newValue }
    }
    /// ``edns``, in a struct of its own: an initializer that stores an optional straight into
    /// a struct this large makes one more copy of the finished message (the optimizer of Swift
    /// 6.3 does not see that two loads of it are one value), which retains and releases each of
    /// its arrays.
    private var ednsSlot: EDNSSlot

    private struct EDNSSlot: Hashable, Sendable {
        var value: EDNS?
    }

    public init(
        header: DNSHeader = DNSHeader(), responseCode: ResponseCode = .noError, questions: [DNSQuestion] = [],
        answers: [DNSRecord] = [], authorities: [DNSRecord] = [], additionals: [DNSRecord] = [], edns: EDNS? = nil
    ) {
        self.header = header
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
        self.ednsSlot = EDNSSlot(value: edns)
    }

    /// The Extended DNS Errors (RFC 8914) the OPT record carries, in order; empty without any.
    public var extendedErrors: [ExtendedDNSError] {
        (edns?.options ?? []).compactMap { if case .extendedError(let error) = $0 { error } else { nil } }
    }

    public var id: UInt16 {
        get { header.id }
        set { header.id = newValue }
    }

    /// Builds a query: one question, RD set unless `recursionDesired` is false, and EDNS
    /// with a 1232-octet payload unless `edns` is nil.
    public static func query(
        name: DomainName, type: RecordType, recordClass: RecordClass = .in, id: UInt16,
        recursionDesired: Bool = true, edns: EDNS? = EDNS()
    ) -> DNSMessage {
        DNSMessage(
            header: DNSHeader(id: id, flags: recursionDesired ? .rd : []),
            questions: [DNSQuestion(name: name, type: type, recordClass: recordClass)], edns: edns)
    }
}
