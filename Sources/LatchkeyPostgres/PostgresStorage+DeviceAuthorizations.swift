import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension PostgresStorage {
    private static let deviceColumns = """
        device_code_hash, user_code_hash, client_row_id, scopes, status, user_id, created_at,
        expires_at, interval_seconds, last_polled_at, redeemed_at
        """

    public func storeDeviceAuthorization(_ authorization: DeviceAuthorization) throws {
        try pool.withConnection { connection throws(StorageError) in
            try connection.execute(
                """
                INSERT INTO device_authorizations (\(Self.deviceColumns))
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
        try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT \(Self.deviceColumns) FROM device_authorizations WHERE user_code_hash = $1",
                [.text(userCodeHash)], row: Self.deviceAuthorization(from:))
        }
    }

    public func decideDeviceAuthorization(
        userCodeHash: String, approved: Bool, userID: Int64, at now: Date
    ) throws -> Bool {
        let status: DeviceAuthorizationStatus = approved ? .approved : .denied
        return try pool.transaction { connection throws(StorageError) in
            let decided = try connection.queryFirst(
                """
                UPDATE device_authorizations SET status = $1, user_id = $2
                WHERE user_code_hash = $3 AND status = 'pending' AND expires_at > $4
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

    /// `FOR UPDATE` locks the row until the update commits: a concurrent poll, from this
    /// process or another, waits and then reads what this one wrote.
    public func pollDeviceAuthorization(
        deviceCodeHash: String, clientRowID: Int64, at now: Date, slowDownStep: Int
    ) throws -> DevicePoll {
        try pool.transaction { connection throws(StorageError) in
            let found = try connection.queryFirst(
                """
                SELECT \(Self.deviceColumns) FROM device_authorizations
                WHERE device_code_hash = $1 AND client_row_id = $2
                FOR UPDATE
                """,
                [.text(deviceCodeHash), .integer(clientRowID)], row: Self.deviceAuthorization(from:)
            )
            guard let found else { return .notFound }

            let (poll, changed) = found.polled(at: now, slowDownStep: slowDownStep)
            guard changed, let next = poll.authorization else { return poll }
            try connection.execute(
                """
                UPDATE device_authorizations
                SET interval_seconds = $1, last_polled_at = $2, redeemed_at = $3
                WHERE device_code_hash = $4
                """,
                [
                    .integer(Int64(next.interval)), .date(next.lastPolledAt),
                    .date(next.redeemedAt), .text(deviceCodeHash),
                ])
            return poll
        }
    }

    private static func deviceAuthorization(from row: PostgresRow) -> DeviceAuthorization {
        DeviceAuthorization(
            deviceCodeHash: row.text(0), userCodeHash: row.text(1), clientRowID: row.integer(2),
            scopes: row.words(3),
            status: DeviceAuthorizationStatus(rawValue: row.text(4)) ?? .denied,
            userID: row.optionalInteger(5), createdAt: row.date(6), expiresAt: row.date(7),
            interval: Int(row.integer(8)), lastPolledAt: row.optionalDate(9),
            redeemedAt: row.optionalDate(10))
    }
}
