#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
            let padded = column(left, width: max(left.count + 2, 28))
            text += "  \(padded)\(option.help) [env \(option.environmentName)]\n"
        }
        text += "  --help                      Show this help.\n"
        return text
    }
}

/// `text` cut or padded with spaces to `width` characters, for a column of help text, as
/// NSString's `padding(toLength:withPad:startingAt:)` made it.
func column(_ text: String, width: Int) -> String {
    guard text.count < width else { return String(text.prefix(width)) }
    return text + String(repeating: " ", count: width - text.count)
}

/// Writes a line to standard error, in one write(2) as the logger does, so that it is
/// not split by another thread's line.
func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
