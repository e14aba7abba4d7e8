import LatchkeyCrypto
import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Tokens as handed to a client, before they become a JSON body.
public struct IssuedTokens: Sendable, Equatable {
    public var accessToken: String
    /// Seconds until the access token expires; nil when it lives until revoked.
    public var expiresIn: Int?
    public var scopes: [String]
    /// For the log: the first 8 hex digits of the access token's hash.
    public var accessTokenHashPrefix: String

    /// RFC 6749 §5.1. Legacy responses carry `expires_in` only when the token expires.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("access_token", .string(accessToken)), ("token_type", .string("Bearer")),
        ]
        if let expiresIn { members.append(("expires_in", .int(Int64(expiresIn)))) }
        members.append(("scope", .string(scopes.scopeString)))
        return .object(members)
    }
}

/// Mints and stores access tokens.
public struct TokenIssuer: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Issues an access token for the legacy endpoints: no expiry unless the operator
    /// set a lifetime. With `recordingGrant`, the user's grant to the client is recorded
    /// in the token's own transaction (a sign-in that is itself consent).
    public func issueLegacyAccessToken(
        client: Client, userID: Int64, scopes: [String], codeHash: String?,
        recordingGrant: Bool = false
    ) throws(OAuthError) -> IssuedTokens {
        let now = context.clock.now()
        let lifetime = context.configuration.legacyTokenLifetime
        let token = CredentialKind.accessToken.generate()
        let hash = storageHash(of: token)
        let record = Token(
            tokenHash: hash, kind: .access, clientRowID: client.id, userID: userID,
            scopes: scopes, createdAt: now, expiresAt: lifetime.map(now.addingTimeInterval),
            revokedAt: nil, codeHash: codeHash, familyID: Self.newFamilyID(at: now))
        try store([record], recordingGrant ? (userID, client.id, scopes) : nil, at: now)

        return IssuedTokens(
            accessToken: token, expiresIn: lifetime.map { Int($0) }, scopes: scopes,
            accessTokenHashPrefix: String(hash.prefix(8)))
    }
}

/// Tokens minted for `/oauth/token` but not stored yet: what the client will be told,
/// and the records that must reach the store first.
struct MintedTokens: Sendable {
    var response: TokenResponse
    var records: [Token]
}

extension TokenIssuer {
    /// Issues a standard access token, and a refresh token when `refreshable`, as one new
    /// family stored in one transaction (SPEC §4): all or nothing.
    /// With `openid` among a user's scopes, the response carries an ID token for the
    /// sign-in at `authTime` and the request's `nonce`.
    /// With `recordingGrant` and a user, the user's grant to the client is recorded in the
    /// same transaction (a sign-in that is itself consent, as the password grant is).
    public func issueTokens(
        client: Client, userID: Int64?, scopes: [String], refreshable: Bool, codeHash: String?,
        authTime: Date? = nil, nonce: String? = nil, recordingGrant: Bool = false
    ) throws(OAuthError) -> TokenResponse {
        let now = context.clock.now()
        let minted = try mint(
            client: client, userID: userID, scopes: scopes,
            refreshScopes: refreshable ? scopes : nil,
            familyID: Self.newFamilyID(at: now),
            codeHash: codeHash, authTime: authTime, nonce: nonce)
        let grant = recordingGrant ? userID.map { ($0, client.id, scopes) } : nil
        try store(minted.records, grant, at: now)
        return minted.response
    }

    /// Stores `records`, with the grant of `userID` to `clientRowID` when one is given.
    private func store(
        _ records: [Token], _ grant: (userID: Int64, clientRowID: Int64, scopes: [String])?,
        at now: Date
    ) throws(OAuthError) {
        try context.store {
            guard let grant else { return try context.storage.storeTokens(records) }
            try context.storage.storeTokens(
                records, recordingGrantOf: grant.userID, clientRowID: grant.clientRowID,
                scopes: grant.scopes, at: now)
        }
    }

    /// Issues tokens as ``issueTokens(client:userID:scopes:refreshable:codeHash:authTime:nonce:)``
    /// does, but queues them for their commit instead of waiting for it: the response
    /// may be sent only once the ticket finishes without an error. The thread that
    /// would have slept until the commit serves other requests meanwhile.
    public func issueTokensQueued(
        client: Client, userID: Int64?, scopes: [String], refreshable: Bool
    ) throws(OAuthError) -> (response: TokenResponse, stored: CommitTicket) {
        let minted = try mint(
            client: client, userID: userID, scopes: scopes,
            refreshScopes: refreshable ? scopes : nil,
            familyID: Self.newFamilyID(at: context.clock.now()), codeHash: nil)
        return (minted.response, context.storage.storeTokensLater(minted.records))
    }

    /// Builds an access token and, when `refreshScopes` is set, a refresh token carrying
    /// those scopes, both in `familyID`, without storing them (rotation stores them in
    /// the same transaction that retires the old refresh token). The ID token is signed
    /// before anything is stored, so a signing failure leaves no orphaned tokens.
    func mint(
        client: Client, userID: Int64?, scopes: [String], refreshScopes: [String]?,
        familyID: String, codeHash: String?, authTime: Date? = nil, nonce: String? = nil
    ) throws(OAuthError) -> MintedTokens {
        let now = context.clock.now()
        let configuration = context.configuration
        let accessToken = CredentialKind.accessToken.generate()
        let accessHash = storageHash(of: accessToken)
        var records = [
            Token(
                tokenHash: accessHash, kind: .access, clientRowID: client.id, userID: userID,
                scopes: scopes, createdAt: now,
                expiresAt: now.addingTimeInterval(configuration.accessTokenLifetime),
                revokedAt: nil, codeHash: codeHash, familyID: familyID, authTime: authTime)
        ]

        var refreshToken: String?
        if let refreshScopes {
            let token = CredentialKind.refreshToken.generate()
            refreshToken = token
            records.append(
                Token(
                    tokenHash: storageHash(of: token), kind: .refresh, clientRowID: client.id,
                    userID: userID, scopes: refreshScopes, createdAt: now,
                    expiresAt: now.addingTimeInterval(configuration.refreshTokenLifetime),
                    revokedAt: nil, codeHash: codeHash, familyID: familyID, authTime: authTime))
        }

        var response = TokenResponse(
            accessToken: accessToken, expiresIn: Int(configuration.accessTokenLifetime),
            refreshToken: refreshToken, scopes: scopes,
            accessTokenHashPrefix: String(accessHash.prefix(8)))
        if let userID, scopes.contains("openid") {
            response.idToken = try IDToken(context: context).issue(
                for: .init(userID: userID, authTime: authTime, nonce: nonce), client: client,
                scopes: scopes, accessToken: accessToken)
        }
        return MintedTokens(response: response, records: records)
    }

    /// Every token descended from one authorization shares this id: 48 bits of
    /// milliseconds since 1970, then 80 random bits. Leading with the time makes the
    /// indexes that contain it grow at their end, so storing a token touches pages that
    /// the tokens stored just before it touched too, instead of a random leaf each.
    static func newFamilyID(at now: Date) -> String {
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let time = (0..<6).reversed().map { UInt8(truncatingIfNeeded: milliseconds >> ($0 * 8)) }
        return Hex.encode(time + SecureRandom.bytes(count: 10))
    }
}
