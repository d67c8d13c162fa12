// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-dns-component",
    products: [
        .library(name: "DNSWire", targets: ["DNSWire"]),
        .library(name: "DNSTransport", targets: ["DNSTransport"]),
        .library(name: "DNSComponent", targets: ["DNSComponent"]),
        .library(name: "DNSClient", targets: ["DNSClient"]),
        .executable(name: "dnsbench", targets: ["dnsbench"]),
        .executable(name: "dnsquery", targets: ["dnsquery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2")
    ],
    targets: [
        .systemLibrary(name: "CIDN2", pkgConfig: "libidn2", providers: [.apt(["libidn2-dev"])]),
        .target(name: "DNSWire", dependencies: ["CIDN2", "CDNSOpenSSL"], swiftSettings: strict),
        .systemLibrary(name: "CDNSOpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CDNSNghttp2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .target(name: "CDNSSocket"),
        .target(
            name: "DNSTransport", dependencies: ["DNSWire", "CDNSOpenSSL", "CDNSNghttp2", "CDNSSocket"], exclude: ["README.md"],
            swiftSettings: strict),
        .target(name: "DNSComponent", dependencies: ["DNSWire", "DNSTransport"], swiftSettings: strict),
        .target(
            name: "DNSClient", dependencies: ["DNSWire", "DNSTransport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .executableTarget(name: "dnsquery", dependencies: ["DNSComponent", "DNSWire"], path: "Samples/dnsquery", swiftSettings: strict),
        .executableTarget(name: "async-events", dependencies: ["DNSComponent"], path: "Samples/async-events", swiftSettings: strict),
        .executableTarget(name: "dot-pinning", dependencies: ["DNSComponent"], path: "Samples/dot-pinning", swiftSettings: strict),
        .executableTarget(
            name: "async-client", dependencies: ["DNSClient", "DNSComponent", "DNSTransport", "DNSWire"], path: "Samples/async-client",
            swiftSettings: strict),
        .executableTarget(name: "interrupt", dependencies: ["DNSComponent"], path: "Samples/interrupt", swiftSettings: strict),
        .executableTarget(name: "dodtls-psk", dependencies: ["DNSComponent"], path: "Samples/dodtls-psk", swiftSettings: strict),
        .executableTarget(
            name: "dnssec-check", dependencies: ["DNSClient", "DNSTransport", "DNSWire"], path: "Samples/dnssec-check", swiftSettings: strict),
        .executableTarget(name: "dns-update", dependencies: ["DNSComponent", "DNSWire"], path: "Samples/dns-update", swiftSettings: strict),
        .executableTarget(
            name: "zone-transfer", dependencies: ["DNSComponent", "DNSWire"], path: "Samples/zone-transfer", swiftSettings: strict),
        .target(name: "CAllocCounter", path: "Benchmarks/CAllocCounter"),
        .target(name: "CSoakCounters", dependencies: ["CDNSOpenSSL"], path: "Benchmarks/CSoakCounters"),
        .executableTarget(
            name: "dnsbench",
            dependencies: ["DNSWire", "DNSTransport", "DNSComponent", "DNSClient", "CAllocCounter", "CSoakCounters", "DTLSTestServer"],
            path: "Benchmarks/dnsbench",
            swiftSettings: strict),
        .target(name: "DTLSTestServer", dependencies: ["CDNSOpenSSL", "DNSTransport"], path: "Tests/DTLSTestServer", swiftSettings: strict),
        .target(
            name: "DNSTestSupport", dependencies: ["DNSComponent", "DNSTransport", "DNSWire", "CDNSOpenSSL", "CDNSNghttp2", "DTLSTestServer"],
            path: "Tests/DNSTestSupport",
            swiftSettings: strict),
        .testTarget(
            name: "DNSWireTests", dependencies: ["DNSWire", "DNSTestSupport"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "DNSClientTests", dependencies: ["DNSClient", "DNSWire", "DNSTestSupport"], swiftSettings: strict),
        .testTarget(name: "DNSTransportTests", dependencies: ["DNSTransport", "DNSWire", "DNSTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DNSComponentTests",
            dependencies: ["DNSComponent", "DNSWire", "DNSTestSupport", "CDNSOpenSSL", "CDNSNghttp2", "CSoakCounters", "DTLSTestServer"],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
