// SPDX-License-Identifier: Apache-2.0
// The response cache without I/O: TTL rules, keys, LRU bounds, serve-stale, statistics.

import DNSWire
import Testing

@testable import DNSTransport

@Suite struct ResponseCacheTests {
    let start = ContinuousClock.now
    let question = DNSQuestion(name: try! DomainName("www.example.org"), type: .a)

    func at(_ seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int64(seconds * 1000)) }

    func cache(_ configure: (inout CacheSettings) -> Void = { _ in }) -> ResponseCache {
        var settings = CacheSettings(maxEntries: 100)
        configure(&settings)
        return ResponseCache(settings: settings)
    }

    func key(_ question: DNSQuestion? = nil) -> CacheKey { CacheKey(question: question ?? self.question) }

    func address(_ owner: String = "www.example.org", ttl: UInt32, _ text: String = "192.0.2.1") throws -> DNSRecord {
        DNSRecord(name: try DomainName(owner), ttl: ttl, data: try RecordData(type: .a, presentation: text))
    }

    func soa(ttl: UInt32, minimum: UInt32) throws -> DNSRecord {
        DNSRecord(
            name: try DomainName("example.org"), ttl: ttl,
            data: try RecordData(type: .soa, presentation: "ns1.example.org. hostmaster.example.org. 1 7200 3600 1209600 \(minimum)"))
    }

    func response(
        _ code: ResponseCode = .noError, question: DNSQuestion? = nil, answers: [DNSRecord] = [], authorities: [DNSRecord] = [],
        additionals: [DNSRecord] = [], flags: HeaderFlags = [.qr, .rd, .ra], edns: EDNS? = nil
    ) -> DNSMessage {
        DNSMessage(
            header: DNSHeader(id: 0x1111, flags: flags), responseCode: code, questions: [question ?? self.question], answers: answers,
            authorities: authorities, additionals: additionals, edns: edns)
    }

    func positive(ttl: UInt32 = 300) throws -> DNSMessage { response(answers: [try address(ttl: ttl)]) }

    func lookup(_ cache: ResponseCache, _ key: CacheKey? = nil, question: DNSQuestion? = nil, id: UInt16 = 7, at seconds: Double)
        -> CacheLookup
    {
        cache.lookup(key ?? self.key(), question: question ?? self.question, id: id, now: at(seconds))
    }

    func ttls(_ records: [DNSRecord]) -> [UInt32] { records.map(\.ttl) }

    func name(_ index: Int) -> DomainName { try! DomainName(labels: [Array("n\(index)".utf8), Array("example".utf8)]) }

    // MARK: - Fresh answers and TTL rules

    @Test func aFreshAnswerAgesByWholeSecondsAndCarriesTheCallersIDAndQuestion() throws {
        let cache = cache()
        let edns = EDNS(udpPayloadSize: 1232, options: [.nsid([1, 2])])
        let stored = response(
            answers: [try address(ttl: 300)],
            authorities: [
                DNSRecord(name: try DomainName("example.org"), ttl: 3600, data: try RecordData(type: .ns, presentation: "ns1.example.org."))
            ],
            additionals: [try address("ns1.example.org", ttl: 5)], edns: edns)
        #expect(cache.store(stored, for: key(), now: start))

        let asked = DNSQuestion(name: try DomainName("WWW.Example.ORG"), type: .a)
        guard case .hit(let early) = lookup(cache, question: asked, id: 0xBEEF, at: 0.9) else {
            Issue.record("no hit")
            return
        }
        #expect(early.id == 0xBEEF)
        #expect(early.questions.map(\.name.description) == ["WWW.Example.ORG."])
        #expect(ttls(early.answers) == [300] && ttls(early.authorities) == [3600] && ttls(early.additionals) == [5])

        guard case .hit(let later) = lookup(cache, id: 9, at: 10.5) else {
            Issue.record("no hit")
            return
        }
        #expect(later.id == 9)
        #expect(later.questions.map(\.name.description) == ["www.example.org."])
        #expect(ttls(later.answers) == [290] && ttls(later.authorities) == [3590] && ttls(later.additionals) == [0])
        #expect(later.edns == edns)
        #expect(later.answers[0].data == stored.answers[0].data && later.responseCode == .noError)
        #expect(cache.statistics.hits == 2)
    }

    @Test func aPositiveAnswerLivesAsLongAsItsSmallestAnswerTTL() throws {
        let cache = cache()
        cache.store(response(answers: [try address(ttl: 300), try address(ttl: 60, "192.0.2.2")]), for: key(), now: start)
        guard case .hit(let answer) = lookup(cache, at: 59.9) else {
            Issue.record("no hit before expiry")
            return
        }
        #expect(ttls(answer.answers) == [241, 1])
        #expect(lookup(cache, at: 60) == .miss)
    }

    @Test func aCNAMEChainEndingInNODATALivesNoLongerThanItsSOA() throws {
        let cname = DNSRecord(name: question.name, ttl: 3600, data: try RecordData(type: .cname, presentation: "alias.example.org."))
        let settings = CacheSettings(maxEntries: 1)
        let decision = CachePolicy.decision(for: response(answers: [cname], authorities: [try soa(ttl: 900, minimum: 120)]), settings: settings)
        #expect(decision?.kind == .answer && decision?.ttl == 120)
    }

    @Test func ttlsAreClampedToTheMinimumAndMaximum() throws {
        let raised = cache { $0.minTTL = 60 }
        raised.store(try positive(ttl: 10), for: key(), now: start)
        guard case .hit(let aged) = lookup(raised, at: 20) else {
            Issue.record("the minimum TTL did not keep the answer")
            return
        }
        #expect(ttls(aged.answers) == [0])
        #expect(lookup(raised, at: 59) != .miss)
        #expect(lookup(raised, at: 60) == .miss)

        let capped = cache { $0.maxTTL = 100 }
        capped.store(try positive(ttl: 1000), for: key(), now: start)
        #expect(lookup(capped, at: 0).message.map { ttls($0.answers) } == [100])
        #expect(lookup(capped, at: 99).message.map { ttls($0.answers) } == [1])
        #expect(lookup(capped, at: 100) == .miss)
    }

    @Test func aTTLOfZeroIsNotStoredWhateverTheMinimum() throws {
        let cache = cache { $0.minTTL = 60 }
        #expect(!cache.store(try positive(ttl: 0), for: key(), now: start))
        #expect(!cache.store(response(.nxDomain, authorities: [try soa(ttl: 0, minimum: 300)]), for: key(), now: start))
        #expect(lookup(cache, at: 0) == .miss)
        #expect(cache.statistics.entries == 0)
    }

    @Test func negativeAnswersLiveForTheSmallerOfTheSOAsTTLAndMinimum() throws {
        let cache = cache()
        let nxKey = key(DNSQuestion(name: try DomainName("nx.example.org"), type: .a))
        cache.store(response(.nxDomain, authorities: [try soa(ttl: 3600, minimum: 300)]), for: nxKey, now: start)
        let noData = key(DNSQuestion(name: question.name, type: .aaaa))
        cache.store(response(authorities: [try soa(ttl: 120, minimum: 900)]), for: noData, now: start)

        guard case .hit(let nx) = cache.lookup(nxKey, question: question, id: 1, now: at(299)) else {
            Issue.record("NXDOMAIN not cached")
            return
        }
        #expect(nx.responseCode == .nxDomain && ttls(nx.authorities) == [3301])
        #expect(cache.lookup(nxKey, question: question, id: 1, now: at(300)) == .miss)
        #expect(cache.lookup(noData, question: question, id: 1, now: at(119)).message?.responseCode == .noError)
        #expect(cache.lookup(noData, question: question, id: 1, now: at(120)) == .miss)

        let clamped = self.cache {
            $0.maxTTL = 60
            $0.minTTL = 10
        }
        #expect(CachePolicy.decision(for: response(.nxDomain, authorities: [try soa(ttl: 300, minimum: 300)]), settings: clamped.settings)?.ttl == 60)
        #expect(CachePolicy.decision(for: response(authorities: [try soa(ttl: 300, minimum: 2)]), settings: clamped.settings)?.ttl == 10)
    }

    @Test func negativeAnswersWithoutAnSOAAreNotStored() throws {
        let cache = cache()
        #expect(!cache.store(response(.nxDomain), for: key(), now: start))
        #expect(!cache.store(response(), for: key(), now: start))
        let ns = DNSRecord(name: try DomainName("example.org"), ttl: 300, data: try RecordData(type: .ns, presentation: "ns1.example.org."))
        #expect(!cache.store(response(authorities: [ns]), for: key(), now: start))
        #expect(lookup(cache, at: 0) == .miss)
    }

    @Test func serverFailuresAreKeptThirtySeconds() throws {
        let cache = cache()
        let servfail = response(.servFail)
        #expect(cache.store(servfail, for: key(), now: start))
        guard case .serverFailure(let message) = lookup(cache, id: 3, at: 29.9) else {
            Issue.record("SERVFAIL not cached")
            return
        }
        #expect(message.responseCode == .servFail && message.id == 3)
        #expect(lookup(cache, at: 30) == .miss)

        let refusedKey = key(DNSQuestion(name: question.name, type: .mx))
        cache.store(response(.refused), for: refusedKey, now: start)
        #expect(cache.lookup(refusedKey, question: question, id: 1, now: at(29)).message?.responseCode == .refused)
        #expect(cache.lookup(refusedKey, question: question, id: 1, now: at(30)) == .miss)

        let shorter = self.cache { $0.maxTTL = 10 }
        shorter.store(servfail, for: key(), now: start)
        #expect(lookup(shorter, at: 9.9) != .miss)
        #expect(lookup(shorter, at: 10) == .miss)
    }

    @Test func transportFailuresAreKeptThirtySeconds() {
        let cache = cache()
        let error = TransportError(.timedOut, "no answer")
        #expect(cache.storeFailure(error, for: key(), now: start))
        #expect(lookup(cache, at: 29.9) == .transportFailure(error))
        #expect(lookup(cache, at: 30) == .miss)
        #expect(!cache.storeFailure(TransportError(.cancelled, ""), for: key(), now: start))
        #expect(lookup(cache, at: 0) == .miss)
    }

    @Test func truncatedAnswersAreNeverStored() throws {
        let cache = cache()
        #expect(!cache.store(response(answers: [try address(ttl: 300)], flags: [.qr, .tc]), for: key(), now: start))
        #expect(!cache.store(response(.servFail, flags: [.qr, .tc]), for: key(), now: start))
        #expect(lookup(cache, at: 0) == .miss)
    }

    @Test func aDisabledCacheStoresNothing() throws {
        let cache = cache { $0.maxEntries = 0 }
        #expect(!cache.store(try positive(), for: key(), now: start))
        #expect(lookup(cache, at: 0) == .miss)
        #expect(cache.statistics == CacheStatistics())
    }

    // MARK: - Keys

    @Test func flagsRouteAndTSIGKeyPartitionTheCache() throws {
        let cache = cache()
        let base = CacheKey(question: question, route: 53)
        cache.store(try positive(), for: base, now: start)
        let others = [
            CacheKey(question: question, dnssecOK: true, route: 53),
            CacheKey(question: question, checkingDisabled: true, route: 53),
            CacheKey(question: question, recursionDesired: false, route: 53),
            CacheKey(question: question, route: 853),
            CacheKey(question: question, route: 53, tsigKeyName: try DomainName("key.example")),
            CacheKey(question: DNSQuestion(name: question.name, type: .aaaa), route: 53),
            CacheKey(question: DNSQuestion(name: question.name, type: .a, recordClass: .chaos), route: 53),
        ]
        for other in others {
            #expect(other != base)
            #expect(lookup(cache, other, at: 1) == .miss)
        }
        let sameInOtherCase = CacheKey(question: DNSQuestion(name: try DomainName("WwW.EXAMPLE.org"), type: .a), route: 53)
        #expect(sameInOtherCase == base && sameInOtherCase.hashValue == base.hashValue)
        #expect(lookup(cache, sameInOtherCase, at: 1) != .miss)

        let signed = CacheKey(question: question, tsigKeyName: try DomainName("Key.Example"))
        #expect(signed == CacheKey(question: question, tsigKeyName: try DomainName("key.example")))
    }

    @Test func aQuerysKeyTakesItsFlags() throws {
        var query = DNSMessage.query(name: question.name, type: .a, id: 1, edns: EDNS(dnssecOK: true))
        query.header.flags.insert(.cd)
        #expect(CacheKey(query: query, route: 7) == CacheKey(question: question, dnssecOK: true, checkingDisabled: true, route: 7))
        let plain = DNSMessage.query(name: question.name, type: .a, id: 1, recursionDesired: false, edns: nil)
        #expect(CacheKey(query: plain) == CacheKey(question: question, recursionDesired: false))
        #expect(CacheKey(query: DNSMessage()) == nil)
    }

    // MARK: - Bounds

    @Test func theLeastRecentlyUsedEntryIsEvictedFirst() throws {
        let cache = cache { $0.maxEntries = 3 }
        let keys = (0..<4).map { key(DNSQuestion(name: name($0), type: .a)) }
        for index in 0..<3 { cache.store(try positive(), for: keys[index], now: start) }
        #expect(lookup(cache, keys[0], at: 1) != .miss)  // 0 is now the most recent; 1 the least.
        cache.store(try positive(), for: keys[3], now: start)
        #expect(lookup(cache, keys[1], at: 1) == .miss)
        for index in [0, 2, 3] { #expect(lookup(cache, keys[index], at: 1) != .miss) }
        #expect(cache.statistics.evictions == 1 && cache.statistics.entries == 3)

        // Replacing an entry is not an eviction, and does not grow the cache.
        cache.store(try positive(ttl: 60), for: keys[0], now: start)
        #expect(cache.statistics.evictions == 1 && cache.statistics.entries == 3)
    }

    @Test func theByteBoundEvictsAndRefusesWhatCannotFit() throws {
        let message = try positive()
        let cost = try message.wireLength() + CacheSettings.entryOverhead
        let cache = cache { $0.maxBytes = cost * 5 / 2 }
        let keys = (0..<3).map { key(DNSQuestion(name: name($0), type: .a)) }
        for key in keys { #expect(cache.store(message, for: key, now: start)) }
        #expect(cache.statistics.entries == 2 && cache.statistics.bytes == 2 * cost && cache.statistics.evictions == 1)
        #expect(lookup(cache, keys[0], at: 1) == .miss)

        let big = response(answers: try (0..<200).map { try address(ttl: 300, "192.0.2.\($0 % 250)") })
        #expect(try big.wireLength() + CacheSettings.entryOverhead > cost * 5 / 2)
        #expect(!cache.store(big, for: keys[0], now: start))
        #expect(cache.statistics.entries == 2 && cache.statistics.evictions == 1)
    }

    @Test func manyDistinctNamesStayWithinTheBounds() throws {
        let message = try positive()
        let cost = try message.wireLength() + CacheSettings.entryOverhead
        let byEntries = cache {
            $0.maxEntries = 1000
            $0.maxBytes = 64 << 20
        }
        let byBytes = cache {
            $0.maxEntries = 1000
            $0.maxBytes = 400 * cost + cost / 2
        }
        var largest = (entries: 0, bytes: 0)
        for index in 0..<100_000 {
            let key = CacheKey(question: DNSQuestion(name: name(index), type: .a))
            byEntries.store(message, for: key, now: start)
            #expect(byEntries.statistics.entries <= 1000, "after \(index) names")
            guard index < 20_000 else { continue }
            byBytes.store(message, for: key, now: start)
            if index % 97 == 0 {
                let statistics = byBytes.statistics
                largest = (max(largest.entries, statistics.entries), max(largest.bytes, statistics.bytes))
            }
        }
        #expect(byEntries.statistics.entries == 1000 && byEntries.statistics.bytes == 1000 * cost)
        #expect(byEntries.statistics.evictions == 99_000)
        #expect(largest.entries <= 400 && largest.bytes <= 400 * cost + cost / 2)
        #expect(byBytes.statistics.entries == 400 && byBytes.statistics.evictions == 19_600)
        // The newest survive, the oldest are gone.
        #expect(lookup(byEntries, CacheKey(question: DNSQuestion(name: name(99_999), type: .a)), at: 1) != .miss)
        #expect(lookup(byEntries, CacheKey(question: DNSQuestion(name: name(98_999), type: .a)), at: 1) == .miss)
    }

    @Test func concurrentUseKeepsTheBounds() async throws {
        let cache = cache { $0.maxEntries = 500 }
        let message = try positive()
        let start = self.start
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<4000 {
                        let name = try! DomainName(labels: [Array("n\(index % 700)".utf8), Array("t\(task % 2)".utf8)])
                        let question = DNSQuestion(name: name, type: .a)
                        let key = CacheKey(question: question)
                        if case .miss = cache.lookup(key, question: question, id: 1, now: start) { cache.store(message, for: key, now: start) }
                        if index % 1000 == 999 { cache.flush(name: name) }
                    }
                }
            }
        }
        let statistics = cache.statistics
        #expect(statistics.entries <= 500 && statistics.hits + statistics.misses == 32_000)
        #expect(statistics.bytes == statistics.entries * (try message.wireLength() + CacheSettings.entryOverhead))
    }

    @Test func flushRemovesEverythingOrOneName() throws {
        let cache = cache()
        let www = key()
        let wwwAAAA = key(DNSQuestion(name: question.name, type: .aaaa))
        let wwwSigned = CacheKey(question: question, dnssecOK: true)
        let mail = key(DNSQuestion(name: try DomainName("mail.example.org"), type: .a))
        for key in [www, wwwAAAA, wwwSigned, mail] { cache.store(try positive(), for: key, now: start) }
        cache.flush(name: try DomainName("WWW.example.ORG"))
        for key in [www, wwwAAAA, wwwSigned] { #expect(lookup(cache, key, at: 1) == .miss) }
        #expect(lookup(cache, mail, at: 1) != .miss)
        #expect(cache.statistics.entries == 1)

        cache.flush()
        #expect(lookup(cache, mail, at: 1) == .miss)
        #expect(cache.statistics.entries == 0 && cache.statistics.bytes == 0)
        #expect(cache.store(try positive(), for: mail, now: start))
        #expect(lookup(cache, mail, at: 1) != .miss)
    }

    // MARK: - Serve-stale

    @Test func withoutServeStaleAnExpiredAnswerIsAMissAndRemoved() throws {
        let cache = cache()
        cache.store(try positive(ttl: 60), for: key(), now: start)
        #expect(lookup(cache, at: 61) == .miss)
        #expect(cache.statistics.entries == 0)
    }

    @Test func anExpiredAnswerIsGivenStaleWithTTL30AndEDE3() throws {
        let cache = cache { $0.serveStale = true }
        let stored = response(answers: [try address(ttl: 300)], additionals: [try address("ns1.example.org", ttl: 10)])
        cache.store(stored, for: key(), now: start)
        let asked = DNSQuestion(name: try DomainName("Www.Example.Org"), type: .a)
        guard case .stale(let message, let refresh) = lookup(cache, question: asked, id: 44, at: 3600) else {
            Issue.record("no stale answer")
            return
        }
        #expect(refresh)
        #expect(ttls(message.answers) == [30] && ttls(message.additionals) == [30])  // RFC 8767 §4: 30 s, whatever the TTL was
        #expect(message.extendedErrors == [ExtendedDNSError(infoCode: 3)])
        #expect(message.edns != nil && stored.edns == nil)
        #expect(message.id == 44 && message.questions.map(\.name.description) == ["Www.Example.Org."])
        #expect(cache.statistics.hits == 0 && cache.statistics.staleHits == 0)
        cache.recordStaleHit()
        #expect(cache.statistics.staleHits == 1)
    }

    @Test func aStaleAnswerKeepsItsOPTAndItsOwnOptions() throws {
        let cache = cache { $0.serveStale = true }
        let edns = EDNS(udpPayloadSize: 4096, dnssecOK: true, options: [.nsid([7])])
        cache.store(response(answers: [try address(ttl: 60)], edns: edns), for: key(), now: start)
        let message = lookup(cache, at: 120).message
        #expect(message?.edns?.udpPayloadSize == 4096 && message?.edns?.dnssecOK == true)
        #expect(message?.edns?.options == [.nsid([7]), .extendedError(ExtendedDNSError(infoCode: 3))])
    }

    @Test func aStaleNXDOMAINCarriesEDE19() throws {
        let cache = cache { $0.serveStale = true }
        cache.store(response(.nxDomain, authorities: [try soa(ttl: 3600, minimum: 300)]), for: key(), now: start)
        guard case .stale(let message, _) = lookup(cache, at: 301) else {
            Issue.record("no stale NXDOMAIN")
            return
        }
        #expect(message.responseCode == .nxDomain && message.extendedErrors.map(\.infoCode) == [19])
        #expect(ttls(message.authorities) == [30])
    }

    @Test func pastTheStaleWindowAnExpiredAnswerIsAMissAndRemoved() throws {
        let cache = cache {
            $0.serveStale = true
            $0.staleMaxAge = 600
        }
        cache.store(try positive(ttl: 60), for: key(), now: start)
        #expect(lookup(cache, at: 659) != .miss)
        #expect(lookup(cache, at: 660) == .miss)
        #expect(cache.statistics.entries == 0)
    }

    @Test func failuresAreNotGivenStale() {
        let cache = cache { $0.serveStale = true }
        cache.storeFailure(TransportError(.timedOut, ""), for: key(), now: start)
        #expect(lookup(cache, at: 31) == .miss)
    }

    @Test func aFailedRefreshHoldsOffTheNextFor30Seconds() throws {
        let cache = cache { $0.serveStale = true }
        cache.store(try positive(ttl: 60), for: key(), now: start)
        guard case .stale(_, true) = lookup(cache, at: 100) else {
            Issue.record("the first refresh is not allowed")
            return
        }
        cache.refreshFailed(key(), now: at(101))
        guard case .stale(_, false) = lookup(cache, at: 130.9) else {
            Issue.record("a refresh is allowed within 30 s of a failure")
            return
        }
        guard case .stale(_, true) = lookup(cache, at: 131) else {
            Issue.record("no refresh allowed 30 s after the failure")
            return
        }
    }

    @Test func aNewAnswerReplacesAStaleOneButAFailureDoesNot() throws {
        let cache = cache { $0.serveStale = true }
        cache.store(try positive(ttl: 60), for: key(), now: start)
        #expect(!cache.store(response(.servFail), for: key(), now: at(100)))
        #expect(!cache.storeFailure(TransportError(.timedOut, ""), for: key(), now: at(100)))
        guard case .stale(_, false) = lookup(cache, at: 101) else {
            Issue.record("a failure replaced the stale answer, or did not count as a failed refresh")
            return
        }
        #expect(cache.store(response(answers: [try address(ttl: 300, "192.0.2.9")]), for: key(), now: at(102)))
        guard case .hit(let fresh) = lookup(cache, at: 112) else {
            Issue.record("the new answer did not replace the stale one")
            return
        }
        #expect(ttls(fresh.answers) == [290] && fresh.answers[0].data.description == "192.0.2.9")
        #expect(cache.statistics.entries == 1)
    }

    @Test func aFailureReplacesAnExpiredAnswerWithoutServeStale() throws {
        let cache = cache()
        cache.store(try positive(ttl: 60), for: key(), now: start)
        #expect(!cache.store(response(.servFail), for: key(), now: at(30)))
        #expect(cache.store(response(.servFail), for: key(), now: at(60)))
        #expect(lookup(cache, at: 61).message?.responseCode == .servFail)
    }

    // MARK: - Statistics

    @Test func statisticsCountAndDescribeThemselves() throws {
        let cache = cache {
            $0.maxEntries = 1
            $0.serveStale = true
        }
        let other = key(DNSQuestion(name: question.name, type: .aaaa))
        #expect(lookup(cache, at: 0) == .miss)
        cache.store(try positive(ttl: 60), for: key(), now: start)
        _ = lookup(cache, at: 1)
        _ = lookup(cache, at: 2)
        _ = lookup(cache, at: 61)  // Stale: not counted until used.
        cache.recordStaleHit()
        cache.store(try positive(), for: other, now: start)  // Evicts the first.
        #expect(lookup(cache, at: 62) == .miss)
        let cost = try positive().wireLength() + CacheSettings.entryOverhead
        let statistics = cache.statistics
        #expect(statistics.hits == 2 && statistics.misses == 2 && statistics.staleHits == 1 && statistics.evictions == 1)
        #expect(statistics.entries == 1 && statistics.bytes == cost)
        #expect(statistics.description == "hits=2,misses=2,staleHits=1,evictions=1,entries=1,bytes=\(cost)")
    }

    @Test func theDefaultsAreTheIssues() {
        let settings = CacheSettings()
        #expect(settings.maxBytes == 67_108_864 && settings.maxTTL == 86_400 && settings.minTTL == 0)
        #expect(!settings.serveStale && settings.staleMaxAge == 86_400 && settings.staleAnswerTimeout == .milliseconds(1800))
    }
}
