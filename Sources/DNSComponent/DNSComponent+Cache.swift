// SPDX-License-Identifier: Apache-2.0
// Emptying the response cache (CacheSize and the other cache settings turn it on).

import DNSTransport

extension DNSComponent {
    /// Empties the response cache (with `CacheSize` above 0; otherwise there is nothing to empty).
    public func flushCache() {
        responseCache?.flush()
    }

    /// Removes every cached answer for `domain`, of any type.
    /// - Throws: 10022 when `domain` is not a domain name.
    public func flushCache(_ domain: String) throws {
        guard let responseCache else { return }
        responseCache.flush(name: try domainName(domain))
    }
}
