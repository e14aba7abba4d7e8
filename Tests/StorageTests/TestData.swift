import Foundation
import LatchkeyStorage

/// Whole seconds, because stores keep dates to the millisecond and equality of Dates
/// read back is only exact for values that fit.
let epoch = Date(timeIntervalSince1970: 1_800_000_000)

func at(_ seconds: TimeInterval) -> Date {
    epoch.addingTimeInterval(seconds)
}

func newUser(_ username: String = "alice", email: String? = nil) -> NewUser {
    NewUser(
        username: username, email: email ?? "\(username)@example.com", name: "Name of \(username)",
        passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", createdAt: epoch)
}

func newClient(_ clientID: String = "client-1", owner: Int64? = nil) -> NewClient {
    NewClient(
        clientID: clientID, name: "App \(clientID)", mainURL: "https://app.example/",
        callbackURLs: ["https://app.example/callback", "http://127.0.0.1/cb"],
        secretHash: "secret-hash-\(clientID)", ownerUserID: owner,
        grantTypes: ["authorization_code", "refresh_token"], defaultScopes: ["read"],
        allowedScopes: ["read", "write"], createdAt: epoch)
}

func code(
    _ hash: String, client: Int64, user: Int64, expiresIn seconds: TimeInterval = 60
) -> AuthorizationCode {
    AuthorizationCode(
        codeHash: hash, clientRowID: client, userID: user,
        redirectURI: "https://app.example/callback", scopes: ["read", "write"],
        codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", codeChallengeMethod: "S256",
        nonce: "n-0S6_WzA2Mj", createdAt: epoch, expiresAt: at(seconds), usedAt: nil)
}

func token(
    _ hash: String, client: Int64, user: Int64?, kind: TokenKind = .access,
    expiresAt: Date? = at(3600), codeHash: String? = nil, family: String = "family-1"
) -> Token {
    Token(
        tokenHash: hash, kind: kind, clientRowID: client, userID: user, scopes: ["read"],
        createdAt: epoch, expiresAt: expiresAt, revokedAt: nil, codeHash: codeHash,
        familyID: family)
}

/// A store with one user and one client, the starting point of most tests.
struct Seeded {
    let fixture: StorageFixture
    let user: User
    let client: Client
    var store: any Storage { fixture.store }

    init(_ backend: StorageBackend) throws {
        fixture = try backend.makeFixture()
        user = try fixture.store.createUser(newUser())
        client = try fixture.store.createClient(newClient(owner: user.id))
    }
}
