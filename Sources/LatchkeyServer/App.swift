import LatchkeyHTTP
import LatchkeyLog
import LatchkeyOAuth
import LatchkeyStorage
import LatchkeyText
import LatchkeyWeb

/// The application: maps HTTP requests onto the OAuth logic and the pages.
public final class App: Sendable {
    let context: OAuthContext
    let configuration: ServerConfiguration
    let logger: Logger
    public let metrics: Metrics
    private let router: Router

    public init(
        context: OAuthContext, configuration: ServerConfiguration, logger: Logger,
        metrics: Metrics = Metrics()
    ) {
        // The OAuth core reports failures it recovers from; they become log lines here.
        var context = context
        context.reportFailure = { failure in Self.log(failure, logger) }
        self.context = context
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        var router = Router()
        App.addRoutes(to: &router)
        self.router = router
    }

    /// The handler to give the HTTP server.
    public var handler: Handler {
        { [self] request in handle(request) }
    }

    /// The dispatcher to give the HTTP server: requests that may block (``Router``)
    /// come back as work for its blocking pool, every other one as its response.
    public var dispatcher: Dispatcher {
        { [self] request in dispatch(request) }
    }

    /// Answers `request` on the calling thread, blocking work and pending answers
    /// included.
    public func handle(_ request: Request) -> Response {
        switch dispatch(request) {
        case .response(let response): response.waitingForPending()
        case .blocking(let work): work().waitingForPending()
        }
    }

    public func dispatch(_ request: Request) -> Dispatch {
        let started = ContinuousClock.now
        var request = request
        if configuration.trustForwardedHeaders, let forwarded = Self.forwardedAddress(request) {
            request.remoteAddress = forwarded
        }
        if let violation = request.limitViolation {
            return .response(
                measured(limitResponse(violation, for: request), route: "limit", request, started))
        }

        switch router.match(method: request.method, path: request.path) {
        case .found(let handler, let captures, let pattern, let blocks, let runsInline):
            guard blocks, runsInline?(self, request) != true else {
                return .response(
                    run(handler, request, captures, pattern: pattern, started: started))
            }
            return .blocking { [self, request] in
                run(handler, request, captures, pattern: pattern, started: started)
            }
        case .wrongMethod(let allowed):
            return .response(
                measured(
                    wrongMethod(request, allowed: allowed), route: "unmatched", request, started))
        case .notFound:
            return .response(measured(notFound(request), route: "unmatched", request, started))
        }
    }

    private func run(
        _ handler: Router.RouteHandler, _ request: Request, _ captures: [String: String],
        pattern: String, started: ContinuousClock.Instant
    ) -> Response {
        var response = handler(self, request, captures)
        if request.method == "HEAD" { response.body = [] }
        return measured(response, route: pattern, request, started)
    }

    /// Records the request in the metrics, its route as the label, and passes `response`
    /// on; a pending response is recorded when it answers, with the status it answers.
    private func measured(
        _ response: Response, route: String, _ request: Request, _ started: ContinuousClock.Instant
    ) -> Response {
        let metrics = metrics
        let method = request.method
        guard let pending = response.pending else {
            metrics.recordRequest(
                route: route, method: method, status: response.status,
                seconds: Self.seconds(since: started))
            return response
        }
        var measured = response
        measured.pending = { answer in
            pending { final in
                metrics.recordRequest(
                    route: route, method: method, status: final.status,
                    seconds: Self.seconds(since: started))
                answer(final)
            }
        }
        return measured
    }

    private static func seconds(since started: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func wrongMethod(_ request: Request, allowed: [String]) -> Response {
        let allow = [("Allow", allowed.joined(separator: ", "))]
        if Self.speaksJSON(request) {
            let error = OAuthError(.invalidRequest, "This method is not allowed here.", status: 405)
            return .oauthError(error, headers: allow)
        }
        return errorPage(
            request, status: 405, title: Strings.methodNotAllowedTitle,
            message: Strings.methodNotAllowed, headers: allow)
    }

    private func notFound(_ request: Request) -> Response {
        if Self.speaksJSON(request) {
            let body = JSONValue.object([
                ("error", .string("not_found")),
                ("error_description", .string("There is nothing at this path.")),
            ])
            return .json(body, status: 404)
        }
        return errorPage(
            request, status: 404, title: Strings.notFoundTitle, message: Strings.notFound)
    }

    /// The address the nearest proxy saw: the last entry of the last `X-Forwarded-For`.
    /// Earlier entries were written by the client itself and prove nothing.
    static func forwardedAddress(_ request: Request) -> String? {
        guard let header = request.headerValues("x-forwarded-for").last,
            let last = header.split(separator: ",").last?.trimmingSpacesAndTabs(),
            !last.isEmpty, last.count <= 45,
            last.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" })
        else { return nil }
        return last
    }

    /// JSON for the API and the token endpoints, HTML for everything a browser visits.
    static func speaksJSON(_ request: Request) -> Bool {
        let path = request.path
        if path.hasPrefix("/oauth/authorize") { return false }
        if path.hasPrefix("/api/") || path == "/api/v1" || path.hasPrefix("/oauth/") { return true }
        if path.hasPrefix("/.well-known/") { return true }
        if path == "/authorize/token" { return true }
        if path == "/authorize" && request.method == "POST" { return true }
        return path == "/healthz" || path == "/readyz"
    }

    private func limitResponse(_ violation: LimitViolation, for request: Request) -> Response {
        let (status, title, message) =
            switch violation {
            case .bodyTooLarge: (413, Strings.tooLargeTitle, Strings.tooLarge)
            case .urlTooLong: (414, Strings.urlTooLongTitle, Strings.urlTooLong)
            }
        if Self.speaksJSON(request) {
            return .oauthError(OAuthError(.invalidRequest, message, status: status))
        }
        return errorPage(request, status: status, title: title, message: message)
    }

    /// An HTML error page with the same security headers as every page.
    func errorPage(
        _ request: Request, status: Int, title: String, message: String,
        headers: [(name: String, value: String)] = []
    ) -> Response {
        .html(
            Pages.error(nil, status: status, title: title, message: message), status: status,
            headers: headers)
    }

    /// One error line per recoverable failure: the request it happened in still succeeded.
    static func log(_ failure: RecoverableFailure, _ logger: Logger) {
        switch failure {
        case .clientSecretUpgrade(let clientID, let detail):
            logger.error(
                "oauth.client_secret.upgrade_failed",
                ["oauth.client_id": clientID, "error.detail": detail])
        }
    }

    /// Logs a failure of Latchkey's own (storage, crypto) with its cause.
    func logServerError(_ error: OAuthError, _ request: Request) {
        guard error.isServerSide else { return }
        logger.error(
            "request.failed",
            [
                "request.id": request.id, "http.path": request.path,
                "error.detail": error.detail ?? "",
            ])
    }
}
