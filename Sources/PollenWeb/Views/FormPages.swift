import Foundation
import PollenCore

/// One labelled form control, rendered by the `input` partial.
struct InputField {
    let id: String
    let label: String
    let name: String
    var type = "text"
    var value = ""
    var error: String? = nil
    var hint: String? = nil
    var autocomplete: String? = nil
    var required = false
    var multiline = false
    var maxLength: Int? = nil

    /// Fills value and error from a submitted form and the error it caused, so a page re-shown after a
    /// mistake keeps what the person typed (passwords excepted).
    func filled(from form: FormData?, error domainError: DomainError?, fallback: String = "") -> InputField {
        var copy = self
        copy.value = type == "password" ? "" : (form?[name] ?? fallback)
        if let domainError, domainError.field == name { copy.error = domainError.message }
        return copy
    }
}

/// A page that is mostly one form: setup, sign-up, sign-in, profile, password.
struct FormPage {
    let layout: Layout
    var fields: [InputField]
    /// An error not tied to one field, announced to screen readers.
    var formError: String?
    var action = ""
    var next = ""
    var policyText = ""

    init(layout: Layout, fields: [InputField], form: FormData? = nil, error: DomainError? = nil,
         fallbacks: [String: String] = [:]) {
        self.layout = layout
        self.fields = fields.map { $0.filled(from: form, error: error, fallback: fallbacks[$0.name] ?? "") }
        if let error {
            // Field errors show beside their field too; the summary at the top makes sure they are announced.
            formError = error.message
        }
    }
}

enum Forms {
    static let displayName = InputField(
        id: "display_name", label: "Display name", name: "display_name", autocomplete: "name", required: true,
        maxLength: ProfileRules.displayNameLength.upperBound)
    static let handle = InputField(
        id: "handle", label: "Handle", name: "handle", hint: "Letters, digits and underscores; people mention you as @handle.",
        autocomplete: "username", required: true, maxLength: ProfileRules.handleLength.upperBound)
    static let email = InputField(
        id: "email", label: "E-mail", name: "email", type: "email", autocomplete: "email", required: true)
    static let newPassword = InputField(
        id: "password", label: "Password", name: "password", type: "password",
        hint: "At least \(ProfileRules.passwordLength.lowerBound) characters.", autocomplete: "new-password",
        required: true)
    static let invitation = InputField(id: "invitation", label: "Invitation code", name: "invitation")

    static let signIn = [
        InputField(id: "login", label: "Handle or e-mail", name: "login", autocomplete: "username", required: true),
        InputField(
            id: "password", label: "Password", name: "password", type: "password", autocomplete: "current-password",
            required: true),
    ]

    static let profile = [
        displayName, handle,
        InputField(id: "bio", label: "Bio", name: "bio", multiline: true, maxLength: ProfileRules.bioMaxLength),
        InputField(id: "department", label: "Department", name: "department", autocomplete: "organization",
                   maxLength: ProfileRules.shortFieldMaxLength),
        InputField(id: "location", label: "Location", name: "location", maxLength: ProfileRules.shortFieldMaxLength),
        InputField(id: "job_role", label: "Job role", name: "job_role", autocomplete: "organization-title",
                   maxLength: ProfileRules.shortFieldMaxLength),
        InputField(id: "subjects", label: "Subjects", name: "subjects",
                   hint: "What you learn about, separated by commas, e.g. analytics, supply-chain."),
        InputField(id: "expertise", label: "Expertise", name: "expertise",
                   hint: "What you can help others with, separated by commas."),
    ]

    static let password = [
        InputField(id: "current_password", label: "Current password", name: "current_password", type: "password",
                   autocomplete: "current-password", required: true),
        InputField(id: "new_password", label: "New password", name: "new_password", type: "password",
                   hint: "At least \(ProfileRules.passwordLength.lowerBound) characters.", autocomplete: "new-password",
                   required: true),
        InputField(id: "confirm_password", label: "Confirm new password", name: "confirm_password", type: "password",
                   autocomplete: "new-password", required: true),
    ]

    static func profileValues(_ member: Member) -> [String: String] {
        let p = member.profile
        return [
            "display_name": p.displayName, "handle": member.handle, "bio": p.bio, "department": p.department,
            "location": p.location, "job_role": p.jobRole, "subjects": p.subjects.joined(separator: ", "),
            "expertise": p.expertise.joined(separator: ", "),
        ]
    }
}
