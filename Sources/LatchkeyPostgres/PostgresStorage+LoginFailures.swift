import Foundation
import LatchkeyStorage

/// One row per failed attempt and key; a count is the rows inside the window. The
/// window is the half-open interval (now - window, now]. Every process writes and counts
/// the same rows, so failures spread across processes add up.
extension PostgresStorage {
    /// How long failures are kept: windows longer than this would undercount.
    static let loginFailureRetention: TimeInterval = 86_400

    public func recordLoginFailure(keys: [String], at now: Date, window: TimeInterval) throws
        -> [Int]
    {
        guard !keys.isEmpty else { return [] }

        // One insert and one count per distinct key, however often it is repeated: the
        // counts of a repeated key are equal anyway.
        var repeats: [String: Int] = [:]
        for key in keys { repeats[key, default: 0] += 1 }

        return try pool.transaction { connection throws(StorageError) in
            for (key, count) in repeats {
                try connection.execute(
                    """
                    INSERT INTO login_failures (key, failed_at)
                    SELECT $1::text, $2::bigint FROM generate_series(1, $3::integer)
                    """,
                    [.text(key), .date(now), .integer(Int64(count))])
            }
            var counts: [String: Int] = [:]
            for key in repeats.keys {
                counts[key] = try Self.countFailures(
                    connection, key: key, now: now, window: window)
            }
            return keys.map { counts[$0] ?? 0 }
        }
    }

    public func loginFailures(key: String, at now: Date, window: TimeInterval) throws -> Int {
        try pool.withConnection { connection throws(StorageError) in
            try Self.countFailures(connection, key: key, now: now, window: window)
        }
    }

    public func clearLoginFailures(key: String) throws {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute("DELETE FROM login_failures WHERE key = $1", [.text(key)])
        }
    }

    private static func countFailures(
        _ connection: PostgresConnection, key: String, now: Date, window: TimeInterval
    ) throws(StorageError) -> Int {
        let count = try connection.queryFirst(
            """
            SELECT count(*) FROM login_failures
            WHERE key = $1 AND failed_at > $2 AND failed_at <= $3
            """,
            [.text(key), .date(now.addingTimeInterval(-window)), .date(now)]
        ) { row in row.integer(0) }
        return Int(count ?? 0)
    }
}
