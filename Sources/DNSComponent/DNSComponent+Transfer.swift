// SPDX-License-Identifier: Apache-2.0
// Zone transfers through the component: queryType AXFR (252) and IXFR (251).

import DNSTransport
import DNSWire

extension DNSComponent {
    /// The zone transfer ``queryType`` asks for: AXFR, IXFR from `IXFRSerial`, or none.
    var transferKind: TransferReader.Kind? {
        switch queryType.rawValue {
        case Int(RecordType.axfr.rawValue): .axfr
        case Int(RecordType.ixfr.rawValue): .ixfr(serial: Serial(settings.ixfrSerial))
        default: nil
        }
    }

    /// Starts transferring `zone`: AXFR over TCP or TLS (over TLS also for DTLS; UDP and HTTPS
    /// are refused), IXFR over UDP first (then TCP) or a stream. Records accumulate across
    /// messages into the indexed accessors as they arrive (both SOAs included, as dig shows
    /// them), with a log event per message, so an application can handle a large zone while the
    /// rest comes in; the response event fires once, at the end. A transfer that fails leaves
    /// no records.
    /// - Throws: 10022 for AXFR over UDP or either over HTTPS.
    func startTransfer(
        _ kind: TransferReader.Kind, of zone: DomainName, route: Route, options: ExchangeOptions, query: PendingQuery, outcome: SyncOutcome?
    ) throws -> DNSEngine.Handle {
        // From a DNS-over-DTLS server a transfer runs over DNS over TLS to the same port number.
        let streams = [.tcp, .tls, .dtls].contains(`protocol`) || (`protocol` == .udp && settings.connectionMode == .tcpOnly)
        if `protocol` == .https {
            throw ErrorCode.error(ErrorCode.invalidArgument, "A zone transfer cannot run over HTTPS; use TCP or TLS.")
        }
        if case .axfr = kind, !streams {
            throw ErrorCode.error(ErrorCode.invalidArgument, "AXFR needs a stream: set Protocol to TCP or TLS (or ConnectionMode=2).")
        }
        var options = options
        options.severalMessagesLimit = settings.transferTimeout > 0 ? .seconds(settings.transferTimeout) : nil
        var transfer = TransferOptions(kind: kind)
        transfer.maximumRecords = settings.maxTransferRecords
        transfer.fallbackToAXFR = settings.ixfrFallbackToAXFR
        var messages = 0
        return engine.startTransfer(
            zone, servers: route.servers, options: options, transfer: transfer,
            onMessage: { [unowned self] message in
                messages += 1
                // Appended in place: nothing else holds the records while the transfer runs
                // (an application that copied them pays for its copy once).
                if response == nil {
                    response = message
                } else {
                    response?.answers += message.answers
                }
                log(1, "Transfer \(query.requestId): message \(messages), \(message.answers.count) records (\(response?.answers.count ?? 0) so far)")
            },
            completion: { [unowned self] result in
                switch result {
                case .success(let transfer):
                    var message = transfer.firstMessage
                    message.answers = response?.answers ?? []
                    response = nil
                    if transfer.fellBackToAXFR { log(1, "Transfer \(query.requestId): the server refused IXFR; transferred the zone with AXFR") }
                    outcome?.finished = true
                    accept(message, wire: [], from: transfer.server, overTCP: true, for: query)
                case .failure(let error):
                    response = nil
                    complete(query, .failure(error), outcome)
                }
            })
    }
}
