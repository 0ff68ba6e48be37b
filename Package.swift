// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "pollen",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pollen", targets: ["pollen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "PollenCore",
            dependencies: ["PollenAnalytics"],
            path: "Sources/PollenCore"
        ),
        .target(
            name: "PollenStorage",
            dependencies: [
                "PollenCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "PollenAnalytics"),
        .target(
            name: "PollenWeb",
            dependencies: [
                "PollenCore",
                "PollenStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "pollen",
            dependencies: [
                "PollenCore",
                "PollenStorage",
                "PollenWeb",
                "PollenAnalytics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Times the hot paths on a demo database; run by scripts/bench-network on a release build.
        .executableTarget(
            name: "pollen-bench",
            dependencies: [
                "PollenCore",
                "PollenStorage",
                "PollenWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/PollenBench"
        ),
        .testTarget(name: "PollenCoreTests", dependencies: ["PollenCore"]),
        .testTarget(name: "PollenStorageTests", dependencies: ["PollenCore", "PollenStorage"]),
        .testTarget(name: "PollenAnalyticsTests", dependencies: ["PollenAnalytics"]),
        .testTarget(
            name: "PollenWebTests",
            dependencies: [
                "PollenCore",
                "PollenStorage",
                "PollenWeb",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
