import LatchkeyCrypto
import LatchkeyStorage
import Synchronization
import Testing

@testable import LatchkeyOAuth

/// Client secrets as registration stores them and client authentication checks them,
/// legacy SHA-256 rows included (SPEC §4, §9; RFC 6749 §2.3.1).
struct ClientSecretTests {
    private func storedHash(_ fixture: Fixture, _ client: Client) throws -> String? {
        try fixture.context.storage.client(id: client.id)?.secretHash
    }

    private func keyedHash(_ secret: String) -> String {
        ClientSecretHasher(keyEncryptionKey: Fixture.keyEncryptionKey).storedHash(of: secret)
    }

    /// `client_secret_post` through the token endpoints' authenticator.
    private func authenticate(
        _ context: OAuthContext, _ client: Client, secret: String
    ) throws -> AuthenticatedClient {
        try ClientAuthenticator(context: context).authenticate(
            ["client_id": client.clientID, "client_secret": secret], authorization: .none)
    }

    /// What an earlier version left in the row: the plain SHA-256 hex of the secret.
    private func makeLegacyClient(_ fixture: Fixture) throws -> (Client, String) {
        let (client, secret) = try fixture.makeClient()
        let legacy = SHA256.hexDigest(try #require(secret))
        try fixture.context.storage.updateClientSecret(id: client.id, secretHash: legacy)
        return (try #require(try fixture.context.storage.client(id: client.id)), secret!)
    }

    // MARK: Making secrets

    @Test func register_storesTheKeyedHashOfTheSecretShownOnce() throws {
        let fixture = try Fixture()

        let stored = try #require(try storedHash(fixture, fixture.client))

        #expect(stored == keyedHash(fixture.clientSecret))
        #expect(stored.hasPrefix("hmac-sha256:"))
        #expect(stored.utf8.count == "hmac-sha256:".utf8.count + 64)
    }

    @Test func rotateSecret_storesTheKeyedHash_andOnlyTheNewSecretWorks() throws {
        let fixture = try Fixture()

        let secret = try ClientRegistry(context: fixture.context).rotateSecret(of: fixture.client)

        #expect(try storedHash(fixture, fixture.client) == keyedHash(secret))
        #expect(try authenticate(fixture.context, fixture.client, secret: secret).isConfidential)
        expectOAuthError(.invalidClient, status: 401) {
            _ = try authenticate(fixture.context, fixture.client, secret: fixture.clientSecret)
        }
    }

    // MARK: Legacy rows

    @Test func legacyRow_rightSecret_authenticatesAndIsStoredKeyed() throws {
        let fixture = try Fixture()
        let (client, secret) = try makeLegacyClient(fixture)

        let result = try authenticate(fixture.context, client, secret: secret)

        #expect(result.client.id == client.id)
        #expect(result.method == .clientSecretPost)
        #expect(try storedHash(fixture, client) == keyedHash(secret))
        // The upgraded row is what the next request reads.
        let upgraded = try #require(try fixture.context.storage.client(id: client.id))
        #expect(try authenticate(fixture.context, upgraded, secret: secret).client.id == client.id)
    }

    /// The seed's endpoints authenticate clients with their own helper; it upgrades too.
    @Test func legacyRow_onTheLegacyEndpoints_authenticatesAndIsStoredKeyed() throws {
        let fixture = try Fixture()
        let (client, secret) = try makeLegacyClient(fixture)

        let authenticated = try ClientAuthentication(context: fixture.context).authenticate(
            clientID: client.clientID, secret: secret)

        #expect(authenticated.id == client.id)
        #expect(try storedHash(fixture, client) == keyedHash(secret))
    }

    @Test func legacyRow_wrongSecret_isInvalidClient_andTheRowIsUnchanged() throws {
        let fixture = try Fixture()
        let (client, secret) = try makeLegacyClient(fixture)

        let error = expectOAuthError(.invalidClient, status: 401) {
            _ = try authenticate(
                fixture.context, client, secret: CredentialKind.clientSecret.generate())
        }

        #expect(error?.description == "Client authentication failed.")
        #expect(error?.detail == "wrong secret")
        #expect(try storedHash(fixture, client) == SHA256.hexDigest(secret))
    }

    /// The store refusing the upgrade costs the client nothing: it is reported for the
    /// log, without the secret, and the next authentication tries again.
    @Test func legacyRow_upgradeFails_stillAuthenticates_andIsReported() throws {
        let fixture = try Fixture()
        let (client, secret) = try makeLegacyClient(fixture)
        var context = OAuthContext(
            storage: FailingStorage(
                fixture.context.storage, failsTokenWrites: false, failsClientSecretWrites: true),
            configuration: fixture.context.configuration, clock: fixture.clock.clock)
        let recorder = FailureRecorder()
        context.reportFailure = recorder.sink

        let result = try authenticate(context, client, secret: secret)

        #expect(result.client.id == client.id)
        #expect(try storedHash(fixture, client) == SHA256.hexDigest(secret))
        #expect(
            recorder.failures == [
                .clientSecretUpgrade(
                    clientID: client.clientID, detail: "failure(\"disk on fire at /var/db\")")
            ])
        #expect(try authenticate(fixture.context, client, secret: secret).client.id == client.id)
        #expect(try storedHash(fixture, client) == keyedHash(secret))
    }

    /// A rotation between reading the legacy row and upgrading it wins: the old secret
    /// must not come back.
    @Test func legacyRow_rotatedWhileBeingProved_staysRotated() throws {
        let fixture = try Fixture()
        let (staleRow, oldSecret) = try makeLegacyClient(fixture)
        let newSecret = try ClientRegistry(context: fixture.context).rotateSecret(of: staleRow)

        // The request that read the row before the rotation finishes its check: as if it
        // had come a moment earlier, it is accepted, but it must not write the old secret.
        #expect(try fixture.context.verifyClientSecret(oldSecret, of: staleRow))

        #expect(try storedHash(fixture, staleRow) == keyedHash(newSecret))
        let current = try #require(try fixture.context.storage.client(id: staleRow.id))
        expectOAuthError(.invalidClient, status: 401) {
            _ = try authenticate(fixture.context, current, secret: oldSecret)
        }
        #expect(try authenticate(fixture.context, current, secret: newSecret).isConfidential)
    }

    // MARK: Another key, no key

    /// A database moved to a deployment with another key encryption key: its keyed hashes
    /// confirm nothing there, and the answer is the one for a wrong secret.
    @Test func otherKeyEncryptionKey_refusesTheSecret_asAWrongSecret() throws {
        let fixture = try Fixture()
        var configuration = fixture.context.configuration
        configuration.keyEncryptionKey = [UInt8](repeating: 0x4c, count: 32)
        let other = OAuthContext(storage: fixture.context.storage, configuration: configuration)

        let error = expectOAuthError(.invalidClient, status: 401) {
            _ = try authenticate(other, fixture.client, secret: fixture.clientSecret)
        }

        #expect(error?.description == "Client authentication failed.")
        #expect(error?.detail == "wrong secret")
        #expect(try storedHash(fixture, fixture.client) == keyedHash(fixture.clientSecret))
    }

    @Test func withoutKeyEncryptionKey_registeringIsServerError_andStoresNothing() throws {
        let fixture = try Fixture()
        var configuration = fixture.context.configuration
        configuration.keyEncryptionKey = nil
        let keyless = OAuthContext(storage: fixture.context.storage, configuration: configuration)
        let before = try fixture.context.storage.clients().count

        let error = expectOAuthError(.serverError, status: 500) {
            _ = try ClientRegistry(context: keyless).register(
                .init(
                    name: "Keyless", mainURL: "https://k.example",
                    callbackURLs: ["https://k.example/cb"]), ownerUserID: nil, isPublic: false)
        }

        #expect(
            error?.detail == "client secrets cannot be hashed: no key encryption key is configured")
        #expect(try fixture.context.storage.clients().count == before)
        expectOAuthError(.serverError, status: 500) {
            _ = try ClientRegistry(context: keyless).rotateSecret(of: fixture.client)
        }
        #expect(try storedHash(fixture, fixture.client) == keyedHash(fixture.clientSecret))
    }

