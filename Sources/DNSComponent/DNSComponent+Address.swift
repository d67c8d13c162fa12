// SPDX-License-Identifier: Apache-2.0
// The first address of a name (RIOT's sock_dodtls_query), over the configured protocol.

import DNSTransport
import DNSWire

extension DNSComponent {
    /// The address families ``resolveAddress(_:family:)`` asks for.
    public enum AddressFamily: Int, Sendable, CaseIterable {
        case ipv4 = 0
        case ipv6 = 1
        /// Either, IPv6 preferred: AAAA is asked first, A only when there is none.
        case any = 2
    }

    /// The first address of `name` in `family`, asked of ``dnsServer`` over ``protocol`` with
    /// the current settings (DNS over DTLS included), CNAME chains followed (up to 8 answers).
    /// Always synchronous (with ``timeout`` 0 it waits up to `AsyncQueryTimeout`); the records,
    /// status and events of the last ``query(_:)`` are left alone. With `CacheSize` set, the
    /// response cache answers when it can.
    /// - Returns: the address as text (`192.0.2.1`, `2001:db8::1`).
    /// - Throws: 11001 when the name has no such address (NXDOMAIN included), or the failure
    ///   of the query (10060 timed out, certificate and TLS codes, …).
    public func resolveAddress(_ name: String, family: AddressFamily = .any) throws -> String {
        try withHandlerErrors {
            handleInterrupt()
            try checkProperties()
            let route = try currentRoute()
            var options = exchangeOptions(route)
            if timeout == 0 { options.timeout = .seconds(settings.asyncQueryTimeout) }
            let types: [RecordType] =
                switch family {
                case .ipv4: [.a]
                case .ipv6: [.aaaa]
                case .any: [.aaaa, .a]
                }
            for type in types {
                if let address = try firstAddress(try domainName(name), type: type, route: route, options: options) {
                    return address
                }
            }
            throw Self.componentError(TransportError(.hostNotFound, "\(name) has no \(family) address"))
        }
    }

    /// The first `type` address at the end of `name`'s CNAME chain, nil when there is none.
    private func firstAddress(_ name: DomainName, type: RecordType, route: Route, options: ExchangeOptions) throws -> String? {
        var target = name
        for _ in 0..<8 {
            let answers = try exchange(target, type: type, route: route, options: options).answers
            var links = 0
            while links < answers.count,
                let next = answers.first(where: { $0.type == .cname && $0.name == target })?.data.as(RecordData.SingleName.self)?.name
            {
                target = next
                links += 1
            }
            for record in answers where record.name == target {
                if let a = record.data.as(RecordData.A.self) { return a.address.description }
                if let aaaa = record.data.as(RecordData.AAAA.self) { return aaaa.address.description }
            }
            if links == 0 { return nil }
        }
        throw Self.componentError(TransportError(.hostNotFound, "\(name): a CNAME chain across more than 8 answers"))
    }

    /// One query, waited for on the loop, its answer returned without touching the
    /// component's records or firing events.
    private func exchange(_ name: DomainName, type: RecordType, route: Route, options: ExchangeOptions) throws -> DNSMessage {
        let edns = settings.ednsPayloadSize > 0 ? EDNS(udpPayloadSize: UInt16(settings.ednsPayloadSize), dnssecOK: settings.dnssecOK) : nil
        let message = DNSMessage.query(name: name, type: type, id: 0, recursionDesired: recursive, edns: edns)
        let outcome = SyncOutcome()
        var answer: DNSMessage?
        let handle = engine.start(message, servers: route.servers, options: options, cache: responseCache) { result in
            outcome.finished = true
            switch result {
            case .success(let exchange): answer = exchange.response
            case .failure(let error): outcome.failure = Self.componentError(error)
            }
        }
        try wait(for: outcome, of: handle, until: Self.latestEnd(of: options), polling: options.timeout)
        guard let answer else { throw ErrorCode.error(ErrorCode.timedOut) }
        return answer
    }
}
