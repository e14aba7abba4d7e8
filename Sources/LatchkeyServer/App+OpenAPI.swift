import LatchkeyHTTP

/// `GET /openapi.yaml` (SPEC §8): the OpenAPI document of every route, built into the
/// binary from `openapi.yaml` beside this file.
extension App {
    func openAPIDocument(_ request: Request) -> Response {
        Response(
            status: 200,
            headers: [
                ("Content-Type", "application/yaml"),
                // Fixed for a build, like the style sheet.
                ("Cache-Control", "public, max-age=3600"),
            ] + Response.securityHeaders,
            body: PackageResources.openapi_yaml)
    }
}
