// SPDX-License-Identifier: Apache-2.0
// Host names to addresses with getaddrinfo, on a thread of its own, never the loop's.

/// Resolves the host names of ``ServerEndpoint``s with the system resolver (getaddrinfo) on a
/// thread of its own, and hands the addresses back on the loop's thread through its wake-up.
/// Addresses are given at once; a name's result is kept (so a name is resolved once per
/// configuration) until ``forgetAll()``. Requests for a name already being resolved wait for
/// that resolution.
final class HostResolver {
    typealias Completion = (Result<[SocketAddress], TransportError>) -> Void

    private let loop: PollLoop
    private var known: [ServerEndpoint: [SocketAddress]] = [:]
    private var pending: [ServerEndpoint: [Completion]] = [:]
    /// Bumped by ``forgetAll()``, so a resolution started before it is not kept.
    private var generation = 0

    init(loop: PollLoop) {
        self.loop = loop
    }

    /// The addresses of `endpoint` if they are known without waiting: an address, or a name
    /// resolved before.
    func knownAddresses(of endpoint: ServerEndpoint) -> [SocketAddress]? {
        if !endpoint.literalAddresses.isEmpty { return endpoint.literalAddresses }
        return known[endpoint]
    }

    /// Calls `completion` on the loop's thread with the addresses of `endpoint`, or
    /// ``TransportError/Code/hostNotFound``. Never before `resolve` returns for a name.
    func resolve(_ endpoint: ServerEndpoint, _ completion: @escaping Completion) {
        if let addresses = knownAddresses(of: endpoint) { return completion(.success(addresses)) }
        guard pending[endpoint] == nil else { return pending[endpoint]!.append(completion) }
        pending[endpoint] = [completion]
        let remote = loop.remote
        let generation = generation
        let box = Unchecked(self)
        do {
            try startThread(name: "DNS getaddrinfo") {
                let result = Result { () throws(TransportError) in
                    try SocketAddress.resolve(endpoint.host, port: endpoint.port, family: endpoint.family)
                }
                remote.execute { box.value.finished(endpoint, result, generation: generation) }
            }
        } catch {
            remote.execute { box.value.finished(endpoint, .failure(error), generation: generation) }
        }
    }

    /// Forgets every name resolved so far (the configuration changed).
    func forgetAll() {
        known.removeAll()
        generation += 1
    }

    private func finished(_ endpoint: ServerEndpoint, _ result: Result<[SocketAddress], TransportError>, generation: Int) {
        if generation == self.generation, case .success(let addresses) = result { known[endpoint] = addresses }
        for completion in pending.removeValue(forKey: endpoint) ?? [] { completion(result) }
    }

    /// Carries the resolver to the loop's thread, where alone it is used.
    private struct Unchecked: @unchecked Sendable {
        let value: HostResolver
        init(_ value: HostResolver) { self.value = value }
    }
}
