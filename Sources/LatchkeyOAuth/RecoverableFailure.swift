/// A failure of Latchkey's own that does not change the answer to the request, because
/// the work can wait for a later request. The server logs each as one error line, so that
/// the operator hears of a store that keeps failing; none carries a credential.
public enum RecoverableFailure: Sendable, Equatable {
    /// A client secret stored by an earlier version as a plain SHA-256 was proved but could
    /// not be stored again keyed; the client's next authentication tries again.
    case clientSecretUpgrade(clientID: String, detail: String)
}

/// Where recoverable failures go.
public typealias RecoverableFailureSink = @Sendable (RecoverableFailure) -> Void
