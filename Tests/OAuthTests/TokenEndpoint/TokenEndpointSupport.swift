import Foundation
import LatchkeyCrypto
import LatchkeyStorage
import Synchronization
import Testing

@testable import LatchkeyOAuth

/// RFC 7636 appendix B.
enum RFC7636 {
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
}

extension Fixture {
    /// A client registered straight in the store, with the grants and scope limits a
    /// test needs; `secret` nil makes it public.
    func makeClient(
        grantTypes: [String]? = nil, allowedScopes: [String] = [],
        isPublic: Bool = false, callbacks: [String] = ["https://other.example/cb"]
    ) throws -> (client: Client, secret: String?) {
        let grantTypes = grantTypes ?? ClientRegistry.defaultGrantTypes(isPublic: isPublic)
        let secret = isPublic ? nil : CredentialKind.clientSecret.generate()
        let secretHash = try secret.map(context.storedHash(ofClientSecret:))
        let client = try context.storage.createClient(
            NewClient(
                clientID: Hex.encode(SecureRandom.bytes(count: 16)), name: "Other",
                mainURL: "https://other.example", callbackURLs: callbacks,
                secretHash: secretHash, ownerUserID: nil,
                grantTypes: grantTypes, defaultScopes: ScopeCatalog.defaultScopes,
                allowedScopes: allowedScopes, createdAt: clock.clock.now()))
        return (client, secret)
    }

    /// A code stored directly, as the authorization endpoint would store one, with or
    /// without a PKCE challenge.
    func storeCode(
        for client: Client? = nil, challenge: String? = nil, method: String? = PKCE.s256,
        redirectURI: String? = nil, scopes: [String] = ["profile", "email"]
    ) throws -> String {
        let code = CredentialKind.authorizationCode.generate()
        let now = clock.clock.now()
        try context.storage.storeCode(
            AuthorizationCode(
                codeHash: storageHash(of: code), clientRowID: (client ?? self.client).id,
                userID: user.id, redirectURI: redirectURI, scopes: scopes,
                codeChallenge: challenge, codeChallengeMethod: challenge == nil ? nil : method,
                nonce: nil, createdAt: now, expiresAt: now.addingTimeInterval(60), usedAt: nil))
        return code
    }

    /// A token request authenticated with `client_secret_post` as the fixture's client.
    func post(_ pairs: [(String, String)], clientID: String? = nil, secret: String? = nil)
        -> ClientRequest
    {
        let credentials = [
            ("client_id", clientID ?? client.clientID), ("client_secret", secret ?? clientSecret),
        ]
        return ClientRequest(form: (pairs + credentials).map { (name: $0.0, value: $0.1) })
    }

    /// A request with the given form and nothing else.
    func form(_ pairs: [(String, String)], authorization: PresentedAuthorization = .none)
        -> ClientRequest
    {
        ClientRequest(form: pairs.map { (name: $0.0, value: $0.1) }, authorization: authorization)
    }

    var tokenEndpoint: TokenEndpoint { TokenEndpoint(context: context) }

    /// The stored record of a token the endpoint handed out.
    func stored(_ token: String) throws -> Token? {
        try context.storage.token(hash: storageHash(of: token))
    }

    func isActive(_ token: String) throws -> Bool {
        try stored(token)?.isActive(at: clock.clock.now()) ?? false
    }
}

/// Expects `body` to throw an `OAuthError` with this code and status, and returns it.
@discardableResult
func expectOAuthError(
    _ code: OAuthError.Code, status: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> OAuthError? {
    do {
        try body()
        Issue.record("expected \(code.rawValue), got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as OAuthError {
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(
            error.status == status ?? OAuthError.defaultStatus(for: code),
            sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Collects audit events for a test to look at.
final class AuditRecorder: Sendable {
    private let recorded = Mutex<[AuditEvent]>([])

    var events: [AuditEvent] { recorded.withLock { $0 } }

    var sink: AuditSink { { [self] event in recorded.withLock { $0.append(event) } } }
}
