import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyWeb

/// Health, readiness and the style sheet.
extension App {
    /// The process is up; says nothing about the database.
    func health(_ request: Request) -> Response {
        .json(.object([("status", .string("ok"))]), headers: [("Cache-Control", "no-store")])
    }

    /// The database answers.
    func readiness(_ request: Request) -> Response {
        do {
            try context.storage.ping()
            return .json(
                .object([("status", .string("ready"))]), headers: [("Cache-Control", "no-store")])
        } catch {
            logger.error("storage.unreachable", ["error.detail": "\(error)"])
            return .json(
                .object([
                    ("status", .string("unavailable")),
                    ("reason", .string("The database cannot be reached.")),
                ]), status: 503, headers: [("Cache-Control", "no-store")])
        }
    }

    func stylesheet(_ request: Request) -> Response {
        Response(
            status: 200,
            headers: [
                ("Content-Type", "text/css; charset=utf-8"),
                ("Cache-Control", "public, max-age=3600"),
            ] + Response.securityHeaders,
            text: Stylesheet.css)
    }
}

extension App {
    /// RFC 8414 §3: the metadata document, cacheable for a while.
    func authorizationServerMetadata(_ request: Request) -> Response {
        .json(
            AuthorizationServerMetadata.json(context.configuration),
            headers: [("Cache-Control", "public, max-age=3600")])
    }
}

extension App {
    /// `GET /metrics` in the Prometheus text format.
    public func metricsResponse() -> Response {
        Response(
            status: 200,
            headers: [
                ("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                ("Cache-Control", "no-store"),
            ],
            text: metrics.render())
    }
}
