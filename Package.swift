// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way: the C shims at the bottom; HTTP, crypto and the
// storage protocols above them; the OAuth core (no I/O, no C) above those; the
// server module that maps HTTP onto OAuth and pages; the executable on top,
// which alone chooses a storage backend.
let package = Package(
    name: "Latchkey",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "latchkey", targets: ["latchkey"])
    ],
    targets: [
        .systemLibrary(
            name: "CMicroHTTPD", path: "Sources/CMicroHTTPD", pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CArgon2", path: "Sources/CArgon2", pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(
            name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        // glibc's own malloc.h, for the allocator settings of `latchkey serve`.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // glibc's pthread_setname_np, for naming the threads LatchkeyThreads starts.
        .systemLibrary(name: "CPthread", path: "Sources/CPthread"),

        // Locks, conditions and threads over pthreads, for every module that blocks.
        .target(name: "LatchkeyThreads", dependencies: ["CPthread"]),
        // The few string methods of Foundation's that FoundationEssentials leaves out.
        .target(name: "LatchkeyText"),
        .target(name: "LatchkeyLog"),
        .target(
            name: "LatchkeyHTTP",
            dependencies: ["CMicroHTTPD", "LatchkeyLog", "LatchkeyText", "LatchkeyThreads"]),
        .target(name: "LatchkeyCrypto", dependencies: ["CCrypto", "CArgon2", "LatchkeyThreads"]),
        .target(name: "LatchkeyStorage", dependencies: ["LatchkeyThreads"]),
        .target(
            name: "LatchkeySQLite",
            dependencies: ["CSQLite", "LatchkeyStorage", "LatchkeyText", "LatchkeyThreads"]),
        .target(
            name: "LatchkeyPostgres",
            dependencies: ["CPostgres", "LatchkeyStorage", "LatchkeyText", "LatchkeyThreads"]),
        .target(
            name: "LatchkeyOAuth",
            dependencies: ["LatchkeyStorage", "LatchkeyCrypto", "LatchkeyText", "LatchkeyThreads"]),
        .target(name: "LatchkeyWeb", dependencies: ["LatchkeyText"]),
        .target(
            name: "LatchkeyServer",
            dependencies: [
                "LatchkeyHTTP", "LatchkeyLog", "LatchkeyOAuth", "LatchkeyWeb", "LatchkeyStorage",
                "LatchkeyText", "LatchkeyThreads",
            ],
            // Served at /openapi.yaml from the binary itself, so that the document always
            // belongs to the server answering it.
            resources: [.embedInCode("openapi.yaml")]),
        .executableTarget(
            name: "latchkey",
            dependencies: [
                "LatchkeyServer", "LatchkeySQLite", "LatchkeyPostgres", "LatchkeyOAuth",
                "LatchkeyHTTP",
                "LatchkeyCrypto",
                "LatchkeyLog",
                "LatchkeyText",
                "LatchkeyThreads",
                "CMalloc",
            ]),

        // Threads outside Swift's cooperative pool, for test suites that block.
        .target(name: "TestThreads", path: "Tests/TestThreads"),
        // What scripts/test tells the tests about the services it started.
        .target(name: "TestEnvironment", path: "Tests/TestEnvironment"),
        // An independent JWS verifier, so that tests never check a signature with the
        // code that made it.
        .target(name: "TestJOSE", dependencies: ["CCrypto"], path: "Tests/TestJOSE"),
        .testTarget(name: "ThreadsTests", dependencies: ["LatchkeyThreads"]),
        .testTarget(name: "TextTests", dependencies: ["LatchkeyText"]),
        .testTarget(name: "LogTests", dependencies: ["LatchkeyLog"]),
        .testTarget(name: "HTTPTests", dependencies: ["LatchkeyHTTP"]),
        .testTarget(name: "CryptoTests", dependencies: ["LatchkeyCrypto", "TestJOSE"]),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "LatchkeyStorage", "LatchkeySQLite", "LatchkeyPostgres", "LatchkeyCrypto",
                "TestThreads", "TestEnvironment",
            ]),
        .testTarget(
            name: "OAuthTests", dependencies: ["LatchkeyOAuth", "LatchkeySQLite", "TestJOSE"]),
        .testTarget(name: "ServerTests", dependencies: ["LatchkeyServer"]),
        .testTarget(name: "WebTests", dependencies: ["LatchkeyWeb"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["latchkey", "TestThreads", "TestJOSE", "TestEnvironment"]),
    ],
    swiftLanguageModes: [.v6]
)
