import Foundation
import LatchkeyStorage

/// A store that works until told to fail: reads pass through to a real one, and every
/// write that stores or revokes tokens (and, when asked, a client secret write) throws as
/// an unreachable database would.
final class FailingStorage: Storage {
    let base: any Storage
    let failsTokenWrites: Bool
    let failsClientSecretWrites: Bool

    init(
        _ base: any Storage, failsTokenWrites: Bool = true, failsClientSecretWrites: Bool = false
    ) {
        self.base = base
        self.failsTokenWrites = failsTokenWrites
        self.failsClientSecretWrites = failsClientSecretWrites
    }

    private func tokenWrite() throws {
        if failsTokenWrites { throw StorageError.failure("disk on fire at /var/db") }
    }

    func createUser(_ user: NewUser) throws -> User { try base.createUser(user) }
    func user(id: Int64) throws -> User? { try base.user(id: id) }
    func user(login: String) throws -> User? { try base.user(login: login) }
    func createClient(_ client: NewClient) throws -> Client { try base.createClient(client) }
    func client(clientID: String) throws -> Client? { try base.client(clientID: clientID) }
    func client(id: Int64) throws -> Client? { try base.client(id: id) }
    func clients() throws -> [Client] { try base.clients() }
    func clients(ownedBy userID: Int64) throws -> [Client] { try base.clients(ownedBy: userID) }
    func updateClient(_ client: Client) throws { try base.updateClient(client) }
    func updateClientSecret(id: Int64, secretHash: String?) throws {
        try base.updateClientSecret(id: id, secretHash: secretHash)
    }
    func replaceClientSecret(id: Int64, expected: String, with secretHash: String) throws
        -> Bool
    {
        if failsClientSecretWrites { throw StorageError.failure("disk on fire at /var/db") }
        return try base.replaceClientSecret(id: id, expected: expected, with: secretHash)
    }
    func deleteClient(id: Int64) throws { try base.deleteClient(id: id) }
    func recordGrant(userID: Int64, clientRowID: Int64, scopes: [String], at now: Date) throws {
        try base.recordGrant(userID: userID, clientRowID: clientRowID, scopes: scopes, at: now)
    }
    func grant(userID: Int64, clientRowID: Int64) throws -> Grant? {
        try base.grant(userID: userID, clientRowID: clientRowID)
    }
    func grants(userID: Int64) throws -> [Grant] { try base.grants(userID: userID) }
    func revokeGrant(userID: Int64, clientRowID: Int64, at now: Date) throws {
        try base.revokeGrant(userID: userID, clientRowID: clientRowID, at: now)
    }
    func storeCode(_ code: AuthorizationCode) throws { try base.storeCode(code) }
    func storeCode(_ code: AuthorizationCode, recordingGrantAt now: Date) throws {
        try base.storeCode(code, recordingGrantAt: now)
    }
    func redeemCode(hash: String, at now: Date) throws -> CodeRedemption {
        try base.redeemCode(hash: hash, at: now)
    }
    func storeToken(_ token: Token) throws {
        try tokenWrite()
        try base.storeToken(token)
    }
    func storeTokens(_ tokens: [Token]) throws {
        try tokenWrite()
        try base.storeTokens(tokens)
    }
    func storeTokens(
        _ tokens: [Token], recordingGrantOf userID: Int64, clientRowID: Int64,
        scopes: [String], at now: Date
    ) throws {
        try tokenWrite()
        try base.storeTokens(
            tokens, recordingGrantOf: userID, clientRowID: clientRowID, scopes: scopes, at: now)
    }
    func rotateRefreshToken(hash: String, replacements: [Token], at now: Date) throws
        -> RefreshRotation
    {
        try tokenWrite()
        return try base.rotateRefreshToken(hash: hash, replacements: replacements, at: now)
    }
    func token(hash: String) throws -> Token? { try base.token(hash: hash) }
    var connectionPoolUsage: ConnectionPoolUsage { base.connectionPoolUsage }
    func touchGrant(userID: Int64, clientRowID: Int64, at now: Date) throws -> CommitTicket {
        try base.touchGrant(userID: userID, clientRowID: clientRowID, at: now)
    }
    func revokeToken(hash: String, at now: Date) throws -> Bool {
        try tokenWrite()
        return try base.revokeToken(hash: hash, at: now)
    }
    func revokeTokens(issuedFromCode codeHash: String, at now: Date) throws {
        try tokenWrite()
        try base.revokeTokens(issuedFromCode: codeHash, at: now)
    }
    func revokeTokens(familyID: String, at now: Date) throws {
        try tokenWrite()
        try base.revokeTokens(familyID: familyID, at: now)
    }
    func createSession(_ session: Session) throws { try base.createSession(session) }
    func session(idHash: String, at now: Date) throws -> Session? {
        try base.session(idHash: idHash, at: now)
    }
    func deleteSession(idHash: String) throws { try base.deleteSession(idHash: idHash) }
    func recordLoginFailure(keys: [String], at now: Date, window: TimeInterval) throws -> [Int] {
        try base.recordLoginFailure(keys: keys, at: now, window: window)
    }
    func loginFailures(key: String, at now: Date, window: TimeInterval) throws -> Int {
        try base.loginFailures(key: key, at: now, window: window)
    }
    func clearLoginFailures(key: String) throws { try base.clearLoginFailures(key: key) }
    func signingKeys() throws -> [StoredSigningKey] { try base.signingKeys() }
    func addSigningKeys(_ keys: [StoredSigningKey], retiringOthersAt: Date?) throws {
        try base.addSigningKeys(keys, retiringOthersAt: retiringOthersAt)
    }
    func deleteSigningKeys(retiredBefore cutoff: Date) throws -> Int {
        try base.deleteSigningKeys(retiredBefore: cutoff)
    }
    func serverSecret(name: String, candidate: String, at now: Date) throws -> String {
        try base.serverSecret(name: name, candidate: candidate, at: now)
    }
    func ping() throws { try base.ping() }
    func purgeExpired(at now: Date) throws -> Int { try base.purgeExpired(at: now) }
    func storeDeviceAuthorization(_ authorization: DeviceAuthorization) throws {
        try base.storeDeviceAuthorization(authorization)
    }
    func deviceAuthorization(userCodeHash: String) throws -> DeviceAuthorization? {
        try base.deviceAuthorization(userCodeHash: userCodeHash)
    }
    func decideDeviceAuthorization(
        userCodeHash: String, approved: Bool, userID: Int64, at now: Date
    ) throws -> Bool {
        try base.decideDeviceAuthorization(
            userCodeHash: userCodeHash, approved: approved, userID: userID, at: now)
    }
    func pollDeviceAuthorization(
        deviceCodeHash: String, clientRowID: Int64, at now: Date, slowDownStep: Int
    ) throws -> DevicePoll {
        try base.pollDeviceAuthorization(
            deviceCodeHash: deviceCodeHash, clientRowID: clientRowID, at: now,
            slowDownStep: slowDownStep)
    }
}
