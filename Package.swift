// swift-tools-version: 6.0
// Capstan: a data-integration toolkit. See README.md for the module map.
import PackageDescription

let package = Package(
    name: "Capstan",
    // Synchronization's Mutex and Atomic need macOS 15.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "FlowCapture", targets: ["FlowCapture"]),
        .library(name: "JSONSchema", targets: ["JSONSchema"]),
        .executable(name: "source-redshift-batch", targets: ["SourceRedshiftBatch"]),
        .executable(name: "capstan", targets: ["Capstan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Only IngestServer (and so capstan) builds on these: Hummingbird's first build takes minutes.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // C libraries from Debian, wrapped as system-library targets.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CLibSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),

        // Libraries, leaves first.
        .target(name: "JSON"),
        // The one blocking queue: every wait of one thread for another (Mutex and Atomic do the rest).
        .target(name: "Concurrency"),
        .target(name: "FlowCapture", dependencies: ["JSON", .product(name: "Logging", package: "swift-log")]),
        .target(name: "GoTemplate"),
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "JSONSchema", dependencies: ["JSON"]),
        .target(name: "SSHTunnel", dependencies: ["CLibSSH2", "Concurrency", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "RedshiftBatch",
            dependencies: ["JSON", "Concurrency", "FlowCapture", "GoTemplate", "Postgres", "SSHTunnel", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Catalog", dependencies: ["JSON", "JSONSchema", "Yams"]),
        .target(name: "CFileSync"),
        .target(name: "CollectionStore", dependencies: ["JSON", "CFileSync"]),
        .target(name: "PostgresStore", dependencies: ["CollectionStore", "Postgres", "JSON", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "CaptureRuntime",
            dependencies: ["JSON", "Concurrency", "FlowCapture", "JSONSchema", "Catalog", "CollectionStore", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "AirbyteCapture",
            dependencies: ["JSON", "FlowCapture", "Catalog", "CaptureRuntime", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "IngestServer",
            dependencies: [
                "JSON", "Concurrency", "JSONSchema", "Catalog", "CollectionStore", "CaptureRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Executables: thin mains.
        .executableTarget(
            name: "SourceRedshiftBatch",
            dependencies: ["RedshiftBatch"]
        ),
        .executableTarget(
            name: "Capstan",
            dependencies: [
                "JSON", "FlowCapture", "JSONSchema", "Catalog", "CollectionStore", "PostgresStore", "CaptureRuntime", "AirbyteCapture",
                "IngestServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks run by scripts/bench (release builds only).
        .executableTarget(name: "CapstanBench", dependencies: ["JSON", "JSONSchema", "FlowCapture", "RedshiftBatch"]),

        // Test support (in Tests/, not products): what every test target shares, one copy each. CapstanTestSupport
        // builds on Foundation, XCTest and Postgres only, so no test target pays for Hummingbird through it.
        .target(name: "CapstanTestSupport", dependencies: ["Postgres"], path: "Tests/CapstanTestSupport"),
        .target(name: "StoreTestSupport", dependencies: ["CollectionStore", "JSON"], path: "Tests/StoreTestSupport"),

        // Tests mirror Sources/ module by module.
        .testTarget(name: "JSONTests", dependencies: ["JSON", "CapstanTestSupport"]),
        .testTarget(name: "ConcurrencyTests", dependencies: ["Concurrency"]),
        .testTarget(name: "FlowCaptureTests", dependencies: ["FlowCapture", "JSON", "JSONSchema", "CapstanTestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "GoTemplateTests", dependencies: ["GoTemplate"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "CapstanTestSupport"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "JSON", "CapstanTestSupport"]),
        .testTarget(name: "RedshiftBatchTests", dependencies: ["RedshiftBatch", "FlowCapture", "JSON", "Postgres", "CapstanTestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "CapstanTests", dependencies: ["JSON", "CapstanTestSupport"], exclude: ["Connectors"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "JSON", "JSONSchema", "CapstanTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "CollectionStoreTests", dependencies: ["CollectionStore", "JSON", "StoreTestSupport"]),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: ["PostgresStore", "CollectionStore", "Postgres", "JSON", "CaptureRuntime", "FlowCapture", "JSONSchema",
                           "CapstanTestSupport", "StoreTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "CaptureRuntimeTests", dependencies: ["CaptureRuntime", "Catalog", "CollectionStore", "FlowCapture", "JSON", "JSONSchema", "CapstanTestSupport"], exclude: ["Connectors"]),
        .testTarget(name: "AirbyteCaptureTests", dependencies: ["AirbyteCapture", "CaptureRuntime", "Catalog", "CollectionStore", "FlowCapture", "JSON"]),
        .testTarget(
            name: "IngestServerTests",
            dependencies: ["IngestServer", "Catalog", "CollectionStore", "CaptureRuntime", "JSON", "CapstanTestSupport"]
        ),
        .testTarget(name: "SSHTunnelTests", dependencies: ["SSHTunnel", "CLibSSH2", "CapstanTestSupport"]),
        .testTarget(name: "CLibPQTests", dependencies: ["CLibPQ"]),
        .testTarget(name: "CLibSSH2Tests", dependencies: ["CLibSSH2"]),
        .testTarget(name: "CFileSyncTests", dependencies: ["CFileSync"]),
    ]
)
