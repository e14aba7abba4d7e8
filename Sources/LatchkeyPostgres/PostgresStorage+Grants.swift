import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PostgresStorage {
    private static let grantColumns = "user_id, client_row_id, scopes, created_at, last_used_at"

    /// How stale `last_used_at` may get before a use writes it again: a token checked
    /// many times a second must not turn every read into a write.
    static let touchInterval: Int64 = 60_000

    /// One upsert: on a second consent, `ON CONFLICT DO UPDATE` locks the row and computes
    /// the union from its latest committed scopes, so two processes recording consents at
    /// once both land. The existing scopes keep their order; new ones follow in the order
    /// given.
    public func recordGrant(userID: Int64, clientRowID: Int64, scopes: [String], at now: Date)
        throws
    {
        try pool.withConnection { connection throws(StorageError) in
            try Self.recordGrant(
                userID: userID, clientRowID: clientRowID, scopes: scopes, at: now, on: connection)
        }
    }

    /// The upsert above, on the caller's connection and inside its transaction if any.
    static func recordGrant(
        userID: Int64, clientRowID: Int64, scopes: [String], at now: Date,
        on connection: PostgresConnection
    ) throws(StorageError) {
        try connection.execute(
            """
            INSERT INTO grants (user_id, client_row_id, scopes, created_at)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (user_id, client_row_id) DO UPDATE SET scopes = coalesce((
                SELECT string_agg(word, ' ' ORDER BY position)
                FROM (
                    SELECT word, min(position) AS position
                    FROM unnest(string_to_array(grants.scopes || ' ' || excluded.scopes, ' '))
                        WITH ORDINALITY AS words (word, position)
                    WHERE word <> ''
                    GROUP BY word
                ) AS firsts
            ), '')
            """,
            [.integer(userID), .integer(clientRowID), .words(scopes), .date(now)])
    }

    public func grant(userID: Int64, clientRowID: Int64) throws -> Grant? {
        try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(
                """
                SELECT \(Self.grantColumns) FROM grants
                WHERE user_id = $1 AND client_row_id = $2
                """,
                [.integer(userID), .integer(clientRowID)], row: Self.grant(from:))
        }
    }

    /// The user's grants, oldest first.
    public func grants(userID: Int64) throws -> [Grant] {
        try pool.withConnection { connection throws(StorageError) in
            try connection.query(
                """
                SELECT \(Self.grantColumns) FROM grants WHERE user_id = $1
                ORDER BY created_at, client_row_id
                """,
                [.integer(userID)], row: Self.grant(from:))
        }
    }

    /// Rows are locked in the order ``deleteClient(id:)`` locks them (tokens, codes, then
    /// the grant), so that the two running at once for one client queue rather than
    /// deadlock.
    public func revokeGrant(userID: Int64, clientRowID: Int64, at now: Date) throws {
        try pool.transaction { connection throws(StorageError) in
            let owner: [PostgresValue] = [.integer(userID), .integer(clientRowID)]
            try connection.execute(
                """
                UPDATE tokens SET revoked_at = $3
                WHERE user_id = $1 AND client_row_id = $2 AND revoked_at IS NULL
                """,
                owner + [.date(now)])
            try connection.execute(
                "DELETE FROM authorization_codes WHERE user_id = $1 AND client_row_id = $2",
                owner)
            try connection.execute(
                "DELETE FROM device_authorizations WHERE user_id = $1 AND client_row_id = $2",
                owner)
            try connection.execute(
                "DELETE FROM grants WHERE user_id = $1 AND client_row_id = $2", owner)
        }
    }

    /// Skips the write when the recorded use is less than ``touchInterval`` old, so a
    /// recent use costs one read and no row lock. Committed before it returns: each
    /// connection commits on its own, with no queue to put the write in.
    @discardableResult
    public func touchGrant(userID: Int64, clientRowID: Int64, at now: Date) throws
        -> CommitTicket
    {
        let nowMilliseconds = milliseconds(now)
        let key: [PostgresValue] = [.integer(userID), .integer(clientRowID)]

        try pool.withConnection { connection throws(StorageError) in
            let grantRow = try connection.queryFirst(
                "SELECT last_used_at FROM grants WHERE user_id = $1 AND client_row_id = $2",
                key
            ) { row in row.optionalInteger(0) }
            guard let grantRow else { return }
            if let lastUsed = grantRow, nowMilliseconds - lastUsed < Self.touchInterval {
                return
            }

            try connection.execute(
                """
                UPDATE grants SET last_used_at = $3
                WHERE user_id = $1 AND client_row_id = $2
                    AND (last_used_at IS NULL OR last_used_at < $3)
                """,
                key + [.integer(nowMilliseconds)])
        }
        return .finished(nil)
    }

    private static func grant(from row: PostgresRow) -> Grant {
        Grant(
            userID: row.integer(0), clientRowID: row.integer(1), scopes: row.words(2),
            createdAt: row.date(3), lastUsedAt: row.optionalDate(4))
    }
}
