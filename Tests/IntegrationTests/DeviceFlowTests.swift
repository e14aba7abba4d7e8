import Foundation
import TestThreads
import Testing

/// RFC 8628 over real HTTP against the real server: the device asks for codes at
/// `/oauth/device_authorization`, its user decides at `/device`, the device polls
/// `/oauth/token`.
@Suite(.onBlockingThreads, .timeLimit(.minutes(3)))
struct DeviceFlowTests {
    static let grantType = "urn:ietf:params:oauth:grant-type:device_code"

    @Test func deviceFlow_endToEnd_tokensOnceThenShownAndRevocable() async throws {
        let world = try await SeedWorld.start()

        // The device asks for codes.
        let started = try world.deviceAuthorization()
        #expect(started.status == 200)
        #expect(started.headers["Cache-Control"] == "no-store")
        let json = try #require(started.json)
        let deviceCode = try #require(json["device_code"] as? String)
        let userCode = try #require(json["user_code"] as? String)
        #expect(deviceCode.wholeMatch(of: /lkd_[A-Za-z0-9_-]{49}/) != nil)
        #expect(userCode.wholeMatch(of: /[B-DF-HJKMNP-TV-XZ]{4}-[B-DF-HJKMNP-TV-XZ]{4}/) != nil)
        #expect(json["verification_uri"] as? String == world.base + "/device")
        #expect(
            json["verification_uri_complete"] as? String
                == world.base + "/device?user_code=" + userCode)
        #expect(json["expires_in"] as? Int == 600)
        #expect(json["interval"] as? Int == 5)
        #expect(Set(json.keys).count == 6)

        // Before the user decides, the device is told to wait.
        let pending = try world.pollDevice(deviceCode)
        #expect(pending.status == 400)
        #expect(pending.json?["error"] as? String == "authorization_pending")

        // The user types the code in lower case without the hyphen, sees the application
        // and its scopes, and allows.
        let browser = try await world.signIn()
        let consent = try await world.submitUserCode(
            browser, userCode.lowercased().replacingOccurrences(of: "-", with: ""))
        #expect(consent.status == 200)
        #expect(consent.text.contains("Goat Simulator"))
        #expect(consent.text.contains("https://goat.example"))
        #expect(consent.text.contains("<code class=\"scope\">profile</code>"))
        #expect(consent.text.contains("<code class=\"scope\">email</code>"))
        #expect(consent.text.contains("action=\"/device\""))
        let allowed = try await world.decideOnDevice(browser, consent: consent, "allow")
        #expect(allowed.status == 200)
        #expect(allowed.text.contains("Your device is connected."))

        // The next poll gets the tokens, even sooner than the interval; the one after
        // that is refused.
        let issued = try world.pollDevice(deviceCode)
        #expect(issued.status == 200)
        #expect(issued.headers["Cache-Control"] == "no-store")
        let tokens = try #require(issued.json)
        let accessToken = try #require(tokens["access_token"] as? String)
        #expect(tokens["token_type"] as? String == "Bearer")
        #expect(tokens["expires_in"] as? Int == 3600)
        #expect(tokens["scope"] as? String == "profile email")
        #expect((tokens["refresh_token"] as? String)?.hasPrefix("lkr_") == true)
        #expect(try await world.me(token: accessToken).json?["username"] as? String == "steve")
        let again = try world.pollDevice(deviceCode)
        #expect(again.status == 400)
        #expect(again.json?["error"] as? String == "invalid_grant")
        #expect(again.json?["error_description"] as? String == "The device_code was already used.")

        // The code cannot be used a second time on the page either.
        let reused = try await world.submitUserCode(browser, userCode)
        #expect(reused.status == 400)
        #expect(reused.text.contains("That code was already used."))

        // The grant is on the account page, and revoking it ends the token.
        let account = try await browser.get(world.url("/account/applications"))
        #expect(account.text.contains("Goat Simulator"))
        let revoke = try await browser.postForm(
            world.url("/account/applications/\(world.clientID)/revoke"),
            [("csrf_token", csrfToken(in: account.text))])
        #expect([302, 303].contains(revoke.status))
        #expect(try await world.me(token: accessToken).status == 401)

