// swift-tools-version:6.1
// libFuzzer harnesses for DNSWire and DNSTransport, in the layout of swift-protobuf's FuzzTesting/.
// A separate package so the fuzzing flags never touch the main build; see README.md.
// The transport targets use `@testable import DNSTransport`: build with `-Xswiftc -enable-testing`.
import PackageDescription

let dnsWire: Target.Dependency = .product(name: "DNSWire", package: "swift-dns-component")
let dnsTransport: Target.Dependency = .product(name: "DNSTransport", package: "swift-dns-component")

let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(name: "swift-dns-component", path: "..")
    ],
    targets: [
        .target(name: "FuzzCommon", dependencies: [dnsWire]),
        .target(name: "FuzzTransportCommon", dependencies: [dnsWire, dnsTransport]),
        .executableTarget(name: "FuzzMessage", dependencies: [dnsWire, "FuzzCommon"]),
        .executableTarget(name: "FuzzPresentation", dependencies: [dnsWire, "FuzzCommon"]),
        .executableTarget(name: "FuzzName", dependencies: [dnsWire, "FuzzCommon"]),
        .executableTarget(name: "FuzzHTTP1", dependencies: [dnsWire, dnsTransport, "FuzzCommon", "FuzzTransportCommon"]),
        .executableTarget(name: "FuzzHTTP2", dependencies: [dnsWire, dnsTransport, "FuzzCommon", "FuzzTransportCommon"]),
        .executableTarget(name: "FuzzStreamFraming", dependencies: [dnsWire, dnsTransport, "FuzzCommon"]),
        .executableTarget(name: "FuzzDoHJSON", dependencies: [dnsWire, dnsTransport, "FuzzCommon"]),
        .executableTarget(name: "FuzzExchange", dependencies: [dnsWire, dnsTransport, "FuzzCommon"]),
        .executableTarget(name: "FuzzTransfer", dependencies: [dnsWire, "FuzzCommon"]),
    ],
    swiftLanguageModes: [.v6]
)
