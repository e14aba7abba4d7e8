import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP client that shows tests exactly what the server answered: it follows no
/// redirect, stores no cookie and caches nothing, unless given a `CookieJar`.
///
/// Known limit of URLSession on Linux: when a redirect is refused, the body of the `3xx`
/// response is not delivered (`body` is empty); status and headers are.
final class HTTPClient: Sendable {
    /// Cookies carried between requests, like a browser; `nil` sends only the `Cookie`
    /// header a test writes itself.
    let cookies: CookieJar?

    private let session: URLSession

    init(cookies: CookieJar? = nil, timeout: TimeInterval = 30) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeout
        self.cookies = cookies
        session = URLSession(
            configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
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

        let (data, urlResponse) = try await session.data(for: request)

        guard let http = urlResponse as? HTTPURLResponse else {
            throw HarnessError("\(method) \(url.path) got a response that is not HTTP")
        }
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

/// Turns every redirect down, so the `3xx` response itself is what the task returns.
private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
