// SPDX-License-Identifier: Apache-2.0
// The DNS-over-DTLS sessions of an engine: one per server, settings and source.

/// One ``DTLSConnection`` per server, DTLS settings and source address, opened on first use
/// and kept for the queries that follow.
final class DTLSPool {
    struct Key: Hashable {
        let server: SocketAddress
        let settings: DTLSSettings
        /// Where the session is held from, when not the pool's ``options``.
        var source: ExchangeOptions.Source? = nil
    }

    private let loop: PollLoop
    private let setup: (Key) throws(TransportError) -> TLSClientSetup
    var options = SocketOptions()
    /// How long a session stays open without queries.
    var idleTimeout: Duration {
        didSet { for connection in sessions.values { connection.idleTimeout = idleTimeout } }
    }
    /// An answer arrived for a query, by its handle.
    var onAnswer: (UInt64, [UInt8]) -> Void = { _, _ in }
    /// A session failed for good; the handles were waiting on it.
    var onFailure: (TransportError, [UInt64]) -> Void = { _, _ in }
    var log: (() -> String) -> Void = { _ in }

    private var sessions: [Key: DTLSConnection] = [:]
    /// The session used last, found without hashing the key (settings hash slowly).
    private var last: (key: Key, connection: DTLSConnection)?

    init(loop: PollLoop, idleTimeout: Duration, setup: @escaping (Key) throws(TransportError) -> TLSClientSetup) {
        self.loop = loop
        self.idleTimeout = idleTimeout
        self.setup = setup
    }

    /// The session for `key`, made if there is none.
    func connection(for key: Key) throws(TransportError) -> DTLSConnection {
        if let last, last.key == key { return last.connection }
        if let known = sessions[key] {
            last = (key, known)
            return known
        }
        let connection = DTLSConnection(
            server: key.server, settings: key.settings, setup: try setup(key), loop: loop, options: key.source?.applied(to: options) ?? options,
            idleTimeout: idleTimeout)
        connection.onAnswer = { [unowned self] handle, record in self.onAnswer(handle, record) }
        connection.onFailure = { [unowned self] error, lost in self.onFailure(error, lost) }
        connection.onLog = { [unowned self] line in self.log(line) }
        sessions[key] = connection
        last = (key, connection)
        return connection
    }

    /// Closes every session (close_notify); queries still waiting run into their deadlines.
    func closeAll() {
        for connection in sessions.values { connection.close() }
        sessions.removeAll()
        last = nil
    }
}
