import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The device authorization grant at `/oauth/token` (RFC 8628 §3.4, §3.5): the device
/// polls with its device code until the user decides at `/device`.
///
/// Each poll is one storage call that reads and updates the authorization under a row
/// lock, so the polling pace is checked across every process, and of many polls of an
/// approved code exactly one gets the tokens. A code spent on a poll whose tokens then
/// fail to be stored stays spent, as an authorization code would; the device starts over.
struct DeviceCodeGrant: TokenGrant {
    /// RFC 8628 §3.5: on `slow_down` "the interval MUST be increased by 5 seconds for
    /// this and all subsequent requests."
    static let slowDownStep = 5

    let context: OAuthContext

    func issue(_ request: TokenRequest, to authenticated: AuthenticatedClient)
        throws(OAuthError) -> IssuedGrant
    {
        let client = authenticated.client
        guard let deviceCode = request["device_code"] else {
            throw OAuthError(.invalidRequest, "The request has no device_code.")
        }
        guard CredentialKind.deviceCode.isWellFormed(deviceCode) else {
            throw Self.unknown("malformed device code")
        }
        let now = context.clock.now()

        let poll = try context.store {
            try context.storage.pollDeviceAuthorization(
                deviceCodeHash: storageHash(of: deviceCode), clientRowID: client.id, at: now,
                slowDownStep: Self.slowDownStep)
        }

        let authorization = try Self.approved(poll, at: now)
        guard let userID = authorization.userID else {
            throw OAuthError.serverError(detail: "approved device authorization without user")
        }
        let response = try TokenIssuer(context: context).issueTokens(
            client: client, userID: userID, scopes: authorization.scopes,
            refreshable: client.allows(grantType: GrantType.refreshToken.rawValue),
            codeHash: nil)
        return IssuedGrant(response: response, userID: userID)
    }

    /// The authorization this poll redeemed, or the RFC 8628 §3.5 answer for why not.
    static func approved(_ poll: DevicePoll, at now: Date) throws(OAuthError)
        -> DeviceAuthorization
    {
        switch poll {
        case .redeemed(let authorization):
            return authorization
        case .notFound:
            throw unknown("unknown device code or other client")
        case .tooFast(let authorization):
            throw OAuthError(
                .slowDown,
                "Polling too fast: wait \(authorization.interval) seconds between requests.")
        case .pending:
            throw OAuthError(.authorizationPending, "The user has not decided yet.")
        case .unchanged(let authorization):
            guard now < authorization.expiresAt else {
                throw OAuthError(
                    .expiredToken, "The device_code has expired; start the flow again.")
            }
            if authorization.status == .denied {
                throw OAuthError(.accessDenied, "The user denied the request.")
            }
            throw OAuthError(
                .invalidGrant, "The device_code was already used.", detail: "device code replayed")
        }
    }

    static func unknown(_ detail: String) -> OAuthError {
        OAuthError(.invalidGrant, "The device_code is not valid.", detail: detail)
    }
}
