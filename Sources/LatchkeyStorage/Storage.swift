#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Everything Latchkey persists. Backends implement it; the OAuth core and the
/// server use only this protocol.
///
/// Calls are synchronous and safe from any thread: handlers run on the HTTP
/// server's worker threads, and a backend keeps one connection per thread or a pool.
/// Every method either completes or throws ``StorageError``; none leaves a half-written
/// record behind.
public protocol Storage: DeviceAuthorizationStorage, Sendable {
    // MARK: Users

    /// Throws ``StorageError/conflict(_:)`` when the username or email is taken.
    func createUser(_ user: NewUser) throws -> User
    func user(id: Int64) throws -> User?
    /// Finds a user by username or email, case-insensitively.
    func user(login: String) throws -> User?

    // MARK: Clients

    /// Throws ``StorageError/conflict(_:)`` when the client id is taken.
    func createClient(_ client: NewClient) throws -> Client
    func client(clientID: String) throws -> Client?
    func client(id: Int64) throws -> Client?
    func clients() throws -> [Client]
    func clients(ownedBy userID: Int64) throws -> [Client]
    /// Updates name, main URL, callbacks, grant types and default scopes.
    func updateClient(_ client: Client) throws
    func updateClientSecret(id: Int64, secretHash: String?) throws
    /// Stores `secretHash` only while the stored hash is still `expected`, and returns
    /// whether it did: re-storing a proved secret in another form must not undo a new
    /// secret that was set in between.
    func replaceClientSecret(id: Int64, expected: String, with secretHash: String) throws
        -> Bool
    /// Deletes the client and, in the same transaction, its grants, codes and tokens.
    func deleteClient(id: Int64) throws

    // MARK: Grants

    /// Inserts the grant or widens its scopes to the union with `scopes`.
    func recordGrant(userID: Int64, clientRowID: Int64, scopes: [String], at now: Date) throws
    func grant(userID: Int64, clientRowID: Int64) throws -> Grant?
    func grants(userID: Int64) throws -> [Grant]
    /// Deletes the grant and, in the same transaction, revokes every token and deletes
    /// every code (device authorizations included) of that user for that client.
    func revokeGrant(userID: Int64, clientRowID: Int64, at now: Date) throws

    // MARK: Authorization codes

    func storeCode(_ code: AuthorizationCode) throws
    /// Stores `code` and records the grant it comes from (the code's user, client and
    /// scopes, as ``recordGrant(userID:clientRowID:scopes:at:)`` does) in one
    /// transaction: a consent is never kept without its code, nor a code without its
    /// consent. Throws ``StorageError/conflict(_:)`` (`code_hash`), recording nothing,
    /// when the hash is already stored.
    func storeCode(_ code: AuthorizationCode, recordingGrantAt now: Date) throws
    /// Marks the code used in one conditional update, so that of two concurrent
    /// redemptions exactly one sees ``CodeRedemption/redeemed(_:)``.
    func redeemCode(hash: String, at now: Date) throws -> CodeRedemption

    // MARK: Tokens

    func storeToken(_ token: Token) throws
    /// Stores several tokens in one transaction: all of them or none (an access token
    /// and the refresh token issued with it).
    func storeTokens(_ tokens: [Token]) throws
    /// Stores `tokens` as ``storeTokens(_:)`` does and, in the same transaction, records
    /// the grant they come from as ``recordGrant(userID:clientRowID:scopes:at:)`` does:
    /// a sign-in that is consent (the password grant, the non-web flow) leaves either
    /// both or neither.
    func storeTokens(
        _ tokens: [Token], recordingGrantOf userID: Int64, clientRowID: Int64,
        scopes: [String], at now: Date
    ) throws
    /// Stores `tokens` as ``storeTokens(_:)`` does, but may return before they are
    /// committed; the ticket tells when they are. A caller must not hand the tokens out
    /// before the ticket says they are stored.
    func storeTokensLater(_ tokens: [Token]) -> CommitTicket
    /// How many connections are open and in use now; cheap enough for every scrape.
    var connectionPoolUsage: ConnectionPoolUsage { get }
    /// Whether ``storeTokensLater(_:)`` returns without waiting for the commit, and reads
    /// are local: then a request that reads and queues writes never waits.
    var queuesWrites: Bool { get }
    /// Refresh token rotation (RFC 6749 §10.4): in one transaction, revokes the active
    /// refresh token with this hash and stores its `replacements`. When the token is
    /// already revoked (rotated before, or revoked), nothing is stored and the answer is
    /// ``RefreshRotation/reused(_:)``, so that of two concurrent rotations exactly one
    /// succeeds.
    func rotateRefreshToken(hash: String, replacements: [Token], at now: Date) throws
        -> RefreshRotation
    /// The token with this hash, revoked or expired ones included.
    func token(hash: String) throws -> Token?
    /// The token with this hash and the user it was issued for, in one lookup: the
    /// hot path of every API call. The user is nil for a token issued to a client alone.
    func tokenWithUser(hash: String) throws -> (token: Token, user: User?)?
    /// The client with `clientID` and, when `tokenHash` is given, the token with that hash
    /// and its user, read together: an introspection's two lookups in one snapshot, and
    /// on SQLite one read transaction instead of two.
    func client(clientID: String, andToken tokenHash: String?) throws -> (
        client: Client?, token: (token: Token, user: User?)?
    )
    /// Records that a token was used, for "last used" on the account page. May be
    /// coalesced by the backend; it is a hint, not an audit record. May return before the
    /// write is committed, so that an API call never waits for it; the ticket tells when
    /// it is, for callers that care.
    @discardableResult
    func touchGrant(userID: Int64, clientRowID: Int64, at now: Date) throws -> CommitTicket
    /// Returns whether a token was revoked by this call.
    @discardableResult
    func revokeToken(hash: String, at now: Date) throws -> Bool
    func revokeTokens(issuedFromCode codeHash: String, at now: Date) throws
    func revokeTokens(familyID: String, at now: Date) throws

