import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteStorage {
    private static let grantColumns = "user_id, client_row_id, scopes, created_at, last_used_at"

    /// How stale `last_used_at` may get before a use writes it again: a token checked
    /// many times a second must not turn every read into a write and an fsync.
    static let touchInterval: Int64 = 60_000

    /// Read and widen happen under one write lock, so two concurrent consents both land.
    /// The existing scopes keep their order; new ones follow in the order given.
    public func recordGrant(userID: Int64, clientRowID: Int64, scopes: [String], at now: Date)
        throws
    {
        try pool.write { connection throws(StorageError) in
            try Self.recordGrant(
                userID: userID, clientRowID: clientRowID, scopes: scopes, at: now, on: connection)
        }
    }

    /// Inserts the grant or widens its scopes, inside the caller's write.
    static func recordGrant(
        userID: Int64, clientRowID: Int64, scopes: [String], at now: Date,
        on connection: SQLiteConnection
    ) throws(StorageError) {
        let existing = try connection.queryFirst(
            "SELECT scopes FROM grants WHERE user_id = ? AND client_row_id = ?",
            [.integer(userID), .integer(clientRowID)]
        ) { row in row.words(0) }

        var union = existing ?? []
        for scope in scopes where !union.contains(scope) { union.append(scope) }

        try connection.execute(
            """
            INSERT INTO grants (user_id, client_row_id, scopes, created_at)
            VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (user_id, client_row_id) DO UPDATE SET scopes = ?3
            """,
            [.integer(userID), .integer(clientRowID), .words(union), .date(now)])
    }

    public func grant(userID: Int64, clientRowID: Int64) throws -> Grant? {
        try pool.read { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.grantColumns) FROM grants WHERE user_id = ? AND client_row_id = ?",
                [.integer(userID), .integer(clientRowID)], row: Self.grant(from:))
        }
    }

    /// The user's grants, oldest first.
    public func grants(userID: Int64) throws -> [Grant] {
        try pool.read { connection throws(StorageError) in
            try connection.query(
                """
                SELECT \(Self.grantColumns) FROM grants WHERE user_id = ?
                ORDER BY created_at, client_row_id
                """,
                [.integer(userID)], row: Self.grant(from:))
        }
    }

    public func revokeGrant(userID: Int64, clientRowID: Int64, at now: Date) throws {
        try pool.write { connection throws(StorageError) in
            let owner: [SQLValue] = [.integer(userID), .integer(clientRowID)]
            try connection.execute(
                "DELETE FROM grants WHERE user_id = ? AND client_row_id = ?", owner)
            try connection.execute(
                """
                UPDATE tokens SET revoked_at = ?
                WHERE user_id = ? AND client_row_id = ? AND revoked_at IS NULL
                """,
                [.date(now)] + owner)
            try connection.execute(
                "DELETE FROM authorization_codes WHERE user_id = ? AND client_row_id = ?", owner)
            try connection.execute(
                "DELETE FROM device_authorizations WHERE user_id = ? AND client_row_id = ?", owner)
        }
    }

    /// Skips the write when the recorded use is less than ``touchInterval`` old, so a
    /// recent use costs one read and no lock. The write is queued for the next commit:
    /// API calls run on the event loop, which must not wait for an fsync.
    @discardableResult
    public func touchGrant(userID: Int64, clientRowID: Int64, at now: Date) throws
        -> CommitTicket
    {
        let nowMilliseconds = milliseconds(now)
        let key: [SQLValue] = [.integer(userID), .integer(clientRowID)]

        let grantRow = try pool.read { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT last_used_at FROM grants WHERE user_id = ? AND client_row_id = ?", key
            ) { row in row.optionalInteger(0) }
        }
        guard let grantRow else { return .finished(nil) }
        if let lastUsed = grantRow, nowMilliseconds - lastUsed < Self.touchInterval {
            return .finished(nil)
        }

        return pool.writeLater { connection throws(StorageError) in
            try connection.execute(
                """
                UPDATE grants SET last_used_at = ?1
                WHERE user_id = ?2 AND client_row_id = ?3
                    AND (last_used_at IS NULL OR last_used_at < ?1)
                """,
                [.integer(nowMilliseconds)] + key)
        }
    }

    private static func grant(from row: SQLiteRow) -> Grant {
        Grant(
            userID: row.integer(0), clientRowID: row.integer(1), scopes: row.words(2),
            createdAt: row.date(3), lastUsedAt: row.optionalDate(4))
    }
}
