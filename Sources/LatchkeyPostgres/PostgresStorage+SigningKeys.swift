import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PostgresStorage {
    private static let signingKeyColumns =
        "kid, algorithm, public_key, sealed_private_key, created_at, retired_at"

    public func signingKeys() throws -> [StoredSigningKey] {
        try pool.withConnection { connection throws(StorageError) in
            try connection.query(
                "SELECT \(Self.signingKeyColumns) FROM signing_keys ORDER BY created_at, kid",
                row: Self.signingKey(from:))
        }
    }

    public func addSigningKeys(_ keys: [StoredSigningKey], retiringOthersAt: Date?) throws {
        try pool.transaction { connection throws(StorageError) in
            if let retiringOthersAt {
                try connection.execute(
                    "UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL",
                    [.date(retiringOthersAt)])
            }
            for key in keys {
                try connection.execute(
                    """
                    INSERT INTO signing_keys (\(Self.signingKeyColumns))
                    VALUES ($1, $2, $3, $4, $5, $6)
                    """,
                    [
                        .text(key.kid), .text(key.algorithm), .text(key.publicKey),
                        .text(key.sealedPrivateKey), .date(key.createdAt), .date(key.retiredAt),
                    ])
            }
        }
    }

    @discardableResult
    public func deleteSigningKeys(retiredBefore cutoff: Date) throws -> Int {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                "DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1",
                [.date(cutoff)])
        }
    }

    /// The insert does nothing when another process stored the name first; the select
    /// then reads whichever value won.
    public func serverSecret(name: String, candidate: String, at now: Date) throws -> String {
        try pool.transaction { connection throws(StorageError) in
            try connection.execute(
                """
                INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3)
                ON CONFLICT (name) DO NOTHING
                """,
                [.text(name), .text(candidate), .date(now)])
            let stored = try connection.queryFirst(
                "SELECT value FROM server_secrets WHERE name = $1", [.text(name)]
            ) { row in row.text(0) }
            guard let stored else { throw StorageError.failure("server secret vanished") }
            return stored
        }
    }

    private static func signingKey(from row: PostgresRow) -> StoredSigningKey {
        StoredSigningKey(
            kid: row.text(0), algorithm: row.text(1), publicKey: row.text(2),
            sealedPrivateKey: row.text(3), createdAt: row.date(4), retiredAt: row.optionalDate(5))
    }
}
