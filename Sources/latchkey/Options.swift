/// A wrong option or value: printed as one line, exit status 2 (SPEC §10).
struct UsageError: Error {
    var message: String
}

/// One option a command accepts.
struct OptionSpec: Sendable {
    enum Kind: Sendable {
        /// `--flag` alone; its environment variable takes `true` or `false`.
        case flag
        case value
        /// May be given more than once (`--callback`).
        case repeated
    }

    var name: String
    var kind: Kind
    var valueName: String = "VALUE"
    var help: String

    /// SPEC §10: `LATCHKEY_` plus the option in upper snake case.
    var environmentName: String {
        "LATCHKEY_" + name.uppercased().replacing("-", with: "_")
    }
}

/// The options and positional arguments of one command, after parsing.
struct ParsedOptions {
    private var values: [String: [String]] = [:]
    var positional: [String] = []

    subscript(_ name: String) -> String? { values[name]?.last }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    func flag(_ name: String) -> Bool { values[name]?.last == "true" }

    fileprivate mutating func add(_ name: String, _ value: String) {
        values[name, default: []].append(value)
    }

    fileprivate func has(_ name: String) -> Bool { values[name] != nil }

    /// Parses `arguments` against `specs`; an option not given on the command line
    /// comes from its environment variable, so a flag wins over the variable.
    static func parse(
        _ arguments: [String], specs: [OptionSpec], environment: [String: String]
    ) throws(UsageError) -> ParsedOptions {
        var parsed = ParsedOptions()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                if argument.hasPrefix("-") && argument != "-" {
                    throw UsageError(message: "unknown option \(argument)")
                }
                parsed.positional.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw UsageError(message: "unknown option --\(name)")
            }
            switch spec.kind {
            case .flag:
                guard inlineValue == nil else {
                    throw UsageError(message: "option --\(name) takes no value")
                }
                parsed.add(name, "true")
            case .value, .repeated:
                if spec.kind == .value && parsed.has(name) {
                    throw UsageError(message: "option --\(name) is given more than once")
                }
                if let inlineValue {
                    parsed.add(name, inlineValue)
                } else {
                    guard index < arguments.count else {
                        throw UsageError(message: "option --\(name) needs a value")
                    }
                    parsed.add(name, arguments[index])
                    index += 1
                }
            }
        }

        for spec in specs where !parsed.has(spec.name) {
            guard let value = environment[spec.environmentName] else { continue }
            if spec.kind == .flag {
                guard let flag = Bool(value) else {
                    throw UsageError(
                        message: "\(spec.environmentName) must be true or false, not \"\(value)\"")
                }
                if flag { parsed.add(spec.name, "true") }
            } else {
                parsed.add(spec.name, value)
            }
        }
        return parsed
    }
}

extension ParsedOptions {
    func required(_ name: String) throws(UsageError) -> String {
        guard let value = self[name], !value.isEmpty else {
            throw UsageError(message: "option --\(name) is required")
        }
        return value
    }

    func boolean(_ name: String, default fallback: Bool) throws(UsageError) -> Bool {
        guard let value = self[name] else { return fallback }
        guard let flag = Bool(value) else {
            throw UsageError(message: "option --\(name) must be true or false, not \"\(value)\"")
        }
        return flag
    }

    func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(UsageError)
        -> Int
    {
        guard let value = self[name] else { return fallback }
        guard let number = Int(value), range.contains(number) else {
            throw UsageError(
                message:
                    "option --\(name) must be a whole number from \(range.lowerBound)"
                    + " to \(range.upperBound), not \"\(value)\""
            )
        }
        return number
    }

    func exactly(_ count: Int, positional what: String) throws(UsageError) -> [String] {
        guard positional.count == count else {
            if positional.count > count {
                throw UsageError(message: "unexpected argument \(positional[count])")
            }
            throw UsageError(message: "missing \(what)")
        }
        return positional
    }
}
