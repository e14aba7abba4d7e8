import Foundation

/// Finds the `latchkey` executable that SwiftPM built together with this test bundle.
///
/// The IntegrationTests target depends on the `latchkey` target, so `swift build
/// --build-tests` and `swift test` both link the executable into the same build folder as
/// the test product (`.build/<triple>/debug/latchkey` beside
/// `LatchkeyPackageTests.xctest`). On macOS the test product is a bundle, so the search
/// walks up a few folders from wherever the test code lives.
enum LatchkeyBinary {
    /// Overrides the search, for running the tests against another build.
    static let environmentKey = "LATCHKEY_BINARY"

    /// The executable to launch; throws, naming every place it looked, when it is missing.
    static var url: URL {
        get throws {
            if let override = ProcessInfo.processInfo.environment[environmentKey] {
                let url = URL(fileURLWithPath: override)
                guard isExecutableFile(url) else {
                    throw HarnessError("\(environmentKey)=\(override) is not an executable file")
                }
                return url
            }

            let folders = searchFolders()
            let candidates = folders.map { $0.appendingPathComponent("latchkey") }
            if let found = candidates.first(where: isExecutableFile) {
                return found
            }
            throw HarnessError(
                "the latchkey executable was not found beside the tests; looked in "
                    + folders.map(\.path).joined(separator: ", ")
                    + ". Build it with `swift build --build-tests` (or run `make test`).")
        }
    }

    /// Folders that may hold the build products: those of the test process's executable
    /// and of the bundle holding this code, each with up to three of its parents.
    private static func searchFolders() -> [URL] {
        var starts: [URL] = []
        if let executable = Bundle.main.executableURL {
            starts.append(executable)
        }
        starts.append(Bundle(for: BundleMarker.self).bundleURL)
        starts.append(URL(fileURLWithPath: "/proc/self/exe"))
        if let first = CommandLine.arguments.first {
            starts.append(URL(fileURLWithPath: first))
        }

        var folders: [URL] = []
        for start in starts {
            var folder = start.resolvingSymlinksInPath().standardizedFileURL
                .deletingLastPathComponent()
            for _ in 0..<4 {
                if !folders.contains(folder) {
                    folders.append(folder)
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        return folders
    }

    private static func isExecutableFile(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    }

    /// Only used to ask Foundation which bundle this code was loaded from.
    private final class BundleMarker {}
}
