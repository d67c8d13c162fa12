// SPDX-License-Identifier: Apache-2.0
// `dnsbench transfer`: one AXFR through the component, its records printed as dig prints them.

import DNSComponent
import DNSWire
import Foundation

/// AXFR of `--zone` from `--server`/`--port` over TCP (signed with `--tsig` when given), each
/// record written to standard output in presentation form as it is in the answer, like
/// `dig axfr` and `kdig axfr`, so the three can be timed on the same work. Prints the record
/// count and the wall time on standard error.
func transferBenchmark(_ options: Options) throws {
    let dns = try DNSComponent()
    dns.dnsServer = try options.required("server")
    try dns.setDNSPort(try options.integer("port", default: 53))
    try dns.setTimeout(try options.integer("timeout", default: 30))
    dns.protocol = .tcp
    dns.queryType = DNSComponent.QueryType(rawValue: Int(RecordType.axfr.rawValue))
    if let key = options.values["tsig"] { try dns.config("TSIGKey=\(key)") }
    let start = ContinuousClock.now
    try dns.query(try options.required("zone"))
    var output = ""
    output.reserveCapacity(1 << 16)
    let stdout = FileHandle.standardOutput
    for record in dns.records {
        output += record.description
        output += "\n"
        if output.utf8.count >= 1 << 16 {
            stdout.write(Data(output.utf8))
            output.removeAll(keepingCapacity: true)
        }
    }
    stdout.write(Data(output.utf8))
    let elapsed = start.duration(to: .now)
    FileHandle.standardError.write(Data("dnsbench transfer: \(dns.recordCount) records in \(elapsed)\n".utf8))
}
