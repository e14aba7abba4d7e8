import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP response as a test sees it: nothing followed, nothing stored.
struct TestResponse: Sendable {
    /// The status code (`302` stays `302`).
    let status: Int
    /// The header fields, looked up without regard to case.
    let headers: HeaderFields
    /// The body bytes.
    let body: Data
    /// The URL that was requested.
    let url: URL

    init(status: Int, headers: HeaderFields, body: Data, url: URL) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    /// The body as UTF-8 text (invalid bytes become U+FFFD).
    var text: String {
        String(decoding: body, as: UTF8.self)
    }

    /// The body as a JSON object, or `nil` when it is not one.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    /// The body decoded as `type`, for tests that check a response's whole shape.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: body)
    }

    /// The `Location` header resolved against the request URL.
    var location: URL? {
        headers["Location"].flatMap { URL(string: $0, relativeTo: url)?.absoluteURL }
    }

    /// The cookies set by this response, with their attributes (`isHTTPOnly`,
    /// `expiresDate`, ...). `SameSite` is not parsed by Foundation on Linux; read the raw
    /// `headers["Set-Cookie"]` for it.
    var cookies: [HTTPCookie] {
        guard let field = headers["Set-Cookie"] else {
            return []
        }
        return HTTPCookie.cookies(withResponseHeaderFields: ["Set-Cookie": field], for: url)
    }
}

/// Response header fields with case-insensitive names.
///
/// URLSession on Linux hands repeated fields over joined by ", " (two `Set-Cookie`
/// fields arrive as one value); `HTTPCookie` knows how to split that one.
struct HeaderFields: Sendable {
    /// The fields, names lowercased.
    let all: [String: String]

    init(_ fields: [String: String]) {
        all = Dictionary(
            fields.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
    }

    subscript(name: String) -> String? {
        all[name.lowercased()]
    }
}
