#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The OpenID Connect parameters of an authorization request (OIDC Core §3.1.2.1) and
/// what they ask of the endpoint: whether the user must sign in, be asked for consent,
/// or neither.
enum OpenIDParameters {
    static let promptValues: Set<String> = ["none", "login", "consent", "select_account"]
    /// Longer than any honest nonce; refused before it is stored with the code.
    static let maximumNonceLength = 512
    /// About 31 years; more is refused rather than overflowing a date.
    static let maximumMaxAge = 999_999_999

    static func check(_ lookup: (String) -> [String], into request: inout AuthorizationRequest)
        throws(OAuthError)
    {
        if let nonce = lookup("nonce").first {
            guard nonce.utf8.count <= maximumNonceLength else {
                throw OAuthError(.invalidRequest, "The nonce is too long.")
            }
            request.nonce = nonce
        }

        if let prompt = lookup("prompt").first {
            let values = prompt.split(separator: " ").map(String.init)
            guard values.allSatisfy(promptValues.contains) else {
                throw OAuthError(.invalidRequest, "The prompt parameter has an unknown value.")
            }
            // OIDC Core §3.1.2.1: "If this parameter contains none with any other value,
            // an error is returned."
            if values.contains("none") && values.count > 1 {
                throw OAuthError(.invalidRequest, "prompt=none cannot be combined.")
            }
            request.prompt = values.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        }

        if let maxAge = lookup("max_age").first {
            guard !maxAge.isEmpty, maxAge.utf8.count <= 9,
                maxAge.utf8.allSatisfy({
                    $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")
                }), let seconds = Int(maxAge), seconds <= maximumMaxAge
            else {
                throw OAuthError(
                    .invalidRequest, "max_age must be a whole number of seconds.")
            }
            request.maxAge = seconds
        }
    }
}

/// What the authorization endpoint does next for a validated request.
public enum AuthorizationStep: Sendable, Equatable {
    /// Send the browser to the login page; `forced` when a session exists but is not
    /// good enough (`prompt=login`, or older than `max_age`), so the page must not
    /// skip itself. `returnTo` is the request without what the sign-in satisfies, so
    /// that coming back does not ask for it again.
    case signIn(forced: Bool, returnTo: AuthorizationRequest)
    /// Show the consent page for these scopes.
    case consent([String])
    /// Issue a code at once.
    case allow
}

extension AuthorizationEndpoint {
    /// Decides between signing in, asking consent and issuing a code, from the session
    /// (the signed-in user and when they signed in) and the remembered grant.
    ///
    /// With `prompt=none` nothing may be shown: OIDC Core §3.1.2.6 `login_required` or
    /// `consent_required` instead, which the caller redirects to the client.
    public func nextStep(
        _ request: AuthorizationRequest, userID: Int64?, signedInAt: Date?
    ) throws(OAuthError) -> AuthorizationStep {
        let silent = request.prompt.contains("none")
        var afterSignIn = request
        afterSignIn.prompt.removeAll { $0 == "login" }
        afterSignIn.maxAge = nil

        guard let userID else {
            if silent { throw OAuthError(.loginRequired, "The user is not signed in.") }
            return .signIn(forced: false, returnTo: afterSignIn)
        }
        // OIDC Core §3.1.2.1 max_age: "If the elapsed time is greater than this value,
        // the OP MUST attempt to actively re-authenticate the End-User."
        let now = context.clock.now()
        let tooOld =
            request.maxAge.map { maxAge in
                guard let signedInAt else { return true }
                return now.timeIntervalSince(signedInAt) > Double(maxAge)
            } ?? false
        if tooOld {
            if silent { throw OAuthError(.loginRequired, "The user must sign in again.") }
            return .signIn(forced: true, returnTo: afterSignIn)
        }
        if request.prompt.contains("login") { return .signIn(forced: true, returnTo: afterSignIn) }

        // prompt=consent asks for every requested scope, remembered or not.
        let toConfirm =
            request.prompt.contains("consent")
            ? request.scopes : try scopesToConfirm(request, userID: userID)
        if toConfirm.isEmpty { return .allow }
        if silent { throw OAuthError(.consentRequired, "The user has not granted these scopes.") }
        return .consent(toConfirm)
    }
}
