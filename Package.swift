// swift-tools-version: 6.1
import PackageDescription

// Layers (see docs/architecture.md): Model <- Replica <- Store <- fieldbook,
// Model <- Catalogs. The server and its NIO stack stay out of these targets so
// the CLI and its core tests build quickly.
let package = Package(
    name: "Fieldbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fieldbook", targets: ["fieldbook"]),
        .executable(name: "fieldbook-server", targets: ["fieldbook-server"]),
        .executable(name: "fieldbook-workbench", targets: ["fieldbook-workbench"]),
        .library(name: "FieldbookModel", targets: ["FieldbookModel"]),
        .library(name: "FieldbookCatalogs", targets: ["FieldbookCatalogs"]),
        .library(name: "FieldbookReplica", targets: ["FieldbookReplica"]),
        .library(name: "FieldbookStore", targets: ["FieldbookStore"]),
        .library(name: "FieldbookSync", targets: ["FieldbookSync"]),
        .library(name: "FieldbookWire", targets: ["FieldbookWire"]),
        .library(name: "FieldbookReports", targets: ["FieldbookReports"]),
        .library(name: "FieldbookPackage", targets: ["FieldbookPackage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    ],
    targets: [
        .target(name: "FieldbookModel"),
        // Yams reads framework and mapping libraries in CISO Assistant's YAML format.
        .target(
            name: "FieldbookCatalogs",
            dependencies: ["FieldbookModel", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources/catalogs")]
        ),
        .target(name: "FieldbookReplica", dependencies: ["FieldbookModel", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "FieldbookStore",
            dependencies: [
                "FieldbookReplica",
                "FieldbookCatalogs",
                "CSQLiteTuning",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // SQLite's process-wide settings, made before the first connection (C: sqlite3_config is variadic).
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "FieldbookWire", dependencies: ["FieldbookModel", "FieldbookReplica"]),
        .target(
            name: "FieldbookSync",
            dependencies: ["FieldbookStore", "FieldbookCatalogs", "FieldbookWire", "CCurl", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // libcurl called directly (the system library): typed wrappers over its variadic setopt.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        // The central endpoint. Hummingbird, NIO, PostgresNIO and the metrics stack stay here, out of every target the CLI needs.
        .target(
            name: "FieldbookServer",
            dependencies: [
                "FieldbookWire",
                "FieldbookReplica",
                "CSQLiteTuning",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // The OpenAPI document served at /v1/openapi.json, committed as written (no generator at build time).
            resources: [.copy("Resources/openapi.json")]
        ),
        .executableTarget(
            name: "fieldbook-server",
            dependencies: [
                "FieldbookServer",
                "FieldbookWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // HTML comes from Mustache templates (resources), so markup and escaping stay out of Swift strings.
        .target(
            name: "FieldbookReports",
            dependencies: [
                "FieldbookStore",
                "FieldbookCatalogs",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Render/Templates")]
        ),
        // The audit file: every report, OSCAL, evidence and signed history in one archive with a signed manifest.
        .target(
            name: "FieldbookPackage",
            dependencies: [
                "FieldbookReports",
                "FieldbookSync",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "fieldbook",
            dependencies: [
                "FieldbookModel",
                "FieldbookCatalogs",
                "FieldbookReplica",
                "FieldbookStore",
                "FieldbookReports",
                "FieldbookSync",
                "FieldbookPackage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The browser workbench (`fieldbook ui` starts it): its own executable, so Hummingbird
        // and NIO stay out of the CLI and every other command starts as quickly as before.
        .target(
            name: "FieldbookWorkbench",
            dependencies: [
                "FieldbookModel", "FieldbookCatalogs", "FieldbookStore", "FieldbookReports", "FieldbookSync", "FieldbookPackage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "fieldbook-workbench",
            dependencies: [
                "FieldbookWorkbench", "FieldbookStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Throughput figures, run by Scripts/bench-*.sh on a release build (never timed in tests).
        .executableTarget(
            name: "fieldbook-bench",
            dependencies: ["FieldbookReplica", "FieldbookStore", "FieldbookSync", "FieldbookWire", "FieldbookReports", "FieldbookCatalogs",
                           .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/FieldbookBench"
        ),
        // Helpers the test targets share (a seeded generator); not a test target itself.
        .target(name: "FieldbookTestSupport", dependencies: ["FieldbookSync"], path: "Tests/FieldbookTestSupport"),
        .testTarget(name: "FieldbookModelTests", dependencies: ["FieldbookModel"]),
        .testTarget(name: "FieldbookCatalogsTests", dependencies: ["FieldbookCatalogs"], exclude: ["Fixtures"]),
        .testTarget(name: "FieldbookReplicaTests", dependencies: ["FieldbookReplica", "FieldbookTestSupport"]),
        .testTarget(name: "FieldbookStoreTests", dependencies: ["FieldbookStore", "FieldbookTestSupport"]),
        .testTarget(name: "FieldbookSyncTests", dependencies: ["FieldbookSync", "FieldbookWire", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "FieldbookServerTests",
            dependencies: ["FieldbookServer", "fieldbook-server", "fieldbook", "FieldbookTestSupport", "FieldbookWire"]
        ),
        .testTarget(name: "FieldbookReportsTests", dependencies: ["FieldbookReports", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Not "FieldbookPackageTests": SwiftPM names the package's combined test product that.
        .testTarget(name: "FieldbookAuditPackageTests",
                    dependencies: ["FieldbookPackage", "FieldbookReports", "FieldbookCatalogs", "FieldbookTestSupport",
                                   .product(name: "Crypto", package: "swift-crypto"), .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    path: "Tests/FieldbookPackageTests"),
        // Pages and forms driven through the router, no socket (HummingbirdTesting's `.router`).
        .testTarget(name: "FieldbookWorkbenchTests",
                    dependencies: ["FieldbookWorkbench", .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(
            name: "FieldbookCLITests",
            dependencies: ["fieldbook", "FieldbookSync", "FieldbookTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
    ]
)
