import LatchkeyHTTP

/// Maps a method and path to a handler. Patterns are literal segments plus `{name}`
/// placeholders that match exactly one non-empty segment.
///
/// Most requests hit a route without placeholders, so those are also kept in a
/// dictionary by path: one hash lookup answers them, without splitting the path or
/// building captures. Only a path with no literal route for its method walks every
/// route in the order they were added. A literal route therefore wins over a pattern
/// that matches the same method and path.
struct Router: Sendable {
    typealias RouteHandler = @Sendable (App, Request, [String: String]) -> Response
    /// Whether a request of a blocking route may run on the event loop after all.
    typealias InlinePredicate = @Sendable (App, Request) -> Bool

    private struct Route: Sendable {
        var method: String
        var pattern: String
        var segments: [Substring]
        var blocks: Bool
        var runsInline: InlinePredicate?
        var handler: RouteHandler

        /// HEAD is answered as GET, without the body.
        func accepts(_ method: String) -> Bool {
            self.method == method || (method == "HEAD" && self.method == "GET")
        }
    }

    enum Match {
        /// The handler, the captured segments, the pattern (a label for metrics), whether
        /// the handler may block, and which of its requests do not after all (see
        /// ``Router/add(_:_:blocks:runsInline:_:)``).
        case found(
            RouteHandler, [String: String], pattern: String, blocks: Bool,
            runsInline: InlinePredicate?)
        /// The path exists with other methods (405, with `Allow`).
        case wrongMethod(allowed: [String])
        case notFound
    }

    private var routes: [Route] = []
    private var literalRoutes: [String: [Route]] = [:]

    /// - Parameters:
    ///   - blocks: whether the handler may wait on something other than the CPU, such as
    ///     a commit or a password hash; it then runs on the HTTP server's blocking pool.
    ///     By default every method but GET, since those are the requests that write.
    ///   - runsInline: for a blocking route, picks out the requests that wait on nothing
    ///     after all, which then run on the event loop and spare two thread hand-offs.
    mutating func add(
        _ method: String, _ pattern: String, blocks: Bool? = nil,
        runsInline: InlinePredicate? = nil, _ handler: @escaping RouteHandler
    ) {
        let route = Route(
            method: method, pattern: pattern, segments: Self.split(pattern[...]),
            blocks: blocks ?? (method != "GET"), runsInline: runsInline, handler: handler)
        routes.append(route)
        if !pattern.contains("{") {
            literalRoutes[pattern, default: []].append(route)
        }
    }

    /// Every route's method and pattern, in the order they are tried.
    var signatures: [RouteSignature] {
        routes.map { RouteSignature(method: $0.method, pattern: $0.pattern) }
    }

    func match(method: String, path: String) -> Match {
        if let route = literalRoutes[path]?.first(where: { $0.accepts(method) }) {
            return .found(
                route.handler, [:], pattern: route.pattern, blocks: route.blocks,
                runsInline: route.runsInline)
        }

        let segments = Self.split(path[...])
        var allowed: [String] = []
        for route in routes {
            guard let captures = Self.captures(route.segments, segments) else { continue }
            if route.accepts(method) {
                return .found(
                    route.handler, captures, pattern: route.pattern, blocks: route.blocks,
                    runsInline: route.runsInline)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .wrongMethod(allowed: allowed)
    }

    private static func split(_ path: Substring) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    private static func captures(_ pattern: [Substring], _ path: [Substring]) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var captures: [String: String] = [:]
        for (expected, actual) in zip(pattern, path) {
            if expected.hasPrefix("{") && expected.hasSuffix("}") {
                guard !actual.isEmpty else { return nil }
                captures[String(expected.dropFirst().dropLast())] = String(actual)
            } else if expected != actual {
                return nil
            }
        }
        return captures
    }
}

/// A route as the router matches it: a method and a path pattern whose `{name}`
/// placeholders each stand for one non-empty segment.
public struct RouteSignature: Hashable, Sendable, CustomStringConvertible {
    public var method: String
    public var pattern: String

    public init(method: String, pattern: String) {
        self.method = method
        self.pattern = pattern
    }

    public var description: String { "\(method) \(pattern)" }
}
