// SPDX-License-Identifier: Apache-2.0
// Queries whose answers are validated with DNSSEC: the DS and DNSKEY RRsets the chains need
// are fetched through the same servers, options and cache.

public import DNSWire

extension DNSEngine {
    /// A validated query: its answer, once it came, and the check fetching what it needs.
    final class ValidatedQuery {
        let query: DNSMessage
        let completion: Completion
        /// Starts a DS or DNSKEY fetch the way the query went (servers, order, options, cache).
        let fetch: (DNSMessage, @escaping Completion) -> Handle
        /// The exchange outstanding: the query, then each fetch.
        var exchange: Handle?
        var answer: ExchangeResult?
        var check: ResponseCheck?

        init(query: DNSMessage, completion: @escaping Completion, fetch: @escaping (DNSMessage, @escaping Completion) -> Handle) {
            (self.query, self.completion, self.fetch) = (query, completion, fetch)
        }
    }

    /// ``start(_:servers:order:options:cache:completion:)``, the answer validated by `validator`
    /// (nil: not validated). The query gets the DO bit (and EDNS when it has none) and CD
    /// (RFC 4035 §3.2.2: the records as the server has them; not with
    /// ``DNSSECSettings/trustAD``). The answer's ``ExchangeResult/dnssec`` holds the verdict;
    /// the exchange fails only as the query itself does (a failed DS or DNSKEY fetch makes the
    /// verdict Indeterminate). A truncated fetch is asked again over TCP.
    @discardableResult
    public func start(
        _ query: consuming DNSMessage, servers: [Nameserver], order: ServerOrder = .fastestFirst,
        options: consuming ExchangeOptions = ExchangeOptions(), cache: ResponseCache?, validator: ResponseValidator?,
        trace: ((String) -> Void)? = nil, completion: @escaping Completion
    ) -> Handle {
        guard let validator else { return start(query, servers: servers, order: order, options: options, cache: cache, completion: completion) }
        var query = query
        var edns = query.edns ?? EDNS(udpPayloadSize: 1232)
        edns.dnssecOK = true
        query.edns = edns
        if !validator.settings.trustAD { query.header.flags.insert(.cd) }
        var fetchOptions = copy options
        if case .udp = options.transport { fetchOptions.transport = .udp(.retryOverTCP) }
        let handle = makeHandle()
        let run = ValidatedQuery(query: copy query, completion: completion) { [unowned self] fetch, completion in
            start(fetch, servers: servers, order: order, options: fetchOptions, cache: cache, completion: completion)
        }
        validatedQueries[handle.value] = run
        run.exchange = start(query, servers: servers, order: order, options: options, cache: cache) { [unowned self] result in
            guard validatedQueries[handle.value] === run else { return }
            switch result {
            case .success(let answer):
                run.answer = answer
                let check = validator.check(answer.response, trace: trace)
                run.check = check
                advance(run, handle, check.start())
            case .failure:
                validatedQueries[handle.value] = nil
                completion(result)
            }
        }
        return handle
    }

    /// Fetches what the check asks for next, or ends the query with its verdict.
    private func advance(_ run: ValidatedQuery, _ handle: Handle, _ step: ResponseCheck.Step) {
        switch step {
        case .fetch(let name, let type):
            log("DNSSEC: fetching \(name) \(type)")
            let fetch = ResponseValidator.fetchQuery(name, type, like: run.query)
            run.exchange = run.fetch(fetch) { [unowned self] result in
                guard validatedQueries[handle.value] === run, let check = run.check else { return }
                advance(run, handle, check.resume(with: result.map(\.response)))
            }
        case .done(let finding):
            validatedQueries[handle.value] = nil
            guard var answer = run.answer else { return }
            log("DNSSEC: \(run.query.questions.first.map { "\($0)" } ?? "") \(finding)")
            answer.dnssec = finding
            run.completion(.success(answer))
        }
    }

    /// Cancels a validated query (its outstanding exchange too); false when `handle` is none.
    func cancelValidatedQuery(_ handle: Handle, _ error: TransportError) -> Bool {
        guard let run = validatedQueries.removeValue(forKey: handle.value) else { return false }
        if let exchange = run.exchange { cancel(exchange, error) }
        run.completion(.failure(error))
        return true
    }
}
