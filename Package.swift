// swift-tools-version:6.2
import PackageDescription

/// streamplan: a declarative reconciler for AIOZ Stream.
///
/// Targets follow the pipeline (see docs/design.md): YAML nodes → manifest model → plan → apply,
/// with the AIOZ HTTP client and the emulator (sandbox) beside them. Lower stages never import
/// higher ones: `Manifest` knows nothing of HTTP.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // The project's own code builds without a warning; a new one fails the build (and so CI).
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "streamplan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "streamplan", targets: ["streamplan"]),
        .library(name: "Manifest", targets: ["Manifest"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // libyaml from the system (Debian: libyaml-dev).
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // libyaml events → a node tree in which every node keeps file:line:column.
        .target(name: "YAMLNodes", dependencies: ["CYAML"], swiftSettings: swiftSettings),
        // Durations and picture sizes read natively from MP4/MOV/M4V and WebM/Matroska indexes. No dependencies.
        .target(name: "MediaInfo", swiftSettings: swiftSettings),
        // The typed manifest: decoding from nodes, defaults, validation, diagnostics. No HTTP.
        .target(name: "Manifest", dependencies: ["YAMLNodes", "MediaInfo"], swiftSettings: swiftSettings),
        // The provider protocol: the only door between the engine and a remote API, with the neutral
        // types it speaks (observed objects without secrets, requests, upload sessions).
        .target(
            name: "Providers", dependencies: ["Manifest", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings),
        // The engine's pure half: addresses, kinds' planners (desired × observed → changes), the typed
        // plan, fingerprints, saved plans and the renderers. No I/O.
        .target(
            name: "Planning",
            dependencies: ["Manifest", "Providers", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The AIOZ Stream HTTP client: requests, envelopes, errors, paging, uploads.
        .target(
            name: "AIOZ",
            dependencies: [
                "Manifest", "Providers",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The second adapter: Aionvision's presigned chunked video upload and its file calls.
        .target(
            name: "Aionvision",
            dependencies: [
                "Manifest", "Providers",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The engine's effectful half: observes through a provider and executes plans (the Applier, kinds'
        // executors, hashing, the upload journal, progress, the lock). Knows no vendor.
        .target(
            name: "Apply",
            dependencies: [
                "Manifest", "MediaInfo", "Planning", "Providers",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The AIOZ Stream emulator (Hummingbird), usable in-process and as `streamplan sandbox`.
        .target(
            name: "Sandbox",
            dependencies: [
                "MediaInfo",
                // WebhookURL.masked: the page shows webhook URLs as plans do, credentials masked.
                "Manifest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command-line tool: commands only; the work is in the libraries.
        .executableTarget(
            name: "streamplan",
            dependencies: [
                "Manifest", "Providers", "Planning", "AIOZ", "Aionvision", "Apply", "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmark driver for docs/benchmarks.md: times load + validate of large manifests.
        .executableTarget(name: "manifest-bench", dependencies: ["Manifest"], swiftSettings: swiftSettings),
        // Seeded mutation fuzzer of the manifest loader, for the reliability suite (docs/reliability.md).
        .executableTarget(name: "manifest-fuzz", dependencies: ["Manifest"], swiftSettings: swiftSettings),
        // Shared by the test targets: running python3 and scripts/ from the repository.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        // A fake of the provider protocol in memory, for the engine's tests without HTTP.
        .target(
            name: "ProviderTesting",
            dependencies: ["Providers", "Manifest", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/ProviderTesting",
            swiftSettings: swiftSettings
        ),
        // The one harness for tests that need the emulator: a sandbox on a free port with a client,
        // a provider, a raw API client (admin switches included) and temporary workspaces.
        .target(
            name: "SandboxTesting",
            dependencies: [
                "Sandbox", "AIOZ", "Providers", "Manifest", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            path: "Tests/SandboxTesting",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "YAMLNodesTests", dependencies: ["YAMLNodes"], swiftSettings: swiftSettings),
        .testTarget(name: "MediaInfoTests", dependencies: ["MediaInfo", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ManifestTests",
            dependencies: ["Manifest", "TestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PlanningTests", dependencies: ["Planning", "Providers", "Manifest", "TestSupport"],
            resources: [.copy("Golden")], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: [
                "Sandbox", "SandboxTesting", "TestSupport", "AIOZ", "Manifest",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ApplyTests",
            dependencies: [
                "Apply", "Sandbox", "SandboxTesting", "ProviderTesting", "TestSupport", "Providers", "AIOZ", "Planning",
                "Manifest",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AIOZTests",
            dependencies: [
                "AIOZ", "Sandbox", "SandboxTesting", "Providers", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AionvisionTests",
            dependencies: [
                "Aionvision", "Sandbox", "SandboxTesting", "Providers", "Manifest", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "streamplan", "Sandbox", "AIOZ", "Apply", "TestSupport", "SandboxTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
