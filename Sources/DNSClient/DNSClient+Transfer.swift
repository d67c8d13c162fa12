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
        transferStream(zone, kind: kind, maximumRecords: maximumRecords, fallbackToAXFR: fallbackToAXFR, options: options) { message, yield in
            for record in message.answers { yield(record) }
        }
    }

    /// ``transfer(_:kind:maximumRecords:fallbackToAXFR:options:)`` a message at a time: each
    /// message of the response as it arrives (its answer records are the transfer's), checked
    /// and verified as there. A hand-over per message instead of per record costs less where
    /// the zone is large: for bulk work such as printing or loading a zone.
    public func transferMessages(
        _ zone: DomainName, kind: TransferReader.Kind = .axfr, maximumRecords: Int = 10_000_000, fallbackToAXFR: Bool = true,
        options: QueryOptions? = nil
    ) -> AsyncThrowingStream<DNSMessage, any Error> {
        transferStream(zone, kind: kind, maximumRecords: maximumRecords, fallbackToAXFR: fallbackToAXFR, options: options) { message, yield in
            yield(message)
        }
    }

    /// The stream of a transfer: `split` yields what each message brings.
    private func transferStream<Element: Sendable>(
        _ zone: DomainName, kind: TransferReader.Kind, maximumRecords: Int, fallbackToAXFR: Bool, options: QueryOptions?,
        split: @escaping @Sendable (DNSMessage, (Element) -> Void) -> Void
    ) -> AsyncThrowingStream<Element, any Error> {
        let options = options ?? defaultOptions
        var transfer = TransferOptions(kind: kind)
        transfer.maximumRecords = maximumRecords
        transfer.fallbackToAXFR = fallbackToAXFR
        let servers = servers
        return AsyncThrowingStream { continuation in
            let cancel = core.transfer(
                zone, servers: servers, options: options.exchangeOptions, transfer: transfer,
                onMessage: { message in split(message) { continuation.yield($0) } },
                completion: { result in
                    switch result {
                    case .success: continuation.finish()
                    case .failure(let error): continuation.finish(throwing: error)
                    }
                })
            // Holds the client (and so its loop) until the transfer ends.
            continuation.onTermination = { [self] termination in
                if case .cancelled = termination { cancel() }
                _ = self
            }
        }
    }
}
