/// One grant type offered as a checkbox on the application form.
public struct GrantChoice: Sendable, Equatable {
    /// The grant type as it goes on the wire (`authorization_code`).
    public var value: String
    /// What it means, in plain words.
    public var label: String
    public var isChecked: Bool

    public init(value: String, label: String, isChecked: Bool) {
        self.value = value
        self.label = label
        self.isChecked = isChecked
    }
}
