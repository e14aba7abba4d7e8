extension Pages {
    /// `/device` (RFC 8628 §3.3, SPEC §10): where the user types the code their device
    /// shows. The form posts `csrf_token` and `user_code` to `/device`; `userCode` pre-fills
    /// the field (from `verification_uri_complete`, or after an error).
    ///
    /// Once the code is found, the consent page can be reused for the decision by passing
    /// `action: "/device"` and the code as a hidden field.
    public static func device(
        _ context: PageContext, userCode: String, error: String?, notice: String?
    ) -> String {
        let fields = [
            Layout.textField(
                name: "user_code", label: Strings.Device.codeLabel, value: userCode,
                autocomplete: "one-time-code", hint: Strings.Device.codeHint,
                capitalization: "characters"),
            Layout.button(Strings.Device.submit),
        ]
        let form = Layout.form(
            action: "/device", context: context, fieldsMarkup: fields.joined(separator: "\n"))

        return Layout.document(
            title: Strings.Device.title, context: context,
            bodyMarkup: """
                <h1>\(e(Strings.Device.title))</h1>
                \(Layout.errorMessage(error))
                \(Layout.notice(notice))
                <p>\(e(Strings.Device.intro))</p>
                \(form)
                """)
    }
}
