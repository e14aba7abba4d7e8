import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One row per failed attempt and key; a count is the rows inside the window. The
/// window is the half-open interval (now - window, now]. Every process writes and counts
/// the same rows, so failures spread across processes add up.
extension PostgresStorage {
    /// How long failures are kept: windows longer than this would undercount.
    static let loginFailureRetention: TimeInterval = 86_400

    /// The first key of the per-key advisory locks, "LF"; the second is the key's hash.
    static let loginFailureLockClass = 0x4C46

    /// Each key is locked (a transaction-level advisory lock) before its failure is
    /// added and counted, so concurrent failures for one key are counted one after the
    /// other, as in SQLite: without it, two transactions each count the committed rows
    /// plus their own, and neither sees the other's, so the 40th failure could be
    /// reported as the 39th by both and a lockout threshold crossed unseen.
    public func recordLoginFailure(keys: [String], at now: Date, window: TimeInterval) throws
        -> [Int]
    {
        guard !keys.isEmpty else { return [] }

        // One insert and one count per distinct key, however often it is repeated: the
        // counts of a repeated key are equal anyway.
        var repeats: [String: Int] = [:]
        for key in keys { repeats[key, default: 0] += 1 }

        let keyList = try Self.jsonArray(Array(repeats.keys))

        return try pool.transaction { connection throws(StorageError) in
            // In one statement and in hash order, so that two calls locking the same keys
            // take them in the same order and cannot deadlock; PostgreSQL evaluates a
            // volatile function in the select list after the sort.
            try connection.execute(
                """
                SELECT pg_advisory_xact_lock(\(Self.loginFailureLockClass), lock_key)
                FROM (
                    SELECT DISTINCT hashtext(value) AS lock_key
                    FROM json_array_elements_text($1::json)
                ) AS locks
                ORDER BY lock_key
                """,
                [.text(keyList)])

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

    private static func jsonArray(_ strings: [String]) throws(StorageError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
        } catch {
            throw StorageError.failure("cannot encode login failure keys: \(error)")
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
