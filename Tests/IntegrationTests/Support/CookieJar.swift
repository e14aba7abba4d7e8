import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The cookies one browser would hold for one test server, so page tests can carry a
/// session and a CSRF cookie from response to request.
///
/// Keyed by name only: a test talks to one server, so domain and path are ignored.
/// Expiry is honoured only as deletion (`Max-Age=0` or a past `Expires`).
final class CookieJar: Sendable {
    private let cookies = Mutex<[String: String]>([:])

    init() {}

    /// Stores the response's cookies and drops those it expires.
    func store(from response: TestResponse) {
        let now = Date()
        cookies.withLock { jar in
            for cookie in response.cookies {
                jar[cookie.name] = Self.isExpired(cookie, at: now) ? nil : cookie.value
            }
        }
    }

    /// Foundation on Linux turns `Expires` into `expiresDate` but leaves `Max-Age` as
    /// text in `properties`, so both are looked at.
    static func isExpired(_ cookie: HTTPCookie, at now: Date) -> Bool {
        if let maximumAge = cookie.properties?[.maximumAge].flatMap({ Int("\($0)") }),
            maximumAge <= 0
        {
            return true
        }
        return cookie.expiresDate.map { $0 <= now } ?? false
    }

    /// The value stored under `name`.
    subscript(name: String) -> String? {
        cookies.withLock { $0[name] }
    }

    /// Sets or (with `nil`) removes a cookie by hand, to test tampering.
    func set(_ name: String, to value: String?) {
        cookies.withLock { $0[name] = value }
    }

    /// The `Cookie` request header (`a=1; b=2`, sorted by name), `nil` when empty.
    var headerValue: String? {
        let pairs = cookies.withLock { $0.sorted { $0.key < $1.key } }
        guard !pairs.isEmpty else {
            return nil
        }
        return pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }
}
