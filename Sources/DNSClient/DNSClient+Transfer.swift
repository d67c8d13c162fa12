// SPDX-License-Identifier: Apache-2.0
// Zone transfers through DNSClient: the records as an asynchronous sequence.

import DNSTransport
public import DNSWire

extension DNSClient {
    /// Transfers `zone` (AXFR, or IXFR from a serial) and yields its records in the order
    /// received, as they arrive, so a large zone never has to sit in memory twice: for AXFR
    /// the zone's SOA first and again last; for IXFR the response as `dig ixfr` shows it.
    /// The sequence ends when the transfer is complete and, with ``QueryOptions/tsig``, every
    /// message verified; it throws `TransportError` otherwise (`transferFailed` for a
    /// transfer that broke off or does not make a zone, `tsigVerificationFailed`, a timeout
    /// between messages, …). AXFR runs over TCP (or TLS); IXFR over UDP asks again over TCP
    /// when the answer is truncated or holds only a newer SOA, and a refused IXFR becomes an
    /// AXFR when `fallbackToAXFR`. Ending the iteration early cancels the transfer.
    ///
    /// ```swift
    /// var options = QueryOptions()
    /// options.tsig = try TSIGKey(parsing: "hmac-sha256:xfr-key.:c2VjcmV0")
    /// var records: [DNSRecord] = []
    /// for try await record in client.transfer(try DomainName("example.org"), options: options) { records.append(record) }
    /// let zone = try Zone(origin: try DomainName("example.org"), records: records.dropLast())
    /// ```
    public func transfer(
        _ zone: DomainName, kind: TransferReader.Kind = .axfr, maximumRecords: Int = 10_000_000, fallbackToAXFR: Bool = true,
        options: QueryOptions? = nil
    ) -> AsyncThrowingStream<DNSRecord, any Error> {
        transferStream(zone, kind: kind, maximumRecords: maximumRecords, fallbackToAXFR: fallbackToAXFR, options: options, RecordCursor.self)
    }

    /// ``transfer(_:kind:maximumRecords:fallbackToAXFR:options:)`` a message at a time: each
    /// message of the response as it arrives (its answer records are the transfer's), checked
    /// and verified as there. A hand-over per message instead of per record costs less where
    /// the zone is large: for bulk work such as printing or loading a zone.
    public func transferMessages(
        _ zone: DomainName, kind: TransferReader.Kind = .axfr, maximumRecords: Int = 10_000_000, fallbackToAXFR: Bool = true,
        options: QueryOptions? = nil
    ) -> AsyncThrowingStream<DNSMessage, any Error> {
        transferStream(zone, kind: kind, maximumRecords: maximumRecords, fallbackToAXFR: fallbackToAXFR, options: options, MessageCursor.self)
    }

    /// The stream of a transfer, started at once; `Cursor` gives what each message brings as
    /// the task asks for it.
    private func transferStream<Cursor: TransferCursor>(
        _ zone: DomainName, kind: TransferReader.Kind, maximumRecords: Int, fallbackToAXFR: Bool, options: QueryOptions?, _: Cursor.Type
    ) -> AsyncThrowingStream<Cursor.Element, any Error> {
        let cursor = Cursor(startTransfer(zone, kind: kind, maximumRecords: maximumRecords, fallbackToAXFR: fallbackToAXFR, options: options))
        return AsyncThrowingStream { try await cursor.next() }
    }

    /// Starts a transfer whose messages wait in a ``TransferBuffer`` (bounded: the connection
    /// is left unread while it is full) until taken; letting the lease go cancels it.
    func startTransfer(
        _ zone: DomainName, kind: TransferReader.Kind, maximumRecords: Int, fallbackToAXFR: Bool, options: QueryOptions?
    ) -> TransferLease {
        let options = options ?? defaultOptions
        var transfer = TransferOptions(kind: kind)
        transfer.maximumRecords = maximumRecords
        transfer.fallbackToAXFR = fallbackToAXFR
        let buffer = TransferBuffer()
        let logger = core.logger
        buffer.attach(
            core.transfer(
                zone, servers: servers, options: options.exchangeOptions, transfer: transfer,
                onMessage: { message in buffer.append(message) },
                completion: { result in
                    logger.debug("transfer ended", metadata: ["zone": "\(zone)", "mostWaiting": "\(buffer.mostWaiting)"])
                    buffer.finish(result.map { _ in () }.mapError { $0 })
                }))
        return TransferLease(buffer, client: self)
    }
}

/// Hands out what a transfer's messages bring, to one iterating task at a time (as an
/// asynchronous iterator is used); the stream holds it, and with it the transfer's lease.
protocol TransferCursor: AnyObject, Sendable {
    associatedtype Element: Sendable
    init(_ lease: TransferLease)
    func next() async throws -> Element?
}

/// Each message as it is.
private final class MessageCursor: TransferCursor {
    private let lease: TransferLease

    init(_ lease: TransferLease) {
        self.lease = lease
    }

    func next() async throws -> DNSMessage? {
        try await lease.buffer.next()
    }
}

/// Each record of each message's answer section.
private final class RecordCursor: TransferCursor, @unchecked Sendable {
    private let lease: TransferLease
    /// The records of the message being handed out, and the next one's index: used by the
    /// one task iterating.
    private var records: [DNSRecord] = []
    private var index = 0

    init(_ lease: TransferLease) {
        self.lease = lease
    }

    func next() async throws -> DNSRecord? {
        while index == records.count {
            guard let message = try await lease.buffer.next() else { return nil }
            records = message.answers
            index = 0
        }
        defer { index += 1 }
        return records[index]
    }
}
