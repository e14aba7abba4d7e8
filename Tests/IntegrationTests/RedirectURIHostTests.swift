import Foundation
import TestThreads
import Testing

/// The server reads URLs with FoundationEssentials alone, whose parser percent-encodes a
/// host it finds invalid where Foundation's sent it through IDNA (ICU) or refused it.
/// These run against the real binary: in the test process Foundation is loaded and would
/// answer for the server.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct RedirectURIHostTests {
    /// Foundation refused these hosts; so does the server.
    @Test(arguments: [
        "https://app\"x.example/cb", "https://app<x.example/cb", "https://app%zz.example/cb",
    ])
    func clientCreate_callbackHostWithForbiddenCharacter_isRefused(callback: String) throws {
        let server = try TestServer()

        let result = try server.run([
            "client", "create", "--name", "App", "--url", "https://app.example", "--callback",
            callback, "--json",
        ])

        #expect(result.status != 0)
        #expect(result.stderr.contains("Callback URLs"), "\(result.stderr)")
    }

    /// An internationalized host is accepted and the browser is sent back to it, written
    /// percent-encoded as FoundationEssentials writes it (browsers read it as the same
    /// host as its IDNA form). IDNA here would mean the binary links Foundation again.
    @Test func authorize_internationalCallbackHost_redirectsToThatHost() async throws {
        let world = try await SeedWorld.start()
        let (clientID, _) = try world.server.createClient(
            name: "Exämple", url: "https://exämple.example",
            callbacks: ["https://exämple.example/cb"])
        let browser = try await world.signIn()

        let consent = try await browser.get(world.url("/authorize?client_id=\(clientID)"))
        let allowed = try await browser.postForm(
            world.url("/authorize/decision"),
            hiddenFields(in: consent.text) + [("decision", "allow")])

        #expect(allowed.status == 302)
        let location = try #require(allowed.headers["Location"])
        #expect(location.hasPrefix("https://ex%C3%A4mple.example/cb?code=lkc_"), "\(location)")
    }
}
