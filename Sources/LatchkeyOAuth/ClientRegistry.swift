import LatchkeyCrypto
import LatchkeyStorage
import LatchkeyText

/// Registering, editing and deleting client applications.
public struct ClientRegistry: Sendable {
    /// SPEC §10: the grants a client may use unless its owner or the operator turns
    /// one off; client credentials only for a client that has a secret.
    public static func defaultGrantTypes(isPublic: Bool) -> [String] {
        let shared = [
            "authorization_code", "refresh_token", "password", GrantType.deviceCode.rawValue,
        ]
        return isPublic ? shared : shared + ["client_credentials"]
    }

    /// Every grant type a client may be allowed, with the words the developer page shows.
    public static let grantTypeDescriptions: [(grantType: String, description: String)] = [
        ("authorization_code", "Ask users for access in the browser (authorization code)"),
        ("refresh_token", "Renew access without asking again (refresh tokens)"),
        ("password", "Sign users in with their password (password grant and non-web flow)"),
        ("client_credentials", "Act as itself, with no user (client credentials)"),
        (GrantType.deviceCode.rawValue, "Sign users in on a TV or command line (device code)"),
    ]

    public struct Registration: Sendable {
        public var client: Client
        /// Shown once, then only its hash exists. Nil for a public client.
        public var secret: String?
    }

    public struct Details: Sendable, Equatable {
        public var name: String
        public var mainURL: String
        public var callbackURLs: [String]
        /// The grant types the client may use; nil keeps what it has (or the defaults).
        public var grantTypes: [String]?

        public init(
            name: String, mainURL: String, callbackURLs: [String], grantTypes: [String]? = nil
        ) {
            self.name = name
            self.mainURL = mainURL
            self.callbackURLs = callbackURLs
            self.grantTypes = grantTypes
        }

        /// Splits the form's `callback_urls` field: one URL a line, blank lines ignored.
        public static func callbackURLs(fromLines text: String) -> [String] {
            text.split(whereSeparator: \.isNewline)
                .map { $0.trimmingSpacesAndTabs() }
                .filter { !$0.isEmpty }
        }
    }

    public enum ValidationError: Error, Equatable, Sendable {
        case invalid([String])
    }

    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// - Parameter allowedScopes: the only scopes the client may ask for; empty allows
    ///   every scope the server offers. Its default scopes are the usual defaults that it
    ///   may ask for, or all of `allowedScopes` when none of those is among them.
    /// - Parameter idTokenAlgorithm: `RS256` (the default) or `ES256`.
    public func register(
        _ details: Details, ownerUserID: Int64?, isPublic: Bool, allowedScopes: [String] = [],
        idTokenAlgorithm: String = "RS256"
    ) throws -> Registration {
        try Self.validate(details, isPublic: isPublic)
        var defaultScopes = ScopeCatalog.defaultScopes
        if !allowedScopes.isEmpty {
            defaultScopes = defaultScopes.filter(allowedScopes.contains)
            if defaultScopes.isEmpty { defaultScopes = allowedScopes }
        }

        let secret = isPublic ? nil : CredentialKind.clientSecret.generate()
        let secretHash = try secret.map(context.storedHash(ofClientSecret:))
        let client = try context.storage.createClient(
            NewClient(
                clientID: Hex.encode(SecureRandom.bytes(count: 16)), name: details.name,
                mainURL: details.mainURL, callbackURLs: details.callbackURLs,
                secretHash: secretHash, ownerUserID: ownerUserID,
                grantTypes: details.grantTypes ?? Self.defaultGrantTypes(isPublic: isPublic),
                defaultScopes: defaultScopes, allowedScopes: allowedScopes,
                createdAt: context.clock.now(), idTokenSigningAlgorithm: idTokenAlgorithm))
        return Registration(client: client, secret: secret)
    }

    public func update(_ client: Client, with details: Details) throws {
        try Self.validate(details, isPublic: client.isPublic)

        var updated = client
        updated.name = details.name
        updated.mainURL = details.mainURL
        updated.callbackURLs = details.callbackURLs
        updated.grantTypes = details.grantTypes ?? client.grantTypes
        try context.storage.updateClient(updated)
    }

    /// Replaces the secret; the old one stops working at once.
    public func rotateSecret(of client: Client) throws -> String {
        let secret = CredentialKind.clientSecret.generate()
        let secretHash = try context.storedHash(ofClientSecret: secret)
        try context.storage.updateClientSecret(id: client.id, secretHash: secretHash)
        return secret
    }

    public static func validate(_ details: Details, isPublic: Bool) throws {
        var problems: [String] = []
        let name = details.name.trimmingWhitespaceAndNewlines()
        if name.isEmpty || name.count > 100 { problems.append(Copy.nameRule) }
        if !RedirectURI.isAcceptableURL(details.mainURL) { problems.append(Copy.mainURLRule) }
        let callbacksValid =
            (1...10).contains(details.callbackURLs.count)
            && details.callbackURLs.allSatisfy(RedirectURI.isAcceptableCallback)
        if !callbacksValid { problems.append(Copy.callbackRule) }
        if let grants = details.grantTypes {
            let known = grantTypeDescriptions.map(\.grantType)
            if grants.isEmpty || !grants.allSatisfy(known.contains) {
                problems.append(Copy.grantsRule)
            } else if isPublic && grants.contains("client_credentials") {
                problems.append(Copy.publicClientCredentialsRule)
            }
        }
        guard problems.isEmpty else { throw ValidationError.invalid(problems) }
    }
}

extension Client {
    public func allows(grantType: String) -> Bool {
        grantTypes.contains(grantType)
    }
}
