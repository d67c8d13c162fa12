// SPDX-License-Identifier: Apache-2.0
// Config settings: the one table of every setting, with its parser and documentation.

import DNSTransport
import DNSWire

/// The values of every config setting, with their defaults.
struct Settings {
    // DNS (IPWorks)
    var dohMethod = 0
    var responseTruncated = false
    var useIDNs = false
    // UDP and socket (IPWorks)
    var delayHostResolution = false
    var dontFragment = false
    var localPort: UInt16 = 0
    var maxPacketSize = 65_535
    var shareLocalPort = false
    var useConnection = true
    var useIPv6 = false
    var absoluteTimeout = false
    var inBufferSize: Int? = nil
    var outBufferSize: Int? = nil
    // Base (IPWorks)
    var codePage = CodePage.utf8
    var logLevel = 1
    var maskSensitive = true
    var processIdleEvents = false
    var selectWaitMillis = 20
    // Extensions
    var connectionMode = ConnectionMode.auto
    var dnsProtocolLogEnabled = false
    var dnsProtocolLog = ""
    var ednsPayloadSize = 1232
    var dnssecOK = false
    var dnsCookies = true
    var retransmitIntervalMilliseconds = 1000
    var retransmissions = 3
    var tcpIdleTimeoutMilliseconds = 10_000
    var asyncQueryTimeout = 60
    var busyWaitMicroseconds = 100
    var udpMaxQueries = 1
    // TSIG and zone transfers
    var tsigKey: TSIGKey?
    var tsigKeyFile = ""
    var tsigFudge = 300
    var ixfrSerial: UInt32 = 0
    var ixfrFallbackToAXFR = true
    var maxTransferRecords = 10_000_000
    var transferTimeout = 0
    // TLS (DNS over TLS)
    var tls = TLSSettings()
    var sslSessionResumed = false
    // DNS over DTLS (its `tls` is ``tls``, filled in when a route is worked out)
    var dtls = DTLSSettings()
    // The response cache (off while `cache.maxEntries` is 0)
    var cache = CacheSettings()
    // DNSSEC validation (its anchors: the root's KSKs, or TrustAnchorFile's)
    var dnssecValidation = false
    var dnssec = DNSSECSettings()
    var trustAnchorFile = ""
    var negativeTrustAnchors = ""
    // DNS over HTTPS
    var dohBootstrapAddress = ""
    var dohUserAgent = "swift-dns-component/\(DNSComponent.version)"
}

/// One config setting: how to read it, how to set it (nil: read-only) and what it means.
struct ConfigSetting: Sendable {
    let name: String
    let summary: String
    let get: @Sendable (DNSComponent) -> String
    let set: (@Sendable (DNSComponent, String) throws -> Void)?
}

