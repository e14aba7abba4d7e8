import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

/// OIDC Core §3.1.2.1 `prompt` and `max_age`: what the endpoint does next.
struct AuthorizationStepTests {
    private func request(_ fixture: Fixture, _ extra: [String: [String]] = [:]) throws
        -> AuthorizationRequest
    {
        let pairs: [String: [String]] = [
            "response_type": ["code"], "client_id": [fixture.client.clientID],
            "redirect_uri": ["https://goat.example/cb"], "scope": ["openid profile"],
            "state": ["st"],
        ].merging(extra) { $1 }
        return try AuthorizationEndpoint(context: fixture.context, dialect: .standard).validate(
            fixture.parameters(pairs))
    }

    private func step(
        _ fixture: Fixture, _ request: AuthorizationRequest, signedIn: Bool = true,
        signedInAgo: TimeInterval = 10
    ) throws(OAuthError) -> AuthorizationStep {
        try AuthorizationEndpoint(context: fixture.context, dialect: .standard).nextStep(
            request, userID: signedIn ? fixture.user.id : nil,
            signedInAt: fixture.context.clock.now().addingTimeInterval(-signedInAgo))
    }

    private func grant(_ fixture: Fixture) throws {
        try fixture.context.storage.recordGrant(
            userID: fixture.user.id, clientRowID: fixture.client.id,
            scopes: ["openid", "profile"], at: fixture.context.clock.now())
    }

    @Test func visitor_signsInWithTheRequestUnchanged() throws {
        let fixture = try Fixture()
        let request = try request(fixture)

        #expect(
            try step(fixture, request, signedIn: false) == .signIn(forced: false, returnTo: request)
        )
    }

    @Test func promptNone_visitor_isLoginRequired() throws {
        let fixture = try Fixture()
        let request = try request(fixture, ["prompt": ["none"]])

        #expect(throws: OAuthError.self) { try step(fixture, request, signedIn: false) }
        do throws(OAuthError) {
            _ = try step(fixture, request, signedIn: false)
        } catch {
            #expect(error.code == .loginRequired)
        }
    }

    @Test func promptNone_withoutConsent_isConsentRequired_withConsent_allows() throws {
        let fixture = try Fixture()
        let request = try request(fixture, ["prompt": ["none"]])

        do throws(OAuthError) {
            _ = try step(fixture, request)
            Issue.record("expected consent_required")
        } catch {
            #expect(error.code == .consentRequired)
        }
        try grant(fixture)
        #expect(try step(fixture, request) == .allow)
    }

    @Test func promptLogin_forcesSignIn_andReturnsWithoutIt() throws {
        let fixture = try Fixture()
        let request = try request(fixture, ["prompt": ["login consent"]])
        var expected = request
        expected.prompt = ["consent"]

        #expect(try step(fixture, request) == .signIn(forced: true, returnTo: expected))
    }

    @Test func promptConsent_asksForEveryScopeDespiteAGrant() throws {
        let fixture = try Fixture()
        try grant(fixture)

        #expect(try step(fixture, try request(fixture)) == .allow)
        #expect(
            try step(fixture, try request(fixture, ["prompt": ["consent"]]))
                == .consent(["openid", "profile"]))
    }

    @Test(arguments: [(30.0, 60, false), (61.0, 60, true), (1.0, 0, true), (0.0, 0, false)])
    func maxAge_signsInAgainOnlyWhenTheSessionIsOlder(
        ago: TimeInterval, maxAge: Int, forced: Bool
    ) throws {
        let fixture = try Fixture()
        try grant(fixture)
        let request = try request(fixture, ["max_age": [String(maxAge)]])
        var afterSignIn = request
        afterSignIn.maxAge = nil

        let next = try step(fixture, request, signedInAgo: ago)

        #expect(next == (forced ? .signIn(forced: true, returnTo: afterSignIn) : .allow))
    }

    @Test func parameters_keepPromptAndMaxAgeForTheConsentForm() throws {
        let fixture = try Fixture()
        let request = try request(fixture, ["prompt": ["consent consent"], "max_age": ["0"]])

        #expect(request.prompt == ["consent"])
        #expect(request.maxAge == 0)
        #expect(request.parameters.contains { $0 == ("prompt", "consent") })
        #expect(request.parameters.contains { $0 == ("max_age", "0") })
    }
}
