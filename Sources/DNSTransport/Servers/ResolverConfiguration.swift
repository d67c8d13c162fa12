// SPDX-License-Identifier: Apache-2.0
// What /etc/resolv.conf says (resolv.conf(5)): servers, search list, ndots.

internal import DNSWire

/// The parts of a resolv.conf file the clients use. Lines it does not know are skipped.
public struct ResolverConfiguration: Hashable, Sendable {
    /// Every `nameserver` address, in order.
    public var nameservers: [String] = []
    /// The `search` list (or the `domain` line's domain), tried for names with fewer than
    /// ``ndots`` dots before the name itself.
    public var search: [String] = []
    /// `options ndots:N` (default 1, at most 15 as glibc caps it).
    public var ndots = 1
    /// `options timeout:N`: seconds to wait for one server before the next try (at most 30).
    public var timeout: Int?
    /// `options attempts:N`: rounds over the servers (at most 5).
    public var attempts: Int?
    /// `options rotate`: spread queries over the servers round-robin instead of always
    /// starting with the first.
    public var rotate = false

    public init() {}

    /// Parses resolv.conf text: the last `search` or `domain` line wins, as in glibc.
    public init(parsing text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = fields.first, fields.count >= 2 else { continue }
            switch keyword {
            case "nameserver": nameservers.append(fields[1])
            case "search": search = Array(fields.dropFirst())
            case "domain": search = [fields[1]]
            case "options":
                for option in fields.dropFirst() {
                    let value = option.split(separator: ":", maxSplits: 1).last.flatMap { Int($0) }
                    switch option.split(separator: ":").first ?? "" {
                    case "ndots": if let value, value >= 0 { ndots = min(value, 15) }
                    case "timeout": if let value, value >= 1 { timeout = min(value, 30) }
                    case "attempts": if let value, value >= 1 { attempts = min(value, 5) }
                    case "rotate": rotate = true
                    default: continue
                    }
                }
            default: continue
            }
        }
    }

    /// The file at `path` (default `/etc/resolv.conf`); empty when it cannot be read.
    public static func system(path: String = "/etc/resolv.conf") -> ResolverConfiguration {
        guard let text = try? readTextFile(path) else { return ResolverConfiguration() }
        return ResolverConfiguration(parsing: text)
    }

    /// The names to try for `name`, in order: with each search domain first when it has
    /// fewer than ``ndots`` dots, after the name itself otherwise; an absolute name (ending
    /// in a dot) only as it is.
    public func candidates(for name: String) -> [String] {
        if name.hasSuffix(".") { return [name] }
        let searched = search.map { "\(name).\($0.hasSuffix(".") ? String($0.dropLast()) : $0)" }
        let dots = name.reduce(0) { $0 + ($1 == "." ? 1 : 0) }
        return dots < ndots ? searched + [name] : [name] + searched
    }
}
