// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "modimg-queue",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "modimg-queue", targets: ["modimg-queue"]),
        .executable(name: "modportal-sim", targets: ["modportal-sim"]),
        .library(name: "ModImgQueue", targets: ["ModImgQueue"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "SQLiteStore", dependencies: ["CSQLite"]),
        .executableTarget(name: "migrations-embed"),
        .plugin(
            name: "EmbedMigrations",
            capability: .buildTool(),
            dependencies: ["migrations-embed"]
        ),
        .target(name: "ModImgVersion"),
        // The multipart/form-data parser the simulator and the dashboard share.
        .target(name: "FormData"),
        .target(
            name: "ModPortal",
            dependencies: [
                "ModImgVersion",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "ModImgQueue",
            dependencies: [
                "SQLiteStore",
                "ModPortal",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            plugins: ["EmbedMigrations"]
        ),
        .target(
            name: "ModImgDashboard",
            dependencies: [
                "FormData",
                "ModImgQueue",
                "ModPortal",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // The connection's channel and event loop, for /files' backpressure.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "modimg-queue",
            dependencies: [
                "ModImgQueue",
                "ModImgDashboard",
                "ModPortal",
                "ModImgVersion",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ModPortalSim",
            dependencies: [
                "FormData",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "modportal-sim",
            dependencies: [
                "ModPortalSim",
                "ModImgVersion",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "modimg-bench",
            dependencies: [
                "ModImgQueue", "ModPortal", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/modimg-bench"
        ),
        .target(name: "TestSupport", dependencies: ["ModPortalSim", "ModImgQueue"], path: "Tests/TestSupport"),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore", "CSQLite"]),
        .testTarget(
            name: "ModPortalTests",
            dependencies: [
                "FormData", "ModPortal", "ModPortalSim", "ModImgVersion", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(
            name: "ModImgQueueTests",
            dependencies: ["ModImgQueue", "ModPortal", "ModPortalSim", "SQLiteStore", "TestSupport"]),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "ModImgDashboard", "ModImgQueue", "ModPortalSim", "SQLiteStore", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["ModPortal", "ModPortalSim", "TestSupport"]),
    ]
)
