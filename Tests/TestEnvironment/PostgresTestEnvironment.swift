import Foundation

/// The PostgreSQL server the tests may use, as scripts/test describes it: the URL
/// scripts/start-postgres printed (`LATCHKEY_TEST_POSTGRES_URL`), and whether a missing
/// server fails the tests (`LATCHKEY_REQUIRE_POSTGRES=1`) instead of skipping them.
public enum PostgresTestEnvironment {
    public static var url: String? {
        let value = ProcessInfo.processInfo.environment["LATCHKEY_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }

    /// Set by scripts/test: a missing or unusable server fails the tests, never skips them.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["LATCHKEY_REQUIRE_POSTGRES"] == "1"
    }

    /// Whether the PostgreSQL tests run: with a server, or without one when it is
    /// required (and then they fail).
    public static var isEnabled: Bool { url != nil || isRequired }

    /// Why a required server cannot be used.
    public static let missingMessage =
        "LATCHKEY_REQUIRE_POSTGRES=1 but LATCHKEY_TEST_POSTGRES_URL is not set; run the"
        + " tests with scripts/test, which starts scripts/start-postgres"
}
