import LatchkeyStorage
import LatchkeyText

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PostgresStorage {
    private static let tokenColumns = """
        token_hash, kind, client_row_id, user_id, scopes, created_at, expires_at, revoked_at,
        code_hash, family_id, auth_time
        """

    /// Throws ``StorageError/conflict(_:)`` (`token_hash`) when the hash is already stored.
    /// Returns only once the token is committed.
    public func storeToken(_ token: Token) throws {
        try pool.withConnection { connection throws(StorageError) in
            try Self.insert(token, into: connection)
        }
    }

    private static func insert(_ token: Token, into connection: PostgresConnection)
        throws(StorageError)
    {
        try connection.execute(
            """
            INSERT INTO tokens (\(tokenColumns))
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """,
            [
                .text(token.tokenHash), .text(token.kind.rawValue),
                .integer(token.clientRowID), .integer(token.userID), .words(token.scopes),
                .date(token.createdAt), .date(token.expiresAt), .date(token.revokedAt),
                .text(token.codeHash), .text(token.familyID), .date(token.authTime),
            ])
    }

    /// Throws ``StorageError/conflict(_:)`` (`token_hash`) if any hash is already stored,
    /// and then stores none of them. One token is one statement, already atomic: it
    /// skips the two round trips of `BEGIN` and `COMMIT` (the legacy endpoints issue one).
    public func storeTokens(_ tokens: [Token]) throws {
        if tokens.count == 1 { return try storeToken(tokens[0]) }
        try pool.transaction { connection throws(StorageError) in
            for token in tokens { try Self.insert(token, into: connection) }
        }
    }

    public func storeTokens(
        _ tokens: [Token], recordingGrantOf userID: Int64, clientRowID: Int64,
        scopes: [String], at now: Date
    ) throws {
        try pool.transaction { connection throws(StorageError) in
            for token in tokens { try Self.insert(token, into: connection) }
            try Self.recordGrant(
                userID: userID, clientRowID: clientRowID, scopes: scopes, at: now,
                on: connection)
        }
    }

    /// The conditional update claims the token: of two processes rotating it at once, the
    /// second's update waits on the first's row lock, then finds `revoked_at` set and
    /// matches nothing. The replacements are stored in the same transaction, so a failed
    /// insert leaves the old token active.
    public func rotateRefreshToken(hash: String, replacements: [Token], at now: Date) throws
        -> RefreshRotation
    {
        try pool.transaction { connection throws(StorageError) in
            let claimed = try connection.queryFirst(
                """
                UPDATE tokens SET revoked_at = $1
                WHERE token_hash = $2 AND kind = 'refresh' AND revoked_at IS NULL
                RETURNING \(Self.tokenColumns)
                """,
                [.date(now), .text(hash)], row: Self.token(from:))
            if let claimed {
                for token in replacements { try Self.insert(token, into: connection) }
                return .rotated(claimed)
            }

            let spent = try connection.queryFirst(
                """
                SELECT \(Self.tokenColumns) FROM tokens
                WHERE token_hash = $1 AND kind = 'refresh'
                """,
                [.text(hash)], row: Self.token(from:))
            return spent.map(RefreshRotation.reused) ?? .notFound
        }
    }

    public var connectionPoolUsage: ConnectionPoolUsage { pool.usage }

    /// One round trip instead of the protocol's default two: every API call and
    /// introspection validates a token this way.
    public func tokenWithUser(hash: String) throws -> (token: Token, user: User?)? {
        try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(Self.tokenWithUserSQL, [.text(hash)]) {
                row throws(StorageError) in
                let token = try Self.token(from: row)
                let user = row.isNull(11) ? nil : Self.user(from: row, startingAt: 11)
                return (token, user)
            }
        }
    }

    private static let tokenWithUserSQL = """
        SELECT \(qualified(tokenColumns, "tokens")), \(qualified(userColumns, "users"))
        FROM tokens LEFT JOIN users ON users.id = tokens.user_id
        WHERE token_hash = $1
        """

    /// One round trip for an introspection's two lookups, where the protocol's default
    /// makes two. The row always comes back: each lookup that finds nothing leaves its
    /// columns NULL (a client id is never NULL; a token hash and a user id neither).
    public func client(clientID: String, andToken tokenHash: String?) throws -> (
        client: Client?, token: (token: Token, user: User?)?
    ) {
        try pool.withConnection { connection throws(StorageError) in
            let found = try connection.queryFirst(
                Self.clientAndTokenSQL, [.text(clientID), .text(tokenHash)]
            ) { row throws(StorageError) -> (Client?, (Token, User?)?) in
                let client = row.isNull(0) ? nil : try Self.client(from: row, startingAt: 0)
                guard !row.isNull(12) else { return (client, nil) }
                let token = try Self.token(from: row, startingAt: 12)
                let user = row.isNull(23) ? nil : Self.user(from: row, startingAt: 23)
                return (client, (token, user))
            }
            return found ?? (nil, nil)
        }
    }

    private static let clientAndTokenSQL = """
        SELECT \(qualified(clientColumns, "clients")), \(qualified(tokenColumns, "tokens")),
            \(qualified(userColumns, "users"))
        FROM (SELECT 1) AS asked
        LEFT JOIN clients ON clients.client_id = $1
        LEFT JOIN tokens ON tokens.token_hash = $2
        LEFT JOIN users ON users.id = tokens.user_id
        """

    /// `a, b` as `table.a, table.b`, for a join.
    private static func qualified(_ columns: String, _ table: String) -> String {
        columns.split(separator: ",")
            .map { "\(table).\($0.trimmingWhitespaceAndNewlines())" }
            .joined(separator: ", ")
    }

    public func token(hash: String) throws -> Token? {
        try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.tokenColumns) FROM tokens WHERE token_hash = $1", [.text(hash)],
                row: Self.token(from:))
        }
    }

    /// An already revoked or unknown token is left alone and reported as not revoked.
    @discardableResult
    public func revokeToken(hash: String, at now: Date) throws -> Bool {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                "UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
                [.date(now), .text(hash)]) > 0
        }
    }

    public func revokeTokens(issuedFromCode codeHash: String, at now: Date) throws {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                "UPDATE tokens SET revoked_at = $1 WHERE code_hash = $2 AND revoked_at IS NULL",
                [.date(now), .text(codeHash)])
        }
    }

    public func revokeTokens(familyID: String, at now: Date) throws {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                "UPDATE tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
                [.date(now), .text(familyID)])
        }
    }

    private static func token(from row: PostgresRow) throws(StorageError) -> Token {
        try token(from: row, startingAt: 0)
    }

    /// A token from `tokenColumns` read from column `first` on.
    private static func token(from row: PostgresRow, startingAt first: Int32)
        throws(StorageError) -> Token
    {
        let kindName = row.text(first + 1)
        guard let kind = TokenKind(rawValue: kindName) else {
            throw StorageError.failure("stored token has unknown kind \(kindName)")
        }
        return Token(
            tokenHash: row.text(first), kind: kind, clientRowID: row.integer(first + 2),
            userID: row.optionalInteger(first + 3), scopes: row.words(first + 4),
            createdAt: row.date(first + 5), expiresAt: row.optionalDate(first + 6),
            revokedAt: row.optionalDate(first + 7), codeHash: row.optionalText(first + 8),
            familyID: row.text(first + 9), authTime: row.optionalDate(first + 10))
    }
}
