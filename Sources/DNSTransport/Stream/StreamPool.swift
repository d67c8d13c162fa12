// SPDX-License-Identifier: Apache-2.0
// The stream connections of one framing: shared per server, retired, dedicated, idle-closed.

/// The stream connections that speak one ``StreamFraming`` (DNS messages, or HTTP): one
/// shared, pipelined connection per server and TLS settings; connections the server stopped
/// taking requests on (HTTP/2 GOAWAY) set aside until their last answer, with a new one in
/// their place; and dedicated connections, one per exchange that must not share (a zone
/// transfer), closed with it. ``idleTimeout`` applies to all of them, open ones included.
final class StreamPool<Framing: StreamFraming> {
    /// A shared connection is per server and per TLS settings (nil for cleartext).
    struct Key: Hashable {
        let server: SocketAddress
        let tls: TLSSettings?
        /// Where the connection is made from, when not the pool's ``options``.
        var source: ExchangeOptions.Source? = nil
    }

    private let loop: PollLoop
    private let makeFraming: (Key) -> Framing
    private let tlsSetup: (Key) throws(TransportError) -> TLSClientSetup?
    var options = SocketOptions()
    /// How long a connection stays open without outstanding requests; a change applies to
    /// every open connection.
    var idleTimeout: Duration {
        didSet { for connection in all { connection.idleTimeout = idleTimeout } }
    }

    /// A request finished on `connection` (answered, or failed on its own).
    var onResponse: (UInt64, Result<Framing.Response, TransportError>, StreamConnection<Framing>) -> Void = { _, _, _ in }
    /// A request's answer grew without finishing.
    var onProgress: (UInt64) -> Void = { _ in }
    /// A connection died; the handles were waiting on it.
    var onFailure: (TransportError, [UInt64]) -> Void = { _, _ in }
    var log: (() -> String) -> Void = { _ in }

    private var shared: [Key: StreamConnection<Framing>] = [:]
    /// The shared connection used last, found without hashing the key (TLS settings hash slowly).
    private var last: (key: Key, connection: StreamConnection<Framing>)?
    private var retiring: [ObjectIdentifier: StreamConnection<Framing>] = [:]
    private var dedicated: [ObjectIdentifier: StreamConnection<Framing>] = [:]

    /// - Parameters:
    ///   - makeFraming: a new framing for a connection to the key's server.
    ///   - tlsSetup: what a connection to the key's server needs to speak TLS (nil: cleartext).
    init(
        loop: PollLoop, idleTimeout: Duration, makeFraming: @escaping (Key) -> Framing,
        tlsSetup: @escaping (Key) throws(TransportError) -> TLSClientSetup?
    ) {
        self.loop = loop
        self.idleTimeout = idleTimeout
        self.makeFraming = makeFraming
        self.tlsSetup = tlsSetup
    }

    private var all: [StreamConnection<Framing>] { Array(shared.values) + Array(retiring.values) + Array(dedicated.values) }

    /// The shared connection for `key`, if one is open or opening.
    func existing(for key: Key) -> StreamConnection<Framing>? {
        if let last, last.key == key { return last.connection }
        guard let connection = shared[key] else { return nil }
        last = (key, connection)
        return connection
    }

    /// The shared connection for `key`; one that takes no more requests is set aside to
    /// finish its answers, and a new one takes its place.
    func connection(for key: Key) throws(TransportError) -> StreamConnection<Framing> {
        if let existing = existing(for: key) {
            if existing.acceptsRequests { return existing }
            retiring[ObjectIdentifier(existing)] = existing
        }
        let connection = try make(key)
        connection.onRetired = { [unowned self, unowned connection] in
            self.retiring[ObjectIdentifier(connection)] = nil
            if self.shared[key] === connection { self.forgetShared(key) }
        }
        shared[key] = connection
        last = (key, connection)
        return connection
    }

    /// A connection to `key`'s server for one exchange alone; ``release(_:)`` closes it.
    func dedicatedConnection(for key: Key) throws(TransportError) -> StreamConnection<Framing> {
        let connection = try make(key)
        dedicated[ObjectIdentifier(connection)] = connection
        connection.onRetired = { [unowned self, unowned connection] in self.release(connection) }
        return connection
    }

    /// Closes a dedicated connection (its exchange finished).
    func release(_ connection: StreamConnection<Framing>) {
        guard dedicated.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
        connection.close()
    }

    /// Closes every connection; requests still waiting on them run into their deadlines.
    func closeAll() {
        for connection in all { connection.close() }
        shared.removeAll()
        last = nil
        retiring.removeAll()
        dedicated.removeAll()
    }

    private func forgetShared(_ key: Key) {
        shared[key] = nil
        if last?.key == key { last = nil }
    }

    private func make(_ key: Key) throws(TransportError) -> StreamConnection<Framing> {
        let connection = StreamConnection(
            server: key.server, framing: makeFraming(key), loop: loop, options: key.source?.applied(to: options) ?? options, idleTimeout: idleTimeout,
            tls: try tlsSetup(key))
        connection.onLog = { [unowned self] line in self.log(line) }
        connection.onProgress = { [unowned self] handle in self.onProgress(handle) }
        connection.onResponse = { [unowned self, unowned connection] handle, result in self.onResponse(handle, result, connection) }
        connection.onFailure = { [unowned self] error, lost in self.onFailure(error, lost) }
        return connection
    }
}
