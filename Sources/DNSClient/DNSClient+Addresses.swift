// SPDX-License-Identifier: Apache-2.0
// A name's addresses: A and AAAA together, CNAMEs followed, the search list applied.

public import DNSTransport
public import DNSWire

/// An IPv4 or IPv6 address.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }
}

/// Which addresses ``DNSClient/addresses(for:family:options:)`` asks for.
public enum AddressFamily: Sendable {
    case ipv4, ipv6
    /// Both, IPv6 first.
    case any
}

extension DNSClient {
    /// The addresses of `name`: A and AAAA asked together (IPv6 first for `.any`), CNAME
    /// chains followed (also across answers, up to 8 links), and the client's
    /// ``searchConfiguration`` applied as resolv.conf(5) describes: a name with fewer than
    /// `ndots` dots is tried with each search domain before it is tried as it is. The first
    /// candidate name with any address wins.
    /// - Throws: `TransportError` with code `hostNotFound` when no candidate has an address,
    ///   or the first failure when a query fails (a timeout, a refusal, …) and no candidate
    ///   answers.
    public func addresses(
        for name: String, family: AddressFamily = .any, options: QueryOptions? = nil
    ) async throws(TransportError) -> [IPAddress] {
        let options = options ?? defaultOptions
        let types: [RecordType] =
            switch family {
            case .ipv4: [.a]
            case .ipv6: [.aaaa]
            case .any: [.aaaa, .a]
            }
        var failure: TransportError?
        for candidate in searchConfiguration.candidates(for: name) {
            guard let candidateName = try? DomainName(candidate) else { continue }
            do throws(TransportError) {
                let found = try await addresses(of: candidateName, types: types, options: options)
                if !found.isEmpty { return found }
            } catch {
                failure = failure ?? error
            }
        }
        throw failure ?? TransportError(.hostNotFound, "\(name) has no \(family) address")
    }

    /// The addresses of one name, its queries made at once.
    private func addresses(of name: DomainName, types: [RecordType], options: QueryOptions) async throws(TransportError) -> [IPAddress] {
        let results = await withTaskGroup(of: (Int, Result<[IPAddress], TransportError>).self) { group in
            for (index, type) in types.enumerated() {
                group.addTask {
                    do throws(TransportError) {
                        return (index, .success(try await self.follow(name, type: type, options: options)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<[IPAddress], TransportError>?](repeating: nil, count: types.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        let found = results.flatMap { (try? $0.get()) ?? [] }
        if found.isEmpty, case .failure(let error)? = results.first(where: { (try? $0.get()) == nil }) { throw error }
        return found
    }

    /// The `type` addresses at the end of `name`'s CNAME chain.
    private func follow(_ name: DomainName, type: RecordType, options: QueryOptions) async throws(TransportError) -> [IPAddress] {
        var target = name
        for _ in 0..<8 {
            let answers = try await query(target, type: type, options: options).message.answers
            var links = 0
            while links < answers.count, let next = Self.alias(of: target, in: answers) {
                target = next
                links += 1
            }
            let found: [IPAddress] = answers.filter { $0.name == target }.compactMap { record in
                if let a = record.data.as(RecordData.A.self) { return .v4(a.address) }
                if let aaaa = record.data.as(RecordData.AAAA.self) { return .v6(aaaa.address) }
                return nil
            }
            // Addresses, or no alias to follow: done. Else the chain left this answer: ask for its end.
            if !found.isEmpty || links == 0 { return found }
        }
        throw TransportError(.hostNotFound, "\(name): a CNAME chain across more than 8 answers")
    }

    /// The target of the CNAME record owned by `name` in `answers`, if there is one.
    private static func alias(of name: DomainName, in answers: [DNSRecord]) -> DomainName? {
        answers.first { $0.type == .cname && $0.name == name }?.data.as(RecordData.SingleName.self)?.name
    }
}
