import LatchkeyCrypto
import LatchkeyStorage
import LatchkeyThreads

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The keys that sign ID tokens: one current key per algorithm, created on first need,
/// replaced by ``rotate(_:)``, and published in the JWKS until every token a retired key
/// signed has expired.
///
/// The database holds the keys for every process (private keys sealed with AES-256-GCM
/// under the operator's key encryption key, the key id as associated data so a sealed
/// key cannot be moved to another row). Each process unseals a key once and keeps it;
/// which key is current is read from the database on every signature, so a rotation by
/// `latchkey keys rotate` or another instance takes effect at once.
public final class SigningKeyRing: @unchecked Sendable {
    private let lock = Lock()
    /// Held while keys are created, so that one process creates one key per algorithm
    /// however many requests need one at the same moment.
    private let creation = Lock()
    private var unsealed: [String: SigningKey] = [:]
    private var subjectKey: [UInt8]?

    public init() {}

    /// The current key for `algorithm`, creating the keys on first use.
    func currentKey(_ algorithm: SigningAlgorithm, _ context: OAuthContext)
        throws(OAuthError) -> (kid: String, key: SigningKey)
    {
        let stored = try ensureKeys(context)
        // Two processes starting together may both create keys; the newest wins, the
        // same choice in every process, and both stay published.
        guard
            let current = stored.last(where: {
                $0.algorithm == algorithm.rawValue && $0.retiredAt == nil
            })
        else {
            throw OAuthError.serverError(detail: "no current \(algorithm.rawValue) signing key")
        }
        return (current.kid, try unseal(current, context))
    }

    /// Every stored key, after creating a current key for each algorithm that has none.
    @discardableResult
    public func ensureKeys(_ context: OAuthContext) throws(OAuthError) -> [StoredSigningKey] {
        let stored = try context.store { try context.storage.signingKeys() }
        let missing = SigningAlgorithm.allCases.filter { algorithm in
            !stored.contains { $0.algorithm == algorithm.rawValue && $0.retiredAt == nil }
        }
        guard !missing.isEmpty else { return stored }

        creation.lock()
        defer { creation.unlock() }
        // Another thread may have created them while this one waited.
        let current = try context.store { try context.storage.signingKeys() }
        let stillMissing = missing.filter { algorithm in
            !current.contains { $0.algorithm == algorithm.rawValue && $0.retiredAt == nil }
        }
        guard !stillMissing.isEmpty else { return current }
        let created = try stillMissing.map { algorithm throws(OAuthError) in
            try makeKey(algorithm, context)
        }
        try context.store {
            try context.storage.addSigningKeys(created, retiringOthersAt: nil)
        }
        return try context.store { try context.storage.signingKeys() }
    }

    /// New current keys for every algorithm; the old ones are retired, still published
    /// until `idTokenLifetime` has passed, and deleted after that.
    public func rotate(_ context: OAuthContext) throws(OAuthError) -> [StoredSigningKey] {
        let now = context.clock.now()
        let created = try SigningAlgorithm.allCases.map { algorithm throws(OAuthError) in
            try makeKey(algorithm, context)
        }
        try context.store {
            try context.storage.addSigningKeys(created, retiringOthersAt: now)
            try context.storage.deleteSigningKeys(
                retiredBefore: now.addingTimeInterval(-context.configuration.idTokenLifetime))
        }
        return created
    }

    /// Current keys, and retired keys that may still have signed a live ID token.
    func publishedKeys(_ context: OAuthContext) throws(OAuthError) -> [StoredSigningKey] {
        let now = context.clock.now()
        let lifetime = context.configuration.idTokenLifetime
        return try ensureKeys(context).filter { key in
            guard let retiredAt = key.retiredAt else { return true }
            return retiredAt.addingTimeInterval(lifetime) > now
        }
    }

    /// Checks that every current key opens with the configured key encryption key, so
    /// that a wrong key is reported when the server starts, not at the first sign-in.
    /// Creates no key: on a new database there is nothing to check.
    public func checkUnsealing(_ context: OAuthContext) throws(OAuthError) {
        let stored = try context.store { try context.storage.signingKeys() }
        for key in stored where key.retiredAt == nil {
            _ = try unseal(key, context)
        }
    }

    private func makeKey(_ algorithm: SigningAlgorithm, _ context: OAuthContext)
        throws(OAuthError) -> StoredSigningKey
    {
        let encryptionKey = try Self.keyEncryptionKey(context)
        do {
            let key = try SigningKey.generate(algorithm)
            let publicKeyDER = try key.publicKeyDER
            let kid = try Self.thumbprint(
                PublicKey(der: publicKeyDER, algorithm: algorithm).jwkMembers())
            let sealed = try AESGCM.seal(
                key.privateKeyDER, key: encryptionKey, associatedData: Self.associatedData(kid))
            lock.withLock { unsealed[kid] = key }
            return StoredSigningKey(
                kid: kid, algorithm: algorithm.rawValue,
                publicKey: Data(publicKeyDER).base64EncodedString(),
                sealedPrivateKey: Data(sealed).base64EncodedString(),
                createdAt: context.clock.now(), retiredAt: nil)
        } catch {
            throw OAuthError.serverError(detail: "signing key generation: \(error)")
        }
    }

    private func unseal(_ stored: StoredSigningKey, _ context: OAuthContext)
        throws(OAuthError) -> SigningKey
    {
        if let key = lock.withLock({ unsealed[stored.kid] }) { return key }

        let encryptionKey = try Self.keyEncryptionKey(context)
        guard let algorithm = SigningAlgorithm(rawValue: stored.algorithm),
            let sealed = Data(base64Encoded: stored.sealedPrivateKey),
            let der = AESGCM.open(
                [UInt8](sealed), key: encryptionKey,
                associatedData: Self.associatedData(stored.kid))
        else {
            throw OAuthError.serverError(
                detail:
                    "signing key \(stored.kid) does not open with the configured key encryption key"
            )
        }
        do {
            let key = try SigningKey(privateKeyDER: der, algorithm: algorithm)
            lock.withLock { unsealed[stored.kid] = key }
            return key
        } catch {
            throw OAuthError.serverError(detail: "signing key \(stored.kid): \(error)")
        }
    }

    private static func keyEncryptionKey(_ context: OAuthContext) throws(OAuthError) -> [UInt8] {
        guard let key = context.configuration.keyEncryptionKey, key.count == AESGCM.keyLength
        else {
            throw OAuthError.serverError(detail: "no key encryption key is configured")
        }
        return key
    }

    static func associatedData(_ kid: String) -> [UInt8] {
        Array("latchkey signing key \(kid)".utf8)
    }

    /// RFC 7638 §3: the SHA-256 of the required members, in lexicographic order, with no
    /// whitespace. Deterministic, so every process names a key the same way.
    static func thumbprint(_ members: [(name: String, value: String)]) -> String {
        let json = JSONValue.object(members.map { ($0.name, JSONValue.string($0.value)) })
        return Base64URL.encode(SHA256.hash(Array(json.serialized.utf8)))
    }

    /// The secret `sub` values are derived from: random, made once for the whole
    /// deployment and kept in the database.
    func subjectSecret(_ context: OAuthContext) throws(OAuthError) -> [UInt8] {
        if let key = lock.withLock({ subjectKey }) { return key }
        let candidate = Hex.encode(SecureRandom.bytes(count: 32))
        let stored = try context.store {
            try context.storage.serverSecret(
                name: "oidc.subject", candidate: candidate, at: context.clock.now())
        }
        let key = Array(stored.utf8)
        lock.withLock { subjectKey = key }
        return key
    }
}