    // MARK: Sessions

    func createSession(_ session: Session) throws
    /// The session if it exists and has not expired at `now`.
    func session(idHash: String, at now: Date) throws -> Session?
    func deleteSession(idHash: String) throws

    // MARK: Login throttling

    /// Adds one failure under each key (for example `user:42` and `addr:10.0.0.1`) and
    /// returns the count of failures for each key within the window ending at `now`.
    func recordLoginFailure(keys: [String], at now: Date, window: TimeInterval) throws -> [Int]
    /// Failures for `key` within the window ending at `now`.
    func loginFailures(key: String, at now: Date, window: TimeInterval) throws -> Int
    func clearLoginFailures(key: String) throws

    // MARK: ID token signing keys and server secrets

    /// Every signing key, retired ones included, oldest first.
    func signingKeys() throws -> [StoredSigningKey]
    /// Stores `keys`; with `retiringOthersAt`, every other key not yet retired is retired
    /// at that time in the same transaction (a rotation). Throws
    /// ``StorageError/conflict(_:)`` (`kid`) when a key id is taken, and then stores none.
    func addSigningKeys(_ keys: [StoredSigningKey], retiringOthersAt: Date?) throws
    /// Deletes keys retired before `cutoff`; returns how many went.
    @discardableResult
    func deleteSigningKeys(retiredBefore cutoff: Date) throws -> Int
    /// The secret stored under `name`, storing `candidate` first when there is none. Of
    /// several processes asking at once, all get the value stored first.
    func serverSecret(name: String, candidate: String, at now: Date) throws -> String

    // MARK: Housekeeping

    /// Whether the database answers a trivial query.
    func ping() throws
    /// Deletes expired codes, device authorizations, sessions, tokens and old failure
    /// counts, in small batches.
    /// Returns how many rows went.
    @discardableResult
    func purgeExpired(at now: Date) throws -> Int
    /// Called once when the server stops, after the last request: a backend leaves its
    /// files so that the next start has nothing to recover.
    func finish() throws
}

extension Storage {
    /// A server database (PostgreSQL) keeps its own files tidy.
    public func finish() throws {}
}

/// A backend's connections at one moment, for `/metrics`.
public struct ConnectionPoolUsage: Sendable, Equatable {
    /// Connections a call holds right now.
    public var inUse: Int
    /// Connections open, in use or idle.
    public var open: Int
    /// The most the backend opens.
    public var capacity: Int
    /// Writes queued for the next commit and not committed yet.
    public var queuedWrites: Int

    public init(inUse: Int, open: Int, capacity: Int, queuedWrites: Int = 0) {
        self.inUse = inUse
        self.open = open
        self.capacity = capacity
        self.queuedWrites = queuedWrites
    }
}

public enum StorageError: Error, Sendable, Equatable {
    /// A uniqueness rule was broken; the associated value names the field.
    case conflict(String)
    /// The database could not be reached or answered with an error; the associated
    /// value is for the log, never for a client.
    case unavailable(String)
    /// Anything else the backend reports; for the log only.
    case failure(String)
}

extension Storage {
    public var queuesWrites: Bool { false }

    /// Stores at once: for backends without a commit queue to put the write in.
    public func storeTokensLater(_ tokens: [Token]) -> CommitTicket {
        do {
            try storeTokens(tokens)
            return .finished(nil)
        } catch let error as StorageError {
            return .finished(error)
        } catch {
            return .finished(.failure("\(error)"))
        }
    }

    /// Two separate lookups; a backend that can read both at once overrides this.
    public func client(clientID: String, andToken tokenHash: String?) throws -> (
        client: Client?, token: (token: Token, user: User?)?
    ) {
        let client = try client(clientID: clientID)
        return (client, try tokenHash.flatMap { try tokenWithUser(hash: $0) })
    }

    /// Two lookups; a backend that can join them in one query overrides this.
    public func tokenWithUser(hash: String) throws -> (token: Token, user: User?)? {
        guard let token = try token(hash: hash) else { return nil }
        return (token, try token.userID.flatMap { try user(id: $0) })
    }
}
