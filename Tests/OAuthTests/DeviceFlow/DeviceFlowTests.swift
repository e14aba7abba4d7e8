import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

/// The device flow through the OAuth core on a real SQLite file, with a clock the tests
/// move: the device asks for codes, the user decides, the device polls.
struct DeviceFlowTests {
    static let grantType = "urn:ietf:params:oauth:grant-type:device_code"

    struct Started {
        var deviceCode: String
        var userCode: String
        var members: [String: JSONValue]
    }

    func start(_ fixture: Fixture, scope: String? = nil) throws -> Started {
        var pairs: [(String, String)] = []
        if let scope { pairs.append(("scope", scope)) }
        let success = try DeviceAuthorizationEndpoint(context: fixture.context).handle(
            fixture.post(pairs))
        guard case .object(let members) = success.json else {
            throw OAuthError.serverError(detail: "not an object")
        }
        let dictionary = Dictionary(members.map { ($0.key, $0.value) }) { first, _ in first }
        guard case .string(let deviceCode) = dictionary["device_code"],
            case .string(let userCode) = dictionary["user_code"]
        else { throw OAuthError.serverError(detail: "no codes") }
        return Started(deviceCode: deviceCode, userCode: userCode, members: dictionary)
    }

    func poll(_ fixture: Fixture, _ deviceCode: String) throws -> TokenEndpoint.Success {
        try fixture.tokenEndpoint.handle(
            fixture.post([("grant_type", Self.grantType), ("device_code", deviceCode)]))
    }

