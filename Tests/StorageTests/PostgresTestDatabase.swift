import Foundation
import LatchkeyStorage
import TestEnvironment

@testable import LatchkeyPostgres

/// The PostgreSQL server the tests use: `LATCHKEY_TEST_POSTGRES_URL`, set by
/// scripts/start-postgres through scripts/test.
///
/// Each fixture gets a schema of its own in that database, selected with `search_path` in
/// the URL, so tests run in parallel without seeing each other's rows; a schema costs a
/// few milliseconds where a database per test would copy a template.
enum PostgresTestDatabase {
    static var url: String? { PostgresTestEnvironment.url }
    static var isEnabled: Bool { PostgresTestEnvironment.isEnabled }

    struct Missing: Error, CustomStringConvertible {
        var description: String { PostgresTestEnvironment.missingMessage }
    }

    /// A new, empty schema (not migrated) and the URL whose connections use it. The
    /// schema name is also the connections' `application_name`, so that a test can find
    /// and kill exactly its own connections.
    static func makeSchema() throws -> TestSchema {
        guard let url else { throw Missing() }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try admin { connection throws(StorageError) in
            try connection.executeScript("CREATE SCHEMA \(name)")
        }
        let separator = url.contains("?") ? "&" : "?"
        return TestSchema(
            name: name,
            url: url + separator + "options=-csearch_path%3D\(name)&application_name=\(name)")
    }

    /// Runs `body` on a connection of its own to the test database, outside any schema
    /// of a test.
    static func admin<Result>(
        _ body: (PostgresConnection) throws(StorageError) -> Result
    ) throws -> Result {
        guard let url else { throw Missing() }
        let settings = try ConnectionSettings(
            url: url, connectTimeoutSeconds: 5, statementTimeoutMilliseconds: 30_000)
        let connection = try PostgresConnection(settings: settings)
        return try body(connection)
    }
}

/// A schema made for one test; dropped with everything in it when the last reference
/// goes.
final class TestSchema: Sendable {
    let name: String
    let url: String

    init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    deinit {
        let name = name
        _ = try? PostgresTestDatabase.admin { connection throws(StorageError) in
            try connection.executeScript("DROP SCHEMA IF EXISTS \(name) CASCADE")
        }
    }

    /// Terminates every server process connected for this schema, waiting until they
    /// are gone: what a server restart or failover does to a pool.
    @discardableResult
    func terminateConnections() throws -> Int {
        try PostgresTestDatabase.admin { connection throws(StorageError) in
            try connection.query(
                """
                SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
                WHERE application_name = $1
                """,
                [.text(name)]
            ) { row in row.text(0) }.count
        }
    }
}
