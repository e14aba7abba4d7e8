import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PostgresStorage {
    private static let sessionColumns = "id_hash, user_id, csrf_secret, created_at, expires_at"

    /// Throws ``StorageError/conflict(_:)`` (`id_hash`) when the hash is already stored.
    public func createSession(_ session: Session) throws {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                "INSERT INTO sessions (\(Self.sessionColumns)) VALUES ($1, $2, $3, $4, $5)",
                [
                    .text(session.idHash), .integer(session.userID), .text(session.csrfSecret),
                    .date(session.createdAt), .date(session.expiresAt),
                ])
        }
    }

    /// A session whose expiry is at or before `now` is gone, even before the purge.
    public func session(idHash: String, at now: Date) throws -> Session? {
        try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(
                """
                SELECT \(Self.sessionColumns) FROM sessions
                WHERE id_hash = $1 AND expires_at > $2
                """,
                [.text(idHash), .date(now)]
            ) { row in
                Session(
                    idHash: row.text(0), userID: row.integer(1), csrfSecret: row.text(2),
                    createdAt: row.date(3), expiresAt: row.date(4))
            }
        }
    }

    public func deleteSession(idHash: String) throws {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute("DELETE FROM sessions WHERE id_hash = $1", [.text(idHash)])
        }
    }
}
