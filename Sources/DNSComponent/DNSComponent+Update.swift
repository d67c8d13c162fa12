// SPDX-License-Identifier: Apache-2.0
// Dynamic update (RFC 2136) through the component, in nsupdate's command syntax.

import DNSTransport
import DNSWire

extension DNSComponent {
    /// Sends one dynamic update (RFC 2136) of `zone` to ``dnsServer``, built from `commands`
    /// in nsupdate's syntax: `add NAME TTL TYPE RDATA` (or `update add …`), `delete NAME
    /// [TYPE [RDATA]]`, `prereq yxdomain|nxdomain NAME`, `prereq yxrrset|nxrrset NAME TYPE
    /// [RDATA]`; names without a trailing dot are taken as absolute, as nsupdate takes them.
    /// Signed with `TSIGKey` when set. The server's response code becomes ``statusCode``
    /// (0 NOERROR, 5 REFUSED, 8 NXRRSET, …) and the response event fires, as for a query;
    /// synchronous or asynchronous by ``timeout`` as ``query(_:)`` is.
    /// - Throws: 10022 for a command that does not parse (its line in the description), and
    ///   the transport failures a query throws (226 when the answer's TSIG does not verify).
    public func update(_ zone: String, _ commands: [String]) throws {
        try withHandlerErrors {
            handleInterrupt()
            clearResults()
            try checkProperties()
            let zoneName: DomainName
            let built: DNSUpdate
            do {
                zoneName = try DomainName(zone)
                built = try DNSUpdate(nsupdate: commands.joined(separator: "\n"), zone: zoneName)
            } catch let error as UpdateScriptError {
                throw ErrorCode.error(ErrorCode.invalidArgument, "Update of \(zone): \(error)")
            } catch {
                throw ErrorCode.error(ErrorCode.invalidArgument, "Zone \"\(zone)\": \(error)")
            }
            let route = try currentRoute()
            let options = exchangeOptions(route)
            let id = takeRequestId()
            log(1, "Update \(id): \(zoneName), \(built.prerequisites.count) prerequisites, \(built.updates.count) changes")
            let query = PendingQuery(requestId: id, domain: zone)
            let outcome = timeout > 0 ? SyncOutcome() : nil
            let handle = engine.start(update: built.message(id: 0), servers: route.servers, options: options) { [unowned self] result in
                self.complete(query, result, outcome)
            }
            guard let outcome else { return }
            try wait(for: outcome, of: handle, until: Self.latestEnd(of: options), polling: options.timeout)
        }
    }
}
