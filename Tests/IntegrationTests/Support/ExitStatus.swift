/// How a child process ended.
enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    /// It returned from `main` or called `exit` with this code.
    case exited(Int32)
    /// A signal it did not handle ended it.
    case signaled(Int32)

    /// The number a shell would report: the exit code, or 128 plus the signal.
    var code: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "was killed by signal \(signal)"
        }
    }
}
