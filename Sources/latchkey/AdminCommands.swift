import LatchkeyCrypto
import LatchkeyOAuth
import LatchkeyStorage
import LatchkeyText

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure the operator must fix (exit status 1, one line).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

enum MigrateCommand {
    static let command = Command(
        path: ["migrate"], usage: "migrate [--database URL]",
        summary: "Create the database or bring its schema up to date, then exit.",
        options: [DatabaseLocation.option]
    ) { options in
        let location = try DatabaseLocation(options["database"])
        _ = try location.open()
        print("latchkey: \(location.description) is up to date")
        return 0
    }
}

enum UserCommands {
    static let create = Command(
        path: ["user", "create"],
        usage: "user create --username NAME --email EMAIL [--name TEXT] [--password-stdin]",
        summary: "Create a user. The password is asked on the terminal unless --password-stdin.",
        options: [
            OptionSpec(name: "username", kind: .value, valueName: "NAME", help: "Sign-in name."),
            OptionSpec(name: "email", kind: .value, valueName: "EMAIL", help: "Email address."),
            OptionSpec(name: "name", kind: .value, valueName: "TEXT", help: "Display name."),
            OptionSpec(
                name: "password-stdin", kind: .flag,
                help: "Read the password as one line from standard input."),
            DatabaseLocation.option,
        ]
    ) { options in
        let username = try options.required("username")
        let email = try options.required("email")
        let location = try DatabaseLocation(options["database"])
        let password = try readPassword(fromStandardInput: options.flag("password-stdin"))

        let context = OAuthContext(storage: try location.open())
        do {
            let user = try Accounts(context: context).signUp(
                username: username, email: email, name: options["name"] ?? "", password: password)
            print("latchkey: created user \(user.username) (id \(user.id))")
            return 0
        } catch Accounts.SignUpError.invalid(let problems) {
            throw CommandFailure(description: problems.joined(separator: " "))
        } catch Accounts.SignUpError.taken(let field) {
            throw CommandFailure(description: "that \(field) is already taken")
        }
    }

    /// SPEC §10: `--password-stdin` reads one line, without its newline.
    static func readPassword(fromStandardInput: Bool) throws -> String {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true) else {
                throw CommandFailure(description: "no password on standard input")
            }
            return line
        }
        guard isatty(0) == 1, let entered = getpass("Password: ") else {
            throw UsageError(message: "no terminal to ask for the password; use --password-stdin")
        }
        return String(cString: entered)
    }
}

enum ClientCommands {
    static let create = Command(
        path: ["client", "create"],
        usage:
            "client create --name NAME --url MAIN_URL --callback URL [--callback URL ...]"
            + " [--owner USERNAME] [--public] [--grants LIST] [--scopes LIST]"
            + " [--id-token-alg RS256|ES256] [--json]",
        summary: "Register a client application and print its client ID and secret.",
        options: [
            OptionSpec(name: "name", kind: .value, valueName: "NAME", help: "Display name."),
            OptionSpec(
                name: "url", kind: .value, valueName: "MAIN_URL",
                help: "Main Application URL (where Deny goes)."),
            OptionSpec(
                name: "callback", kind: .repeated, valueName: "URL",
                help: "Callback URL; repeat for several."),
            OptionSpec(
                name: "owner", kind: .value, valueName: "USERNAME",
                help: "User who manages it on /developer/applications."),
            OptionSpec(name: "public", kind: .flag, help: "A public client: no secret."),
            OptionSpec(
                name: "grants", kind: .value, valueName: "LIST",
                help:
                    "Comma-separated grant types: authorization_code, refresh_token, password, "
                    + "client_credentials, device_code (or its RFC 8628 URN) (default: all; "
                    + "client_credentials needs a secret)."),
            OptionSpec(
                name: "scopes", kind: .value, valueName: "LIST",
                help: "Comma-separated scopes it may ask for (default: every offered scope)."),
            OptionSpec(
                name: "id-token-alg", kind: .value, valueName: "RS256|ES256",
                help: "How its OpenID Connect ID tokens are signed (default RS256)."),
            OptionSpec(name: "json", kind: .flag, help: "Print JSON."),
            DatabaseLocation.option,
        ] + KeyEncryption.options
    ) { options in
        let name = try options.required("name")
        let idTokenAlgorithm = options["id-token-alg"] ?? "RS256"
        guard SigningAlgorithm(rawValue: idTokenAlgorithm) != nil else {
            throw UsageError(message: "option --id-token-alg must be RS256 or ES256")
        }
        let scopes = try options["scopes"].map(allowedScopes) ?? []
        let url = try options.required("url")
        let callbacks = options.all("callback")
        guard !callbacks.isEmpty else { throw UsageError(message: "option --callback is required") }
        let grants = try options["grants"].map(grantTypes)
        let location = try DatabaseLocation(options["database"])
        // The secret's hash is keyed with the server's key; a public client has no secret.
        var configuration = OAuthConfiguration()
        if !options.flag("public") {
            configuration.keyEncryptionKey = try KeyEncryption.key(options, database: location)
        }

        let storage = try location.open()
        var ownerID: Int64?
        if let owner = options["owner"] {
            guard let user = try storage.user(login: owner) else {
                throw CommandFailure(description: "no user \(owner)")
            }
            ownerID = user.id
        }
        let registration: ClientRegistry.Registration
        do {
            let context = OAuthContext(storage: storage, configuration: configuration)
            registration = try ClientRegistry(context: context).register(
                ClientRegistry.Details(
                    name: name, mainURL: url, callbackURLs: callbacks, grantTypes: grants),
                ownerUserID: ownerID, isPublic: options.flag("public"), allowedScopes: scopes,
                idTokenAlgorithm: idTokenAlgorithm)
        } catch ClientRegistry.ValidationError.invalid(let problems) {
            throw UsageError(message: problems.joined(separator: " "))
        }

        if options.flag("json") {
            var members: [(key: String, value: JSONValue)] = [
                ("client_id", .string(registration.client.clientID))
            ]
            if let secret = registration.secret {
                members.append(("client_secret", .string(secret)))
            }
            print(JSONValue.object(members).serialized)
        } else {
            print("client_id:     \(registration.client.clientID)")
            if let secret = registration.secret {
                print("client_secret: \(secret)")
                print("Keep the secret now: only its hash is stored, it cannot be shown again.")
            }
        }
        return 0
    }

