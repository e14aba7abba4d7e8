/// The forward-only schema history, the same tables, columns and meaning as the SQLite
/// backend's (`LatchkeySQLite/Schema.swift`), in PostgreSQL's types. A migration is never
/// edited once released: a change is a new entry at the end, in both backends.
///
/// Conventions, as in SQLite: dates are BIGINT milliseconds since 1970 UTC (not
/// TIMESTAMPTZ, so both backends read back the same Date); scopes and grant types are
/// space-separated TEXT; callback URLs are a JSON array in TEXT. Tokens, codes and
/// sessions are keyed by the hex SHA-256 of the secret, never the secret.
///
/// Where PostgreSQL differs:
/// - Row ids are BIGSERIAL.
/// - Usernames and emails are unique regardless of ASCII case, like SQLite's
///   `COLLATE NOCASE`: a unique index on the value with A-Z folded by `translate`, which
///   does not depend on the database's locale (unlike `lower`), so that letters outside
///   ASCII compare exactly on both backends.
/// - Login failure keys are indexed with a hash index: a key may be longer than a B-tree
///   entry may be (about 2.7 kB).
/// - Unique indexes and keys are named, so that a violation names its field
///   (``conflictingField(constraint:)``).
enum Schema {
    struct Migration {
        let version: Int
        let sql: String
    }

    /// `column` with ASCII A-Z folded to a-z; the same text in the index and the queries,
    /// so that the planner uses the index.
    static func asciiFolded(_ column: String) -> String {
        "translate(\(column), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    static let migrations = [
        Migration(
            version: 1,
            sql: """
                CREATE TABLE users (
                    id BIGSERIAL PRIMARY KEY,
                    username TEXT NOT NULL,
                    email TEXT NOT NULL,
                    name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE UNIQUE INDEX users_username_key ON users (\(asciiFolded("username")));
                CREATE UNIQUE INDEX users_email_key ON users (\(asciiFolded("email")));

                CREATE TABLE clients (
                    id BIGSERIAL PRIMARY KEY,
                    client_id TEXT NOT NULL CONSTRAINT clients_client_id_key UNIQUE,
                    name TEXT NOT NULL,
                    main_url TEXT NOT NULL,
                    callback_urls TEXT NOT NULL,
                    secret_hash TEXT,
                    owner_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
                    grant_types TEXT NOT NULL,
                    default_scopes TEXT NOT NULL,
                    allowed_scopes TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                );
                CREATE INDEX clients_owner ON clients (owner_user_id);

                CREATE TABLE grants (
                    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    client_row_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                    scopes TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    last_used_at BIGINT,
                    CONSTRAINT grants_pkey PRIMARY KEY (user_id, client_row_id)
                );
                CREATE INDEX grants_client ON grants (client_row_id);

                CREATE TABLE authorization_codes (
                    code_hash TEXT CONSTRAINT authorization_codes_pkey PRIMARY KEY,
                    client_row_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    redirect_uri TEXT,
                    scopes TEXT NOT NULL,
                    code_challenge TEXT,
                    code_challenge_method TEXT,
                    nonce TEXT,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    used_at BIGINT
                );
                CREATE INDEX authorization_codes_client_user
                    ON authorization_codes (client_row_id, user_id);
                CREATE INDEX authorization_codes_expires ON authorization_codes (expires_at);

                CREATE TABLE tokens (
                    token_hash TEXT CONSTRAINT tokens_pkey PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
                    client_row_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
                    scopes TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT,
                    revoked_at BIGINT,
                    code_hash TEXT,
                    family_id TEXT NOT NULL
                );
                CREATE INDEX tokens_client_user ON tokens (client_row_id, user_id);
                CREATE INDEX tokens_code ON tokens (code_hash) WHERE code_hash IS NOT NULL;
                CREATE INDEX tokens_family ON tokens (family_id);
                CREATE INDEX tokens_expires ON tokens (expires_at) WHERE expires_at IS NOT NULL;
                CREATE INDEX tokens_revoked ON tokens (revoked_at) WHERE revoked_at IS NOT NULL;

                CREATE TABLE sessions (
                    id_hash TEXT CONSTRAINT sessions_pkey PRIMARY KEY,
                    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    csrf_secret TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                );
                CREATE INDEX sessions_expires ON sessions (expires_at);

                CREATE TABLE login_failures (
                    id BIGSERIAL PRIMARY KEY,
                    key TEXT NOT NULL,
                    failed_at BIGINT NOT NULL
                );
                CREATE INDEX login_failures_key ON login_failures USING hash (key);
                CREATE INDEX login_failures_time ON login_failures (failed_at);
                """),
        // OpenID Connect, as in SQLite's migration 2.
        Migration(
            version: 2,
            sql: """
                ALTER TABLE clients ADD COLUMN id_token_signing_alg TEXT NOT NULL DEFAULT 'RS256';
                ALTER TABLE authorization_codes ADD COLUMN auth_time BIGINT;
                ALTER TABLE tokens ADD COLUMN auth_time BIGINT;

                CREATE TABLE signing_keys (
                    kid TEXT CONSTRAINT signing_keys_pkey PRIMARY KEY,
                    algorithm TEXT NOT NULL,
                    public_key TEXT NOT NULL,
                    sealed_private_key TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    retired_at BIGINT
                );

                CREATE TABLE server_secrets (
                    name TEXT CONSTRAINT server_secrets_pkey PRIMARY KEY,
                    value TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                );
                """),
        // The device authorization grant (RFC 8628).
        Migration(
            version: 3,
            sql: """
                CREATE TABLE device_authorizations (
                    device_code_hash TEXT CONSTRAINT device_authorizations_pkey PRIMARY KEY,
                    user_code_hash TEXT NOT NULL
                        CONSTRAINT device_authorizations_user_code_hash_key UNIQUE,
                    client_row_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
                    scopes TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
                    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    interval_seconds INTEGER NOT NULL,
                    last_polled_at BIGINT,
                    redeemed_at BIGINT
                );
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
    ]

    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The field a unique violation names, by the violated index or key: the same names
    /// SQLite reports (for a composite key, its first column).
    static let conflictFields = [
        "users_username_key": "username",
        "users_email_key": "email",
        "clients_client_id_key": "client_id",
        "grants_pkey": "user_id",
        "authorization_codes_pkey": "code_hash",
        "tokens_pkey": "token_hash",
        "sessions_pkey": "id_hash",
        "device_authorizations_pkey": "device_code_hash",
        "device_authorizations_user_code_hash_key": "user_code_hash",
        "signing_keys_pkey": "kid",
        "server_secrets_pkey": "name",
        "schema_migrations_pkey": "version",
    ]

    /// An index this table does not know (one added by hand) is reported by its name.
    static func conflictingField(constraint: String) -> String {
        conflictFields[constraint] ?? constraint
    }
}
