import Foundation

/// One subcommand of `latchkey`.
struct Command: Sendable {
    var path: [String]
    var usage: String
    var summary: String
    var options: [OptionSpec]
    var run: @Sendable (ParsedOptions) throws -> Int32

    var helpText: String {
        var text = "Usage: latchkey \(usage)\n\n\(summary)\n"
        guard !options.isEmpty else { return text }
        text += "\nOptions:\n"
        for option in options {
            var left = "--\(option.name)"
            if option.kind != .flag { left += " \(option.valueName)" }
            if option.kind == .repeated { left += " ..." }
            let padded = left.padding(
                toLength: max(left.count + 2, 28), withPad: " ", startingAt: 0)
            text += "  \(padded)\(option.help) [env \(option.environmentName)]\n"
        }
        text += "  --help                      Show this help.\n"
        return text
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
