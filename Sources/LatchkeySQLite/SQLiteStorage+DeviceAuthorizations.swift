import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SQLiteStorage {
    private static let deviceColumns = """
        device_code_hash, user_code_hash, client_row_id, scopes, status, user_id, created_at,
        expires_at, interval_seconds, last_polled_at, redeemed_at
        """

    public func storeDeviceAuthorization(_ authorization: DeviceAuthorization) throws {
        try pool.write { connection throws(StorageError) in
            try connection.execute(
                """
                INSERT INTO device_authorizations (\(Self.deviceColumns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(authorization.deviceCodeHash), .text(authorization.userCodeHash),
                    .integer(authorization.clientRowID), .words(authorization.scopes),
                    .text(authorization.status.rawValue), .integer(authorization.userID),
                    .date(authorization.createdAt), .date(authorization.expiresAt),
                    .integer(Int64(authorization.interval)), .date(authorization.lastPolledAt),
                    .date(authorization.redeemedAt),
                ])
        }
    }

    public func deviceAuthorization(userCodeHash: String) throws -> DeviceAuthorization? {
        try pool.read { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.deviceColumns) FROM device_authorizations WHERE user_code_hash = ?",
                [.text(userCodeHash)], row: Self.deviceAuthorization(from:))
        }
    }

    public func decideDeviceAuthorization(
        userCodeHash: String, approved: Bool, userID: Int64, at now: Date
    ) throws -> Bool {
        let status: DeviceAuthorizationStatus = approved ? .approved : .denied
        return try pool.write { connection throws(StorageError) in
            let decided = try connection.queryFirst(
                """
                UPDATE device_authorizations SET status = ?, user_id = ?
                WHERE user_code_hash = ? AND status = 'pending' AND expires_at > ?
                RETURNING client_row_id, scopes
                """,
                [.text(status.rawValue), .integer(userID), .text(userCodeHash), .date(now)]
            ) { row in (clientRowID: row.integer(0), scopes: row.words(1)) }
            guard let decided else { return false }
            if approved {
                try Self.recordGrant(
                    userID: userID, clientRowID: decided.clientRowID, scopes: decided.scopes,
                    at: now, on: connection)
            }
            return true
        }
    }

    /// The write lock of the transaction serializes polls, so the read and the update
    /// below see no other poll in between.
    public func pollDeviceAuthorization(
        deviceCodeHash: String, clientRowID: Int64, at now: Date, slowDownStep: Int
    ) throws -> DevicePoll {
        try pool.write { connection throws(StorageError) in
            let found = try connection.queryFirst(
                """
                SELECT \(Self.deviceColumns) FROM device_authorizations
                WHERE device_code_hash = ? AND client_row_id = ?
                """,
                [.text(deviceCodeHash), .integer(clientRowID)], row: Self.deviceAuthorization(from:)
            )
            guard let found else { return .notFound }

            let (poll, changed) = found.polled(at: now, slowDownStep: slowDownStep)
            guard changed, let next = poll.authorization else { return poll }
            try connection.execute(
                """
                UPDATE device_authorizations
                SET interval_seconds = ?, last_polled_at = ?, redeemed_at = ?
                WHERE device_code_hash = ?
                """,
                [
                    .integer(Int64(next.interval)), .date(next.lastPolledAt),
                    .date(next.redeemedAt), .text(deviceCodeHash),
                ])
            return poll
        }
    }

    private static func deviceAuthorization(from row: SQLiteRow) -> DeviceAuthorization {
        DeviceAuthorization(
            deviceCodeHash: row.text(0), userCodeHash: row.text(1), clientRowID: row.integer(2),
            scopes: row.words(3),
            status: DeviceAuthorizationStatus(rawValue: row.text(4)) ?? .denied,
            userID: row.optionalInteger(5), createdAt: row.date(6), expiresAt: row.date(7),
            interval: Int(row.integer(8)), lastPolledAt: row.optionalDate(9),
            redeemedAt: row.optionalDate(10))
    }
}
