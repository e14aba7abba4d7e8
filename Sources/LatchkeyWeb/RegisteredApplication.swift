#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An application the signed-in user registered, as shown on the developer pages
/// (SPEC §3 `/developer/applications`).
public struct RegisteredApplication: Sendable {
    /// The client ID, shown in full and used in every path of the application's pages.
    public var clientID: String
    /// The application's name.
    public var name: String
    /// The main application URL.
    public var url: String
    /// The registered callback URLs, in the order the developer gave them.
    public var callbackURLs: [String]
    /// Whether the client has no secret (and so no "Generate a new secret" form).
    public var isPublic: Bool
    /// When the application was registered.
    public var createdAt: Date

    /// Creates a registered application for display.
    public init(
        clientID: String, name: String, url: String, callbackURLs: [String], isPublic: Bool,
        createdAt: Date
    ) {
        self.clientID = clientID
        self.name = name
        self.url = url
        self.callbackURLs = callbackURLs
        self.isPublic = isPublic
        self.createdAt = createdAt
    }
}
