// swift-tools-version:6.1
// Builds the seed corpora in ../Corpus. A package of its own so that it is built without
// the fuzzing flags (a libFuzzer link would replace its main). See ../README.md.
import PackageDescription

let package = Package(
    name: "FuzzSeeds",
    dependencies: [
        .package(name: "swift-dns-component", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "MakeSeeds",
            dependencies: [.product(name: "DNSWire", package: "swift-dns-component")]
        ),
        .executableTarget(
            name: "MakeTransportSeeds",
            dependencies: [.product(name: "DNSWire", package: "swift-dns-component")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
