import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP client that shows tests exactly what the server answered: it follows no
/// redirect, answers no authentication challenge (a `401` with `WWW-Authenticate: Basic`
/// comes back as it is), stores no cookie and caches nothing, unless given a `CookieJar`.
final class HTTPClient: Sendable {
    /// Cookies carried between requests, like a browser; `nil` sends only the `Cookie`
    /// header a test writes itself.
    let cookies: CookieJar?

    private let session: URLSession
    private let exchanges = ExchangeDelegate()

    init(cookies: CookieJar? = nil, timeout: TimeInterval = 30) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpCookieStorage = nil
        configuration.urlCredentialStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeout
        self.cookies = cookies
        session = URLSession(configuration: configuration, delegate: exchanges, delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends one request and returns the response, whatever its status.
    ///
    /// Throws only when no response arrives (connection refused, timeout). With a
    /// cookie jar, its cookies go out unless `headers` has a `Cookie`, and the
    /// response's `Set-Cookie` fields are stored.
    func send(
        method: String = "GET", url: URL, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> TestResponse {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        if let cookieHeader = cookies?.headerValue,
            request.value(forHTTPHeaderField: "Cookie") == nil
        {
            request.setValue(cookieHeader, forHTTPHeaderField: "Cookie")
        }

        let (data, http) = try await exchanges.perform(session.dataTask(with: request))

        let fields = http.allHeaderFields.reduce(into: [String: String]()) { fields, field in
            fields["\(field.key)"] = "\(field.value)"
        }
        let response = TestResponse(
            status: http.statusCode, headers: HeaderFields(fields), body: data, url: url)
        cookies?.store(from: response)
        return response
    }

    /// `GET url`.
    func get(_ url: URL, headers: [String: String] = [:]) async throws -> TestResponse {
        try await send(url: url, headers: headers)
    }

    /// `POST url` with `pairs` as an `application/x-www-form-urlencoded` body.
    func postForm(_ url: URL, _ pairs: [(String, String)], headers: [String: String] = [:])
        async throws -> TestResponse
    {
        let formHeaders = headers.merging(
            ["Content-Type": "application/x-www-form-urlencoded"]) { mine, _ in mine }
        return try await send(method: "POST", url: url, headers: formHeaders, body: form(pairs))
    }

    /// `POST url` with `object` serialized as a JSON body.
    func postJSON(_ url: URL, _ object: Any, headers: [String: String] = [:]) async throws
        -> TestResponse
    {
        let body = try JSONSerialization.data(withJSONObject: object)
        let jsonHeaders = headers.merging(["Content-Type": "application/json"]) { mine, _ in
            mine
        }
        return try await send(method: "POST", url: url, headers: jsonHeaders, body: body)
    }
}