    /// No unkeyed fallback: without the key even a legacy row is not checked, so a
    /// misconfigured server fails loudly instead of quietly accepting weaker hashes.
    @Test func withoutKeyEncryptionKey_authenticatingIsServerError_evenForALegacyRow() throws {
        let fixture = try Fixture()
        let (legacyClient, legacySecret) = try makeLegacyClient(fixture)
        var configuration = fixture.context.configuration
        configuration.keyEncryptionKey = nil
        let keyless = OAuthContext(storage: fixture.context.storage, configuration: configuration)

        expectOAuthError(.serverError, status: 500) {
            _ = try authenticate(keyless, fixture.client, secret: fixture.clientSecret)
        }
        expectOAuthError(.serverError, status: 500) {
            _ = try authenticate(keyless, legacyClient, secret: legacySecret)
        }
        #expect(try storedHash(fixture, legacyClient) == SHA256.hexDigest(legacySecret))
    }

    /// Public clients have no secret and need no key.
    @Test func withoutKeyEncryptionKey_publicClientStillAuthenticates() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(isPublic: true)
        var configuration = fixture.context.configuration
        configuration.keyEncryptionKey = nil
        let keyless = OAuthContext(storage: fixture.context.storage, configuration: configuration)

        let result = try ClientAuthenticator(context: keyless).authenticate(
            ["client_id": client.clientID], authorization: .none)

