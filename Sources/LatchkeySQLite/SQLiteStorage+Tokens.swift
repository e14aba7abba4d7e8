import LatchkeyStorage
import LatchkeyText

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteStorage {
    private static let tokenColumns = """
        token_hash, kind, client_row_id, user_id, scopes, created_at, expires_at, revoked_at,
        code_hash, family_id, auth_time
        """

    /// Throws ``StorageError/conflict(_:)`` (`token_hash`) when the hash is already stored.
    /// Returns only once the token is on disk.
    public func storeToken(_ token: Token) throws {
        try pool.write { connection throws(StorageError) in
            try Self.insert(token, into: connection)
        }
    }

    private static func insert(_ token: Token, into connection: SQLiteConnection)
        throws(StorageError)
    {
        try connection.execute(
            """
            INSERT INTO tokens (\(tokenColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(token.tokenHash), .text(token.kind.rawValue),
                .integer(token.clientRowID), .integer(token.userID), .words(token.scopes),
                .date(token.createdAt), .date(token.expiresAt), .date(token.revokedAt),
                .text(token.codeHash), .text(token.familyID), .date(token.authTime),
            ])
    }

    /// Throws ``StorageError/conflict(_:)`` (`token_hash`) if any hash is already stored,
    /// and then stores none of them.
    public func storeTokens(_ tokens: [Token]) throws {
        try pool.write { connection throws(StorageError) in
            for token in tokens { try Self.insert(token, into: connection) }
        }
    }

    public func storeTokens(
        _ tokens: [Token], recordingGrantOf userID: Int64, clientRowID: Int64,
        scopes: [String], at now: Date
    ) throws {
        try pool.write { connection throws(StorageError) in
            for token in tokens { try Self.insert(token, into: connection) }
            try Self.recordGrant(
                userID: userID, clientRowID: clientRowID, scopes: scopes, at: now,
                on: connection)
        }
    }

    /// Reads come from the local file, and the committer thread takes queued writes.
    public var queuesWrites: Bool { true }

    public var connectionPoolUsage: ConnectionPoolUsage { pool.usage }

    public func storeTokensLater(_ tokens: [Token]) -> CommitTicket {
        pool.writeLater { connection throws(StorageError) in
            for token in tokens { try Self.insert(token, into: connection) }
        }
    }

    public func rotateRefreshToken(hash: String, replacements: [Token], at now: Date) throws
        -> RefreshRotation
    {
        try pool.write { connection throws(StorageError) in
            let claimed = try connection.queryFirst(
                """
                UPDATE tokens SET revoked_at = ?
                WHERE token_hash = ? AND kind = 'refresh' AND revoked_at IS NULL
                RETURNING \(Self.tokenColumns)
                """,
                [.date(now), .text(hash)], row: Self.token(from:))
            if let claimed {
                for token in replacements { try Self.insert(token, into: connection) }
                return .rotated(claimed)
            }

            let spent = try connection.queryFirst(
                "SELECT \(Self.tokenColumns) FROM tokens WHERE token_hash = ? AND kind = 'refresh'",
                [.text(hash)], row: Self.token(from:))
            return spent.map(RefreshRotation.reused) ?? .notFound
        }
    }

    private static let tokenWithUserSQL = """
        SELECT \(qualified(tokenColumns, "tokens")), \(qualified(userColumns, "users"))
        FROM tokens LEFT JOIN users ON users.id = tokens.user_id
        WHERE token_hash = ?
        """

    public func tokenWithUser(hash: String) throws -> (token: Token, user: User?)? {
        try pool.read { connection throws(StorageError) in
            try Self.tokenWithUser(hash: hash, on: connection)
        }
    }

    static func tokenWithUser(hash: String, on connection: SQLiteConnection)
        throws(StorageError) -> (token: Token, user: User?)?
    {
        try connection.queryFirst(tokenWithUserSQL, [.text(hash)]) { row in
            let token = try Self.token(from: row)
            let user = row.optionalInteger(11) == nil ? nil : Self.user(from: row, startingAt: 11)
            return (token, user)
        }
    }

    /// `a, b` as `table.a, table.b`, for a join.
    private static func qualified(_ columns: String, _ table: String) -> String {
        columns.split(separator: ",")
            .map { "\(table).\($0.trimmingWhitespaceAndNewlines())" }
            .joined(separator: ", ")
    }

    public func token(hash: String) throws -> Token? {
        try pool.read { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.tokenColumns) FROM tokens WHERE token_hash = ?", [.text(hash)],
                row: Self.token(from:))
        }
    }

    /// An already revoked or unknown token is left alone and reported as not revoked.
    @discardableResult
    public func revokeToken(hash: String, at now: Date) throws -> Bool {
        try pool.write { connection throws(StorageError) in
            try connection.execute(
                "UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                [.date(now), .text(hash)]) > 0
        }
    }

    public func revokeTokens(issuedFromCode codeHash: String, at now: Date) throws {
        try pool.write { connection throws(StorageError) in
            try connection.execute(
                "UPDATE tokens SET revoked_at = ? WHERE code_hash = ? AND revoked_at IS NULL",
                [.date(now), .text(codeHash)])
        }
    }

    public func revokeTokens(familyID: String, at now: Date) throws {
        try pool.write { connection throws(StorageError) in
            try connection.execute(
                "UPDATE tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                [.date(now), .text(familyID)])
        }
    }

    private static func token(from row: SQLiteRow) throws -> Token {
        let kindName = row.text(1)
        guard let kind = TokenKind(rawValue: kindName) else {
            throw StorageError.failure("stored token has unknown kind \(kindName)")
        }
        return Token(
            tokenHash: row.text(0), kind: kind, clientRowID: row.integer(2),
            userID: row.optionalInteger(3), scopes: row.words(4), createdAt: row.date(5),
            expiresAt: row.optionalDate(6), revokedAt: row.optionalDate(7),
            codeHash: row.optionalText(8), familyID: row.text(9),
            authTime: row.optionalDate(10))
    }
}
