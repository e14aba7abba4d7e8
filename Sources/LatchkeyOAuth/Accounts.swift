import LatchkeyStorage

/// Creating users and checking their passwords, with the lockout of SPEC §5.
public struct Accounts: Sendable {
    public enum SignUpError: Error, Equatable, Sendable {
        case invalid([String])
        case taken(String)
    }

    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Validates and creates a user. The messages are meant for the sign-up page.
    public func signUp(
        username: String, email: String, name: String, password: String
    ) throws -> User {
        let problems = Self.problems(username: username, email: email, password: password)
        guard problems.isEmpty else { throw SignUpError.invalid(problems) }

        let passwordHash = try context.passwordHasher.hash(password)
        let newUser = NewUser(
            username: username, email: email, name: name.isEmpty ? username : name,
            passwordHash: passwordHash, createdAt: context.clock.now())
        do {
            return try context.storage.createUser(newUser)
        } catch StorageError.conflict(let field) {
            throw SignUpError.taken(field.contains("email") ? "email" : "username")
        }
    }

    static func problems(username: String, email: String, password: String) -> [String] {
        var problems: [String] = []
        let usernameCharacters = username.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil))
                || $0 == "_" || $0 == "-" || $0 == "."
        }
        if username.isEmpty || username.count > 40 || !usernameCharacters {
            problems.append(Copy.usernameRule)
        }
        let emailParts = email.split(separator: "@", omittingEmptySubsequences: false)
        if email.count > 254 || emailParts.count != 2 || emailParts.contains(where: \.isEmpty)
            || email.unicodeScalars.contains(where: { $0.value <= 0x20 })
        {
            problems.append(Copy.emailRule)
        }
        if password.count < 8 || password.utf8.count > 1024 {
            problems.append(Copy.passwordRule)
        }
        return problems
    }

    /// Checks a password for `login` (username or email), counting failures per account
    /// and per address. A locked account or address is refused before the password is
    /// looked at, so that guessing stops working, not just slows down.
    public func authenticate(
        login: String, password: String, remoteAddress: String
    ) throws(OAuthError) -> User {
        let now = context.clock.now()
        let policy = context.configuration.lockout
        let user = try context.store { try context.storage.user(login: login) }

        // One account is one counter whether it is named by username or email.
        let accountKey = user.map { "user:\($0.id)" } ?? "login:\(login.lowercased())"
        let addressKey = "addr:\(remoteAddress)"
        let (accountFailures, addressFailures) = try context.store {
            (
                try context.storage.loginFailures(key: accountKey, at: now, window: policy.window),
                try context.storage.loginFailures(key: addressKey, at: now, window: policy.window)
            )
        }
        guard accountFailures < policy.accountLimit, addressFailures < policy.addressLimit else {
            throw OAuthError.throttled(retryAfter: Int(policy.window))
        }

        // An unknown login costs the same Argon2id run as a wrong password, so that
        // timing does not tell which accounts exist.
        let hash = user?.passwordHash ?? context.passwordHasher.decoyHash
        let passwordMatches = context.passwordHasher.verify(password, encoded: hash)
        guard let user, passwordMatches else {
            _ = try context.store {
                try context.storage.recordLoginFailure(
                    keys: [accountKey, addressKey], at: now, window: policy.window)
            }
            throw OAuthError(.invalidGrant, "The username or password is wrong.")
        }

        try context.store { try context.storage.clearLoginFailures(key: accountKey) }
        return user
    }
}
