import Foundation

extension Request {
    /// Credentials from `Authorization: Basic ...` (RFC 7617 §2): the scheme in any case,
    /// standard base64, split at the first colon, UTF-8. Nil when absent or malformed, and
    /// when the request carries more than one `Authorization` header, since which one
    /// counts would be a guess.
    public var basicCredentials: BasicCredentials? {
        guard let encoded = authorization(scheme: "basic"),
            let decoded = Data(base64Encoded: encoded),
            let text = String(validating: decoded, as: UTF8.self),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return BasicCredentials(
            username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }

    /// The token from `Authorization: Bearer ...` (RFC 6750 §2.1), the scheme in any
    /// case. Nil when absent, when the token is not a `b64token`, or when the request
    /// carries more than one `Authorization` header.
    public var bearerToken: String? {
        guard let token = authorization(scheme: "bearer") else { return nil }

        // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        let body = token.prefix { $0 != "=" }
        let padding = token.dropFirst(body.count)
        let isTokenCharacter: (Character) -> Bool = {
            $0.isASCII && ($0.isLetter || $0.isNumber || "-._~+/".contains($0))
        }
        guard !body.isEmpty, body.allSatisfy(isTokenCharacter), padding.allSatisfy({ $0 == "=" })
        else { return nil }
        return token
    }

    /// The credentials after `scheme` (matched case-insensitively) and one or more spaces.
    private func authorization(scheme: String) -> String? {
        let values = headerValues("authorization")
        guard values.count == 1, let value = values.first else { return nil }
        guard let space = value.firstIndex(of: " "),
            value[..<space].lowercased() == scheme
        else { return nil }

        let credentials = value[space...].drop { $0 == " " }
        guard !credentials.isEmpty, !credentials.contains(" ") else { return nil }
        return String(credentials)
    }
}
