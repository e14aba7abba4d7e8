#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `latchkey COMMAND [OPTIONS]`: see `latchkey --help`.
let commands: [Command] = [
    ServeCommand.command, MigrateCommand.command, UserCommands.create, ClientCommands.create,
    ClientCommands.list, ClientCommands.delete, TokenCommands.revoke, KeyCommands.rotate,
]

func overview() -> String {
    var text = """
        Latchkey: an OAuth 2.0 and OpenID Connect authorization server.

        Usage: latchkey COMMAND [OPTIONS]

        Commands:

        """
    for command in commands {
        let name = command.path.joined(separator: " ")
        text += "  \(column(name, width: 16))\(command.summary)\n"
    }
    text += "\nRun `latchkey COMMAND --help` for a command's options. Every option can also be\n"
    text += "set with an environment variable: LATCHKEY_ plus its name in upper snake case.\n"
    return text
}

func runLatchkey(_ arguments: [String]) -> Int32 {
    guard let first = arguments.first, first != "--help", first != "-h", first != "help" else {
        print(overview(), terminator: "")
        return arguments.isEmpty ? 2 : 0
    }

    // The longest command path that the arguments start with.
    let command = commands.filter { arguments.starts(with: $0.path) }
        .max { $0.path.count < $1.path.count }
    guard let command else {
        printError(
            "latchkey: unknown command \"\(arguments.prefix(2).joined(separator: " "))\";"
                + " see latchkey --help"
        )
        return 2
    }
    let rest = Array(arguments.dropFirst(command.path.count))
    if rest.contains("--help") || rest.contains("-h") {
        print(command.helpText, terminator: "")
        return 0
    }

    do {
        let options = try ParsedOptions.parse(
            rest, specs: command.options, environment: ProcessInfo.processInfo.environment)
        return try command.run(options)
    } catch let error as UsageError {
        printError("latchkey \(command.path.joined(separator: " ")): \(error.message)")
        return 2
    } catch {
        printError("latchkey \(command.path.joined(separator: " ")): \(error)")
        return 1
    }
}

exit(runLatchkey(Array(CommandLine.arguments.dropFirst())))
