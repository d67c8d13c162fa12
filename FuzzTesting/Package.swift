// swift-tools-version:6.1
// libFuzzer harnesses for DNSWire, in the layout of swift-protobuf's FuzzTesting/.
// A separate package so the fuzzing flags never touch the main build; see README.md.
import PackageDescription

let dnsWire: Target.Dependency = .product(name: "DNSWire", package: "swift-dns-component")

let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(name: "swift-dns-component", path: "..")
    ],
    targets: [
        .target(name: "FuzzCommon", dependencies: [dnsWire]),
        .executableTarget(name: "FuzzMessage", dependencies: [dnsWire, "FuzzCommon"]),
        .executableTarget(name: "FuzzPresentation", dependencies: [dnsWire, "FuzzCommon"]),
        .executableTarget(name: "FuzzName", dependencies: [dnsWire, "FuzzCommon"]),
    ],
    swiftLanguageModes: [.v6]
)
