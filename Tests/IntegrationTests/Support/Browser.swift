import Foundation
import Testing

/// Where the tests find Chromium and ChromeDriver, and whether they must.
enum Browser {
    /// Chromium or Chrome: `LATCHKEY_CHROMIUM`, else the first of the usual names on
    /// `PATH` (Debian's `chromium` package installs `/usr/bin/chromium`).
    static let chromium: URL? = locate(
        override: "LATCHKEY_CHROMIUM",
        names: ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"])

    /// ChromeDriver: `LATCHKEY_CHROMEDRIVER`, else `chromedriver` on `PATH` (Debian's
    /// `chromium-driver` package installs `/usr/bin/chromedriver`).
    static let chromedriver: URL? = locate(
        override: "LATCHKEY_CHROMEDRIVER", names: ["chromedriver"])

    /// Set by `make test`: a missing browser is then a failure, not a skip.
    static let isRequired = ProcessInfo.processInfo.environment["LATCHKEY_REQUIRE_BROWSER"] == "1"

    /// Whether both programs were found, and curl, which carries the WebDriver protocol.
    static var isInstalled: Bool { chromium != nil && chromedriver != nil && Curl.url != nil }

    /// Whether browser tests run: always when required (so that a missing browser fails
    /// them loudly in `WebDriver.start`), otherwise only when it is installed.
    static var testsShouldRun: Bool { isRequired || isInstalled }

    /// An executable named by the environment variable `override`, else the first of
    /// `names` found on `PATH` or in `/usr/bin`.
    static func locate(override: String, names: [String]) -> URL? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment[override] {
            return FileManager.default.isExecutableFile(atPath: path)
                ? URL(fileURLWithPath: path) : nil
        }
        let folders =
            (environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/local/bin"]
        for name in names {
            for folder in folders {
                let path = folder + "/" + name
                if FileManager.default.isExecutableFile(atPath: path) {
                    return URL(fileURLWithPath: path)
                }
            }
        }
        return nil
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs a test only where a headless browser can: skipped, with this reason printed,
    /// when Chromium or ChromeDriver is missing, unless `LATCHKEY_REQUIRE_BROWSER=1`.
    static var needsBrowser: Self {
        .enabled(
            if: Browser.testsShouldRun,
            Comment(
                rawValue: "needs chromium, chromedriver and curl (Debian: apt-get install chromium"
                    + " chromium-driver curl); set LATCHKEY_REQUIRE_BROWSER=1 to fail, not skip"))
    }
}