        // The log names the events but never a code or token.
        let log = world.server.logText()
        #expect(log.contains("msg=oauth.device.code.issued"))
        #expect(log.contains("msg=oauth.device.approved"))
        let refreshToken = try #require(tokens["refresh_token"] as? String)
        for secret in [
            deviceCode, userCode, userCode.replacingOccurrences(of: "-", with: ""),
            accessToken, refreshToken,
        ] {
            #expect(!log.contains(secret))
        }
    }

    @Test func pollingTooFast_isSlowDown_andTheIntervalGrows() async throws {
        let world = try await SeedWorld.start(extraArguments: ["--device-poll-interval", "1"])
        let deviceCode = try world.startDevice().deviceCode

        let first = try world.pollDevice(deviceCode)
        // The pauses hold this test's own thread: after an async sleep the test would wait
        // for a free thread of the shared test executor, seconds when other suites block
        // them, and the poll after the second pause must come within the grown interval.
        usleep(1_200_000)
        let paced = try world.pollDevice(deviceCode)
        let tooFast = try world.pollDevice(deviceCode)
        // Longer than the first interval, shorter than the grown one (1 + 5 s).
        usleep(1_200_000)
        let stillTooFast = try world.pollDevice(deviceCode)

        #expect(first.json?["error"] as? String == "authorization_pending")
        #expect(paced.json?["error"] as? String == "authorization_pending")
        #expect(tooFast.status == 400)
        #expect(tooFast.json?["error"] as? String == "slow_down")
        #expect(
            tooFast.json?["error_description"] as? String
                == "Polling too fast: wait 6 seconds between requests.")
        #expect(stillTooFast.json?["error"] as? String == "slow_down")
        #expect(
            stillTooFast.json?["error_description"] as? String
                == "Polling too fast: wait 11 seconds between requests.")
    }

    @Test func denied_isAccessDenied_andNoGrantIsRecorded() async throws {
        let world = try await SeedWorld.start()
        let (deviceCode, userCode) = try world.startDevice()
        let browser = try await world.signIn()

        let consent = try await world.submitUserCode(browser, userCode)
        let denied = try await world.decideOnDevice(browser, consent: consent, "deny")
        let poll = try world.pollDevice(deviceCode)

        #expect(denied.status == 200)
        #expect(denied.text.contains("The device was not connected."))
        #expect(poll.status == 400)
        #expect(poll.json?["error"] as? String == "access_denied")
        let account = try await browser.get(world.url("/account/applications"))
        #expect(!account.text.contains("Goat Simulator"))
    }

    @Test func expired_isExpiredToken_andThePageSaysSo() async throws {
        let world = try await SeedWorld.start(extraArguments: ["--device-code-lifetime", "1"])
        let started = try world.deviceAuthorization()
        #expect(started.json?["expires_in"] as? Int == 1)
        let deviceCode = try #require(started.json?["device_code"] as? String)
        let userCode = try #require(started.json?["user_code"] as? String)

        try await Task.sleep(for: .milliseconds(1_300))
        let poll = try world.pollDevice(deviceCode)
        let page = try await world.submitUserCode(try await world.signIn(), userCode)

        #expect(poll.status == 400)
        #expect(poll.json?["error"] as? String == "expired_token")
        #expect(page.status == 400)
        #expect(page.text.contains("That code has expired."))
    }

    @Test func approvedCodePolledFromManyThreads_issuesTokensExactlyOnce() async throws {
        let world = try await SeedWorld.start()
        let (deviceCode, userCode) = try world.startDevice()
        let browser = try await world.signIn()
        let consent = try await world.submitUserCode(browser, userCode)
        _ = try await world.decideOnDevice(browser, consent: consent, "allow")
        let statuses = Collected<String>()

        onThreads(16) { _ in
            do {
                let response = try world.pollDevice(deviceCode)
                statuses.append(
                    "\(response.status) \(response.json?["error"] as? String ?? "tokens")")
            } catch {
                statuses.append("error: \(error)")
            }
        }

        #expect(statuses.all.count == 16)
        #expect(statuses.all.filter { $0 == "200 tokens" }.count == 1)
        #expect(statuses.all.filter { $0 == "400 invalid_grant" }.count == 15)
    }

    @Test func wrongCodes_areRateLimitedPerUser() async throws {
        let world = try await SeedWorld.start()
        let (_, userCode) = try world.startDevice()
        let browser = try await world.signIn()

        for _ in 0..<10 {
            let wrong = try await world.submitUserCode(browser, "BBBB-BBBB")
            #expect(wrong.status == 400)
            #expect(wrong.text.contains("That code is not valid."))
            #expect(wrong.text.contains("value=\"BBBB-BBBB\""))
        }
        let blocked = try await world.submitUserCode(browser, userCode)

        #expect(blocked.status == 429)
        #expect(blocked.headers["Retry-After"] == "900")
        #expect(blocked.text.contains("Too many wrong codes."))
        #expect(!blocked.text.contains("Goat Simulator"))
    }

    @Test func metadata_namesTheDeviceEndpointAndGrant() async throws {
        let world = try await SeedWorld.start()
        let metadata = try #require(
            try await world.http.get(world.url("/.well-known/oauth-authorization-server")).json)

        #expect(
            metadata["device_authorization_endpoint"] as? String
                == world.base + "/oauth/device_authorization")
        #expect((metadata["grant_types_supported"] as? [String])?.contains(Self.grantType) == true)
    }

    @Test func publicClient_startsWithItsClientIDAlone() async throws {
        let world = try await SeedWorld.start()
        let (clientID, _) = try world.makeClient(isPublic: true)

        let started = try world.oauthPost(
            "/oauth/device_authorization", [("scope", "profile")], auth: .publicClient(clientID))

        #expect(started.status == 200)
        #expect(started.json?["user_code"] is String)
    }

    @Test func clientWithDeviceGrantTurnedOff_isUnauthorizedClient() async throws {
        let world = try await SeedWorld.start()
        let (clientID, secret) = try world.makeClient(grants: "authorization_code,refresh_token")
        let (deviceOnlyID, deviceOnlySecret) = try world.makeClient(grants: "device_code")

        let refused = try world.oauthPost(
            "/oauth/device_authorization", [], auth: .basic(clientID, try #require(secret)))
        let allowed = try world.oauthPost(
            "/oauth/device_authorization", [],
            auth: .basic(deviceOnlyID, try #require(deviceOnlySecret)))

        #expect(refused.status == 400)
        #expect(refused.json?["error"] as? String == "unauthorized_client")
        #expect(allowed.status == 200)
    }
}

/// Bad input on the device endpoints, each with the exact error a client or user sees.
@Suite(.onBlockingThreads, .timeLimit(.minutes(3)))
struct DeviceFlowBadInputTests {
    @Test func deviceAuthorization_badRequests_haveExactErrors() async throws {
        let world = try await SeedWorld.start()
        let path = "/oauth/device_authorization"
        func check(
            _ response: TestResponse, _ status: Int, _ error: String, _ description: String?,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            #expect(response.status == status, sourceLocation: sourceLocation)
            #expect(response.json?["error"] as? String == error, sourceLocation: sourceLocation)
            if let description {
                #expect(
                    response.json?["error_description"] as? String == description,
                    sourceLocation: sourceLocation)
            }
        }

        check(try world.oauthPost(path, [], auth: nil), 401, "invalid_client", nil)
        check(
            try world.oauthPost(path, [], auth: .basic(world.clientID, "lks_wrong")), 401,
            "invalid_client", "Client authentication failed.")
        check(
            try world.oauthPost(path, [], auth: .publicClient(world.clientID)), 401,
            "invalid_client", nil)
        check(
            try world.oauthPost(
                path, [("scope", "profile"), ("scope", "email")], auth: world.seedBasic),
            400, "invalid_request", "The parameter scope is repeated.")
        check(
            try world.oauthPost(
                path, [("<script>", "1"), ("<script>", "2")], auth: world.seedBasic),
            400, "invalid_request", "A parameter is repeated.")
        check(
            try world.oauthPost(path, [], auth: world.seedBasic, query: "scope=profile"), 400,
            "invalid_request", "Send the parameters in the form body, never in the query string.")
        check(
            try world.oauthPost(path, [("scope", "admin")], auth: world.seedBasic), 400,
            "invalid_scope", nil)
        check(
            try world.oauthPost(
                path, [("scope", String(repeating: "profile ", count: 1_000))],
                auth: world.seedBasic),
            400, "invalid_scope", "The scope parameter is too long.")
        check(
            try world.oauthPost(path, [("scope", "profile\u{0}email")], auth: world.seedBasic),
            400, "invalid_scope", nil)

        let noBody = try world.post(
            path, headers: ["Authorization": basic(world.clientID, world.clientSecret)],
            body: nil)
        #expect(noBody.status == 200)
        let wrongType = try PlainSocketClient.send(
            method: "POST", url: world.url(path),
            headers: [
                "Authorization": basic(world.clientID, world.clientSecret),
                "Content-Type": "application/json",
            ], body: Data("{\"scope\":\"profile\"}".utf8))
        check(
            wrongType, 400, "invalid_request", "The body must be application/x-www-form-urlencoded."
        )
        let get = try await world.http.get(world.url(path))
        #expect(get.status == 405)
    }

    @Test func token_badDeviceCodes_haveExactErrors() async throws {
        let world = try await SeedWorld.start()
        let (deviceCode, _) = try world.startDevice()
        let (otherID, otherSecret) = try world.makeClient()
        func poll(_ pairs: [(String, String)], auth: ClientAuth? = nil) throws -> TestResponse {
            try world.token(
                [("grant_type", DeviceFlowTests.grantType)] + pairs, auth: auth ?? world.seedBasic)
        }
        func check(
            _ response: TestResponse, _ error: String, _ description: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            #expect(response.status == 400, sourceLocation: sourceLocation)
            #expect(response.json?["error"] as? String == error, sourceLocation: sourceLocation)
            #expect(
                response.json?["error_description"] as? String == description,
                sourceLocation: sourceLocation)
        }

        check(try poll([]), "invalid_request", "The request has no device_code.")
        check(try poll([("device_code", "")]), "invalid_request", "The request has no device_code.")
        check(
            try poll([("device_code", deviceCode), ("device_code", deviceCode)]), "invalid_request",
            "The parameter device_code is repeated.")
        for hostile in [
            "' OR 1=1 --", String(repeating: "A", count: 50_000), "lkd_<script>", "lkd_",
            String(deviceCode.dropLast()) + (deviceCode.hasSuffix("A") ? "B" : "A"),
        ] {
            check(
                try poll([("device_code", hostile)]), "invalid_grant",
                "The device_code is not valid.")
        }
        check(
            try poll(
                [("device_code", deviceCode)], auth: .basic(otherID, try #require(otherSecret))),
            "invalid_grant", "The device_code is not valid.")
        // None of that spent or slowed the code for its own client.
        check(
            try poll([("device_code", deviceCode)]), "authorization_pending",
            "The user has not decided yet.")
    }

    @Test func devicePage_visitor_goesToLoginAndComesBackWithTheCode() async throws {
        let world = try await SeedWorld.start()
        let browser = HTTPClient(cookies: CookieJar())

        let page = try await browser.get(world.url("/device?user_code=WDJB-MJHT"))
        #expect(page.status == 302)
        #expect(page.headers["Location"] == "/login?return_to=%2Fdevice%3Fuser_code%3DWDJB-MJHT")

        let login = try await browser.get(
            world.url("/login?return_to=%2Fdevice%3Fuser_code%3DWDJB-MJHT"))
        let signedIn = try await browser.postForm(
            world.url("/login"),
            [
                ("csrf_token", csrfToken(in: login.text)), ("login", SeedWorld.username),
                ("password", SeedWorld.password), ("return_to", "/device?user_code=WDJB-MJHT"),
            ])
        #expect(signedIn.status == 303)
        #expect(signedIn.headers["Location"] == "/device?user_code=WDJB-MJHT")
        let form = try await browser.get(world.url("/device?user_code=WDJB-MJHT"))
        #expect(form.status == 200)
        #expect(form.text.contains("name=\"user_code\""))
        #expect(form.text.contains("value=\"WDJB-MJHT\""))
    }

    @Test func devicePage_badForms_haveClearAnswers() async throws {
        let world = try await SeedWorld.start()
        let (_, userCode) = try world.startDevice()
        let browser = try await world.signIn()
        let form = try await browser.get(world.url("/device"))
        let csrf = csrfToken(in: form.text)

        let noCSRF = try await browser.postForm(world.url("/device"), [("user_code", userCode)])
        #expect(noCSRF.status == 403)

        let missing = try await browser.postForm(world.url("/device"), [("csrf_token", csrf)])
        #expect(missing.status == 400)
        #expect(missing.text.contains("Type the code your device shows."))

        let repeated = try await browser.postForm(
            world.url("/device"),
            [("csrf_token", csrf), ("user_code", userCode), ("user_code", userCode)])
        #expect(repeated.status == 400)
        #expect(repeated.text.contains("Type the code your device shows."))

        let hostile = try await browser.postForm(
            world.url("/device"), [("csrf_token", csrf), ("user_code", "<script>x</script>")])
        #expect(hostile.status == 400)
        #expect(hostile.text.contains("value=\"&lt;script&gt;x&lt;/script&gt;\""))
        #expect(!hostile.text.contains("<script>x"))

        let huge = try await browser.postForm(
            world.url("/device"),
            [("csrf_token", csrf), ("user_code", String(repeating: "B", count: 100_000))])
        #expect(huge.status == 400)
        #expect(huge.text.contains("That code is not valid."))
        #expect(!huge.text.contains(String(repeating: "B", count: 65)))

        let badDecision = try await browser.postForm(
            world.url("/device"),
            [("csrf_token", csrf), ("user_code", userCode), ("decision", "maybe")])
        #expect(badDecision.status == 400)
        #expect(badDecision.text.contains("Choose Allow or Deny."))

        let malformed = try PlainSocketClient.send(
            method: "GET", url: world.url("/device"), rawTarget: "/device?user_code=%zz")
        #expect(malformed.status == 400)
        #expect(malformed.headers["Content-Type"]?.hasPrefix("text/html") == true)

        // None of that decided anything: the code still works.
        let consent = try await world.submitUserCode(browser, userCode)
        #expect(consent.status == 200)
        #expect(consent.text.contains("Goat Simulator"))
    }
}

extension SeedWorld {
    /// `POST /oauth/device_authorization` as the seed client.
    func deviceAuthorization(scope: String? = nil) throws -> TestResponse {
        try oauthPost(
            "/oauth/device_authorization", scope.map { [("scope", $0)] } ?? [], auth: seedBasic)
    }

    func startDevice() throws -> (deviceCode: String, userCode: String) {
        let json = try #require(try deviceAuthorization().json)
        return (
            try #require(json["device_code"] as? String), try #require(json["user_code"] as? String)
        )
    }

    /// One poll of `/oauth/token` by the seed client.
    func pollDevice(_ deviceCode: String) throws -> TestResponse {
        try token(
            [("grant_type", DeviceFlowTests.grantType), ("device_code", deviceCode)],
            auth: seedBasic)
    }

    /// Types `userCode` into the device page's form and sends it.
    func submitUserCode(_ browser: HTTPClient, _ userCode: String) async throws -> TestResponse {
        let form = try await browser.get(url("/device"))
        return try await browser.postForm(
            url("/device"), [("csrf_token", csrfToken(in: form.text)), ("user_code", userCode)])
    }

    /// Presses Allow or Deny on the consent page the device form led to.
    func decideOnDevice(_ browser: HTTPClient, consent: TestResponse, _ decision: String)
        async throws -> TestResponse
    {
        try await browser.postForm(
            url("/device"), hiddenFields(in: consent.text) + [("decision", decision)])
    }
}

/// Runs `body` on `count` real threads released at once, and waits for all of them.
private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for index in 0..<count {
        group.enter()
        Thread {
            start.wait()
            body(index)
            group.leave()
        }.start()
    }
    for _ in 0..<count { start.signal() }
    group.wait()
}
