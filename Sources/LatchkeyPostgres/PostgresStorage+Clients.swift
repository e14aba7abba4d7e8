import LatchkeyStorage

/// Callback URLs live in one TEXT column holding a JSON array rather than in a child
/// table: a client is read on every token request, and one row gives the whole client
/// in one lookup, atomically with its other fields; the order the developer gave is kept;
/// any string survives unchanged; and nothing ever searches clients by callback.
extension PostgresStorage {
    static let clientColumns = """
        id, client_id, name, main_url, callback_urls, secret_hash, owner_user_id, grant_types,
        default_scopes, allowed_scopes, created_at, id_token_signing_alg
        """

    public func createClient(_ client: NewClient) throws -> Client {
        let callbacks = try StoredCallbackURLs.encode(client.callbackURLs)

        return try pool.withConnection { connection throws(StorageError) in
            let created = try connection.queryFirst(
                """
                INSERT INTO clients (client_id, name, main_url, callback_urls, secret_hash,
                    owner_user_id, grant_types, default_scopes, allowed_scopes, created_at,
                    id_token_signing_alg)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                RETURNING \(Self.clientColumns)
                """,
                [
                    .text(client.clientID), .text(client.name), .text(client.mainURL),
                    .text(callbacks), .text(client.secretHash), .integer(client.ownerUserID),
                    .words(client.grantTypes), .words(client.defaultScopes),
                    .words(client.allowedScopes), .date(client.createdAt),
                    .text(client.idTokenSigningAlgorithm),
                ],
                row: Self.client(from:))
            guard let created else { throw StorageError.failure("insert returned no client") }
            return created
        }
    }

    /// Client ids compare exactly, case included.
    public func client(clientID: String) throws -> Client? {
        try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.clientColumns) FROM clients WHERE client_id = $1",
                [.text(clientID)], row: Self.client(from:))
        }
    }

    public func client(id: Int64) throws -> Client? {
        try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.clientColumns) FROM clients WHERE id = $1", [.integer(id)],
                row: Self.client(from:))
        }
    }

    /// Every client, oldest first.
    public func clients() throws -> [Client] {
        try pool.withConnection { connection throws(StorageError) in
            try connection.query(
                "SELECT \(Self.clientColumns) FROM clients ORDER BY id", row: Self.client(from:))
        }
    }

    /// The clients `userID` owns, oldest first.
    public func clients(ownedBy userID: Int64) throws -> [Client] {
        try pool.withConnection { connection throws(StorageError) in
            try connection.query(
                "SELECT \(Self.clientColumns) FROM clients WHERE owner_user_id = $1 ORDER BY id",
                [.integer(userID)], row: Self.client(from:))
        }
    }

    /// Updating a client that does not exist changes nothing and is not an error.
    public func updateClient(_ client: Client) throws {
        let callbacks = try StoredCallbackURLs.encode(client.callbackURLs)

        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                """
                UPDATE clients
                SET name = $1, main_url = $2, callback_urls = $3, grant_types = $4,
                    default_scopes = $5, allowed_scopes = $6
                WHERE id = $7
                """,
                [
                    .text(client.name), .text(client.mainURL), .text(callbacks),
                    .words(client.grantTypes), .words(client.defaultScopes),
                    .words(client.allowedScopes), .integer(client.id),
                ])
        }
    }

    public func updateClientSecret(id: Int64, secretHash: String?) throws {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                "UPDATE clients SET secret_hash = $1 WHERE id = $2",
                [.text(secretHash), .integer(id)])
        }
    }

    public func replaceClientSecret(id: Int64, expected: String, with secretHash: String)
        throws -> Bool
    {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                "UPDATE clients SET secret_hash = $1 WHERE id = $2 AND secret_hash = $3",
                [.text(secretHash), .integer(id), .text(expected)]) > 0
        }
    }

    /// The foreign keys would cascade too; deleting the children explicitly keeps the
    /// effect visible here and the same on backends without cascades.
    public func deleteClient(id: Int64) throws {
        try pool.transaction { connection throws(StorageError) in
            try connection.execute("DELETE FROM tokens WHERE client_row_id = $1", [.integer(id)])
            try connection.execute(
                "DELETE FROM authorization_codes WHERE client_row_id = $1", [.integer(id)])
            try connection.execute(
                "DELETE FROM device_authorizations WHERE client_row_id = $1", [.integer(id)])
            try connection.execute("DELETE FROM grants WHERE client_row_id = $1", [.integer(id)])
            try connection.execute("DELETE FROM clients WHERE id = $1", [.integer(id)])
        }
    }

    private static func client(from row: PostgresRow) throws(StorageError) -> Client {
        try client(from: row, startingAt: 0)
    }

    /// A client from `clientColumns` read from column `first` on.
    static func client(from row: PostgresRow, startingAt first: Int32) throws(StorageError)
        -> Client
    {
        Client(
            id: row.integer(first), clientID: row.text(first + 1), name: row.text(first + 2),
            mainURL: row.text(first + 3),
            callbackURLs: try StoredCallbackURLs.decode(row.text(first + 4)),
            secretHash: row.optionalText(first + 5),
            ownerUserID: row.optionalInteger(first + 6), grantTypes: row.words(first + 7),
            defaultScopes: row.words(first + 8), allowedScopes: row.words(first + 9),
            createdAt: row.date(first + 10), idTokenSigningAlgorithm: row.text(first + 11))
    }
}
