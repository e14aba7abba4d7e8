/// Name/value pairs in the order they arrived, already percent-decoded once.
/// Repeated names are kept, so that protocol code can refuse them.
public struct Parameters: Sendable, Equatable {
    public var pairs: [(name: String, value: String)]

    public init(_ pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Every value given for `name`.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The first value given for `name`.
    public subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Names that appear more than once, in order of their first appearance.
    public var repeatedNames: [String] {
        var seen: Set<String> = []
        var repeated: [String] = []
        for (name, _) in pairs where !seen.insert(name).inserted && !repeated.contains(name) {
            repeated.append(name)
        }
        return repeated
    }

    public static func == (lhs: Parameters, rhs: Parameters) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Why the query string or form body of a request could not be decoded. The request
/// is still delivered, so that the application answers in its own format.
public enum ParameterError: Error, Sendable, Equatable {
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8 once decoded.
    case malformedEncoding
    /// More parameters than the configured limit, query and body together.
    case tooManyParameters(limit: Int)
}

/// A request limit that the HTTP layer enforced before the handler saw the request.
public enum LimitViolation: Sendable, Equatable {
    /// 413: the body passed the configured size.
    case bodyTooLarge
    /// 414: the request target passed the configured length.
    case urlTooLong
}

/// HTTP Basic credentials (RFC 7617), decoded from base64 and split at the first colon.
public struct BasicCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// One HTTP request as a handler sees it: everything decoded once, here.
public struct Request: Sendable {
    /// Upper-case method, as sent (`GET`, `POST`).
    public var method: String
    /// The path, percent-decoded, without the query string.
    public var path: String
    /// The query string as sent, without `?`; nil when there was none. For logging,
    /// never log this: legacy clients put secrets in it.
    public var rawQuery: String?
    /// Header names lower-cased; values as sent.
    public var headers: [(name: String, value: String)]
    /// Decoded query parameters.
    public var query: Parameters
    /// Decoded `application/x-www-form-urlencoded` body parameters; empty otherwise.
    public var form: Parameters
    public var body: [UInt8]
    /// Set when the query or form could not be decoded; `query` and `form` are then empty.
    public var parameterError: ParameterError?
    /// Set when a limit was passed; the handler should answer with that status.
    public var limitViolation: LimitViolation?
    /// The peer's address as text (`127.0.0.1`, `::1`).
    public var remoteAddress: String
    /// A short random id that appears in every log line about this request.
    public var id: String
    public var isTLS: Bool

    public init(
        method: String, path: String, rawQuery: String? = nil,
        headers: [(name: String, value: String)] = [], query: Parameters = Parameters(),
        form: Parameters = Parameters(), body: [UInt8] = [], parameterError: ParameterError? = nil,
        limitViolation: LimitViolation? = nil, remoteAddress: String = "127.0.0.1",
        id: String = "", isTLS: Bool = false
    ) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.query = query
        self.form = form
        self.body = body
        self.parameterError = parameterError
        self.limitViolation = limitViolation
        self.remoteAddress = remoteAddress
        self.id = id
        self.isTLS = isTLS
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// Every value of a header, matched case-insensitively.
    public func headerValues(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name == wanted }.map(\.value)
    }
}
