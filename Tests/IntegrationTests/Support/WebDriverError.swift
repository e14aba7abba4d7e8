/// An error answer from ChromeDriver, with the W3C error code tests can match on
/// (`"no such element"`, `"stale element reference"`, ...).
struct WebDriverError: Error, CustomStringConvertible {
    /// The command that failed, as `METHOD path` below the session.
    let command: String
    /// The W3C WebDriver error code.
    let code: String
    /// ChromeDriver's explanation (first line only; the rest is a stack trace).
    let message: String

    var description: String {
        "WebDriver \(command) failed: \(code): \(message)"
    }
}
