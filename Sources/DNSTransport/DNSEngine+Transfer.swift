// SPDX-License-Identifier: Apache-2.0
// Zone transfers (AXFR, IXFR) on the engine: one run over one or more exchanges.

public import DNSWire

/// What a zone transfer asks beyond an exchange's options.
public struct TransferOptions: Hashable, Sendable {
    /// AXFR, or IXFR from the client's serial.
    public var kind: TransferReader.Kind
    /// The most records the transfer may bring; more fail it.
    public var maximumRecords = 10_000_000
    /// A server that refuses IXFR or does not know it (REFUSED, NOTIMP, FORMERR) is asked for AXFR.
    public var fallbackToAXFR = true

    public init(kind: TransferReader.Kind) {
        self.kind = kind
    }
}

/// How a zone transfer ended.
public struct TransferResult: Sendable {
    /// What the transfer gave: the whole zone, differences, up to date.
    public let outcome: TransferOutcome
    /// The first message of the (last) response, for its header and question.
    public let firstMessage: DNSMessage
    /// The address that answered, and whether AXFR stood in for a refused IXFR.
    public let server: SocketAddress
    public let fellBackToAXFR: Bool
}

extension DNSEngine {
    /// One transfer: its reader, and the exchange it currently runs on.
    final class TransferRun {
        let zone: DomainName
        var servers: [Nameserver]
        let options: ExchangeOptions
        var transfer: TransferOptions
        let onMessage: (DNSMessage) -> Void
        let completion: (Result<TransferResult, TransportError>) -> Void
        var reader: TransferReader
        var exchange: Handle?
        var firstMessage: DNSMessage?
        var fellBackToAXFR = false

        init(
            zone: DomainName, servers: [Nameserver], options: ExchangeOptions, transfer: TransferOptions,
            onMessage: @escaping (DNSMessage) -> Void, completion: @escaping (Result<TransferResult, TransportError>) -> Void
        ) {
            self.zone = zone
            self.servers = servers
            self.options = options
            self.transfer = transfer
            self.onMessage = onMessage
            self.completion = completion
            reader = TransferReader(zone: zone, kind: transfer.kind)
        }

        /// Servers asked over UDP are asked over TCP from now on.
        func overStreams() {
            servers = servers.map { server in
                guard case .udp? = server.transport else { return server }
                return Nameserver(server.endpoint, transport: .tcp)
            }
        }
    }

    /// Transfers `zone` from `servers` (AXFR, or IXFR from a serial, RFC 5936 and RFC 1995):
    /// every message is checked by a `TransferReader` and handed to `onMessage` as it comes
    /// (an IXFR's UDP answer that sends it to TCP, or its refusal that makes it an AXFR, is
    /// not: only messages of the response that counts are). AXFR runs over a stream (a UDP
    /// transport means TCP, DTLS means TLS); IXFR over UDP asks again over TCP when the answer is truncated or
    /// holds only a newer SOA, and with
    /// ``TransferOptions/fallbackToAXFR`` a refused IXFR becomes an AXFR. The options' timeout
    /// applies between messages, ``ExchangeOptions/severalMessagesLimit`` to the whole answer,
    /// ``ExchangeOptions/tsig`` signs each query and verifies every message. A transfer that
    /// breaks off or does not make a zone fails with ``TransportError/Code/transferFailed``.
    @discardableResult
    public func startTransfer(
        _ zone: DomainName, servers: [Nameserver], options: ExchangeOptions, transfer: TransferOptions,
        onMessage: @escaping (DNSMessage) -> Void,
        completion: @escaping (Result<TransferResult, TransportError>) -> Void
    ) -> Handle {
        var options = options
        options.severalMessages = true
        // Every server with its own transport, so a move from UDP to TCP reaches them all; a
        // transfer from a DNS-over-DTLS server runs over DNS over TLS (zone transfer over TLS,
        // RFC 9103), with the same authentication.
        let servers = servers.map { server in
            let transport = server.transport(for: options.transport)
            guard case .dtls(let settings) = transport else { return Nameserver(server.endpoint, transport: transport) }
            return Nameserver(server.endpoint, transport: .tls(settings.tls))
        }
        let run = TransferRun(zone: zone, servers: servers, options: options, transfer: transfer, onMessage: onMessage, completion: completion)
        if case .axfr = transfer.kind { run.overStreams() }
        let handle = makeHandle()
        transfers[handle.value] = run
        startExchange(of: run, handle: handle)
        return handle
    }

