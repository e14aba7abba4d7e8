import Testing

@testable import LatchkeyOAuth

struct PasswordGrantTests {
    private func request(
        _ fixture: Fixture, username: String? = "steve", password: String? = Fixture.password,
        scope: String? = nil, address: String = "192.0.2.1", audit: AuditRecorder = AuditRecorder()
    ) throws -> TokenEndpoint.Success {
        var pairs = [("grant_type", "password")]
        if let username { pairs.append(("username", username)) }
        if let password { pairs.append(("password", password)) }
        if let scope { pairs.append(("scope", scope)) }
        var input = fixture.post(pairs)
        input.remoteAddress = address
        return try TokenEndpoint(context: fixture.context, audit: audit.sink).handle(input)
    }

    @Test(arguments: ["steve", "steve@goat-simulator.com"])
    func rightPassword_issuesTokensAndRecordsTheGrant(username: String) throws {
        let fixture = try Fixture()
        let success = try request(fixture, username: username, scope: "profile")
        #expect(success.issued.userID == fixture.user.id)
        #expect(success.issued.response.scopes == ["profile"])
        #expect(success.issued.response.refreshToken?.hasPrefix("lkr_") == true)
        let grant = try fixture.context.storage.grant(
            userID: fixture.user.id, clientRowID: fixture.client.id)
        #expect(grant?.scopes == ["profile"])
    }

    @Test func wrongPassword_isInvalidGrant400_andAudited() throws {
        let fixture = try Fixture()
        let audit = AuditRecorder()
        let error = expectOAuthError(.invalidGrant, status: 400) {
            _ = try request(fixture, password: "wrong", audit: audit)
        }
        #expect(error?.description == "The username or password is wrong.")
        #expect(audit.events == [.loginFailed(clientID: fixture.client.clientID)])
    }

    @Test func unknownUser_isInvalidGrant400() throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidGrant, status: 400) {
            _ = try request(fixture, username: "nobody")
        }
    }

    @Test func afterTenFailures_isLocked429WithRetryAfter_evenWithTheRightPassword() throws {
        let fixture = try Fixture()
        for attempt in 0..<10 {
            _ = try? request(fixture, password: "wrong", address: "192.0.2.\(attempt)")
        }
        let error = expectOAuthError(.invalidRequest, status: 429) { _ = try request(fixture) }
        #expect(error?.retryAfter == 900)
    }

    @Test func failuresOnTheNonWebFlow_countTowardsTheSameLockout() throws {
        let fixture = try Fixture()
        for _ in 0..<10 {
            _ = try? NonWebFlow(context: fixture.context).authorize(
                client: fixture.client, login: "steve", password: "wrong",
                remoteAddress: "198.51.100.1")
        }
        expectOAuthError(.invalidRequest, status: 429) { _ = try request(fixture) }
    }

    @Test func missingUsername_isInvalidRequest() throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidRequest) { _ = try request(fixture, username: nil) }
    }

    @Test func missingPassword_isInvalidRequest() throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidRequest) { _ = try request(fixture, password: nil) }
    }

    @Test func clientWithPasswordTurnedOff_isUnauthorizedClient() throws {
        let fixture = try Fixture()
        var client = fixture.client
        client.grantTypes = ["authorization_code", "refresh_token"]
        try fixture.context.storage.updateClient(client)
        expectOAuthError(.unauthorizedClient) { _ = try request(fixture) }
    }

    @Test func unknownScope_isInvalidScope_beforeThePasswordIsChecked() throws {
        let fixture = try Fixture()
        let audit = AuditRecorder()
        expectOAuthError(.invalidScope) {
            _ = try request(fixture, password: "wrong", scope: "admin", audit: audit)
        }
        #expect(audit.events.isEmpty)
    }
}
