import LatchkeyStorage

/// Callback URLs live in one TEXT column holding a JSON array rather than in a child
/// table: a client is read on every token request, and one row gives the whole client
/// in one lookup, atomically with its other fields; the order the developer gave is kept;
/// any string survives unchanged; and nothing ever searches clients by callback.
extension SQLiteStorage {
    private static let clientColumns = """
        id, client_id, name, main_url, callback_urls, secret_hash, owner_user_id, grant_types,
        default_scopes, allowed_scopes, created_at, id_token_signing_alg
        """

    public func createClient(_ client: NewClient) throws -> Client {
        let callbacks = try StoredCallbackURLs.encode(client.callbackURLs)

        return try pool.write { connection throws(StorageError) in
            let created = try connection.queryFirst(
                """
                INSERT INTO clients (client_id, name, main_url, callback_urls, secret_hash,
                    owner_user_id, grant_types, default_scopes, allowed_scopes, created_at,
                    id_token_signing_alg)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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

    /// Client ids compare exactly, case included. Remembered between calls while no
    /// client changes (`ClientCache`).
    public func client(clientID: String) throws -> Client? {
        try pool.read { connection throws(StorageError) in
            try client(clientID: clientID, on: connection)
        }
    }

    /// One read transaction for both: each read transaction takes a lock in the
    /// write-ahead log's shared index, where concurrent requests meet.
    public func client(clientID: String, andToken tokenHash: String?) throws -> (
        client: Client?, token: (token: Token, user: User?)?
    ) {
        try pool.read { connection throws(StorageError) in
            try connection.readTransaction { () throws(StorageError) in
                let client = try client(clientID: clientID, on: connection)
                guard let tokenHash else { return (client, nil) }
                return (client, try Self.tokenWithUser(hash: tokenHash, on: connection))
            }
        }
    }

    /// The version is read first: a row read after it is at least as new, so what is
    /// remembered under a version is never older than that version's row.
    private func client(clientID: String, on connection: SQLiteConnection)
        throws(StorageError) -> Client?
    {
        let version = try connection.queryFirst(
            "SELECT version FROM clients_version WHERE id = 1", row: { $0.integer(0) })
        guard let version else { throw StorageError.failure("clients_version has no row") }
        if let remembered = clientCache.client(clientID, at: version) { return remembered }
        let client = try connection.queryFirst(
            "SELECT \(Self.clientColumns) FROM clients WHERE client_id = ?", [.text(clientID)],
            row: Self.client(from:))
        if let client { clientCache.remember(client, at: version) }
        return client
    }

    public func client(id: Int64) throws -> Client? {
        try pool.read { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.clientColumns) FROM clients WHERE id = ?", [.integer(id)],
                row: Self.client(from:))
        }
    }

    /// Every client, oldest first.
    public func clients() throws -> [Client] {
        try pool.read { connection throws(StorageError) in
            try connection.query(
                "SELECT \(Self.clientColumns) FROM clients ORDER BY id", row: Self.client(from:))
        }
    }

    /// The clients `userID` owns, oldest first.
    public func clients(ownedBy userID: Int64) throws -> [Client] {
        try pool.read { connection throws(StorageError) in
            try connection.query(
                "SELECT \(Self.clientColumns) FROM clients WHERE owner_user_id = ? ORDER BY id",
                [.integer(userID)], row: Self.client(from:))
        }
    }

    /// Updating a client that does not exist changes nothing and is not an error.
    public func updateClient(_ client: Client) throws {
        let callbacks = try StoredCallbackURLs.encode(client.callbackURLs)

        try pool.write { connection throws(StorageError) in
            try connection.execute(
                """
                UPDATE clients
                SET name = ?, main_url = ?, callback_urls = ?, grant_types = ?,
                    default_scopes = ?, allowed_scopes = ?
                WHERE id = ?
                """,
                [
                    .text(client.name), .text(client.mainURL), .text(callbacks),
                    .words(client.grantTypes), .words(client.defaultScopes),
                    .words(client.allowedScopes), .integer(client.id),
                ])
        }
    }

    public func updateClientSecret(id: Int64, secretHash: String?) throws {
        try pool.write { connection throws(StorageError) in
            try connection.execute(
                "UPDATE clients SET secret_hash = ? WHERE id = ?",
                [.text(secretHash), .integer(id)])
        }
    }

    public func replaceClientSecret(id: Int64, expected: String, with secretHash: String)
        throws -> Bool
    {
        try pool.write { connection throws(StorageError) in
            try connection.execute(
                "UPDATE clients SET secret_hash = ? WHERE id = ? AND secret_hash = ?",
                [.text(secretHash), .integer(id), .text(expected)]) > 0
        }
    }

    /// The foreign keys would cascade too; deleting the children explicitly keeps the
    /// effect visible here and the same on backends without cascades.
    public func deleteClient(id: Int64) throws {
        try pool.write { connection throws(StorageError) in
            try connection.execute("DELETE FROM tokens WHERE client_row_id = ?", [.integer(id)])
            try connection.execute(
                "DELETE FROM authorization_codes WHERE client_row_id = ?", [.integer(id)])
            try connection.execute(
                "DELETE FROM device_authorizations WHERE client_row_id = ?", [.integer(id)])
            try connection.execute("DELETE FROM grants WHERE client_row_id = ?", [.integer(id)])
            try connection.execute("DELETE FROM clients WHERE id = ?", [.integer(id)])
        }
    }

    private static func client(from row: SQLiteRow) throws -> Client {
        Client(
            id: row.integer(0), clientID: row.text(1), name: row.text(2), mainURL: row.text(3),
            callbackURLs: try StoredCallbackURLs.decode(row.text(4)),
            secretHash: row.optionalText(5),
            ownerUserID: row.optionalInteger(6), grantTypes: row.words(7),
            defaultScopes: row.words(8), allowedScopes: row.words(9), createdAt: row.date(10),
            idTokenSigningAlgorithm: row.text(11))
    }
}