    func decide(_ fixture: Fixture, _ userCode: String, approved: Bool) throws {
        let verification = DeviceVerification(context: fixture.context)
        let lookup = try verification.lookUp(
            userCode, userID: fixture.user.id, remoteAddress: "192.0.2.1")
        guard case .pending(let authorization, _, _) = lookup else {
            Issue.record("lookup answered \(lookup)")
            return
        }
        #expect(
            try verification.decide(authorization, approved: approved, userID: fixture.user.id))
    }

    @Test func deviceAuthorization_answersEveryField() throws {
        let fixture = try Fixture { $0.issuer = "https://auth.example" }

        let started = try start(fixture)

        #expect(CredentialKind.deviceCode.isWellFormed(started.deviceCode))
        #expect(
            started.userCode.wholeMatch(of: /[B-DF-HJKMNP-TV-XZ]{4}-[B-DF-HJKMNP-TV-XZ]{4}/) != nil)
        #expect(started.members["verification_uri"] == .string("https://auth.example/device"))
        #expect(
            started.members["verification_uri_complete"]
                == .string("https://auth.example/device?user_code=\(started.userCode)"))
        #expect(started.members["expires_in"] == .int(600))
        #expect(started.members["interval"] == .int(5))
    }

    @Test func approved_issuesTokensOnceThenInvalidGrant() throws {
        let fixture = try Fixture()
        let started = try start(fixture, scope: "profile")
        expectOAuthError(.authorizationPending) { _ = try poll(fixture, started.deviceCode) }

        try decide(fixture, started.userCode.lowercased(), approved: true)
        let success = try poll(fixture, started.deviceCode)

        #expect(success.issued.userID == fixture.user.id)
        #expect(success.issued.response.scopes == ["profile"])
        #expect(success.issued.response.refreshToken != nil)
        #expect(try fixture.isActive(success.issued.response.accessToken))
        #expect(
            try fixture.context.storage.grant(
                userID: fixture.user.id, clientRowID: fixture.client.id)?
                .scopes == ["profile"])
        fixture.clock.advance(by: 60)
        let error = expectOAuthError(.invalidGrant) { _ = try poll(fixture, started.deviceCode) }
        #expect(error?.description == "The device_code was already used.")
    }

    @Test func pollingTooFast_isSlowDown_andTheIntervalGrowsByFive() throws {
        let fixture = try Fixture()
        let started = try start(fixture)

        expectOAuthError(.authorizationPending) { _ = try poll(fixture, started.deviceCode) }
        fixture.clock.advance(by: 4)
        let first = expectOAuthError(.slowDown) { _ = try poll(fixture, started.deviceCode) }
        fixture.clock.advance(by: 9)
        let second = expectOAuthError(.slowDown) { _ = try poll(fixture, started.deviceCode) }
        fixture.clock.advance(by: 15)
        expectOAuthError(.authorizationPending) { _ = try poll(fixture, started.deviceCode) }

        #expect(first?.description == "Polling too fast: wait 10 seconds between requests.")
        #expect(second?.description == "Polling too fast: wait 15 seconds between requests.")
    }

    @Test func denied_isAccessDenied() throws {
        let fixture = try Fixture()
        let started = try start(fixture)

        try decide(fixture, started.userCode, approved: false)

        expectOAuthError(.accessDenied) { _ = try poll(fixture, started.deviceCode) }
        #expect(
            try fixture.context.storage.grant(
                userID: fixture.user.id, clientRowID: fixture.client.id)
                == nil)
    }

    @Test func expired_isExpiredToken_andCannotBeDecided() throws {
        let fixture = try Fixture { $0.deviceCodeLifetime = 30 }
        let started = try start(fixture)

        fixture.clock.advance(by: 30)

        expectOAuthError(.expiredToken) { _ = try poll(fixture, started.deviceCode) }
        let lookup = try DeviceVerification(context: fixture.context).lookUp(
            started.userCode, userID: fixture.user.id, remoteAddress: "192.0.2.1")
        #expect(lookup == .expired)
    }

    @Test func otherClientsDeviceCode_isInvalidGrant_andLeavesItUsable() throws {
        let fixture = try Fixture()
        let started = try start(fixture)
        let (other, secret) = try fixture.makeClient()
        try decide(fixture, started.userCode, approved: true)

        expectOAuthError(.invalidGrant) {
            _ = try fixture.tokenEndpoint.handle(
                fixture.post(
                    [("grant_type", Self.grantType), ("device_code", started.deviceCode)],
                    clientID: other.clientID, secret: secret))
        }
        #expect(try poll(fixture, started.deviceCode).issued.userID == fixture.user.id)
    }

    @Test(arguments: [
        "lkd_", "lka_" + String(repeating: "A", count: 49), String(repeating: "x", count: 10_000),
        "' OR 1=1 --",
    ])
    func malformedDeviceCode_isInvalidGrant(deviceCode: String) throws {
        let fixture = try Fixture()

        let error = expectOAuthError(.invalidGrant) { _ = try poll(fixture, deviceCode) }
        #expect(error?.description == "The device_code is not valid.")
    }

    @Test func missingDeviceCode_isInvalidRequest() throws {
        let fixture = try Fixture()

        let error = expectOAuthError(.invalidRequest) {
            _ = try fixture.tokenEndpoint.handle(fixture.post([("grant_type", Self.grantType)]))
        }
        #expect(error?.description == "The request has no device_code.")
    }

    @Test func clientWithoutTheGrant_isUnauthorizedClient_atBothEndpoints() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["authorization_code"])

        expectOAuthError(.unauthorizedClient) {
            _ = try DeviceAuthorizationEndpoint(context: fixture.context).handle(
                fixture.post([], clientID: client.clientID, secret: secret))
        }
        expectOAuthError(.unauthorizedClient) {
            _ = try fixture.tokenEndpoint.handle(
                fixture.post(
                    [("grant_type", Self.grantType), ("device_code", "x")],
                    clientID: client.clientID, secret: secret))
        }
    }

    @Test func scopeTheClientMayNotHave_isInvalidScope() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(allowedScopes: ["profile"])

        let error = expectOAuthError(.invalidScope) {
            _ = try DeviceAuthorizationEndpoint(context: fixture.context).handle(
                fixture.post([("scope", "email")], clientID: client.clientID, secret: secret))
        }
        #expect(error?.description == "This client may not ask for the scope \"email\".")
    }

    @Test func publicClient_needsNoSecret() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(isPublic: true)

        let success = try DeviceAuthorizationEndpoint(context: fixture.context).handle(
            fixture.form([("client_id", client.clientID)]))

        #expect(success.client.id == client.id)
        #expect(success.scopes == ["profile", "email"])
    }

    @Test func wrongCodes_areThrottledPerUser() throws {
        let fixture = try Fixture {
            $0.userCodeAttempts.accountLimit = 3
            // Outlives the throttling window, so that the code is still good after it.
            $0.deviceCodeLifetime = 3600
        }
        let started = try start(fixture)
        let verification = DeviceVerification(context: fixture.context)

        for address in ["192.0.2.1", "192.0.2.2", "192.0.2.3"] {
            #expect(
                try verification.lookUp(
                    "BBBB-BBBB", userID: fixture.user.id, remoteAddress: address)
                    == .unknown)
        }
        let blocked = try verification.lookUp(
            started.userCode, userID: fixture.user.id, remoteAddress: "192.0.2.4")

        #expect(blocked == .throttled(retryAfter: 900))
        fixture.clock.advance(by: 901)
        guard
            case .pending = try verification.lookUp(
                started.userCode, userID: fixture.user.id, remoteAddress: "192.0.2.4")
        else {
            Issue.record("still throttled after the window")
            return
        }
    }

    @Test func wrongCodes_areThrottledPerAddressAcrossUsers() throws {
        let fixture = try Fixture { $0.userCodeAttempts.addressLimit = 4 }
        let started = try start(fixture)
        let verification = DeviceVerification(context: fixture.context)

        for userID in Int64(100)..<104 {
            #expect(
                try verification.lookUp("not a code", userID: userID, remoteAddress: "192.0.2.9")
                    == .unknown)
        }

        #expect(
            try verification.lookUp(
                started.userCode, userID: fixture.user.id, remoteAddress: "192.0.2.9")
                == .throttled(retryAfter: 900))
        guard
            case .pending = try verification.lookUp(
                started.userCode, userID: fixture.user.id, remoteAddress: "192.0.2.10")
        else {
            Issue.record("another address was throttled too")
            return
        }
    }
}
