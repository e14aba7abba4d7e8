import Foundation

/// One element of the page a `WebDriver` shows, valid until that page changes.
struct WebElement: Sendable {
    /// The W3C key under which element references travel.
    static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    /// ChromeDriver's reference for the element.
    let id: String

    private let driver: WebDriver

    init(reference: Any, in driver: WebDriver) throws {
        guard let id = (reference as? [String: Any])?[Self.referenceKey] as? String else {
            throw HarnessError("WebDriver answered with something that is not an element")
        }
        self.id = id
        self.driver = driver
    }

    /// The text the user sees in it (rendered, so hidden text is left out).
    var text: String {
        get async throws {
            try await command("GET", "text") as? String ?? ""
        }
    }

    /// Clicks its centre, as a user would; throws if something covers it.
    func click() async throws {
        try await command("POST", "click")
    }

    /// Types `text` into it, as keystrokes.
    func sendKeys(_ text: String) async throws {
        try await command("POST", "value", ["text": text])
    }

    /// Empties an input or text area.
    func clear() async throws {
        try await command("POST", "clear")
    }

    /// The attribute as written in the HTML (`attribute("href")`), `nil` when absent.
    /// What the user typed is the `value` *property*, not this.
    func attribute(_ name: String) async throws -> String? {
        try await command("GET", "attribute/\(name)") as? String
    }

    /// A DOM property (`property("value")`, `property("checked")`), as text; `nil` when
    /// it is null or undefined.
    func property(_ name: String) async throws -> String? {
        let value = try await command("GET", "property/\(name)")
        switch value {
        case let text as String: return text
        case is NSNull: return nil
        default: return "\(value)"
        }
    }

    /// The first matching element inside this one.
    func findElement(css selector: String) async throws -> WebElement {
        let value = try await command(
            "POST", "element", ["using": "css selector", "value": selector])
        return try WebElement(reference: value, in: driver)
    }

    @discardableResult
    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil)
        async throws -> Any
    {
        try await driver.command(method, "element/\(id)/\(path)", body)
    }
}
