import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteStorage {
    private static let codeColumns = """
        code_hash, client_row_id, user_id, redirect_uri, scopes, code_challenge,
        code_challenge_method, nonce, created_at, expires_at, used_at, auth_time
        """

    /// Throws ``StorageError/conflict(_:)`` (`code_hash`) when the hash is already stored.
    public func storeCode(_ code: AuthorizationCode) throws {
        try pool.write { connection throws(StorageError) in
            try Self.insert(code, on: connection)
        }
    }

    public func storeCode(_ code: AuthorizationCode, recordingGrantAt now: Date) throws {
        try pool.write { connection throws(StorageError) in
            try Self.insert(code, on: connection)
            try Self.recordGrant(
                userID: code.userID, clientRowID: code.clientRowID, scopes: code.scopes,
                at: now, on: connection)
        }
    }

    private static func insert(_ code: AuthorizationCode, on connection: SQLiteConnection)
        throws(StorageError)
    {
        try connection.execute(
            """
            INSERT INTO authorization_codes (\(codeColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(code.codeHash), .integer(code.clientRowID), .integer(code.userID),
                .text(code.redirectURI), .words(code.scopes), .text(code.codeChallenge),
                .text(code.codeChallengeMethod), .text(code.nonce), .date(code.createdAt),
                .date(code.expiresAt), .date(code.usedAt), .date(code.authTime),
            ])
    }

    /// RFC 6749 §4.1.2: "The client MUST NOT use the authorization code more than once."
    /// The conditional update claims the code; whoever's update matched no row then reads
    /// it to tell a replay from an unknown code. Expiry is the caller's check.
    public func redeemCode(hash: String, at now: Date) throws -> CodeRedemption {
        try pool.write { connection throws(StorageError) in
            let claimed = try connection.queryFirst(
                """
                UPDATE authorization_codes SET used_at = ?
                WHERE code_hash = ? AND used_at IS NULL
                RETURNING \(Self.codeColumns)
                """,
                [.date(now), .text(hash)], row: Self.code(from:))
            if let claimed { return .redeemed(claimed) }

            let used = try connection.queryFirst(
                "SELECT \(Self.codeColumns) FROM authorization_codes WHERE code_hash = ?",
                [.text(hash)], row: Self.code(from:))
            if let used { return .replayed(used) }
            return .notFound
        }
    }

    private static func code(from row: SQLiteRow) -> AuthorizationCode {
        AuthorizationCode(
            codeHash: row.text(0), clientRowID: row.integer(1), userID: row.integer(2),
            redirectURI: row.optionalText(3), scopes: row.words(4),
            codeChallenge: row.optionalText(5), codeChallengeMethod: row.optionalText(6),
            nonce: row.optionalText(7), createdAt: row.date(8), expiresAt: row.date(9),
            usedAt: row.optionalDate(10), authTime: row.optionalDate(11))
    }
}
