import Foundation

extension TestServer {
    /// `latchkey user create` with the password on standard input; throws with the
    /// command's error output unless it exits 0.
    func createUser(username: String, email: String, password: String, name: String? = nil)
        throws
    {
        var arguments = ["user", "create", "--username", username, "--email", email]
        if let name {
            arguments += ["--name", name]
        }
        arguments.append("--password-stdin")

        let result = try run(arguments, stdin: password + "\n")

        guard result.status == 0 else {
            throw HarnessError(
                "latchkey user create exited with \(result.status): \(result.stderr)")
        }
    }

    /// `latchkey client create ... --json`: returns the new client's ID and, for a
    /// confidential client, its secret. `extraArguments` reaches options added later
    /// (`--owner`, `--grants`).
    func createClient(
        name: String, url: String, callbacks: [String], public isPublic: Bool = false,
        extraArguments: [String] = []
    ) throws -> (clientID: String, clientSecret: String?) {
        var arguments = ["client", "create", "--name", name, "--url", url]
        arguments += callbacks.flatMap { ["--callback", $0] }
        if isPublic {
            arguments.append("--public")
        }
        arguments += extraArguments + ["--json"]

        let result = try run(arguments)

        guard result.status == 0 else {
            throw HarnessError(
                "latchkey client create exited with \(result.status): \(result.stderr)")
        }
        // The output holds a secret, so a complaint about it gives only its size.
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
                as? [String: Any],
            let clientID = object["client_id"] as? String
        else {
            throw HarnessError(
                "latchkey client create --json printed \(result.stdout.utf8.count) bytes"
                    + " that are not {\"client_id\": ...}; stderr: \(result.stderr)")
        }
        return (clientID, object["client_secret"] as? String)
    }
}
