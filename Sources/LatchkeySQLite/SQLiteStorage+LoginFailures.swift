import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One row per failed attempt and key; a count is the rows inside the window. The
/// window is the half-open interval (now - window, now].
extension SQLiteStorage {
    /// How long failures are kept: windows longer than this would undercount.
    static let loginFailureRetention: TimeInterval = 86_400

    public func recordLoginFailure(keys: [String], at now: Date, window: TimeInterval) throws
        -> [Int]
    {
        guard !keys.isEmpty else { return [] }

        return try pool.write { connection throws(StorageError) in
            for key in keys {
                try connection.execute(
                    "INSERT INTO login_failures (key, failed_at) VALUES (?, ?)",
                    [.text(key), .date(now)])
            }
            var counts: [Int] = []
            for key in keys {
                counts.append(
                    try Self.countFailures(connection, key: key, now: now, window: window))
            }
            return counts
        }
    }

    public func loginFailures(key: String, at now: Date, window: TimeInterval) throws -> Int {
        try pool.read { connection throws(StorageError) in
            try Self.countFailures(connection, key: key, now: now, window: window)
        }
    }

    public func clearLoginFailures(key: String) throws {
        try pool.write { connection throws(StorageError) in
            try connection.execute("DELETE FROM login_failures WHERE key = ?", [.text(key)])
        }
    }

    private static func countFailures(
        _ connection: SQLiteConnection, key: String, now: Date, window: TimeInterval
    ) throws(StorageError) -> Int {
        let count = try connection.queryFirst(
            "SELECT count(*) FROM login_failures"
                + " WHERE key = ? AND failed_at > ? AND failed_at <= ?",
            [.text(key), .date(now.addingTimeInterval(-window)), .date(now)]
        ) { row in row.integer(0) }
        return Int(count ?? 0)
    }
}
