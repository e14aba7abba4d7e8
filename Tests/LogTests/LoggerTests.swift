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
                == "ts=2026-12-03T16:42:00.250Z level=info msg=request"
                + " http.method=GET http.status=200\n"
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

    /// Debug lines sit on request paths; at the default level their metadata, often a
    /// dictionary of several strings, must not even be built.
    @Test func metadata_belowMinimumLevel_isNeverBuilt() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let logger = Logger(minimumLevel: .info, fileDescriptor: fds[1])
        var built: [String] = []
        func metadata(_ key: String) -> [String: String] {
            built.append(key)
            return [key: "v"]
        }

        logger.debug("hidden", metadata("debug"))
        logger.log(.debug, "hidden", metadata("log"))
        logger.info("shown", metadata("info"))
        logger.error("shown", metadata("error"))
        close(fds[1])
        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        let text = String(decoding: output, as: UTF8.self)

        #expect(built == ["info", "error"])
        #expect(text.contains("level=info msg=shown info=v\n"))
        #expect(text.hasSuffix("level=error msg=shown error=v\n"))
        #expect(!text.contains("hidden"))
    }

    @Test(arguments: [
        (Duration.zero, "0.000"),
        (.nanoseconds(499), "0.000"),
        (.nanoseconds(500), "0.001"),
        (.nanoseconds(999_999_500), "1000.000"),
        (.nanoseconds(1_234_567_800), "1234.568"),
        (.milliseconds(12) + .microseconds(45), "12.045"),
        (.seconds(3), "3000.000"),
        (.nanoseconds(-5), "0.000"),
    ])
    func milliseconds_hasThreeDecimalsRoundedHalfUp(duration: Duration, expected: String) {
        #expect(Logger.milliseconds(duration) == expected)
    }

    @Test func logPairs_writesTheSameLineAsADictionary_sortedOrNot() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let logger = Logger(fileDescriptor: fds[1])
        logger.log(.info, "request", pairs: [("a.key", "1"), ("b.key", "two words")])
        logger.log(.info, "request", pairs: [("b.key", "two words"), ("a.key", "1")])
        logger.info("request", ["b.key": "two words", "a.key": "1"])
        close(fds[1])
        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")

        #expect(lines.count == 3)
        for line in lines {
            #expect(line.hasSuffix(" level=info msg=request a.key=1 b.key=\"two words\""))
        }
    }

    @Test func quoted_keepsNonASCIIAndEscapesDelete() {
        #expect(Logger.quoted("grüße") == "grüße")
        #expect(Logger.quoted("grüße welt") == "\"grüße welt\"")
        #expect(Logger.quoted("del\u{7F}") == "\"del\\u007f\"")
        #expect(Logger.quoted("back\\slash") == "\"back\\\\slash\"")
        #expect(Logger.quoted("tab\there\r") == "\"tab\\there\\r\"")
    }
}
