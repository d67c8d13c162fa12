// SPDX-License-Identifier: Apache-2.0
// IPv6 address text as RFC 5952 §4 has it, and back.

import DNSWire
import Testing

struct AddressTextTests {
    @Test(arguments: [
        ("::", "::"), ("::1", "::1"), ("1::", "1::"), ("2001:DB8::1", "2001:db8::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // one zero group stays
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longest run
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // the first of two equal runs
        ("0:0:0:0:0:ffff:c000:201", "::ffff:192.0.2.1"), ("fe80:0000:0000:0000:0abc:def0:0001:0010", "fe80::abc:def0:1:10"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), ("1:0:0:0:0:0:0:0", "1::"),
        ("0:1:0:0:0:0:0:0", "0:1::"), ("1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"),
    ])
    func rfc5952Text(_ input: String, _ expected: String) throws {
        let address = try #require(IPv6Address(input))
        #expect(address.description == expected)
        #expect(IPv6Address(expected) == address)
    }
}
