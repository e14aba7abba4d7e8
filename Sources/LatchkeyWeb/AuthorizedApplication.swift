#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An application that holds a grant from the signed-in user, as listed on
/// `/account/applications` (SPEC §3).
public struct AuthorizedApplication: Sendable {
    /// The client ID; the revoke form's path is built from it.
    public var clientID: String
    /// The application's name as its developer registered it.
    public var name: String
    /// The application's main URL.
    public var url: String
    /// The scopes the user granted.
    public var scopes: [String]
    /// When the user first authorized the application.
    public var authorizedAt: Date
    /// When the application last used a token, or `nil` if it never has.
    public var lastUsedAt: Date?

    /// Creates a row of the authorized-applications page.
    public init(
        clientID: String, name: String, url: String, scopes: [String], authorizedAt: Date,
        lastUsedAt: Date?
    ) {
        self.clientID = clientID
        self.name = name
        self.url = url
        self.scopes = scopes
        self.authorizedAt = authorizedAt
        self.lastUsedAt = lastUsedAt
    }
}
