import LatchkeyCrypto
import LatchkeyOAuth
import LatchkeyText

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The key that seals ID token signing keys in the database (AES-256-GCM) and from which
/// the client secret hashing key is derived: from `--key-encryption-key`, from
/// `--key-encryption-key-file`, or, for SQLite with neither, from a key file beside the
/// database that the first start (or the first `client create`) makes (mode 0600).
///
/// PostgreSQL has no default: its instances run on several machines and must all use
/// the same key, which a file made by whichever instance started first would not be.
enum KeyEncryption {
    static let options = [
        OptionSpec(
            name: "key-encryption-key", kind: .value, valueName: "HEX",
            help:
                "64 hex digits sealing the ID token signing keys and keying client secret hashes"
                + " (prefer the environment variable)."
        ),
        OptionSpec(
            name: "key-encryption-key-file", kind: .value, valueName: "FILE",
            help: "File holding that key (default for SQLite: DATABASE.kek, made on first start)."
        ),
    ]

    static func key(_ options: ParsedOptions, database: DatabaseLocation) throws -> [UInt8] {
        switch (options["key-encryption-key"], options["key-encryption-key-file"]) {
        case (.some, .some):
            throw UsageError(
                message: "--key-encryption-key and --key-encryption-key-file exclude each other")
        case (let text?, nil):
            guard let key = parse(text) else {
                throw UsageError(
                    message:
                        "option --key-encryption-key must be 64 hex digits (openssl rand -hex 32)")
            }
            return key
        case (nil, let path?):
            return try read(path, option: "--key-encryption-key-file")
        case (nil, nil):
            guard case .sqlite(let databasePath) = database else {
                throw UsageError(
                    message: "with PostgreSQL, give every instance the same --key-encryption-key"
                        + " or --key-encryption-key-file")
            }
            return try defaultFile(databasePath + ".kek")
        }
    }

    /// 32 bytes as 64 hex digits, surrounding whitespace ignored.
    static func parse(_ text: String) -> [UInt8]? {
        let digits = Array(text.trimmingWhitespaceAndNewlines().utf8)
        guard digits.count == 64 else { return nil }
        var key: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard
                let byte = UInt8(
                    String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)
            else { return nil }
            key.append(byte)
        }
        return key
    }

    private static func read(_ path: String, option: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError(message: "\(option): cannot read \(path)")
        }
        guard let key = parse(String(decoding: data, as: UTF8.self)) else {
            throw UsageError(message: "\(option): \(path) must hold 64 hex digits")
        }
        return key
    }

    /// Creates the file with a new random key unless it exists; `O_EXCL` makes two
    /// processes starting at once agree on one key.
    private static func defaultFile(_ path: String) throws -> [UInt8] {
        // The key is read before the database is opened, which is what makes a new
        // database's folder; a folder that cannot be made shows in open's error below.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            guard errno == EEXIST else {
                throw CommandFailure(
                    description: "cannot create the key encryption key file \(path): "
                        + String(cString: strerror(errno)))
            }
            return try read(path, option: "key encryption key file")
        }
        let key = SecureRandom.bytes(count: AESGCM.keyLength)
        let line = Array((Hex.encode(key) + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == line.count, synced else {
            unlink(path)
            throw CommandFailure(description: "cannot write the key encryption key file \(path)")
        }
        return key
    }
}

enum KeyCommands {
    static let rotate = Command(
        path: ["keys", "rotate"], usage: "keys rotate [--database URL]",
        summary:
            "Make new ID token signing keys; old ones stay published until their tokens expire.",
        options: [DatabaseLocation.option] + KeyEncryption.options + [
            OptionSpec(
                name: "id-token-lifetime", kind: .value, valueName: "SECONDS",
                help: "The server's ID token lifetime (default 3600); older retired keys go.")
        ]
    ) { options in
        guard options.positional.isEmpty else {
            throw UsageError(message: "keys rotate takes no arguments")
        }
        let location = try DatabaseLocation(options["database"])
        var configuration = OAuthConfiguration()
        configuration.keyEncryptionKey = try KeyEncryption.key(options, database: location)
        configuration.idTokenLifetime = TimeInterval(
            try options.integer("id-token-lifetime", default: 3600, range: 60...86_400))
        let context = OAuthContext(storage: try location.open(), configuration: configuration)

        do throws(OAuthError) {
            // Refuses to rotate under the wrong key, which would leave keys nobody can use.
            try context.signingKeys.checkUnsealing(context)
            let created = try context.signingKeys.rotate(context)
            for key in created {
                print("latchkey: new \(key.algorithm) signing key \(key.kid)")
            }
            return 0
        } catch {
            throw CommandFailure(
                description: "cannot rotate keys: \(error.detail ?? error.description)")
        }
    }
}
