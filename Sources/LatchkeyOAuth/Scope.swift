/// The scopes an operator offers, each with the words the consent page shows.
public struct ScopeCatalog: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var description: String

        public init(name: String, description: String) {
            self.name = name
            self.description = description
        }
    }

    public private(set) var entries: [Entry]

    /// The built-in scopes: `openid`, `profile` and `email`.
    public static let builtIn = ScopeCatalog(entries: [
        Entry(name: "openid", description: "Confirm who you are"),
        Entry(name: "profile", description: "See your username and profile"),
        Entry(name: "email", description: "See your email address"),
    ])

    /// What a client gets when its request names no scope (SPEC: `profile email`).
    public static let defaultScopes = ["profile", "email"]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The catalog with one more scope, or with its description replaced.
    public func adding(_ entry: Entry) -> ScopeCatalog {
        var copy = self
        copy.entries.removeAll { $0.name == entry.name }
        copy.entries.append(entry)
        return copy
    }

    /// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.value == 0x21 || (0x23...0x5B).contains($0.value)
                    || (0x5D...0x7E).contains($0.value)
            }
    }

    public func description(of name: String) -> String? {
        entries.first { $0.name == name }?.description
    }

    /// Splits a `scope` parameter (RFC 6749 §3.3: space-delimited, case-sensitive) and
    /// checks every name against the catalog. Order is kept; duplicates collapse.
    public func parse(_ parameter: String) throws(OAuthError) -> [String] {
        var scopes: [String] = []
        for name in parameter.split(separator: " ", omittingEmptySubsequences: true) {
            let scope = String(name)
            guard description(of: scope) != nil else {
                throw OAuthError(.invalidScope, "The scope \"\(scope)\" is not offered here.")
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return scopes
    }
}

extension Array where Element == String {
    /// The RFC 6749 §3.3 wire form.
    public var scopeString: String { joined(separator: " ") }

    /// Whether every scope in `other` is already here.
    public func covers(_ other: [String]) -> Bool {
        other.allSatisfy(contains)
    }
}
