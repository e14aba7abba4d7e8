import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyWeb

extension Response {
    /// SPEC §3 and §10: every response, JSON and error pages included, refuses framing,
    /// sends no referrer, and allows no script, plugin or remote resource.
    static let securityHeaders: [(name: String, value: String)] = [
        ("X-Frame-Options", "DENY"),
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'none'; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        ),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
    ]

    /// RFC 6749 §5.1: responses carrying credentials must not be cached.
    static let noStore: [(name: String, value: String)] = [
        ("Cache-Control", "no-store"), ("Pragma", "no-cache"),
    ]

    static func json(
        _ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []
    ) -> Response {
        Response(
            status: status,
            headers: [("Content-Type", "application/json")] + headers + securityHeaders,
            body: value.serializedBytes)
    }

    /// An OAuth error as JSON (RFC 6749 §5.2), with `Retry-After` when it carries one.
    static func oauthError(
        _ error: OAuthError, headers: [(name: String, value: String)] = []
    ) -> Response {
        var extra = headers + noStore
        if let retryAfter = error.retryAfter { extra.append(("Retry-After", String(retryAfter))) }
        return json(error.json, status: error.status, headers: extra)
    }

    /// A server-rendered page. Pages are never cached: they carry CSRF tokens.
    static func html(
        _ document: String, status: Int = 200, headers: [(name: String, value: String)] = []
    ) -> Response {
        Response(
            status: status,
            headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
                + headers + securityHeaders,
            text: document)
    }

    /// SPEC §10: the seed's endpoints answer exactly 302.
    static func redirect(
        to location: String, status: Int = 302, headers: [(name: String, value: String)] = []
    ) -> Response {
        Response(
            status: status,
            headers: [("Location", location), ("Cache-Control", "no-store")] + headers
                + securityHeaders)
    }
}
