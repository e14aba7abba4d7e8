/// The forward-only schema history. A migration is never edited once released: a
/// change is a new entry at the end.
///
/// Conventions: dates are INTEGER milliseconds since 1970 UTC; scopes and grant types are
/// space-separated TEXT (their elements cannot contain spaces); callback URLs are a JSON
/// array in TEXT (see `SQLiteStorage+Clients.swift`). Tokens, codes and sessions are keyed by
/// the hex SHA-256 of the secret, never the secret, in WITHOUT ROWID tables so that the
/// hot lookup is one B-tree search.
enum Schema {
    struct Migration {
        let version: Int
        let sql: String
    }

    static let migrations = [
        Migration(
            version: 1,
            sql: """
                CREATE TABLE users (
                    id INTEGER PRIMARY KEY,
                    username TEXT NOT NULL COLLATE NOCASE UNIQUE,
                    email TEXT NOT NULL COLLATE NOCASE UNIQUE,
                    name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );

                CREATE TABLE clients (
                    id INTEGER PRIMARY KEY,
                    client_id TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    main_url TEXT NOT NULL,
                    callback_urls TEXT NOT NULL,
                    secret_hash TEXT,
                    owner_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
                    grant_types TEXT NOT NULL,
                    default_scopes TEXT NOT NULL,
                    allowed_scopes TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX clients_owner ON clients (owner_user_id);

                CREATE TABLE grants (
                    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    client_row_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                    scopes TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_used_at INTEGER,
                    PRIMARY KEY (user_id, client_row_id)
                ) WITHOUT ROWID;
                CREATE INDEX grants_client ON grants (client_row_id);

                CREATE TABLE authorization_codes (
                    code_hash TEXT PRIMARY KEY,
                    client_row_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    redirect_uri TEXT,
                    scopes TEXT NOT NULL,
                    code_challenge TEXT,
                    code_challenge_method TEXT,
                    nonce TEXT,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX authorization_codes_client_user
                    ON authorization_codes (client_row_id, user_id);
                CREATE INDEX authorization_codes_expires ON authorization_codes (expires_at);

                CREATE TABLE tokens (
                    token_hash TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
                    client_row_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
                    scopes TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    revoked_at INTEGER,
                    code_hash TEXT,
                    family_id TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX tokens_client_user ON tokens (client_row_id, user_id);
                CREATE INDEX tokens_code ON tokens (code_hash) WHERE code_hash IS NOT NULL;
                CREATE INDEX tokens_family ON tokens (family_id);
                CREATE INDEX tokens_expires ON tokens (expires_at) WHERE expires_at IS NOT NULL;
                CREATE INDEX tokens_revoked ON tokens (revoked_at) WHERE revoked_at IS NOT NULL;

                CREATE TABLE sessions (
                    id_hash TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    csrf_secret TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX sessions_expires ON sessions (expires_at);

                CREATE TABLE login_failures (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL,
                    failed_at INTEGER NOT NULL
                );
                CREATE INDEX login_failures_key_time ON login_failures (key, failed_at);
                CREATE INDEX login_failures_time ON login_failures (failed_at);
                """),
        // OpenID Connect: the client's ID token algorithm, the sign-in time carried from
        // the session through the code to every token of the authorization (`auth_time`),
        // the signing keys (private keys only sealed) and server-wide secrets such as the
        // key `sub` values are derived with.
        Migration(
            version: 2,
            sql: """
                ALTER TABLE clients ADD COLUMN id_token_signing_alg TEXT NOT NULL DEFAULT 'RS256';
                ALTER TABLE authorization_codes ADD COLUMN auth_time INTEGER;
                ALTER TABLE tokens ADD COLUMN auth_time INTEGER;

                CREATE TABLE signing_keys (
                    kid TEXT PRIMARY KEY,
                    algorithm TEXT NOT NULL,
                    public_key TEXT NOT NULL,
                    sealed_private_key TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    retired_at INTEGER
                ) WITHOUT ROWID;

                CREATE TABLE server_secrets (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """),
        // The device authorization grant (RFC 8628).
        Migration(
            version: 3,
            sql: """
                CREATE TABLE device_authorizations (
                    device_code_hash TEXT PRIMARY KEY,
                    user_code_hash TEXT NOT NULL UNIQUE,
                    client_row_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                    scopes TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
                    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    interval_seconds INTEGER NOT NULL,
                    last_polled_at INTEGER,
                    redeemed_at INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX device_authorizations_client_user
                    ON device_authorizations (client_row_id, user_id);
                CREATE INDEX device_authorizations_expires ON device_authorizations (expires_at);

                -- SPEC §10: clients may use the device grant unless turned off. Clients
                -- registered before it existed get it when they may already ask users in
                -- the browser; machine-only clients stay as they were.
                UPDATE clients
                SET grant_types = grant_types || ' urn:ietf:params:oauth:grant-type:device_code'
                WHERE ' ' || grant_types || ' ' LIKE '% authorization_code %';
                """),
        // Issuing a token should dirty as few random pages as possible, since every page
        // a commit touches is written to the log and later to the database: the index on
        // (client, user) ordered a client's tokens by their random hash, so each new
        // token landed on a random leaf. Ordered by the time-ordered family id as well,
        // a client's or user's new tokens go to the end of its range.
        Migration(
            version: 4,
            sql: """
                DROP INDEX tokens_client_user;
                CREATE INDEX tokens_client_user ON tokens (client_row_id, user_id, family_id);
                """),
        // A counter every change to a client moves, in the change's own transaction, so
        // that a process keeping clients in memory (`ClientCache`) knows when another
        // process changed one. Foreign key actions on clients fire these triggers too.
        Migration(
            version: 5,
            sql: """
                CREATE TABLE clients_version (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    version INTEGER NOT NULL
                );
                INSERT INTO clients_version (id, version) VALUES (1, 0);
                CREATE TRIGGER clients_version_on_insert AFTER INSERT ON clients
                BEGIN UPDATE clients_version SET version = version + 1; END;
                CREATE TRIGGER clients_version_on_update AFTER UPDATE ON clients
                BEGIN UPDATE clients_version SET version = version + 1; END;
                CREATE TRIGGER clients_version_on_delete AFTER DELETE ON clients
                BEGIN UPDATE clients_version SET version = version + 1; END;
                """),
    ]

    static var latestVersion: Int { migrations.last?.version ?? 0 }
}
