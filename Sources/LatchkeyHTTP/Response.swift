/// What a handler answers. The HTTP layer adds nothing but `Content-Length` and
/// `Date`; every other header is the application's decision.
public struct Response: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Answers one request. Called on one of the server's worker threads; it may block
/// (database, password hashing), which holds that worker until it returns.
public typealias Handler = @Sendable (Request) -> Response
