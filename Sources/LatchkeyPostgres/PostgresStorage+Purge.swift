import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PostgresStorage {
    /// Rows deleted per statement: each batch is its own short transaction, so a large
    /// purge never holds many row locks or a long snapshot.
    static let purgeBatchSize = 500

    /// How long revoked or expired tokens, and used codes past expiry, are kept: a
    /// replayed refresh token or code within this time is still recognised as a replay
    /// (and revokes what it issued) rather than being unknown.
    static let replayMemory: TimeInterval = 86_400

    /// Deletes, in batches: unused codes past expiry; used codes a day past expiry;
    /// device authorizations a day past expiry (until then a poll is told `expired_token`
    /// and the device page "expired", rather than "unknown"); sessions past expiry;
    /// tokens expired or revoked more than a day ago; login failures older than a day.
    ///
    /// Safe on every process at once: a batch locks the rows it picks and skips rows
    /// another purge has locked, so concurrent purges split the work instead of queueing
    /// behind each other, and no request waits on a purge for more than one batch.
    @discardableResult
    public func purgeExpired(at now: Date) throws -> Int {
        let nowValue = PostgresValue.date(now)
        let dayAgo = PostgresValue.date(now.addingTimeInterval(-Self.replayMemory))
        let failureCutoff = PostgresValue.date(
            now.addingTimeInterval(-Self.loginFailureRetention))

        let batches: [(table: String, condition: String, cutoff: PostgresValue)] = [
            ("authorization_codes", "used_at IS NULL AND expires_at <= $1", nowValue),
            ("authorization_codes", "used_at IS NOT NULL AND expires_at <= $1", dayAgo),
            ("device_authorizations", "expires_at <= $1", dayAgo),
            ("sessions", "expires_at <= $1", nowValue),
            ("tokens", "expires_at <= $1", dayAgo),
            ("tokens", "revoked_at <= $1", dayAgo),
            ("login_failures", "failed_at <= $1", failureCutoff),
        ]

        var total = 0
        for batch in batches {
            total += try purge(table: batch.table, condition: batch.condition, cutoff: batch.cutoff)
        }
        return total
    }

    /// Deletes matching rows `purgeBatchSize` at a time until a batch comes back short.
    /// Rows are picked by their physical address (`ctid`, a TID scan with no index
    /// lookup); the `FOR UPDATE` keeps that address valid until the delete. Table and
    /// condition are the constants above, never outside input.
    private func purge(table: String, condition: String, cutoff: PostgresValue)
        throws(StorageError) -> Int
    {
        let sql = """
            DELETE FROM \(table) WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM \(table) WHERE \(condition)
                LIMIT \(Self.purgeBatchSize) FOR UPDATE SKIP LOCKED
            ))
            """

        var total = 0
        while true {
            let deleted = try pool.withConnection { connection throws(StorageError) in
                try connection.execute(sql, [cutoff])
            }
            total += deleted
            if deleted < Self.purgeBatchSize { return total }
        }
    }
}
