// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "orgbatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orgbatch", targets: ["orgbatch"]),
        .library(name: "OrgBatch", targets: ["OrgBatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // The package's C, headers only: libcurl's headers and typed shims over its variadic calls;
        // Linux's CPU-affinity calls, which Swift's Glibc module leaves out (`--cpus`).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(name: "CSched"),
        // Pure AWS Signature Version 4: no I/O, the clock is a parameter.
        .target(
            name: "SigV4",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The library: credentials, endpoints, service clients, errors. Never imports libcurl.
        .target(
            name: "OrgBatch",
            dependencies: [
                "CSched", "SigV4", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The libcurl implementation of OrgBatch's Transport protocol.
        .target(
            name: "OrgBatchCurl",
            dependencies: ["CCurl", "OrgBatch", "SigV4"]
        ),
        // The command line: parses flags, wires CurlTransport into the library, maps exit codes.
        .executableTarget(
            name: "orgbatch",
            dependencies: [
                "OrgBatch",
                "OrgBatchCurl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SigV4Tests",
            dependencies: ["SigV4"],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "OrgBatchTests",
            dependencies: ["OrgBatch", "SigV4"],
            resources: [.copy("Data")]
        ),
        .testTarget(
            name: "OrgBatchCurlTests",
            dependencies: ["OrgBatchCurl", "OrgBatch"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["OrgBatch", "OrgBatchCurl"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