    static let list = Command(
        path: ["client", "list"], usage: "client list [--json]",
        summary: "List registered client applications.",
        options: [
            OptionSpec(name: "json", kind: .flag, help: "Print JSON."), DatabaseLocation.option,
        ]
    ) { options in
        let storage = try DatabaseLocation(options["database"]).open()
        let clients = try storage.clients()
        if options.flag("json") {
            let items = clients.map { client -> JSONValue in
                .object([
                    ("client_id", .string(client.clientID)), ("name", .string(client.name)),
                    ("url", .string(client.mainURL)),
                    ("callback_urls", .array(client.callbackURLs.map(JSONValue.string))),
                    ("public", .bool(client.isPublic)),
                    ("grant_types", .array(client.grantTypes.map(JSONValue.string))),
                    ("id_token_signed_response_alg", .string(client.idTokenSigningAlgorithm)),
                    ("created_at", .string(Profile.iso8601(client.createdAt))),
                ])
            }
            print(JSONValue.array(items).serialized)
        } else {
            for client in clients {
                print("\(client.clientID)  \(client.name)  \(client.mainURL)")
            }
        }
        return 0
    }

    static let delete = Command(
        path: ["client", "delete"], usage: "client delete CLIENT_ID",
        summary: "Delete a client application and revoke everything issued to it.",
        options: [DatabaseLocation.option]
    ) { options in
        let clientID = try options.exactly(1, positional: "CLIENT_ID")[0]
        let storage = try DatabaseLocation(options["database"]).open()
        guard let client = try storage.client(clientID: clientID) else {
            throw CommandFailure(description: "no client \(clientID)")
        }
        try storage.deleteClient(id: client.id)
        print("latchkey: deleted client \(clientID) and revoked its tokens")
        return 0
    }

    static func allowedScopes(_ list: String) throws(UsageError) -> [String] {
        let scopes = list.split(separator: ",").map { $0.trimmingSpacesAndTabs() }
        guard !scopes.isEmpty, scopes.allSatisfy(ScopeCatalog.isValidName) else {
            throw UsageError(message: "--scopes must be scope names separated by commas")
        }
        return scopes
    }

    static func grantTypes(_ list: String) throws(UsageError) -> [String] {
        let known = ClientRegistry.grantTypeDescriptions.map(\.grantType)
        let grants = list.split(separator: ",").map {
            // The RFC 8628 URN is long to type; its last word names it well enough.
            let grant = $0.trimmingSpacesAndTabs()
            return grant == "device_code" ? GrantType.deviceCode.rawValue : grant
        }
        for grant in grants where !known.contains(grant) {
            throw UsageError(message: "--grants: unknown grant type \"\(grant)\"")
        }
        return grants
    }
}

enum TokenCommands {
    static let revoke = Command(
        path: ["token", "revoke"], usage: "token revoke TOKEN",
        summary: "Revoke an access token at once.",
        options: [DatabaseLocation.option]
    ) { options in
        let token = try options.exactly(1, positional: "TOKEN")[0]
        let storage = try DatabaseLocation(options["database"]).open()
        let hash = storageHash(of: token)
        guard try storage.token(hash: hash) != nil else {
            throw CommandFailure(description: "no such token")
        }
        try storage.revokeToken(hash: hash, at: Date())
        print("latchkey: token \(hash.prefix(8)) revoked")
        return 0
    }
}
