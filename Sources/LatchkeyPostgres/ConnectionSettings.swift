import CPostgres
import LatchkeyStorage
import LatchkeyText

/// What every connection of a pool is opened with: the operator's URL, left for libpq to
/// parse, plus Latchkey's defaults for the settings the URL leaves out.
struct ConnectionSettings: Sendable {
    /// The URL exactly as given; only ever passed to libpq.
    let url: String
    /// The URL with its password replaced, for every message.
    let redactedURL: String
    /// The password as libpq decoded it, scrubbed from any message libpq writes.
    private let password: String?
    let connectTimeoutSeconds: Int
    let statementTimeoutMilliseconds: Int

    /// Checks the URL with libpq's own parser, so a malformed URL fails here, once, and not
    /// on every request.
    init(url: String, connectTimeoutSeconds: Int, statementTimeoutMilliseconds: Int)
        throws(StorageError)
    {
        let redacted = Self.redact(url)
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            // Not echoed: a keyword=value string would show its password.
            throw StorageError.failure(
                "a PostgreSQL URL must start with postgres:// or postgresql://")
        }

        var parseError: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &parseError) else {
            let reason = parseError.map { String(cString: $0) } ?? "cannot parse"
            if let parseError { PQfreemem(parseError) }
            throw StorageError.failure(
                "invalid PostgreSQL URL \(redacted): "
                    + Self.scrub(Self.oneLine(reason), secrets: Self.rawPasswords(in: url)))
        }
        defer { PQconninfoFree(options) }

        var password: String?
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                password = String(cString: value)
            }
            option += 1
        }

        self.url = url
        self.redactedURL = redacted
        self.password = password
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }

    /// Settings given before the URL, which the URL's own query options override (libpq
    /// reads the arrays in order, the last value of a keyword winning).
    var defaults: [(keyword: String, value: String)] {
        [
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("application_name", "latchkey"),
            // A peer that vanished without closing (a failed-over machine, a cut network)
            // is noticed in about 11 s rather than after the kernel's 15-minute
            // retransmits: keepalive probes while waiting for an answer, and a bound on
            // unacknowledged data while sending.
            ("keepalives", "1"),
            ("keepalives_idle", "5"),
            ("keepalives_interval", "2"),
            ("keepalives_count", "3"),
            ("tcp_user_timeout", String(statementTimeoutMilliseconds + 5_000)),
        ]
    }

    /// `message` on one line, without the password in any form it was given.
    func sanitize(_ message: String) -> String {
        var secrets = Self.rawPasswords(in: url)
        if let password, !password.isEmpty { secrets.append(password) }
        return Self.scrub(Self.oneLine(message), secrets: secrets)
    }

    /// `postgres://user:***@host:port/db?...`: the password of the user-info part and of a
    /// `password=` query option replaced, everything else kept for the operator.
    static func redact(_ url: String) -> String {
        var redacted = url
        if let password = userInfoPassword(in: url) {
            redacted.replaceSubrange(password, with: "***")
        }
        return scrubQueryPassword(redacted)
    }

    /// Where the password of `scheme://user:password@host` is. The user information ends
    /// at the last `@` before the query, not at the first `/`: a password with an
    /// unencoded `/` is still hidden (libpq would not read it as one, but it is a secret).
    private static func userInfoPassword(in url: String) -> Range<String.Index>? {
        guard let schemeEnd = url.utf8.firstRange(of: "://".utf8) else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let beforeQuery = rest[..<(rest.firstIndex { "?#".contains($0) } ?? rest.endIndex)]
        guard let at = beforeQuery.lastIndex(of: "@"),
            let colon = beforeQuery[..<at].firstIndex(of: ":")
        else { return nil }
        return url.index(after: colon)..<at
    }

    private static func scrubQueryPassword(_ url: String) -> String {
        guard let query = url.firstIndex(of: "?") else { return url }
        let options = url[url.index(after: query)...]
            .split(separator: "&", omittingEmptySubsequences: false)
        let redacted = options.map { option in
            option.lowercased().hasPrefix("password=") ? "password=***" : String(option)
        }
        return url[...query] + redacted.joined(separator: "&")
    }

    /// The password texts as they appear in the URL itself (percent-encoded or not), for
    /// scrubbing when libpq could not decode them.
    private static func rawPasswords(in url: String) -> [String] {
        var found: [String] = []
        if let password = userInfoPassword(in: url) { found.append(String(url[password])) }
        if let query = url.firstIndex(of: "?") {
            for option in url[url.index(after: query)...].split(separator: "&")
            where option.lowercased().hasPrefix("password=") {
                found.append(String(option.dropFirst("password=".count)))
            }
        }
        for secret in found {
            if let decoded = PercentEncoding.decoding(secret) { found.append(decoded) }
        }
        return found.filter { !$0.isEmpty }
    }

    private static func scrub(_ message: String, secrets: [String]) -> String {
        var message = message
        // Longest first, so that a password containing another is replaced whole.
        for secret in secrets.sorted(by: { $0.count > $1.count }) {
            // Compared as characters, a canonically equivalent spelling matches too; as
            // bytes, so does a secret whose first or last character merges with the text
            // around it (a combining mark after it), as Foundation's search also found.
            message = message.replacing(secret, with: "***")
            let bytes = Array(message.utf8).replacing(Array(secret.utf8), with: Array("***".utf8))
            message = String(decoding: bytes, as: UTF8.self)
        }
        return message
    }

    private static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingSpacesAndTabs() }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
