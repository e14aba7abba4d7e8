#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where a device authorization stands (RFC 8628 §3.3, §3.5).
public enum DeviceAuthorizationStatus: String, Sendable {
    /// Waiting for a user to type the code and decide.
    case pending
    case approved
    case denied
}

/// One run of the device authorization grant (RFC 8628): the device code the device polls
/// with and the user code a person types, both stored only as hashes, and the polling
/// state, kept here rather than in a process so that any process can answer a poll.
public struct DeviceAuthorization: Sendable, Equatable {
    public var deviceCodeHash: String
    /// The hash of the normalized user code (upper case, no hyphen).
    public var userCodeHash: String
    public var clientRowID: Int64
    public var scopes: [String]
    public var status: DeviceAuthorizationStatus
    /// Who approved or denied; nil while pending.
    public var userID: Int64?
    public var createdAt: Date
    public var expiresAt: Date
    /// Seconds the device must leave between polls; grows with every `slow_down`.
    public var interval: Int
    public var lastPolledAt: Date?
    /// Set once, when the approved authorization was traded for tokens.
    public var redeemedAt: Date?

    public init(
        deviceCodeHash: String, userCodeHash: String, clientRowID: Int64, scopes: [String],
        status: DeviceAuthorizationStatus = .pending, userID: Int64? = nil, createdAt: Date,
        expiresAt: Date, interval: Int, lastPolledAt: Date? = nil, redeemedAt: Date? = nil
    ) {
        self.deviceCodeHash = deviceCodeHash
        self.userCodeHash = userCodeHash
        self.clientRowID = clientRowID
        self.scopes = scopes
        self.status = status
        self.userID = userID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.interval = interval
        self.lastPolledAt = lastPolledAt
        self.redeemedAt = redeemedAt
    }

    /// What one poll at `now` does, decided the same way by every backend inside the
    /// transaction that holds the row: an approved authorization is claimed (once); a
    /// pending one records the poll, and its interval grows by `slowDownStep` when the
    /// previous poll was less than an interval ago. Anything else is left as it is.
    public func polled(at now: Date, slowDownStep: Int) -> (DevicePoll, changed: Bool) {
        guard now < expiresAt else { return (.unchanged(self), false) }
        var next = self
        switch status {
        case .approved where redeemedAt == nil:
            next.redeemedAt = now
            next.lastPolledAt = now
            return (.redeemed(next), true)
        case .pending:
            let tooFast =
                lastPolledAt.map { now < $0.addingTimeInterval(TimeInterval(interval)) } ?? false
            next.lastPolledAt = now
            if tooFast { next.interval += slowDownStep }
            return (tooFast ? .tooFast(next) : .pending(next), true)
        default:
            return (.unchanged(self), false)
        }
    }
}

/// The outcome of one poll of the token endpoint with a device code.
public enum DevicePoll: Sendable, Equatable {
    /// It was approved and not yet redeemed: it is now, by this poll alone.
    case redeemed(DeviceAuthorization)
    /// Still pending, polled soon enough after the previous poll; the interval grew.
    case tooFast(DeviceAuthorization)
    /// Still pending, polled at a decent pace.
    case pending(DeviceAuthorization)
    /// Expired, denied or already redeemed: the poll changed nothing.
    case unchanged(DeviceAuthorization)
    case notFound
}

/// What the device authorization grant persists. Declared apart from the rest of
/// ``Storage`` so that the grant's storage reads as one unit.
public protocol DeviceAuthorizationStorage: Sendable {
    /// Throws ``StorageError/conflict(_:)`` with `device_code_hash` or `user_code_hash`
    /// when either hash is already stored (expired ones included, until purged).
    func storeDeviceAuthorization(_ authorization: DeviceAuthorization) throws
    func deviceAuthorization(userCodeHash: String) throws -> DeviceAuthorization?
    /// Approves or denies for `userID`, only while the authorization is pending and not
    /// expired at `now`, in one conditional update. Returns whether it did.
    ///
    /// An approval also records the grant of the authorization's scopes (as
    /// ``Storage/recordGrant(userID:clientRowID:scopes:at:)`` does) in the same
    /// transaction: the application shows on the user's account page, and can be revoked
    /// there, exactly when an approval exists, before any token does.
    func decideDeviceAuthorization(
        userCodeHash: String, approved: Bool, userID: Int64, at now: Date
    ) throws -> Bool
    /// One poll by the client the device code was issued to (RFC 8628 §3.4), applied with
    /// ``DeviceAuthorization/polled(at:slowDownStep:)`` while the row is locked, so that
    /// of many concurrent polls of an approved authorization exactly one redeems it. A
    /// device code of another client is ``DevicePoll/notFound``.
    func pollDeviceAuthorization(
        deviceCodeHash: String, clientRowID: Int64, at now: Date, slowDownStep: Int
    ) throws -> DevicePoll
}

extension DevicePoll {
    /// The authorization as it stands after the poll; nil when none was found.
    public var authorization: DeviceAuthorization? {
        switch self {
        case .redeemed(let authorization), .tooFast(let authorization),
            .pending(let authorization), .unchanged(let authorization):
            authorization
        case .notFound: nil
        }
    }
}
