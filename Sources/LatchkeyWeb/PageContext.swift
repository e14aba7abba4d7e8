/// What every page needs to know about the request it answers.
public struct PageContext: Sendable {
    /// The session's CSRF token; every form carries it as the hidden field `csrf_token`.
    public var csrfToken: String
    /// The signed-in user's username, or `nil` for a visitor.
    public var signedInUsername: String?
    /// Whether the operator allows sign-up; decides whether "Sign up" links appear.
    public var signupEnabled: Bool

    /// Creates the context for one rendered page.
    public init(csrfToken: String, signedInUsername: String?, signupEnabled: Bool) {
        self.csrfToken = csrfToken
        self.signedInUsername = signedInUsername
        self.signupEnabled = signupEnabled
    }
}
