import Foundation
import Testing

@testable import LatchkeyLog

struct LoggerTests {
    @Test func format_sortsKeysAfterTheConstantMessage() {
        let line = Logger.format(
            date: Date(timeIntervalSince1970: 1_796_316_120.25), level: .info,
            message: "request", metadata: ["http.status": "200", "http.method": "GET"])
        #expect(
            line
                == "ts=2026-12-03T16:42:00.250Z level=info msg=request http.method=GET http.status=200\n"
        )
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("two words", "\"two words\""),
        ("", "\"\""),
        ("a=b", "\"a=b\""),
        ("line\nbreak", "\"line\\nbreak\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("bell\u{7}", "\"bell\\u0007\""),
    ])
    func quoted_escapesWhatWouldBreakALine(value: String, expected: String) {
        #expect(Logger.quoted(value) == expected)
    }

    @Test func log_belowMinimumLevel_writesNothing() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let logger = Logger(minimumLevel: .notice, fileDescriptor: fds[1])
        logger.info("hidden")
        logger.notice("shown", ["k": "v"])
        close(fds[1])
        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        let text = String(decoding: output, as: UTF8.self)
        #expect(!text.contains("hidden"))
        #expect(text.hasSuffix("level=notice msg=shown k=v\n"))
    }
}