    /// Stops (or resumes) reading a transfer's answer: its consumer has enough messages
    /// waiting. The connection is left unread, so TCP's flow control holds the server back,
    /// and the time between messages is not counted meanwhile (``ExchangeOptions/severalMessagesLimit``
    /// still is).
    public func pauseTransfer(_ handle: Handle, _ paused: Bool) {
        guard let exchange = transfers[handle.value]?.exchange else { return }
        setReadingPaused(paused, exchange: exchange)
    }

    /// Cancels a transfer: its exchange, then the transfer with `error`. False when `handle`
    /// is not a transfer.
    func cancelTransfer(_ handle: Handle, _ error: TransportError) -> Bool {
        guard let run = transfers.removeValue(forKey: handle.value) else { return false }
        if let exchange = run.exchange { cancel(exchange, error) }
        run.completion(.failure(error))
        return true
    }

    private func startExchange(of run: TransferRun, handle: Handle) {
        let overUDP = run.servers.contains { if case .udp? = $0.transport { true } else { false } }
        run.reader = TransferReader(zone: run.zone, kind: run.transfer.kind, maximumRecords: run.transfer.maximumRecords, overUDP: overUDP)
        run.firstMessage = nil
        let query = run.reader.query(id: 0)
        run.exchange = start(
            query, servers: run.servers, options: run.options,
            onMessage: { [unowned self] message, _ in read(message, for: run, handle: handle) },
            completion: { [unowned self] result in exchangeEnded(result, for: run, handle: handle) })
    }

    /// A message of the transfer: the reader judges it, `onMessage` gets it.
    private func read(_ message: DNSMessage, for run: TransferRun, handle: Handle) -> MessageVerdict {
        guard transfers[handle.value] != nil else { return .failed(TransportError(.cancelled, "the transfer was cancelled")) }
        if run.firstMessage == nil { run.firstMessage = message }
        let step = run.reader.read(message)
        if case .failed(let failure) = step.status, shouldFallBack(run, failure) { return .complete }
        if case .complete(.retryOverTCP) = step.status { return .complete }
        run.onMessage(message)
        switch step.status {
        case .inProgress: return .more
        case .complete: return .complete
        case .failed(let failure): return .failed(TransportError(.transferFailed, failure.reason))
        }
    }

    private func shouldFallBack(_ run: TransferRun, _ failure: TransferFailure) -> Bool {
        guard run.transfer.fallbackToAXFR, case .ixfr = run.transfer.kind, case .responseCode(let code) = failure.kind else { return false }
        return code == .refused || code == .notImp || code == .formErr
    }

    /// The current exchange ended: the transfer completes, asks again (over TCP, or for
    /// AXFR), or fails.
    private func exchangeEnded(_ result: Result<ExchangeResult, TransportError>, for run: TransferRun, handle: Handle) {
        guard transfers[handle.value] != nil else { return }
        switch result {
        case .failure(let error) where run.reader.messageCount > 0 && (error.code == .connectionClosed || error.code == .malformedResponse):
            let reason = if case .failed(let failure) = run.reader.streamEnded() { failure.reason } else { "the transfer broke off" }
            finishTransfer(handle, run, .failure(TransportError(.transferFailed, "\(reason) (\(error.detail))")))
        case .failure(let error):
            finishTransfer(handle, run, .failure(error))
        case .success(let exchange):
            switch run.reader.status {
            case .complete(.retryOverTCP):
                log("transfer of \(run.zone): asking again over TCP")
                run.overStreams()
                startExchange(of: run, handle: handle)
            case .failed(let failure) where shouldFallBack(run, failure):
                log("transfer of \(run.zone): IXFR \(failure.reason); asking for AXFR")
                run.transfer.kind = .axfr
                run.fellBackToAXFR = true
                run.overStreams()
                startExchange(of: run, handle: handle)
            case .complete(let outcome):
                let first = run.firstMessage ?? exchange.response
                finishTransfer(
                    handle, run,
                    .success(TransferResult(outcome: outcome, firstMessage: first, server: exchange.server, fellBackToAXFR: run.fellBackToAXFR)))
            case .failed(let failure):
                finishTransfer(handle, run, .failure(TransportError(.transferFailed, failure.reason)))
            case .inProgress:
                let status = run.reader.streamEnded()
                let reason = if case .failed(let failure) = status { failure.reason } else { "the transfer ended early" }
                finishTransfer(handle, run, .failure(TransportError(.transferFailed, reason)))
            }
        }
    }

    private func finishTransfer(_ handle: Handle, _ run: TransferRun, _ result: Result<TransferResult, TransportError>) {
        transfers[handle.value] = nil
        run.completion(result)
    }
}
