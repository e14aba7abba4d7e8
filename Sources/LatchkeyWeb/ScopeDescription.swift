/// A scope as the consent page shows it: its name and what it allows, in plain words.
public struct ScopeDescription: Sendable {
    /// The scope as sent on the wire (`profile`).
    public var name: String
    /// What granting it lets the application do ("See your username and profile").
    public var description: String

    /// Creates a scope description.
    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}
