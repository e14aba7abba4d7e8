import Foundation

extension WebDriver {
    /// Loads `url` and waits for the page to finish loading. Returns `nil` when it loaded,
    /// or Chromium's network error (`"net::ERR_CONNECTION_REFUSED"`) when it could not.
    ///
    /// A URL the browser cannot load (a client's callback on a port where nothing
    /// listens) therefore does not throw: ChromeDriver answers the command with that
    /// error, but the browser shows its error page and `currentURL` still reports the URL
    /// asked for, query included. The same holds when a click or a server's redirect
    /// leads there. That is how browser tests read the `code` an authorization server
    /// sends to a client's callback; HarnessTests checks it with headless Chromium 156.
    @discardableResult
    func navigate(to url: URL) async throws -> String? {
        do {
            try await command("POST", "url", ["url": url.absoluteString])
            return nil
        } catch let error as WebDriverError where error.code == "unknown error" {
            guard
                let range = error.message.range(
                    of: #"net::ERR_[A-Z_]+"#, options: .regularExpression)
            else {
                throw error
            }
            return String(error.message[range])
        }
    }

    /// The address of the page the browser shows, after redirects.
    var currentURL: URL {
        get async throws {
            let value = try await command("GET", "url")
            guard let text = value as? String, let url = URL(string: text) else {
                throw HarnessError("WebDriver reported a current URL that is not a URL")
            }
            return url
        }
    }

    /// The page's `<title>`.
    var title: String {
        get async throws {
            try await command("GET", "title") as? String ?? ""
        }
    }

    /// The page's current DOM serialized as HTML.
    var pageSource: String {
        get async throws {
            try await command("GET", "source") as? String ?? ""
        }
    }

    /// The first element matching a CSS selector; throws `WebDriverError` with code
    /// `"no such element"` when there is none.
    func findElement(css selector: String) async throws -> WebElement {
        let value = try await command(
            "POST", "element", ["using": "css selector", "value": selector])
        return try WebElement(reference: value, in: self)
    }

    /// Every element matching a CSS selector, in document order (possibly none).
    func findElements(css selector: String) async throws -> [WebElement] {
        let value = try await command(
            "POST", "elements", ["using": "css selector", "value": selector])
        return try (value as? [Any] ?? []).map { try WebElement(reference: $0, in: self) }
    }

    /// Polls `currentURL` until `matches` accepts it; a click that submits a form may
    /// return before the navigation it starts has committed.
    @discardableResult
    func waitForURL(timeout: Duration = .seconds(10), where matches: (URL) -> Bool)
        async throws -> URL
    {
        let deadline = ContinuousClock.now + timeout
        var url = try await currentURL
        while !matches(url) {
            guard ContinuousClock.now < deadline else {
                throw HarnessError("the browser was still at \(url) after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
            url = try await currentURL
        }
        return url
    }

    /// A PNG of the visible part of the page.
    func screenshot() async throws -> Data {
        let value = try await command("GET", "screenshot")
        guard let base64 = value as? String, let png = Data(base64Encoded: base64) else {
            throw HarnessError("WebDriver returned a screenshot that is not base64")
        }
        return png
    }

    /// Writes `screenshot()` to `file`, to look at a failing page later.
    func saveScreenshot(to file: URL) async throws {
        try await screenshot().write(to: file)
    }

    /// A `data:` URL showing `html`, for pages that need no server.
    static func dataURL(html: String) -> URL {
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = html.addingPercentEncoding(withAllowedCharacters: unreserved)!
        return URL(string: "data:text/html;charset=utf-8," + encoded)!
    }
}
