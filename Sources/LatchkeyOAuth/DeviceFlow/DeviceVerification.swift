import LatchkeyStorage

/// The user's side of the device flow (RFC 8628 §3.3): a signed-in user types the user
/// code at `/device`, sees which application asks for what, and allows or denies.
public struct DeviceVerification: Sendable {
    /// What typing a user code found.
    public enum Lookup: Sendable, Equatable {
        /// A pending authorization the user may decide on, with its code in display form.
        case pending(DeviceAuthorization, client: Client, userCode: String)
        /// No such code, or not a code at all; counted as a wrong guess.
        case unknown
        case expired
        /// Already allowed or denied.
        case used
        /// Too many wrong codes from this user or address; nothing was looked up.
        case throttled(retryAfter: Int)
    }

    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Looks up what the user typed. Wrong codes count against the user and the address
    /// (RFC 8628 §5.1: "the authorization server MUST rate-limit user code attempts"); a
    /// right code does not clear the counts, or anyone holding one code of their own
    /// could reset them between guesses.
    public func lookUp(_ typed: String, userID: Int64, remoteAddress: String)
        throws(OAuthError) -> Lookup
    {
        let now = context.clock.now()
        let policy = context.configuration.userCodeAttempts
        let keys = ["device-user:\(userID)", "device-addr:\(remoteAddress)"]

        let counts = try context.store {
            try keys.map {
                try context.storage.loginFailures(key: $0, at: now, window: policy.window)
            }
        }
        guard counts[0] < policy.accountLimit, counts[1] < policy.addressLimit else {
            return .throttled(retryAfter: Int(policy.window))
        }

        let normalized = UserCode.normalized(typed)
        let found = try context.store { () throws -> (DeviceAuthorization, Client)? in
            guard let normalized,
                let authorization = try context.storage.deviceAuthorization(
                    userCodeHash: UserCode.storageHash(ofNormalized: normalized)),
                let client = try context.storage.client(id: authorization.clientRowID)
            else { return nil }
            return (authorization, client)
        }
        guard let normalized, let (authorization, client) = found else {
            _ = try context.store {
                try context.storage.recordLoginFailure(keys: keys, at: now, window: policy.window)
            }
            return .unknown
        }

        guard now < authorization.expiresAt else { return .expired }
        guard authorization.status == .pending else { return .used }
        return .pending(authorization, client: client, userCode: UserCode.display(normalized))
    }

    /// Records the user's decision. Allowing records the grant in the same transaction,
    /// so that the application shows on the account page (and can be revoked there)
    /// before any token exists, and no grant appears for an approval that did not happen.
    /// Returns false when the authorization stopped being pending in between (expired, or
    /// decided in another tab).
    public func decide(_ authorization: DeviceAuthorization, approved: Bool, userID: Int64)
        throws(OAuthError) -> Bool
    {
        let now = context.clock.now()
        return try context.store {
            try context.storage.decideDeviceAuthorization(
                userCodeHash: authorization.userCodeHash, approved: approved, userID: userID,
                at: now)
        }
    }
}