        #expect(result.method == .none)
    }

    // MARK: Bad secrets

    /// Malformed, truncated, oversized or foreign secrets fail like a wrong one, against
    /// a keyed row and a legacy row alike, and change neither row.
    @Test(arguments: BadSecret.allCases)
    func badSecret_isInvalidClient_andChangesNoRow(bad: BadSecret) throws {
        let fixture = try Fixture()
        let (legacyClient, legacySecret) = try makeLegacyClient(fixture)

        for (client, secret) in [
            (fixture.client, fixture.clientSecret), (legacyClient, legacySecret),
        ] {
            let stored = try storedHash(fixture, client)
            let presented = bad.secret(for: secret, storedHash: stored ?? "")
            let error = expectOAuthError(.invalidClient, status: 401) {
                _ = try authenticate(fixture.context, client, secret: presented)
            }
            #expect(error?.description == "Client authentication failed.")
            #expect(try storedHash(fixture, client) == stored)
        }
    }

    enum BadSecret: CaseIterable, Sendable {
        case truncated, extended, checksumBroken, otherPrefix, oversized, nonASCII
        case storedHashItself, bareSHA256OfTheSecret

        func secret(for secret: String, storedHash: String) -> String {
            switch self {
            case .truncated: String(secret.dropLast())
            case .extended: secret + "A"
            case .checksumBroken: String(secret.dropLast()) + (secret.hasSuffix("A") ? "B" : "A")
            case .otherPrefix: "lka_" + secret.dropFirst(4)
            case .oversized: secret + String(repeating: "A", count: 1 << 20)
            case .nonASCII: String(secret.dropLast()) + "é"
            case .storedHashItself: storedHash
            case .bareSHA256OfTheSecret: SHA256.hexDigest(secret)
            }
        }
    }
}

/// Collects what the OAuth core reports for the log.
private final class FailureRecorder: Sendable {
    private let recorded = Mutex<[RecoverableFailure]>([])

    var failures: [RecoverableFailure] { recorded.withLock { $0 } }

    var sink: RecoverableFailureSink {
        { [self] failure in recorded.withLock { $0.append(failure) } }
    }
}
