import Foundation
import LatchkeyStorage
import TestThreads
import Testing

func deviceAuthorization(
    _ deviceHash: String, userCode: String? = nil, client: Int64,
    expiresIn seconds: TimeInterval = 600,
    interval: Int = 5
) -> DeviceAuthorization {
    DeviceAuthorization(
        deviceCodeHash: deviceHash, userCodeHash: userCode ?? "user-\(deviceHash)",
        clientRowID: client, scopes: ["read", "write"], createdAt: epoch,
        expiresAt: at(seconds), interval: interval)
}

@Suite(.onBlockingThreads) struct DeviceAuthorizationStorageTests {
    @Test(arguments: StorageBackend.all)
    func store_thenLookUpByUserCode_readsBackEveryField(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stored = deviceAuthorization("device-1", client: seeded.client.id)

        try seeded.store.storeDeviceAuthorization(stored)

        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-device-1") == stored)
        #expect(try seeded.store.deviceAuthorization(userCodeHash: "device-1") == nil)
    }

    @Test(arguments: StorageBackend.all)
    func store_takenUserCode_isUserCodeConflict(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("device-1", userCode: "same", client: seeded.client.id))

        #expect(throws: StorageError.conflict("user_code_hash")) {
            try seeded.store.storeDeviceAuthorization(
                deviceAuthorization("device-2", userCode: "same", client: seeded.client.id))
        }
        #expect(throws: StorageError.conflict("device_code_hash")) {
            try seeded.store.storeDeviceAuthorization(
                deviceAuthorization("device-1", userCode: "other", client: seeded.client.id))
        }
    }

    @Test(arguments: StorageBackend.all)
    func decide_pending_approvesOnceForTheUser(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("device-1", client: seeded.client.id))

        let first = try seeded.store.decideDeviceAuthorization(
            userCodeHash: "user-device-1", approved: true, userID: seeded.user.id, at: at(10))
        let second = try seeded.store.decideDeviceAuthorization(
            userCodeHash: "user-device-1", approved: false, userID: seeded.user.id, at: at(11))

        #expect(first && !second)
        let stored = try #require(
            try seeded.store.deviceAuthorization(userCodeHash: "user-device-1"))
        #expect(stored.status == .approved)
        #expect(stored.userID == seeded.user.id)
        // The approval brought the grant of its scopes with it.
        let grant = try #require(
            try seeded.store.grant(userID: seeded.user.id, clientRowID: seeded.client.id))
        #expect(grant.scopes == stored.scopes)
    }

    /// An approval that comes too late, or a denial, leaves no grant behind: the
    /// application must not appear on the account page for a device nobody let in.
    @Test(arguments: StorageBackend.all, [(true, 60), (false, 10)])
    func decide_lateApprovalOrDenial_recordsNoGrant(
        backend: StorageBackend, approvedAt: (approved: Bool, second: TimeInterval)
    ) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("device-1", client: seeded.client.id, expiresIn: 60))

        _ = try seeded.store.decideDeviceAuthorization(
            userCodeHash: "user-device-1", approved: approvedAt.approved,
            userID: seeded.user.id, at: at(approvedAt.second))

        #expect(
            try seeded.store.grant(userID: seeded.user.id, clientRowID: seeded.client.id) == nil)
    }

    /// Approving widens an existing grant to the union of the scopes, as a consent does.
    @Test(arguments: StorageBackend.all)
    func decide_approveWithAnEarlierGrant_widensIt(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.recordGrant(
            userID: seeded.user.id, clientRowID: seeded.client.id, scopes: ["email", "extra"],
            at: at(1))
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("device-1", client: seeded.client.id))

        #expect(
            try seeded.store.decideDeviceAuthorization(
                userCodeHash: "user-device-1", approved: true, userID: seeded.user.id, at: at(10)))

        let grant = try #require(
            try seeded.store.grant(userID: seeded.user.id, clientRowID: seeded.client.id))
        #expect(grant.scopes == ["email", "extra", "read", "write"])
    }

    @Test(arguments: StorageBackend.all)
    func decide_expired_changesNothing(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("device-1", client: seeded.client.id, expiresIn: 60))

        let decided = try seeded.store.decideDeviceAuthorization(
            userCodeHash: "user-device-1", approved: true, userID: seeded.user.id, at: at(60))

        #expect(!decided)
        #expect(
            try seeded.store.deviceAuthorization(userCodeHash: "user-device-1")?.status == .pending)
    }

    @Test(arguments: StorageBackend.all)
    func poll_pendingTooFast_growsTheIntervalEachTime(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let client = seeded.client.id
        try seeded.store.storeDeviceAuthorization(deviceAuthorization("device-1", client: client))
        func poll(_ seconds: TimeInterval) throws -> DevicePoll {
            try seeded.store.pollDeviceAuthorization(
                deviceCodeHash: "device-1", clientRowID: client, at: at(seconds), slowDownStep: 5)
        }

        let first = try poll(10)
        let paced = try poll(15)
        let fast = try poll(16)
        let stillFast = try poll(25)
        let patient = try poll(41)

        guard case .pending(let afterFirst) = first, case .pending = paced,
            case .tooFast(let afterFast) = fast, case .tooFast(let afterStillFast) = stillFast,
            case .pending(let afterPatient) = patient
        else {
            Issue.record("polls answered \([first, paced, fast, stillFast, patient])")
            return
        }
        #expect(afterFirst.lastPolledAt == at(10))
        #expect(afterFast.interval == 10)
        #expect(afterStillFast.interval == 15)
        #expect(afterPatient.interval == 15)
        #expect(afterPatient.lastPolledAt == at(41))
    }

    @Test(arguments: StorageBackend.all)
    func poll_approved_redeemsOnceThenIsUnchanged(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let client = seeded.client.id
        try seeded.store.storeDeviceAuthorization(deviceAuthorization("device-1", client: client))
        _ = try seeded.store.decideDeviceAuthorization(
            userCodeHash: "user-device-1", approved: true, userID: seeded.user.id, at: at(1))

        let first = try seeded.store.pollDeviceAuthorization(
            deviceCodeHash: "device-1", clientRowID: client, at: at(2), slowDownStep: 5)
        let second = try seeded.store.pollDeviceAuthorization(
            deviceCodeHash: "device-1", clientRowID: client, at: at(30), slowDownStep: 5)

        guard case .redeemed(let redeemed) = first else {
            Issue.record("first poll answered \(first)")
            return
        }
        #expect(redeemed.redeemedAt == at(2))
        #expect(redeemed.userID == seeded.user.id)
        #expect(second == .unchanged(redeemed))
    }

    @Test(arguments: StorageBackend.all)
    func poll_expiredOrDenied_isUnchanged(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let client = seeded.client.id
        let expiring = deviceAuthorization("expiring", client: client, expiresIn: 60)
        try seeded.store.storeDeviceAuthorization(expiring)
        try seeded.store.storeDeviceAuthorization(deviceAuthorization("denied", client: client))
        _ = try seeded.store.decideDeviceAuthorization(
            userCodeHash: "user-denied", approved: false, userID: seeded.user.id, at: at(1))

        let expired = try seeded.store.pollDeviceAuthorization(
            deviceCodeHash: "expiring", clientRowID: client, at: at(60), slowDownStep: 5)
        let denied = try seeded.store.pollDeviceAuthorization(
            deviceCodeHash: "denied", clientRowID: client, at: at(2), slowDownStep: 5)

        #expect(expired == .unchanged(expiring))
        #expect(denied.authorization?.status == .denied)
        guard case .unchanged = denied else {
            Issue.record("denied poll answered \(denied)")
            return
        }
    }

    @Test(arguments: StorageBackend.all, ["unknown", "", "' OR 1=1 --"])
    func poll_unknownHashOrOtherClient_isNotFound(backend: StorageBackend, hash: String) throws {
        let seeded = try Seeded(backend)
        let other = try seeded.store.createClient(newClient("client-2"))
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("device-1", client: seeded.client.id))

        let unknown = try seeded.store.pollDeviceAuthorization(
            deviceCodeHash: hash, clientRowID: seeded.client.id, at: at(1), slowDownStep: 5)
        let otherClient = try seeded.store.pollDeviceAuthorization(
            deviceCodeHash: "device-1", clientRowID: other.id, at: at(1), slowDownStep: 5)

        #expect(unknown == .notFound)
        #expect(otherClient == .notFound)
        // The other client's poll was not recorded: the rightful device is not slowed.
        #expect(
            try seeded.store.deviceAuthorization(userCodeHash: "user-device-1")?.lastPolledAt
                == nil)
    }

    @Test(arguments: StorageBackend.all)
    func poll_approvedFromManyThreadsAndHandles_redeemsExactlyOnce(
        backend: StorageBackend
    ) throws {
        let seeded = try Seeded(backend)
        let stores = [seeded.store, try seeded.fixture.openAnother()]
        let client = seeded.client.id
        try seeded.store.storeDeviceAuthorization(deviceAuthorization("contested", client: client))
        _ = try seeded.store.decideDeviceAuthorization(
            userCodeHash: "user-contested", approved: true, userID: seeded.user.id, at: at(1))
        let outcomes = Collected<String>()

        onThreads(16) { index in
            do {
                let poll = try stores[index % 2].pollDeviceAuthorization(
                    deviceCodeHash: "contested", clientRowID: client, at: at(2), slowDownStep: 5)
                switch poll {
                case .redeemed: outcomes.append("redeemed")
                case .unchanged: outcomes.append("unchanged")
                default: outcomes.append("\(poll)")
                }
            } catch {
                outcomes.append("error: \(error)")
            }
        }

        #expect(outcomes.all.count == 16)
        #expect(outcomes.all.filter { $0 == "redeemed" }.count == 1)
        #expect(outcomes.all.filter { $0 == "unchanged" }.count == 15)
    }

    @Test(arguments: StorageBackend.all)
    func revokeGrant_deletesTheUsersDeviceAuthorizationsForThatClientOnly(
        backend: StorageBackend
    ) throws {
        let seeded = try Seeded(backend)
        let other = try seeded.store.createClient(newClient("client-2"))
        let bob = try seeded.store.createUser(newUser("bob"))
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("alice-1", client: seeded.client.id))
        try seeded.store.storeDeviceAuthorization(deviceAuthorization("alice-2", client: other.id))
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("bob-1", client: seeded.client.id))
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("pending", client: seeded.client.id))
        for (hash, user) in [
            ("alice-1", seeded.user.id), ("alice-2", seeded.user.id), ("bob-1", bob.id),
        ] {
            _ = try seeded.store.decideDeviceAuthorization(
                userCodeHash: "user-\(hash)", approved: true, userID: user, at: at(1))
        }

        try seeded.store.revokeGrant(
            userID: seeded.user.id, clientRowID: seeded.client.id, at: at(2))

        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-alice-1") == nil)
        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-alice-2") != nil)
        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-bob-1") != nil)
        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-pending") != nil)
    }

    @Test(arguments: StorageBackend.all)
    func deleteClient_deletesItsDeviceAuthorizations(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeDeviceAuthorization(
            deviceAuthorization("device-1", client: seeded.client.id))

        try seeded.store.deleteClient(id: seeded.client.id)

        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-device-1") == nil)
    }

    @Test(arguments: StorageBackend.all)
    func purgeExpired_keepsDeviceAuthorizationsUntilADayPastExpiry(
        backend: StorageBackend
    ) throws {
        let seeded = try Seeded(backend)
        let day: TimeInterval = 86_400
        let now = at(10 * day)
        var old = deviceAuthorization("old", client: seeded.client.id)
        old.expiresAt = now.addingTimeInterval(-day)
        var recent = deviceAuthorization("recent", client: seeded.client.id)
        recent.expiresAt = now.addingTimeInterval(-day + 1)
        var live = deviceAuthorization("live", client: seeded.client.id)
        live.expiresAt = now.addingTimeInterval(600)
        for authorization in [old, recent, live] {
            try seeded.store.storeDeviceAuthorization(authorization)
        }

        let removed = try seeded.store.purgeExpired(at: now)

        #expect(removed == 1)
        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-old") == nil)
        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-recent") == recent)
        #expect(try seeded.store.deviceAuthorization(userCodeHash: "user-live") == live)
    }
}