extension DNSComponent {
    /// Sets a setting with `"Name=Value"` or reads one with `"Name"`; names are not case-sensitive.
    ///
    /// Booleans accept True/False, 1/0 and Yes/No in any case.
    /// - Returns: the setting's value as text ("" after setting).
    /// - Throws: 10022 for an unknown name, a read-only setting, or a bad value.
    @discardableResult
    public func config(_ configurationString: String) throws -> String {
        let parts = configurationString.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].trimmingSpaces
        guard let setting = Self.settingsTable.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw ErrorCode.error(ErrorCode.invalidArgument, "Unknown config setting \"\(name)\".")
        }
        guard parts.count == 2 else { return setting.get(self) }
        guard let set = setting.set else { throw ErrorCode.error(ErrorCode.invalidArgument, "\(setting.name) is read-only.") }
        try set(self, parts[1].trimmingSpaces)
        applySettings()
        return ""
    }

    /// Every setting's name and summary, in table order (for documentation and samples).
    public static var configSettings: [(name: String, summary: String)] { settingsTable.map { ($0.name, $0.summary) } }

    // MARK: The table

    static let settingsTable: [ConfigSetting] = [
        // DNS settings of IPWorks
        integer("DoHMethod", "DNS over HTTPS method: 0 POST wire format, 1 GET wire format, 2 GET JSON.", 0...2, \.dohMethod),
        ConfigSetting(
            name: "ResponseTruncated", summary: "Read-only: whether the last response had the TC bit set.",
            get: { boolText($0.settings.responseTruncated) }, set: nil),
        windowsOnly("UseDNSAPIDLL", "Windows only: use dnsapi.dll. Always False here.", "False"),
        boolean("UseIDNs", "Convert non-ASCII domain names to IDNA A-labels (libidn2, UTS #46).", \.useIDNs),
        // UDP settings of IPWorks
        windowsOnly("CaptureIPPacketInfo", "Windows only: capture IP packet information. Always False here.", "False"),
        boolean("DelayHostResolution", "Accepted for compatibility; the server name is resolved at each query.", \.delayHostResolution),
        windowsOnly("DestinationAddress", "Windows only: destination address of captured packets. Always empty here.", ""),
        boolean("DontFragment", "Set the IP Don't Fragment flag on UDP queries.", \.dontFragment),
        ConfigSetting(
            name: "LocalHost", summary: "Local address to send from (also the LocalHost property).",
            get: { $0.localHost }, set: { component, value in component.localHost = value }),
        ConfigSetting(
            name: "LocalPort", summary: "Local port to bind (0: a random ephemeral port per query, the secure default).",
            get: { String($0.settings.localPort) },
            set: { component, value in component.settings.localPort = UInt16(try parseInteger(value, "LocalPort", 0...65_535)) }),
        integer("MaxPacketSize", "Largest UDP datagram accepted, in octets.", 512...65_535, \.maxPacketSize),
        windowsOnly("QOSDSCPValue", "Windows only: QoS DSCP value. Always 0 here.", "0"),
        windowsOnly("QOSTrafficType", "Windows only: QoS traffic type. Always 0 here.", "0"),
        boolean("ShareLocalPort", "Let several sockets bind the same LocalPort (SO_REUSEADDR, SO_REUSEPORT).", \.shareLocalPort),
        windowsOnly("SourceIPAddress", "Windows only (winpcap): override the source address. Always empty here.", ""),
        windowsOnly("SourceMacAddress", "Windows only (winpcap): override the source MAC. Always empty here.", ""),
        boolean("UseConnection", "Connect UDP sockets so the kernel drops datagrams from other sources (default True).", \.useConnection),
        boolean("UseIPv6", "Resolve a DNSServer host name to IPv6 addresses only.", \.useIPv6),
        // Socket settings of IPWorks
        boolean(
            "AbsoluteTimeout",
            "Timeout counts from the start; by default the answer's own octets over TCP, TLS or HTTPS extend it, never past twice the timeout (UDP deadlines stay absolute, also after a fallback to TCP).",
            \.absoluteTimeout),
        windowsOnly("FirewallData", "Firewall tunnelling is not supported. Always empty here.", ""),
        optionalInteger("InBufferSize", "Socket receive buffer (SO_RCVBUF) in octets; empty for the system default.", \.inBufferSize),
        optionalInteger("OutBufferSize", "Socket send buffer (SO_SNDBUF) in octets; empty for the system default.", \.outBufferSize),
        // Base settings of IPWorks
        ConfigSetting(
            name: "BuildInfo", summary: "Read-only: the package and toolchain this build came from.",
            get: { _ in "swift-dns-component \(DNSComponent.version); Swift 6; libidn2, OpenSSL, libnghttp2" }, set: nil),
        ConfigSetting(
            name: "CodePage",
            summary: "Code page for domain text and character-string values: 65001 (UTF-8, default) or one of the 16 others listed under CodePage.",
            get: { String($0.settings.codePage.identifier) },
            set: { component, value in component.settings.codePage = try CodePage(try parseInteger(value, "CodePage", 0...65_535)) }),
        ConfigSetting(
            name: "LicenseInfo", summary: "Read-only: licensing information.",
            get: { _ in "Open source (Apache-2.0); no license key needed." }, set: nil),
        integer("LogLevel", "Log event verbosity: 0 none, 1 info (default), 2 verbose, 3 debug.", 0...3, \.logLevel),
        boolean("MaskSensitive", "Mask secrets (TSIG keys) in log messages.", \.maskSensitive),
        boolean("ProcessIdleEvents", "Accepted for compatibility; events are processed only in Query and DoEvents.", \.processIdleEvents),
        integer("SelectWaitMillis", "Milliseconds DoEvents waits when queries are outstanding and nothing is ready.", 0...60_000, \.selectWaitMillis),
        windowsOnly("UseInternalSecurityAPI", "TLS always uses the system OpenSSL here. Always True.", "True"),
        // Extensions of this package
        ConfigSetting(
            name: "ConnectionMode", summary: "UDP protocol only: 0 UDP then TCP on truncation (default), 1 UDP only, 2 TCP only.",
            get: { String($0.settings.connectionMode.rawValue) },
            set: { component, value in
                component.settings.connectionMode = ConnectionMode(rawValue: try parseInteger(value, "ConnectionMode", 0...2))!
            }),
        ConfigSetting(
            name: "DNSProtocolLog", summary: "Set True before Query; read it after for an nslookup-style account of the response.",
            get: { $0.settings.dnsProtocolLogEnabled ? $0.settings.dnsProtocolLog : "" },
            set: { component, value in
                component.settings.dnsProtocolLogEnabled = try parseBoolean(value, "DNSProtocolLog")
                component.settings.dnsProtocolLog = ""
            }),
        integer("EDNSPayloadSize", "EDNS(0) UDP payload size sent in queries (default 1232); 0 sends no OPT record.", 0...65_535, \.ednsPayloadSize),
        boolean("DNSSECOK", "Set the EDNS DO bit (ask for DNSSEC records).", \.dnssecOK),
        boolean(
            "DNSCookies",
            "DNS cookies (RFC 7873) over UDP and TCP: send a client cookie per server and echo its server cookie; ignore replies with another client cookie; answer BADCOOKIE by one retry, then TCP (default True).",
            \.dnsCookies),
        integer(
            "RetransmitInterval", "Milliseconds before the first UDP retransmission; later ones double.", 10...60_000,
            \.retransmitIntervalMilliseconds),
        integer("Retransmissions", "UDP retransmissions after the first send (default 3).", 0...10, \.retransmissions),
        integer(
            "TCPIdleTimeout", "Milliseconds a TCP connection stays open without queries (default 10000).", 0...3_600_000, \.tcpIdleTimeoutMilliseconds
        ),
        integer("AsyncQueryTimeout", "Seconds an asynchronous query (Timeout 0) may take (default 60).", 1...3600, \.asyncQueryTimeout),
        integer(
            "BusyWaitMicroseconds",
            "Microseconds a wait for answers polls before the thread sleeps (default 100, 0 never): catches a local server's answer without the wake-up delay; stops while answers keep taking longer.",
            0...10_000, \.busyWaitMicroseconds),
        integer(
            "UDPMaxQueries",
            "Queries one UDP socket carries over its life: 1 (default) a fresh socket and random source port each (RFC 5452); N > 1 up to N, several at once, then a new socket and port; 0 no limit. Replies are still checked against source, ID and question.",
            0...1_000_000, \.udpMaxQueries),
        // TSIG and zone transfers
        ConfigSetting(
            name: "TSIGKey",
            summary:
                "TSIG key (RFC 8945) signing every query, update and transfer, in dig's form [hmac-alg:]name:base64secret (dig's default algorithm, hmac-md5, when none is given); every response must verify (else 226). Empty: no TSIG. Read back with the secret masked while MaskSensitive is True.",
            get: { component in
                guard let key = component.settings.tsigKey else { return "" }
                let secret = component.settings.maskSensitive ? "****" : BaseEncoding.base64.encode(key.secret)
                let truncation = key.macSize == key.algorithm.digestSize ? "" : "-\(key.macSize * 8)"
                return "\(key.algorithm)\(truncation):\(key.name):\(secret)"
            },
            set: { component, value in
                guard !value.isEmpty else {
                    component.settings.tsigKey = nil
                    component.settings.tsigKeyFile = ""
                    return
                }
                do throws(TSIGError) {
                    component.settings.tsigKey = try TSIGKey(parsing: value)
                } catch {
                    throw ErrorCode.error(ErrorCode.invalidArgument, "TSIGKey: \(error.message)")
                }
                component.settings.tsigKeyFile = ""
            }),
        ConfigSetting(
            name: "TSIGKeyFile",
            summary: "Path of a BIND key file (key \"name\" { algorithm …; secret \"…\"; };): its first key becomes the TSIGKey; empty drops it.",
            get: { $0.settings.tsigKeyFile },
            set: { component, path in
                guard !path.isEmpty else {
                    if !component.settings.tsigKeyFile.isEmpty { component.settings.tsigKey = nil }
                    component.settings.tsigKeyFile = ""
                    return
                }
                guard let text = try? readTextFile(path) else {
                    throw ErrorCode.error(ErrorCode.invalidArgument, "TSIGKeyFile \"\(path)\" cannot be read.")
                }
                do {
                    guard let key = try TSIGKey.keys(inKeyFile: text).first else {
                        throw ErrorCode.error(ErrorCode.invalidArgument, "TSIGKeyFile \"\(path)\" holds no key.")
                    }
                    component.settings.tsigKey = key
                } catch let error as TSIGError {
                    throw ErrorCode.error(ErrorCode.invalidArgument, "TSIGKeyFile \"\(path)\": \(error.message)")
                }
                component.settings.tsigKeyFile = path
            }),
        integer("TSIGFudge", "Seconds the server's TSIG time may differ from ours (default 300).", 0...65_535, \.tsigFudge),
        ConfigSetting(
            name: "IXFRSerial", summary: "The serial an IXFR query (QueryType 251) says the client has (RFC 1995).",
            get: { String($0.settings.ixfrSerial) },
            set: { component, value in component.settings.ixfrSerial = UInt32(try parseInteger(value, "IXFRSerial", 0...Int(UInt32.max))) }),
        boolean(
            "IXFRFallbackToAXFR", "When a server refuses IXFR or does not support it, transfer the whole zone with AXFR (default True).",
            \.ixfrFallbackToAXFR),
        integer(
            "MaxTransferRecords", "Most records a zone transfer may bring (default 10000000); more fail the transfer with 227.", 1...Int(Int32.max),
            \.maxTransferRecords),
        integer(
            "TransferTimeout",
            "Seconds a whole zone transfer may take (0, the default: no limit); Timeout applies between its messages.", 0...86_400 * 7,
            \.transferTimeout),
        // TLS settings (DNS over TLS)
        text("SSLCAFile", "Extra trust anchors for TLS servers: a PEM file (the system store is always used).", \.tls.caFile),
        text("SSLCADir", "Extra trust anchors for TLS servers: an OpenSSL hashed certificate directory.", \.tls.caDirectory),
        text(
            "SSLServerName",
            "Authentication name checked in the server certificate and sent as SNI (RFC 8310); default: DNSServer when it is a host name, else its IP address is checked.",
            \.tls.serverName),
        ConfigSetting(
            name: "SSLPinnedKeys",
            summary:
                "Comma-separated base64 SHA-256 digests of SubjectPublicKeyInfo (RFC 7858 §4.2): a chain holding one is authenticated without a CA path; a chain matching none fails even if it verifies.",
            get: { $0.settings.tls.pinnedKeys.joined(separator: ",") },
            set: { component, value in
                component.settings.tls.pinnedKeys = value.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            }),
        ConfigSetting(
            name: "SSLMinVersion", summary: "Lowest TLS version accepted: 1.2 (default) or 1.3.",
            get: { $0.settings.tls.minimumVersion.rawValue },
            set: { component, value in
                guard let version = TLSSettings.Version(rawValue: value) else {
                    throw ErrorCode.error(ErrorCode.invalidArgument, "SSLMinVersion needs 1.2 or 1.3, not \"\(value)\".")
                }
                component.settings.tls.minimumVersion = version
            }),
        ConfigSetting(
            name: "SSLSessionResumed", summary: "Read-only: whether the last TLS handshake resumed a session.",
            get: { boolText($0.settings.sslSessionResumed) }, set: nil),
        boolean(
            "SSLResumeSessions",
            "Resume TLS sessions when reconnecting (default True); False makes every connection a full handshake that a server cannot link to earlier ones.",
            \.tls.resumeSessions),
        integer(
            "PaddingBlockSize", "Pad TLS and HTTPS queries with EDNS padding to a multiple of this many octets (RFC 8467; default 128, 0 disables).",
            0...4096, \.tls.paddingBlockSize),
        // DNS over DTLS
        text("SSLPSKIdentity", "DNS over DTLS: the identity sent with SSLPSKKey.", \.dtls.pskIdentity),
        ConfigSetting(
            name: "SSLPSKKey",
            summary:
                "DNS over DTLS: a pre-shared key in hex; when set, the session is authenticated by it alone (PSK cipher suites, no certificate). Read back masked while MaskSensitive is True.",
            get: { component in
                let key = component.settings.dtls.pskKey
                return key.isEmpty ? "" : component.settings.maskSensitive ? "****" : BaseEncoding.hex.encode(key)
            },
            set: { component, value in
                guard let key = BaseEncoding.hex.decode(value), key.count <= 256 else {
                    throw ErrorCode.error(ErrorCode.invalidArgument, "SSLPSKKey needs at most 256 octets in hex, not \"\(value)\".")
                }
                component.settings.dtls.pskKey = key
            }),
        integer(
            "DTLSPayloadSize",
            "DNS over DTLS: the largest UDP payload a record may fill, DTLS overhead included (default 1232); the EDNS payload size advertised is this less 37.",
            512...65_507, \.dtls.payloadSize),
        boolean(
            "DTLSFallbackToTLS",
            "DNS over DTLS: a truncated answer, or a query too large for a record, goes over DNS over TLS to the same server and port number over TCP (RFC 8094 §5; default True).",
            \.dtls.fallbackToTLS),
        // The response cache
        cacheInteger(
            "CacheSize", "Entries the response cache holds (0, the default: no cache; the server is always asked).", 0...10_000_000, \.maxEntries),
        cacheInteger(
            "CacheMaxBytes", "Bytes the response cache may hold (messages as on the wire plus 512 per entry; default 67108864).",
            4096...Int(Int32.max), \.maxBytes),
        cacheSeconds("CacheMaxTTL", "Seconds a cached answer lives at most, whatever its TTL (default 86400).", \.maxTTL),
        cacheSeconds("CacheMinTTL", "Seconds a cached answer lives at least (default 0; a TTL of 0 is never cached).", \.minTTL),
        ConfigSetting(
            name: "ServeStale",
            summary:
                "Answer from expired cache entries (RFC 8767) when a refresh fails or takes longer than StaleAnswerTimeout: TTL 30 and EDE 3 (19 for NXDOMAIN) (default False).",
            get: { boolText($0.settings.cache.serveStale) },
            set: { component, value in component.settings.cache.serveStale = try parseBoolean(value, "ServeStale") }),
        cacheSeconds("StaleMaxAge", "Seconds after expiry a cache entry may still be served stale (default 86400).", \.staleMaxAge),
        ConfigSetting(
            name: "StaleAnswerTimeout",
            summary: "Milliseconds a refresh of an expired entry may take before the stale answer is given (default 1800).",
            get: { component in
                let timeout = component.settings.cache.staleAnswerTimeout.components
                return String(timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000)
            },
            set: { component, value in
                component.settings.cache.staleAnswerTimeout = .milliseconds(try parseInteger(value, "StaleAnswerTimeout", 0...3_600_000))
            }),
        ConfigSetting(
            name: "CacheStatistics",
            summary: "Read-only: hits=…,misses=…,staleHits=…,evictions=…,entries=…,bytes=… of the response cache.",
            get: { ($0.responseCache?.statistics ?? CacheStatistics()).description }, set: nil),
        // DNSSEC validation
        dnssecBoolean(
            "DNSSECValidation",
            "Validate every answer with DNSSEC (RFC 4033-4035, 5155) from the trust anchors: sets DO and CD; dnssecStatus, dnssecReason and dnssecEDE read the verdict; a Bogus answer fails with 228 (default False).",
            \.dnssecValidation),
        ConfigSetting(
            name: "TrustAnchorFile",
            summary:
                "A file of DS or DNSKEY records in zone-file form (as dnssec-dsfromkey prints them; several zones allowed) or BIND trust-anchors blocks, replacing the root's built-in KSKs (20326, 38696). Empty: the built-in ones.",
            get: { $0.settings.trustAnchorFile },
            set: { component, value in
                var anchors = TrustAnchors.root
                if !value.isEmpty {
                    do { anchors = try TrustAnchors(contentsOfFile: value) } catch {
                        throw ErrorCode.error(ErrorCode.invalidArgument, "TrustAnchorFile \(value): \(error)")
                    }
                }
                anchors.negativeAnchors = component.settings.dnssec.anchors.negativeAnchors
                component.settings.dnssec.anchors = anchors
                component.settings.trustAnchorFile = value
                component.validator = nil
            }),
        ConfigSetting(
            name: "NegativeTrustAnchors",
            summary: "Zones whose data is Insecure without validation (RFC 7646), comma-separated.",
            get: { $0.settings.negativeTrustAnchors },
            set: { component, value in
                do { component.settings.dnssec.anchors.negativeAnchors = try TrustAnchors.negativeAnchors(parsing: value) } catch {
                    throw ErrorCode.error(ErrorCode.invalidArgument, "NegativeTrustAnchors: \(error)")
                }
                component.settings.negativeTrustAnchors = value
                component.validator = nil
            }),
        dnssecInteger(
            "DNSSECMaxValidationsPerRRset", "Signature verifications tried for one RRset (default 8; KeyTrap, CVE-2023-50387).", 1...1000,
            \.limits.verificationsPerRRset),
        dnssecInteger(
            "DNSSECMaxValidationsPerResponse",
            "Signature verifications tried for one response (the answer, and each DS or DNSKEY response of its chain, has its own; default 16).",
            1...10_000,
            \.limits.verificationsPerResponse),
        dnssecInteger(
            "DNSSECMaxNSEC3Iterations", "NSEC3 iterations above this make a proof Insecure, EDE 27 (default 150, RFC 9276).", 0...65_535,
            \.limits.nsec3Iterations),
        ConfigSetting(
            name: "DNSSECClockSkew",
            summary:
                "Seconds a signature's validity window is widened by at each end; -1 (default): 10% of the signature's lifetime, clamped to 1-24 hours (as Unbound).",
            get: { $0.settings.dnssec.limits.clockSkew.map(String.init) ?? "-1" },
            set: { component, value in
                let skew = try parseInteger(value, "DNSSECClockSkew", -1...(86_400 * 365))
                component.settings.dnssec.limits.clockSkew = skew < 0 ? nil : UInt32(skew)
                component.validator = nil
            }),
        dnssecBoolean(
            "DNSSECTrustAD",
            "Take the server's AD bit as the verdict instead of validating: only for a validating resolver on this host or behind a channel no one else can write to (default False; the AD bit is otherwise never trusted).",
            \.dnssec.trustAD),
        dnssecBoolean(
            "DNSSECReturnBogus", "Present a Bogus answer's records (dnssecStatus Bogus) instead of failing with 228 (default False).",
            \.dnssec.returnBogus),
        // DNS over HTTPS
        ConfigSetting(
            name: "DoHBootstrapAddress",
            summary:
                "IP address to connect to for DNS over HTTPS instead of resolving the URL's host (which still names the server in TLS and HTTP).",
            get: { $0.settings.dohBootstrapAddress },
            set: { component, value in
                let address = value.trimmingSpaces
                guard address.isEmpty || SocketAddress(address: address, port: 0) != nil else {
                    throw ErrorCode.error(ErrorCode.badAddress, "DoHBootstrapAddress \"\(value)\" is not an IP address.")
                }
                component.settings.dohBootstrapAddress = address
            }),
        ConfigSetting(
            name: "DoHUserAgent",
            summary: "The user-agent header of DNS-over-HTTPS requests (default swift-dns-component/VERSION); control characters are refused.",
            get: { $0.settings.dohUserAgent },
            set: { component, value in
                guard value.unicodeScalars.allSatisfy({ $0 == "\t" || !($0.value < 0x20 || $0.value == 0x7F) }) else {
                    throw ErrorCode.error(ErrorCode.invalidArgument, "DoHUserAgent may not hold control characters (CR, LF, ...).")
                }
                component.settings.dohUserAgent = value
            }),
    ]

    static let version = "0.1.0"

    // MARK: Table helpers

    private static func boolean(_ name: String, _ summary: String, _ key: any WritableKeyPath<Settings, Bool> & Sendable) -> ConfigSetting {
        ConfigSetting(
            name: name, summary: summary, get: { boolText($0.settings[keyPath: key]) },
            set: { component, value in component.settings[keyPath: key] = try parseBoolean(value, name) })
    }

    private static func integer(
        _ name: String, _ summary: String, _ range: ClosedRange<Int>, _ key: any WritableKeyPath<Settings, Int> & Sendable
    ) -> ConfigSetting {
        ConfigSetting(
            name: name, summary: summary, get: { String($0.settings[keyPath: key]) },
            set: { component, value in component.settings[keyPath: key] = try parseInteger(value, name, range) })
    }

    private static func cacheInteger(
        _ name: String, _ summary: String, _ range: ClosedRange<Int>, _ key: any WritableKeyPath<CacheSettings, Int> & Sendable
    ) -> ConfigSetting {
        ConfigSetting(
            name: name, summary: summary, get: { String($0.settings.cache[keyPath: key]) },
            set: { component, value in component.settings.cache[keyPath: key] = try parseInteger(value, name, range) })
    }

    private static func cacheSeconds(_ name: String, _ summary: String, _ key: any WritableKeyPath<CacheSettings, UInt32> & Sendable)
        -> ConfigSetting
    {
        ConfigSetting(
            name: name, summary: summary, get: { String($0.settings.cache[keyPath: key]) },
            set: { component, value in component.settings.cache[keyPath: key] = UInt32(try parseInteger(value, name, 0...86_400 * 365)) })
    }

    /// A DNSSEC setting: the validator is made anew (an empty key cache) at the next query.
    private static func dnssecBoolean(_ name: String, _ summary: String, _ key: any WritableKeyPath<Settings, Bool> & Sendable) -> ConfigSetting {
        ConfigSetting(
            name: name, summary: summary, get: { boolText($0.settings[keyPath: key]) },
            set: { component, value in
                component.settings[keyPath: key] = try parseBoolean(value, name)
                component.validator = nil
            })
    }

    private static func dnssecInteger(
        _ name: String, _ summary: String, _ range: ClosedRange<Int>, _ key: any WritableKeyPath<DNSSECSettings, Int> & Sendable
    ) -> ConfigSetting {
        ConfigSetting(
            name: name, summary: summary, get: { String($0.settings.dnssec[keyPath: key]) },
            set: { component, value in
                component.settings.dnssec[keyPath: key] = try parseInteger(value, name, range)
                component.validator = nil
            })
    }

    private static func text(_ name: String, _ summary: String, _ key: any WritableKeyPath<Settings, String> & Sendable) -> ConfigSetting {
        ConfigSetting(
            name: name, summary: summary, get: { $0.settings[keyPath: key] },
            set: { component, value in component.settings[keyPath: key] = value })
    }

    private static func optionalInteger(_ name: String, _ summary: String, _ key: any WritableKeyPath<Settings, Int?> & Sendable) -> ConfigSetting {
        ConfigSetting(
            name: name, summary: summary, get: { $0.settings[keyPath: key].map(String.init) ?? "" },
            set: { component, value in
                component.settings[keyPath: key] = value.isEmpty ? nil : try parseInteger(value, name, 1...(1 << 30))
            })
    }

    /// A Windows-only setting: reads its fixed value; setting that value is accepted, any other fails.
    private static func windowsOnly(_ name: String, _ summary: String, _ fixed: String) -> ConfigSetting {
        ConfigSetting(
            name: name, summary: summary, get: { _ in fixed },
            set: { _, value in
                let isBoolean = fixed == "True" || fixed == "False"
                let same = value.lowercased() == fixed.lowercased() || isBoolean && (try? parseBoolean(value, name)) == (fixed == "True")
                guard same else { throw ErrorCode.error(ErrorCode.invalidArgument, "\(name) is not supported on this platform.") }
            })
    }
}

private func boolText(_ value: Bool) -> String { value ? "True" : "False" }

/// IPWorks booleans: True/False, 1/0, Yes/No, any case.
private func parseBoolean(_ text: String, _ name: String) throws -> Bool {
    switch text.lowercased() {
    case "true", "1", "yes": return true
    case "false", "0", "no": return false
    default: throw ErrorCode.error(ErrorCode.invalidArgument, "\(name) needs True/False, 1/0 or Yes/No, not \"\(text)\".")
    }
}

private func parseInteger(_ text: String, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
    guard let value = Int(text), range.contains(value) else {
        throw ErrorCode.error(ErrorCode.invalidArgument, "\(name) needs an integer in \(range.lowerBound)-\(range.upperBound), not \"\(text)\".")
    }
    return value
}
