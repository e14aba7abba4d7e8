import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

struct AccountsTests {
    @Test(arguments: ["steve", "STEVE", "steve@goat-simulator.com", "Steve@Goat-Simulator.com"])
    func authenticate_byUsernameOrEmail_succeeds(login: String) throws {
        let fixture = try Fixture()
        let user = try Accounts(context: fixture.context).authenticate(
            login: login, password: Fixture.password, remoteAddress: "192.0.2.1")
        #expect(user.id == fixture.user.id)
    }

    @Test(arguments: [("steve", "wrong password"), ("nobody", Fixture.password), ("", "")])
    func authenticate_wrongCredentials_isInvalidGrant(login: String, password: String) throws {
        let fixture = try Fixture()
        #expect(throws: OAuthError(.invalidGrant, "The username or password is wrong.")) {
            try Accounts(context: fixture.context).authenticate(
                login: login, password: password, remoteAddress: "192.0.2.1")
        }
    }

    @Test func authenticate_afterTenFailures_isLockedEvenWithRightPassword() throws {
        let fixture = try Fixture()
        let accounts = Accounts(context: fixture.context)
        for attempt in 0..<10 {
            // Failures come from different addresses and both login forms: one account.
            let login = attempt.isMultiple(of: 2) ? "steve" : "steve@goat-simulator.com"
            _ = try? accounts.authenticate(
                login: login, password: "wrong", remoteAddress: "192.0.2.\(attempt)")
        }
        #expect(throws: OAuthError.throttled(retryAfter: 900)) {
            try accounts.authenticate(
                login: "steve", password: Fixture.password, remoteAddress: "198.51.100.7")
        }

        fixture.clock.advance(by: 15 * 60 + 1)
        let user = try accounts.authenticate(
            login: "steve", password: Fixture.password, remoteAddress: "198.51.100.7")
        #expect(user.id == fixture.user.id)
    }

    @Test func authenticate_fiftyFailuresFromOneAddress_locksThatAddressOnly() throws {
        let fixture = try Fixture { $0.lockout.accountLimit = 1000 }
        let accounts = Accounts(context: fixture.context)
        for attempt in 0..<50 {
            _ = try? accounts.authenticate(
                login: "user\(attempt)", password: "wrong", remoteAddress: "203.0.113.9")
        }
        #expect(throws: OAuthError.throttled(retryAfter: 900)) {
            try accounts.authenticate(
                login: "steve", password: Fixture.password, remoteAddress: "203.0.113.9")
        }
        let user = try accounts.authenticate(
            login: "steve", password: Fixture.password, remoteAddress: "203.0.113.10")
        #expect(user.id == fixture.user.id)
    }

    @Test func authenticate_successClearsAccountCount() throws {
        let fixture = try Fixture()
        let accounts = Accounts(context: fixture.context)
        for _ in 0..<9 {
            _ = try? accounts.authenticate(login: "steve", password: "wrong", remoteAddress: "a")
        }
        _ = try accounts.authenticate(
            login: "steve", password: Fixture.password, remoteAddress: "a")
        for _ in 0..<9 {
            _ = try? accounts.authenticate(login: "steve", password: "wrong", remoteAddress: "a")
        }
        #expect(throws: Never.self) {
            try accounts.authenticate(
                login: "steve", password: Fixture.password, remoteAddress: "a")
        }
    }

    @Test func signUp_takenUsernameInOtherCase_isTaken() throws {
        let fixture = try Fixture()
        #expect(throws: Accounts.SignUpError.taken("username")) {
            try Accounts(context: fixture.context).signUp(
                username: "STEVE", email: "other@example.com", name: "", password: "long enough")
        }
    }
}
