import LatchkeyStorage

/// `POST /oauth/device_authorization` (RFC 8628 §3.1, §3.2): a device without a browser
/// asks for a device code to poll with and a user code for its user to type at `/device`.
public struct DeviceAuthorizationEndpoint: Sendable {
    /// The response and what the log needs to know about it.
    public struct Success: Sendable {
        public var client: Client
        public var scopes: [String]
        /// The RFC 8628 §3.2 response body.
        public var json: JSONValue
        /// For the log: the first 8 hex digits of the device code's hash.
        public var deviceCodeHashPrefix: String
    }

    /// How many fresh user codes are tried when one is taken: with 34 bits each, a second
    /// collision in a row means something other than chance.
    static let userCodeAttempts = 3

    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    public func handle(_ input: ClientRequest) throws(OAuthError) -> Success {
        let parameters = try input.parameters()

        // RFC 8628 §3.1: "The client authentication requirements of Section 3.2.1 of
        // [RFC6749] apply to requests on this endpoint".
        let client = try ClientAuthenticator(context: context).authenticate(
            parameters, authorization: input.authorization
        ).client

        // SPEC §10: the device grant can be turned off per client.
        guard client.allows(grantType: GrantType.deviceCode.rawValue) else {
            throw OAuthError(.unauthorizedClient, "This client may not use the device flow.")
        }

        let scopes = try TokenScopes(catalog: context.configuration.scopes).requested(
            parameters["scope"], by: client)

        let (deviceCode, userCode, record) = try store(client: client, scopes: scopes)

        let configuration = context.configuration
        let verificationURI = configuration.issuer + "/device"
        let json = JSONValue.object([
            ("device_code", .string(deviceCode)),
            ("user_code", .string(userCode)),
            ("verification_uri", .string(verificationURI)),
            (
                "verification_uri_complete",
                .string(RedirectURI.appending([("user_code", userCode)], to: verificationURI))
            ),
            ("expires_in", .int(Int64(configuration.deviceCodeLifetime))),
            ("interval", .int(Int64(configuration.devicePollInterval))),
        ])
        return Success(
            client: client, scopes: scopes, json: json,
            deviceCodeHashPrefix: String(record.deviceCodeHash.prefix(8)))
    }

    /// Stores a new authorization, drawing another user code when the one drawn is taken.
    private func store(client: Client, scopes: [String]) throws(OAuthError)
        -> (deviceCode: String, userCode: String, record: DeviceAuthorization)
    {
        let now = context.clock.now()
        let deviceCode = CredentialKind.deviceCode.generate()
        for attempt in 1...Self.userCodeAttempts {
            let userCode = UserCode.generate()
            let record = DeviceAuthorization(
                deviceCodeHash: storageHash(of: deviceCode),
                userCodeHash: UserCode.storageHash(ofNormalized: userCode),
                clientRowID: client.id, scopes: scopes, createdAt: now,
                expiresAt: now.addingTimeInterval(context.configuration.deviceCodeLifetime),
                interval: context.configuration.devicePollInterval)
            let stored = try context.store {
                do {
                    try context.storage.storeDeviceAuthorization(record)
                    return true
                } catch StorageError.conflict("user_code_hash")
                    where attempt < Self.userCodeAttempts
                {
                    return false
                }
            }
            if stored { return (deviceCode, UserCode.display(userCode), record) }
        }
        throw OAuthError.serverError(detail: "no free user code")
    }
}
