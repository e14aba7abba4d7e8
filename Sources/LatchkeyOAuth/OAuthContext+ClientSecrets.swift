import LatchkeyStorage

/// Client secrets as they are stored and checked (SPEC §4, §9; RFC 6749 §2.3.1).
extension OAuthContext {
    /// What is stored for a new client secret: its keyed hash.
    func storedHash(ofClientSecret secret: String) throws(OAuthError) -> String {
        try clientSecretHasher().storedHash(of: secret)
    }

    /// RFC 6749 §2.3.1: whether `presented` is the client's secret, compared through its
    /// hash in constant time. False for a public client.
    ///
    /// A secret that an earlier version stored as a plain SHA-256 is stored again, keyed,
    /// once it has been proved: old rows need no migration and are upgraded by use. A
    /// failure to store it is reported and does not fail the authentication.
    func verifyClientSecret(_ presented: String, of client: Client) throws(OAuthError) -> Bool {
        guard let stored = client.secretHash else { return false }
        let hasher = try clientSecretHasher()
        // A mistyped or truncated secret fails its checksum before any hashing.
        guard CredentialKind.clientSecret.isWellFormed(presented) else { return false }

        switch hasher.verify(presented, against: stored) {
        case .mismatch:
            return false
        case .match:
            return true
        case .matchesUnkeyedHash:
            upgradeClientSecret(of: client, from: stored, to: hasher.storedHash(of: presented))
            return true
        }
    }

    /// Conditional, so that a secret rotated since the row was read stays rotated.
    private func upgradeClientSecret(of client: Client, from stored: String, to keyed: String) {
        do {
            _ = try storage.replaceClientSecret(id: client.id, expected: stored, with: keyed)
        } catch {
            reportFailure(.clientSecretUpgrade(clientID: client.clientID, detail: "\(error)"))
        }
    }

    /// No silent fallback to an unkeyed hash: without the key, secrets can be neither made
    /// nor checked.
    private func clientSecretHasher() throws(OAuthError) -> ClientSecretHasher {
        guard let hasher = configuration.clientSecretHasher else {
            throw OAuthError.serverError(
                detail: "client secrets cannot be hashed: no key encryption key is configured")
        }
        return hasher
    }
}
