// SPDX-License-Identifier: Apache-2.0
// What a stream connection carries: the protocol between its octets and its requests.

/// The application protocol of a ``StreamConnection``: turns requests into octets and
/// octets into answers, keeping track of which request (by the engine's handle) is waiting.
/// Sans-I/O: the connection moves the octets.
protocol StreamFraming: AnyObject {
    associatedtype Request
    associatedtype Response

    /// Whether nothing is queued or waiting for an answer.
    var isIdle: Bool { get }
    /// Whether received octets end inside a message: after a timeout this means the stream
    /// may be out of step (a length that was never honoured), so the connection is dropped.
    var holdsPartialMessage: Bool { get }
    /// Whether the connection may take new requests (false once the server said it will
    /// take no more, e.g. HTTP/2 GOAWAY).
    var acceptsRequests: Bool { get }
    /// Receives log lines, built only when the receiver evaluates them.
    var log: (() -> String) -> Void { get set }
    /// Told, during ``consume(_:)``, which request's answer grew without finishing: octets
    /// of its own response (not ones the framing ignores, nor interim HTTP responses).
    /// Inactivity deadlines move on only for these.
    var onProgress: (UInt64) -> Void { get set }

    /// The connection is ready for octets: TCP is up, and TLS is past its handshake with
    /// `applicationProtocol` chosen by ALPN (nil when none was, or without TLS).
    func connectionReady(applicationProtocol: String?) throws(TransportError)
    /// Queues `request`, answered later under `handle`.
    func enqueue(_ request: Request, for handle: UInt64) throws(TransportError)
    /// Stops waiting for `handle` (answered elsewhere, cancelled or timed out).
    func forget(_ handle: UInt64)
    /// Appends the octets ready to send (only called once the connection is ready); returns
    /// the requests that finished meanwhile (e.g. an HTTP/2 stream closed as it was reset).
    func produce(into output: inout [UInt8]) throws(TransportError) -> [(UInt64, Result<Response, TransportError>)]
    /// Consumes received octets; returns the requests that finished, in order.
    func consume(_ octets: ArraySlice<UInt8>) throws(TransportError) -> [(UInt64, Result<Response, TransportError>)]
    /// Every handle still queued or waiting, which the framing then forgets.
    func takeWaiting() -> [UInt64]
    /// The connection closed: drop every state of it, ready for a new connection.
    func reset()
}
