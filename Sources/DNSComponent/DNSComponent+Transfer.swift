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

    /// The records of a transfer so far, in the order received (both SOAs included, as dig
    /// shows them).
    private final class Collected {
        var records: [DNSRecord] = []
        var messages = 0
    }

    /// Starts transferring `zone`: AXFR over TCP or TLS (over TLS also for DTLS; UDP and HTTPS
    /// are refused), IXFR over UDP first (then TCP) or a stream. Records accumulate across messages into the indexed
    /// accessors, with a log event per message; the response event fires once, at the end.
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
        let collected = Collected()
        return engine.startTransfer(
            zone, servers: route.servers, options: options, transfer: transfer,
            onMessage: { [unowned self] message in
                collected.messages += 1
                collected.records += message.answers
                log(
                    1,
                    "Transfer \(query.requestId): message \(collected.messages), \(message.answers.count) records (\(collected.records.count) so far)"
                )
            },
            completion: { [unowned self] result in
                switch result {
                case .success(let transfer):
                    var message = transfer.firstMessage
                    message.answers = collected.records
                    if transfer.fellBackToAXFR { log(1, "Transfer \(query.requestId): the server refused IXFR; transferred the zone with AXFR") }
                    outcome?.finished = true
                    accept(message, wire: [], from: transfer.server, overTCP: true, for: query)
                case .failure(let error):
                    complete(query, .failure(error), outcome)
                }
            })
    }
}
