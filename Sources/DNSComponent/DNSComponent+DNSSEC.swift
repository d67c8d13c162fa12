// SPDX-License-Identifier: Apache-2.0
// DNSSEC validation of the component's answers (DNSSECValidation and the settings after it).

import DNSTransport
import DNSWire

extension DNSComponent {
    /// The validator for the next query: nil unless `DNSSECValidation` is True; made anew (with
    /// an empty key cache) after a DNSSEC setting changed.
    func currentValidator() -> ResponseValidator? {
        guard settings.dnssecValidation else { return nil }
        if let validator { return validator }
        let made = ResponseValidator(settings: settings.dnssec)
        validator = made
        return made
    }

    /// Takes the verdict on an answer into ``dnssecStatus``, ``dnssecReason`` and
    /// ``dnssecEDE``. A Bogus answer without `DNSSECReturnBogus` fails the query with 228 (thrown
    /// by a synchronous query, the error event for an asynchronous one) and its records are
    /// not presented: false then.
    func accept(_ verdict: ValidationFinding, for query: PendingQuery, _ outcome: SyncOutcome?) -> Bool {
        (dnssecStatus, dnssecReason, dnssecEDE) = (verdict.state.rawValue, verdict.reason, verdict.ede.map(Int.init) ?? -1)
        log(1, "Query \(query.requestId): DNSSEC \(verdict)")
        guard verdict.state == .bogus, !settings.dnssec.returnBogus else { return true }
        fail(query, ErrorCode.error(ErrorCode.dnssecValidationFailed, verdict.reason), outcome)
        return false
    }
}
