#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Request {
    /// Credentials from `Authorization: Basic ...` (RFC 7617 §2): the scheme in any case,
    /// standard base64, split at the first colon, UTF-8. Nil when absent or malformed, and
    /// when the request carries more than one `Authorization` header, since which one
    /// counts would be a guess.
    public var basicCredentials: BasicCredentials? {
        guard let encoded = authorization(scheme: "basic"),
            let decoded = Data(base64Encoded: encoded),
            let text = String(validating: decoded, as: UTF8.self),
            let colon = text.utf8.firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        return BasicCredentials(
            username: String(text[..<colon]),
            password: String(text[text.utf8.index(after: colon)...]))
    }

    /// The token from `Authorization: Bearer ...` (RFC 6750 §2.1), the scheme in any
    /// case. Nil when absent, when the token is not a `b64token`, or when the request
    /// carries more than one `Authorization` header.
    public var bearerToken: String? {
        guard let token = authorization(scheme: "bearer") else { return nil }

        // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        let bytes = token.utf8
        let body = bytes.prefix { $0 != UInt8(ascii: "=") }
        let padding = bytes.dropFirst(body.count)
        guard !body.isEmpty, body.allSatisfy(Self.isTokenByte),
            padding.allSatisfy({ $0 == UInt8(ascii: "=") })
        else { return nil }
        return token
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
            UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default: false
        }
    }

    /// The credentials after `scheme` (matched case-insensitively) and one or more spaces.
    private func authorization(scheme: String) -> String? {
        var values = headers.lazy.filter { $0.name == "authorization" }.map(\.value).makeIterator()
        guard let value = values.next(), values.next() == nil else { return nil }
        let space = UInt8(ascii: " ")
        guard let schemeEnd = value.utf8.firstIndex(of: space),
            value[..<schemeEnd].lowercased() == scheme
        else { return nil }

        let credentials = value[schemeEnd...].utf8.drop { $0 == space }
        guard !credentials.isEmpty, !credentials.contains(space) else { return nil }
        return String(Substring(credentials))
    }
}
