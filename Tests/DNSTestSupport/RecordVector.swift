// SPDX-License-Identifier: Apache-2.0
// The golden record vectors of Tests/DNSWireTests/Fixtures/records.json (written by
// Scripts/fixtures/generate-record-fixtures.sh from BIND 9.18's dig and dnspython).

import Foundation
import Testing

/// One record as BIND (or dnspython) gives it: type, owner in the fixtures.test zone, the
/// presentation text, the RDATA in hex, and the component's fields.
struct RecordVector: Decodable, Sendable, CustomTestStringConvertible {
    let type: String
    let code: UInt16
    let owner: String
    let zone: String
    let text: String
    let wire: String
    let fields: [[String]]
    let source: String

    var testDescription: String { "\(type) \(owner) \(text.prefix(60))" }

    static let all: [RecordVector] = {
        let url = Testbed.root.appendingPathComponent("Tests/DNSWireTests/Fixtures/records.json")
        return (try? JSONDecoder().decode([RecordVector].self, from: Data(contentsOf: url))) ?? []
    }()

    /// Vectors BIND serves to queries (MD/MF, OPT and TSIG come from dnspython and are not
    /// zone data, TKEY and UINFO from a canned answer; NSEC3 records answer only in zone
    /// transfers). SIG is "bind-direct": served by BIND, refused by Knot Resolver.
    static let served: [RecordVector] = all.filter {
        ["bind", "bind-direct"].contains($0.source) && $0.code != 250 && $0.code != 50
    }
}
