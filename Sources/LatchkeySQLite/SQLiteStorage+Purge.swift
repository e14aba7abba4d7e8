import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteStorage {
    /// Rows deleted per statement: each batch is its own short transaction, so a large
    /// purge never holds the write lock long enough to stall token issuance.
    static let purgeBatchSize = 500

    /// How long revoked or expired tokens, and used codes past expiry, are kept: a
    /// replayed refresh token or code within this time is still recognised as a replay
    /// (and revokes what it issued) rather than being unknown.
    static let replayMemory: TimeInterval = 86_400

    /// Deletes, in batches: unused codes past expiry; used codes a day past expiry;
    /// device authorizations a day past expiry (until then a poll is told `expired_token`
    /// and the device page "expired", rather than "unknown"); sessions past expiry;
    /// tokens expired or revoked more than a day ago; login failures older than a day.
    @discardableResult
    public func purgeExpired(at now: Date) throws -> Int {
        let nowValue = SQLValue.date(now)
        let dayAgo = SQLValue.date(now.addingTimeInterval(-Self.replayMemory))
        let failureCutoff = SQLValue.date(now.addingTimeInterval(-Self.loginFailureRetention))

        let batches: [(table: String, key: String, condition: String, cutoff: SQLValue)] = [
            ("authorization_codes", "code_hash", "used_at IS NULL AND expires_at <= ?", nowValue),
            ("authorization_codes", "code_hash", "used_at IS NOT NULL AND expires_at <= ?", dayAgo),
            ("device_authorizations", "device_code_hash", "expires_at <= ?", dayAgo),
            ("sessions", "id_hash", "expires_at <= ?", nowValue),
            ("tokens", "token_hash", "expires_at <= ?", dayAgo),
            ("tokens", "token_hash", "revoked_at <= ?", dayAgo),
            ("login_failures", "id", "failed_at <= ?", failureCutoff),
        ]

        var total = 0
        for batch in batches {
            total += try purge(
                table: batch.table, key: batch.key, condition: batch.condition,
                cutoff: batch.cutoff)
        }
        return total
    }

    /// Deletes matching rows `purgeBatchSize` at a time until none is left. Table, key
    /// and condition are the constants above, never outside input.
    private func purge(table: String, key: String, condition: String, cutoff: SQLValue)
        throws(StorageError) -> Int
    {
        let sql = """
            DELETE FROM \(table) WHERE \(key) IN (
                SELECT \(key) FROM \(table) WHERE \(condition) LIMIT \(Self.purgeBatchSize)
            )
            """

        var total = 0
        while true {
            let deleted = try pool.write { connection throws(StorageError) in
                try connection.execute(sql, [cutoff])
            }
            total += deleted
            if deleted < Self.purgeBatchSize { return total }
        }
    }
}
