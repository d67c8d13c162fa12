// SPDX-License-Identifier: Apache-2.0
// A zone printed as a zone file that BIND loads.

extension Zone: CustomStringConvertible {
    /// The zone as a zone file (RFC 1035 §5): a `$ORIGIN` line, then one record per line as
    /// ``DNSRecord/description`` prints it (absolute owner, TTL, class, type, RDATA), in the
    /// order of ``records``: the SOA first, then canonical order. BIND's `named-checkzone` loads it.
    public var zoneFileText: String {
        var text = "$ORIGIN \(origin)\n"
        for record in records {
            text += record.description
            text += "\n"
        }
        return text
    }

    /// The same as ``zoneFileText``.
    public var description: String { zoneFileText }
}
