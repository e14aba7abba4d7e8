import Foundation
import LatchkeyCrypto
import LatchkeyOAuth
import LatchkeySQLite
import LatchkeyStorage
import Synchronization

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_796_316_120))

    var clock: Clock { Clock { [self] in current.withLock { $0 } } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A fresh SQLite database in a temporary folder, with one user and one client.
struct Fixture {
    let context: OAuthContext
    let clock: ManualClock
    let user: User
    let client: Client
    let clientSecret: String

    static let password = "correct horse battery"
    /// What `latchkey serve` always has; a test that needs none sets it to nil.
    static let keyEncryptionKey = [UInt8](repeating: 0x4b, count: 32)

    init(configure: (inout OAuthConfiguration) -> Void = { _ in }) throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("latchkey-oauth-\(UUID().uuidString)")
        let storage = try SQLiteStorage(path: folder.appendingPathComponent("test.db").path)
        try storage.migrate()
        var configuration = OAuthConfiguration()
        configuration.keyEncryptionKey = Self.keyEncryptionKey
        configure(&configuration)
        let clock = ManualClock()
        // A cheap Argon2id cost: these tests check the protocol, not the hash's strength.
        let context = OAuthContext(
            storage: storage, configuration: configuration, clock: clock.clock,
            passwordHasher: PasswordHasher(iterations: 1, memoryKiB: 1024, parallelism: 1))
        self.context = context
        self.clock = clock
        user = try Accounts(context: context).signUp(
            username: "steve", email: "steve@goat-simulator.com", name: "Steve",
            password: Self.password)
        let registration = try ClientRegistry(context: context).register(
            .init(
                name: "Goat", mainURL: "https://goat.example",
                callbackURLs: [
                    "https://goat.example/cb", "https://goat.example/other",
                ]), ownerUserID: user.id, isPublic: false)
        client = registration.client
        clientSecret = registration.secret!
    }

    func parameters(_ pairs: [String: [String]]) -> (String) -> [String] {
        { pairs[$0] ?? [] }
    }

    /// Runs the web flow up to the code, as if the user clicked Allow.
    func code(scope: String? = nil, redirectURI: String? = nil) throws -> String {
        var pairs = ["client_id": [client.clientID]]
        if let scope { pairs["scope"] = [scope] }
        if let redirectURI { pairs["redirect_uri"] = [redirectURI] }
        let flow = AuthorizationEndpoint(context: context, dialect: .legacy)
        let request = try flow.validate(parameters(pairs))
        let location = try flow.allow(request, userID: user.id)
        let query = URLComponents(string: location)!.queryItems!
        return query.first { $0.name == "code" }!.value!
    }
}
