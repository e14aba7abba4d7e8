import LatchkeyCrypto
import LatchkeyStorage

/// What every piece of protocol logic works with: the store, the operator's choices,
/// the clock and the password hasher.
public struct OAuthContext: Sendable {
    public var storage: any Storage
    public var configuration: OAuthConfiguration
    public var clock: Clock
    public var passwordHasher: PasswordHasher
    /// Shared by every request of this process.
    public let recentGrantUse = RecentGrantUse()
    /// ID token signing keys, unsealed once per process and shared by every request.
    public let signingKeys = SigningKeyRing()
    /// Where failures that leave the answer unchanged go; the server logs them.
    public var reportFailure: RecoverableFailureSink = { _ in }

    public init(
        storage: any Storage, configuration: OAuthConfiguration = OAuthConfiguration(),
        clock: Clock = .system, passwordHasher: PasswordHasher = PasswordHasher()
    ) {
        self.storage = storage
        self.configuration = configuration
        self.clock = clock
        self.passwordHasher = passwordHasher
    }

    /// Runs a storage call, turning its failure into `server_error` with the cause kept
    /// for the log.
    public func store<T>(_ body: () throws -> T) throws(OAuthError) -> T {
        do {
            return try body()
        } catch let error as OAuthError {
            throw error
        } catch let error as StorageError {
            throw Self.oauthError(for: error)
        } catch {
            throw OAuthError.serverError(detail: "storage: \(error)")
        }
    }

    /// What a client is told when a storage call failed: `temporarily_unavailable` when
    /// the database could not be reached, `server_error` otherwise.
    public static func oauthError(for error: StorageError) -> OAuthError {
        if case .unavailable(let reason) = error {
            return OAuthError.unavailable(detail: "storage: \(reason)")
        }
        return OAuthError.serverError(detail: "storage: \(error)")
    }
}
