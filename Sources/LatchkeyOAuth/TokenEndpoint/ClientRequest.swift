import LatchkeyText

/// A POST from a client to one of the endpoints it calls directly (token, revocation,
/// introspection), as the HTTP layer received it and before anything is checked.
///
/// The OAuth core sees no HTTP types; the server fills this in from its request.
public struct ClientRequest: Sendable {
    /// The `application/x-www-form-urlencoded` body, decoded, in order, repeats kept.
    public var form: [(name: String, value: String)]
    /// Names of the query string's parameters; their values are never looked at.
    public var queryNames: [String]
    /// The `Content-Type` header as sent.
    public var contentType: String?
    /// Whether the request carried a body at all.
    public var hasBody: Bool
    public var authorization: PresentedAuthorization
    /// The peer's address, for the password lockout.
    public var remoteAddress: String

    public init(
        form: [(name: String, value: String)], queryNames: [String] = [],
        contentType: String? = "application/x-www-form-urlencoded", hasBody: Bool = true,
        authorization: PresentedAuthorization = .none, remoteAddress: String = "127.0.0.1"
    ) {
        self.form = form
        self.queryNames = queryNames
        self.contentType = contentType
        self.hasBody = hasBody
        self.authorization = authorization
        self.remoteAddress = remoteAddress
    }

    /// Names this endpoint family reads; only these are ever repeated back to a client
    /// in an error description, so that a hostile name is never echoed.
    static let knownNames: Set<String> = [
        "grant_type", "code", "redirect_uri", "code_verifier", "client_id", "client_secret",
        "refresh_token", "scope", "username", "password", "token", "token_type_hint",
        "device_code",
    ]

    /// The body's parameters, each given once (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662
    /// §2.1 all send them as a form body).
    ///
    /// Anything in the query string is refused rather than ignored: these endpoints
    /// carry secrets, and a secret in a URL ends up in logs and browser histories
    /// (RFC 6749 §2.3.1: client credentials "MUST NOT be included in the request URI").
    public func parameters() throws(OAuthError) -> [String: String] {
        guard queryNames.isEmpty else {
            throw OAuthError(
                .invalidRequest,
                "Send the parameters in the form body, never in the query string.")
        }
        guard !hasBody || isForm else {
            throw OAuthError(
                .invalidRequest, "The body must be application/x-www-form-urlencoded.")
        }

        var parameters: [String: String] = [:]
        for (name, value) in form {
            // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more
            // than once."
            guard parameters.updateValue(value, forKey: name) == nil else {
                let shown = Self.knownNames.contains(name) ? "The parameter \(name)" : "A parameter"
                throw OAuthError(.invalidRequest, "\(shown) is repeated.")
            }
        }
        // RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they were
        // omitted from the request."
        return parameters.filter { !$0.value.isEmpty }
    }

    private var isForm: Bool {
        guard let contentType else { return false }
        // What clients send nearly always; anything else takes the general path.
        if contentType == "application/x-www-form-urlencoded" { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingSpacesAndTabs().lowercased()
            == "application/x-www-form-urlencoded"
    }
}

/// What the `Authorization` header of a client's request held.
public enum PresentedAuthorization: Sendable, Equatable {
    case none
    /// One well-formed `Basic` credential (RFC 7617), base64-decoded and split at the
    /// first colon; each part still carries the form encoding of RFC 6749 §2.3.1.
    case basic(username: String, password: String)
    /// A header that is not one well-formed Basic credential: another scheme, bad
    /// base64, or several `Authorization` headers.
    case unusable
}
