import Foundation
import LatchkeyOAuth
import LatchkeySQLite
import LatchkeyStorage
import Synchronization
import Testing

/// How a request to `/oauth/token`, `/oauth/revoke` or `/oauth/introspect` names and
/// authenticates its client.
enum ClientAuth: Sendable, CustomTestStringConvertible {
    /// `client_secret_basic`, id and secret form-encoded inside Basic (RFC 6749 §2.3.1).
    case basic(String, String)
    /// `client_secret_post`.
    case post(String, String)
    /// A public client: `client_id` in the body only.
    case publicClient(String)
    /// An `Authorization` header as given.
    case header(String)

    var testDescription: String {
        switch self {
        case .basic: "client_secret_basic"
        case .post: "client_secret_post"
        case .publicClient: "none"
        case .header: "raw header"
        }
    }
}

/// Both ways a confidential client authenticates, for tests that run with each.
enum ConfidentialMethod: String, CaseIterable, Sendable {
    case basic = "client_secret_basic"
    case post = "client_secret_post"

    func auth(_ clientID: String, _ secret: String) -> ClientAuth {
        self == .basic ? .basic(clientID, secret) : .post(clientID, secret)
    }
}

extension SeedWorld {
    /// A form POST to one of the client endpoints; `query` lands in the URL as is.
    func oauthPost(
        _ path: String, _ pairs: [(String, String)], auth: ClientAuth?, query: String? = nil
    ) throws -> TestResponse {
        var pairs = pairs
        var headers: [String: String] = [:]
        switch auth {
        case .basic(let id, let secret):
            let credentials = formEncodedForBasic(id) + ":" + formEncodedForBasic(secret)
            headers["Authorization"] = "Basic " + Data(credentials.utf8).base64EncodedString()
        case .post(let id, let secret):
            pairs += [("client_id", id), ("client_secret", secret)]
        case .publicClient(let id):
            pairs.append(("client_id", id))
        case .header(let value):
            headers["Authorization"] = value
        case nil:
            break
        }
        return try post(
            path + (query.map { "?" + $0 } ?? ""), headers: headers, body: urlEncoded(pairs))
    }

    func token(_ pairs: [(String, String)], auth: ClientAuth?, query: String? = nil) throws
        -> TestResponse
    {
        try oauthPost("/oauth/token", pairs, auth: auth, query: query)
    }

    /// The seed client with `client_secret_basic`.
    var seedBasic: ClientAuth { .basic(clientID, clientSecret) }

    /// A code for the seed client from the legacy web flow, which issues the same codes.
    func webFlowCode() async throws -> String {
        try await authorize(browser: try await signIn())
    }

    /// Tokens for the seed client from the authorization code grant.
    func codeGrantTokens(auth: ClientAuth? = nil) async throws -> [String: Any] {
        let code = try await webFlowCode()
        let response = try token(
            [("grant_type", "authorization_code"), ("code", code)], auth: auth ?? seedBasic)
        #expect(response.status == 200)
        return try #require(response.json)
    }

    /// Registers another client through the CLI.
    func makeClient(grants: String? = nil, isPublic: Bool = false) throws -> (
        clientID: String, clientSecret: String?
    ) {
        try server.createClient(
            name: "Other", url: "https://other.example", callbacks: ["https://other.example/cb"],
            public: isPublic, extraArguments: grants.map { ["--grants", $0] } ?? [])
    }

    /// Stores a code bound to a PKCE challenge straight in the server's database, as the
    /// authorization endpoint stores one: this branch has no `/oauth/authorize` yet, and
    /// the legacy `/authorize` takes no challenge. The running server reads the same
    /// SQLite file (WAL mode lets two processes share it).
    func storePKCECode(
        clientID: String, challenge: String?, method: String = "S256",
        redirectURI: String? = nil
    ) throws -> String {
        let path = String(server.databaseURL.dropFirst("sqlite:".count))
        let storage = try SQLiteStorage(path: path)
        let client = try #require(try storage.client(clientID: clientID))
        let user = try #require(try storage.user(login: SeedWorld.username))
        let code = CredentialKind.authorizationCode.generate()
        let now = Date()
        try storage.storeCode(
            AuthorizationCode(
                codeHash: storageHash(of: code), clientRowID: client.id, userID: user.id,
                redirectURI: redirectURI, scopes: ["profile", "email"], codeChallenge: challenge,
                codeChallengeMethod: challenge == nil ? nil : method, nonce: nil, createdAt: now,
                expiresAt: now.addingTimeInterval(60), usedAt: nil))
        return code
    }
}

/// RFC 6749 §2.3.1 before Basic: everything but unreserved characters percent-encoded.
func formEncodedForBasic(_ text: String) -> String {
    text.addingPercentEncoding(
        withAllowedCharacters: CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"))!
}

/// The checks every error of the client endpoints shares (RFC 6749 §5.2).
func expectOAuthError(
    _ response: TestResponse, status: Int, error: String, challenge: Bool? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(response.json?["error"] as? String == error, sourceLocation: sourceLocation)
    #expect(response.json?["error_description"] is String, sourceLocation: sourceLocation)
    #expect(response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
    #expect(response.headers["Cache-Control"] == "no-store", sourceLocation: sourceLocation)
    #expect(response.headers["Pragma"] == "no-cache", sourceLocation: sourceLocation)
    let sentChallenge = response.headers["WWW-Authenticate"]
    switch challenge ?? (status == 401) {
    case true:
        #expect(
            sentChallenge?.hasPrefix(#"Basic realm="latchkey""#) == true,
            sourceLocation: sourceLocation)
    case false:
        #expect(sentChallenge == nil, sourceLocation: sourceLocation)
    }
}

/// Runs `body` on `count` threads released at the same moment, and returns the results.
func simultaneously<T: Sendable>(_ count: Int, _ body: @escaping @Sendable () -> T) -> [T] {
    let results = Mutex<[T]>([])
    let start = DispatchSemaphore(value: 0)
    let group = DispatchGroup()
    for _ in 0..<count {
        group.enter()
        Thread {
            start.wait()
            let result = body()
            results.withLock { $0.append(result) }
            group.leave()
        }.start()
    }
    for _ in 0..<count { start.signal() }
    group.wait()
    return results.withLock { $0 }
}
