import LatchkeyStorage

extension PostgresStorage {
    static let userColumns =
        "id, username, email, name, password_hash, created_at, updated_at"

    /// Usernames and emails are unique regardless of ASCII case (as SQLite's
    /// `COLLATE NOCASE`); letters outside ASCII are compared exactly.
    public func createUser(_ user: NewUser) throws -> User {
        try pool.withConnection { connection throws(StorageError) in
            let created = try connection.queryFirst(
                """
                INSERT INTO users (username, email, name, password_hash, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $5)
                RETURNING \(Self.userColumns)
                """,
                [
                    .text(user.username), .text(user.email), .text(user.name),
                    .text(user.passwordHash), .date(user.createdAt),
                ],
                row: Self.user(from:))
            guard let created else { throw StorageError.failure("insert returned no user") }
            return created
        }
    }

    public func user(id: Int64) throws -> User? {
        try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.userColumns) FROM users WHERE id = $1", [.integer(id)],
                row: Self.user(from:))
        }
    }

    /// When one user's username is another's email, the username wins.
    public func user(login: String) throws -> User? {
        let username = Schema.asciiFolded("username")
        let email = Schema.asciiFolded("email")
        let given = Schema.asciiFolded("$1::text")

        return try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(
                """
                SELECT \(Self.userColumns) FROM users
                WHERE \(username) = \(given) OR \(email) = \(given)
                ORDER BY \(username) = \(given) DESC
                LIMIT 1
                """,
                [.text(login)], row: Self.user(from:))
        }
    }

    private static func user(from row: PostgresRow) -> User {
        user(from: row, startingAt: 0)
    }

    /// A user from `userColumns` read from column `first` on.
    static func user(from row: PostgresRow, startingAt first: Int32) -> User {
        User(
            id: row.integer(first), username: row.text(first + 1), email: row.text(first + 2),
            name: row.text(first + 3), passwordHash: row.text(first + 4),
            createdAt: row.date(first + 5), updatedAt: row.date(first + 6))
    }
}
