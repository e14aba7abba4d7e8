import Foundation
import LatchkeyLog
import LatchkeyOAuth
import Testing

@testable import LatchkeyServer

struct RecoverableFailureLogTests {
    /// One error line with the client and the cause: never the secret, which the failure
    /// does not even carry.
    @Test func clientSecretUpgrade_isOneErrorLineNamingTheClient() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let logger = Logger(fileDescriptor: fds[1])

        App.log(
            .clientSecretUpgrade(clientID: "0a1b2c", detail: "failure(\"disk full\")"), logger)
        close(fds[1])

        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(
            line.hasSuffix(
                #"level=error msg=oauth.client_secret.upgrade_failed"#
                    + #" error.detail="failure(\"disk full\")" oauth.client_id=0a1b2c"#))
    }
}
