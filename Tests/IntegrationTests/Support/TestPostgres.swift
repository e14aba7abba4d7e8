import Foundation
import TestEnvironment

#if canImport(Glibc)
    import Glibc
#endif

/// The PostgreSQL server the scale-out tests share: `LATCHKEY_TEST_POSTGRES_URL`, which
/// scripts/test sets from scripts/start-postgres. Driven with Debian's own client
/// programs (`psql`, `initdb`, `pg_ctl`), as an operator would.
enum TestPostgres {
    static var url: String? { PostgresTestEnvironment.url }
    static var isEnabled: Bool { PostgresTestEnvironment.isEnabled }

    static func requiredURL() throws -> String {
        guard let url else {
            throw HarnessError(PostgresTestEnvironment.missingMessage)
        }
        return url
    }

    /// A new, empty schema in the shared database, so that tests running at the same time
    /// never see each other's rows; a schema costs milliseconds where a database would
    /// copy a template.
    static func makeSchema() throws -> TestPostgresSchema {
        let url = try requiredURL()
        let name = "it_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try psql(url, "CREATE SCHEMA \(name)")
        return TestPostgresSchema(name: name, adminURL: url)
    }

    /// Runs `sql` with `psql` and returns its unaligned, header-less output; throws with
    /// psql's message when it fails.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let result = try CommandRunner.run(
            try program("psql"),
            [
                "--no-psqlrc", "--quiet", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1",
                "--dbname=\(url)", "--command=\(sql)",
            ],
            timeout: .seconds(30))
        guard result.status == 0 else {
            throw HarnessError("psql exited with \(result.status): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A PostgreSQL program from the newest server installed under /usr/lib/postgresql.
    static func program(_ name: String) throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions =
            (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let candidates = versions.compactMap(Int.init).sorted(by: >).map {
            root.appendingPathComponent("\($0)/bin/\(name)")
        }
        guard let found = candidates.first(where: { access($0.path, X_OK) == 0 }) else {
            throw HarnessError(
                "no \(name) under /usr/lib/postgresql/*/bin; run scripts/install-deps --browser")
        }
        return found
    }
}

/// A schema made for one test, dropped with everything in it when the last reference
/// goes. Its URL selects it with `search_path`, for `latchkey --database`.
final class TestPostgresSchema: Sendable {
    let name: String
    let adminURL: String

    init(name: String, adminURL: String) {
        self.name = name
        self.adminURL = adminURL
    }

    deinit {
        _ = try? TestPostgres.psql(adminURL, "DROP SCHEMA IF EXISTS \(name) CASCADE")
    }

    /// The shared database's URL with this schema as the connections' `search_path`.
    var url: String {
        let separator = adminURL.contains("?") ? "&" : "?"
        return adminURL + separator + "options=-csearch_path%3D\(name)"
    }

    /// A query run with this schema first on the path.
    @discardableResult
    func query(_ sql: String) throws -> String {
        try TestPostgres.psql(adminURL, "SET search_path TO \(name); \(sql)")
    }
}

/// A PostgreSQL cluster of the test's own, for a test that stops and starts the server
/// under a running Latchkey without disturbing the shared one other tests use.
///
/// TCP connections need a password (`scram-sha-256`), so that tests can check it never
/// shows; the Unix socket in `folder` trusts every local user.
final class PrivateCluster: Sendable {
    static let user = "latchkey"
    static let password = "s3cret-Cluster-pw"

    let folder: URL
    let port: UInt16

    /// `postgres://latchkey:PASSWORD@127.0.0.1:PORT/latchkey`.
    var url: String {
        "postgres://\(Self.user):\(Self.password)@127.0.0.1:\(port)/\(Self.user)"
    }

    /// Creates the cluster (about a second: no fsync) and starts it.
    init() throws {
        let parent =
            access("/dev/shm", W_OK) == 0
            ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        folder = parent.appendingPathComponent("latchkey-it-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        port = try FreePort.find()
        do {
            try Self.giveToServerUser(folder)
            let passwordFile = folder.appendingPathComponent("password")
            try Data((Self.password + "\n").utf8).write(to: passwordFile)
            try Self.giveToServerUser(passwordFile)
            try runAsServerUser(
                "initdb", "--pgdata=\(data)", "--username=\(Self.user)",
                "--pwfile=\(passwordFile.path)", "--auth-local=trust",
                "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
            try start()
            try TestPostgres.psql(
                "postgresql:///postgres?host=\(folder.path)&port=\(port)&user=\(Self.user)",
                "CREATE DATABASE \(Self.user)")
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    deinit {
        _ = try? stop()
        try? FileManager.default.removeItem(at: folder)
    }

    private var data: String { folder.appendingPathComponent("data").path }

    /// Starts the server and waits until it accepts connections.
    func start() throws {
        let options = [
            "-c listen_addresses=127.0.0.1", "-p \(port)", "-k \(folder.path)",
            "-c fsync=off", "-c max_connections=40", "-c shared_buffers=16MB",
        ]
        try runAsServerUser(
            "pg_ctl", "--pgdata=\(data)",
            "--log=\(folder.appendingPathComponent("server.log").path)", "--wait",
            "--timeout=30", "--silent", "-o", options.joined(separator: " "), "start")
    }

    /// Stops the server the quick way an operator restarts one: open connections are
    /// terminated, new ones refused.
    func stop() throws {
        try runAsServerUser(
            "pg_ctl", "--pgdata=\(data)", "--mode=fast", "--wait", "--silent", "stop")
    }

    /// Runs a PostgreSQL program as the `postgres` user when the tests run as root (the
    /// server refuses to run as root), with every inherited descriptor beyond the
    /// standard three closed: a server that `pg_ctl` leaves running must not hold the
    /// socket through which Foundation learns that its child exited.
    private func runAsServerUser(_ name: String, _ arguments: String...) throws {
        let program = try TestPostgres.program(name).path
        let asServer = geteuid() == 0 ? ["runuser", "-u", "postgres", "--"] : []
        // The subshell closes them, so the shell itself keeps the socket until the
        // program is done and Foundation sees the exit at the right moment.
        let script = """
            (for fd in /proc/$BASHPID/fd/*; do
                n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null
            done; exec "$@")
            """
        let result = try CommandRunner.run(
            URL(fileURLWithPath: "/bin/bash"),
            ["-c", script, "bash"] + asServer + [program] + arguments, in: nil,
            timeout: .seconds(60))
        guard result.status == 0 else {
            let log = try? String(
                contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)
            throw HarnessError(
                "\(name) exited with \(result.status): \(result.stderr)\(log ?? "")")
        }
    }

    private static func giveToServerUser(_ url: URL) throws {
        guard geteuid() == 0 else { return }
        guard let user = getpwnam("postgres") else {
            throw HarnessError("running as root, but there is no postgres user for the server")
        }
        guard chown(url.path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw HarnessError("chown \(url.path) failed: errno \(errno)")
        }
    }
}
