// SPDX-License-Identifier: Apache-2.0
// A non-blocking socket that owns its descriptor.

internal import Glibc

/// Socket settings the component's config exposes (IPWorks' UDP and socket settings).
public struct SocketOptions: Hashable, Sendable {
    /// Local address to bind to ("" for any).
    public var localHost = ""
    /// Local port to bind to (0 for an ephemeral, randomly chosen port).
    public var localPort: UInt16 = 0
    /// SO_RCVBUF / SO_SNDBUF in bytes (nil: the system default).
    public var receiveBufferSize: Int? = nil
    public var sendBufferSize: Int? = nil
    /// Sets the IP Don't Fragment flag on UDP datagrams.
    public var dontFragment = false
    /// SO_REUSEADDR and SO_REUSEPORT, so several sockets can bind the same local port.
    public var shareLocalPort = false
    /// Connect UDP sockets to the server, so the kernel drops datagrams from anywhere else
    /// (IPWorks' `UseConnection`). Unconnected sockets check each datagram's source instead.
    public var connectUDP = true

    public init() {}
}

/// A non-blocking, close-on-exec socket. The descriptor is closed when the value is released.
final class Socket {
    let fd: Int32

    init(family: Int32, type: Int32, options: SocketOptions) throws(TransportError) {
        fd = Glibc.socket(family, type | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TransportError.system("socket") }
        // Every stored property is set, so if this throws, deinit runs and closes the descriptor:
        // closing it here too would close whatever another thread had opened under its number.
        try apply(options, family: family, type: type)
    }

    deinit { if fd >= 0 { close(fd) } }

    private func apply(_ options: SocketOptions, family: Int32, type: Int32) throws(TransportError) {
        // DNS messages are small and complete: send them now rather than waiting on ACKs (Nagle).
        if type == Int32(SOCK_STREAM.rawValue) { try set(Int32(IPPROTO_TCP), TCP_NODELAY, 1) }
        if options.shareLocalPort {
            try set(SOL_SOCKET, SO_REUSEADDR, 1)
            try set(SOL_SOCKET, SO_REUSEPORT, 1)
        }
        if let size = options.receiveBufferSize { try set(SOL_SOCKET, SO_RCVBUF, Int32(clamping: size)) }
        if let size = options.sendBufferSize { try set(SOL_SOCKET, SO_SNDBUF, Int32(clamping: size)) }
        if options.dontFragment, type == Int32(SOCK_DGRAM.rawValue) {
            if family == AF_INET {
                try set(Int32(IPPROTO_IP), IP_MTU_DISCOVER, IP_PMTUDISC_DO)
            } else {
                try set(Int32(IPPROTO_IPV6), IPV6_DONTFRAG, 1)
            }
        }
        if !options.localHost.isEmpty || options.localPort != 0 {
            let host = options.localHost.isEmpty ? (family == AF_INET ? "0.0.0.0" : "::") : options.localHost
            guard let local = SocketAddress(address: host, port: options.localPort), local.family == family else {
                throw TransportError(.badAddress, "local host \(host) is not an address of the server's family")
            }
            let status = local.withSockAddr { Glibc.bind(fd, $0, $1) }
            guard status == 0 else { throw TransportError.system("bind \(local)") }
        }
    }

    private func set(_ level: Int32, _ name: Int32, _ value: Int32) throws(TransportError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw TransportError.system("setsockopt \(name)")
        }
    }

    /// Starts connecting; true when already connected, false while in progress.
    func connect(to address: SocketAddress) throws(TransportError) -> Bool {
        let status = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if status == 0 { return true }
        guard errno == EINPROGRESS else { throw TransportError.system("connect \(address)") }
        return false
    }

    /// The pending error of a non-blocking connect (0 when it succeeded).
    func pendingError() -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length)
        return value
    }

    /// Sends what it can, to `destination` on an unconnected socket; nil when the socket would block.
    func send(_ bytes: ArraySlice<UInt8>, to destination: SocketAddress? = nil) throws(TransportError) -> Int? {
        let sent = bytes.withUnsafeBytes { raw in
            guard let destination else { return Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL)) }
            return destination.withSockAddr { sendto(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL), $0, $1) }
        }
        if sent >= 0 { return sent }
        if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
        throw Self.failure("send")
    }

    /// Receives into `buffer`; nil when nothing is ready, 0 at end of stream.
    func receive(into buffer: inout [UInt8]) throws(TransportError) -> (count: Int, from: SocketAddress?)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length) }
            }
        }
        if count >= 0 {
            let from =
                length > 0 ? withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0) } } : nil
            return (count, from)
        }
        if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
        throw Self.failure("recv")
    }

    /// The error for a failed send or receive: a connection the peer reset (or a write after
    /// its close) is ``TransportError/Code/connectionClosed``, as a clean close is.
    static func failure(_ call: String) -> TransportError {
        let number = errno
        guard number == ECONNRESET || number == EPIPE else { return .system(call, errno: number) }
        return TransportError(.connectionClosed, errno: number, "\(call): \(String(cString: strerror(number)))")
    }

    /// The local address the socket is bound to.
    var localAddress: SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 ? SocketAddress($0) : nil }
        }
    }
}
