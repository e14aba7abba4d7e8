import Foundation

/// The environment handed to processes the tests start.
enum ChildEnvironment {
    /// The given environment without any `LATCHKEY_` setting, plus `additions`.
    ///
    /// Every `latchkey` option can come from a `LATCHKEY_` variable (SPEC §10), so one
    /// exported in the developer's shell (say `LATCHKEY_ALLOW_SIGNUP=false`) would
    /// silently change what a test sees. Tests pass what they mean through `additions`.
    static func make(
        from base: [String: String] = ProcessInfo.processInfo.environment,
        adding additions: [String: String] = [:]
    ) -> [String: String] {
        base.filter { !$0.key.hasPrefix("LATCHKEY_") }.merging(additions) { $1 }
    }
}
