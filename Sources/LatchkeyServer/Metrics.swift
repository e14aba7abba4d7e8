import LatchkeyStorage
import LatchkeyThreads

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counters and histograms for `GET /metrics`, in the Prometheus text exposition
/// format (version 0.0.4).
///
/// Labels are bounded by construction: routes are the router's patterns (never a raw
/// path), statuses and grant types are small fixed sets, so no client can grow the
/// series without limit.
public final class Metrics: Sendable {
    /// Upper bounds of the latency histogram, in seconds.
    static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
    ]

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct Histogram {
        var bucketCounts = [UInt64](repeating: 0, count: Metrics.latencyBuckets.count)
        var count: UInt64 = 0
        var sum: Double = 0
    }

    private struct State {
        var requests: [RequestKey: UInt64] = [:]
        var latency: [String: Histogram] = [:]
        var tokensIssued: [String: UInt64] = [:]
        var tokenValidations: [String: UInt64] = [:]
        var loginFailures: UInt64 = 0
        var lockouts: UInt64 = 0
    }

    private let state = Locked(State())
    /// Reads the HTTP layer's open connections; set once the server runs.
    private let openConnections: Locked<(@Sendable () -> Int)?> = Locked(nil)

    public init() {}

    /// Reads the storage's connection pool; set once the server runs.
    private let databasePool: Locked<(@Sendable () -> ConnectionPoolUsage)?> = Locked(nil)

    public func reportOpenConnections(_ read: @escaping @Sendable () -> Int) {
        openConnections.withLock { $0 = read }
    }

    public func reportDatabasePool(_ read: @escaping @Sendable () -> ConnectionPoolUsage) {
        databasePool.withLock { $0 = read }
    }

    func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        let bucket = Self.latencyBuckets.firstIndex { seconds <= $0 }
        state.withLock { state in
            state.requests[RequestKey(route: route, method: method, status: status), default: 0] +=
                1
            var histogram = state.latency[route] ?? Histogram()
            if let bucket { histogram.bucketCounts[bucket] += 1 }
            histogram.count += 1
            histogram.sum += seconds
            state.latency[route] = histogram
        }
    }

    func recordTokenIssued(grantType: String) {
        state.withLock { $0.tokensIssued[grantType, default: 0] += 1 }
    }

    /// `result` is `valid` or `invalid`.
    func recordTokenValidation(_ result: String) {
        state.withLock { $0.tokenValidations[result, default: 0] += 1 }
    }

    func recordLoginFailure(lockedOut: Bool) {
        state.withLock {
            if lockedOut { $0.lockouts += 1 } else { $0.loginFailures += 1 }
        }
    }

    /// The exposition text.
    func render() -> String {
        let snapshot = state.withLock { $0 }
        var text = ""

        text += "# HELP latchkey_http_requests_total HTTP requests answered, by route and status.\n"
        text += "# TYPE latchkey_http_requests_total counter\n"
        for (key, count) in snapshot.requests.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            text += "latchkey_http_requests_total{route=\"\(key.route)\",method=\"\(key.method)\","
            text += "status=\"\(key.status)\"} \(count)\n"
        }

        text += "# HELP latchkey_http_request_duration_seconds Time to answer, by route.\n"
        text += "# TYPE latchkey_http_request_duration_seconds histogram\n"
        for (route, histogram) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            var cumulative: UInt64 = 0
            for (bound, count) in zip(Self.latencyBuckets, histogram.bucketCounts) {
                cumulative += count
                text += "latchkey_http_request_duration_seconds_bucket{route=\"\(route)\","
                text += "le=\"\(bound)\"} \(cumulative)\n"
            }
            text += "latchkey_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} "
            text += "\(histogram.count)\n"
            text +=
                "latchkey_http_request_duration_seconds_sum{route=\"\(route)\"} \(histogram.sum)\n"
            text += "latchkey_http_request_duration_seconds_count{route=\"\(route)\"} "
            text += "\(histogram.count)\n"
        }

        text += "# HELP latchkey_tokens_issued_total Access tokens issued, by grant type.\n"
        text += "# TYPE latchkey_tokens_issued_total counter\n"
        for (grant, count) in snapshot.tokensIssued.sorted(by: { $0.key < $1.key }) {
            text += "latchkey_tokens_issued_total{grant_type=\"\(grant)\"} \(count)\n"
        }

        text += "# HELP latchkey_token_validations_total Bearer tokens checked, by result.\n"
        text += "# TYPE latchkey_token_validations_total counter\n"
        for (result, count) in snapshot.tokenValidations.sorted(by: { $0.key < $1.key }) {
            text += "latchkey_token_validations_total{result=\"\(result)\"} \(count)\n"
        }

        text +=
            "# HELP latchkey_login_failures_total"
            + " Wrong passwords on sign-in and the non-web flow.\n"
        text += "# TYPE latchkey_login_failures_total counter\n"
        text += "latchkey_login_failures_total \(snapshot.loginFailures)\n"
        text += "# HELP latchkey_lockouts_total Attempts refused because of the lockout.\n"
        text += "# TYPE latchkey_lockouts_total counter\n"
        text += "latchkey_lockouts_total \(snapshot.lockouts)\n"

        let connections = openConnections.withLock { $0 }?() ?? 0
        text += "# HELP latchkey_http_open_connections Connections open now.\n"
        text += "# TYPE latchkey_http_open_connections gauge\n"
        text += "latchkey_http_open_connections \(connections)\n"
        if let pool = databasePool.withLock({ $0 })?() {
            text += "# HELP latchkey_db_connections_in_use Database connections a call holds.\n"
            text += "# TYPE latchkey_db_connections_in_use gauge\n"
            text += "latchkey_db_connections_in_use \(pool.inUse)\n"
            text += "# HELP latchkey_db_connections_open Database connections open.\n"
            text += "# TYPE latchkey_db_connections_open gauge\n"
            text += "latchkey_db_connections_open \(pool.open)\n"
            text += "# HELP latchkey_db_connections_max Database connections the pool may open.\n"
            text += "# TYPE latchkey_db_connections_max gauge\n"
            text += "latchkey_db_connections_max \(pool.capacity)\n"
            text += "# HELP latchkey_db_queued_writes Writes waiting for the next commit.\n"
            text += "# TYPE latchkey_db_queued_writes gauge\n"
            text += "latchkey_db_queued_writes \(pool.queuedWrites)\n"
        }
        text += "# HELP process_resident_memory_bytes Resident memory of this process.\n"
        text += "# TYPE process_resident_memory_bytes gauge\n"
        text += "process_resident_memory_bytes \(Self.residentMemoryBytes())\n"
        return text
    }

    /// The second field of `/proc/self/statm` is resident pages.
    static func residentMemoryBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
