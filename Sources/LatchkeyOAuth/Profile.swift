import Foundation
import LatchkeyStorage

/// The `/api/v1/me` document of SPEC §1.
public enum Profile {
    public static func json(of user: User, scopes: [String], link: String = "/api/v1/me")
        -> JSONValue
    {
        var members: [(key: String, value: JSONValue)] = [
            ("id", .int(user.id)), ("username", .string(user.username)),
        ]
        if scopes.contains("email") { members.append(("email", .string(user.email))) }
        members.append(("name", .string(user.name)))
        members.append(("link", .string(link)))
        members.append(("created_at", .string(iso8601(user.createdAt))))
        members.append(("updated_at", .string(iso8601(user.updatedAt))))
        return .object(members)
    }

    /// SPEC §10: ISO 8601 in UTC, whole seconds (`2026-12-03T16:42:00Z`).
    public static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
