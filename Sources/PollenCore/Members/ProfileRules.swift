import Foundation

/// The rules every handle, e-mail, password and profile field must meet, in one place so the web pages, the
/// API, the CSV import and the command line all refuse the same things with the same words.
public enum ProfileRules {
    public static let handleLength = 2...30
    public static let displayNameLength = 1...80
    public static let bioMaxLength = 1_000
    public static let shortFieldMaxLength = 100
    public static let tagMaxLength = 40
    public static let maxTags = 20
    public static let passwordLength = 10...200
    public static let emailMaxLength = 254

    /// Handles are what `@mentions` and profile URLs use: ASCII letters, digits and underscores.
    public static func validHandle(_ raw: String) throws -> String {
        let handle = raw.trimmingCharacters(in: .whitespaces)
        guard handleLength.contains(handle.count) else {
            throw DomainError.invalid(
                "Handle must be \(handleLength.lowerBound) to \(handleLength.upperBound) characters.", field: "handle")
        }
        guard handle.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") })
        else {
            throw DomainError.invalid("Handle may contain only letters, digits and underscores.", field: "handle")
        }
        return handle
    }

    public static func validEmail(_ raw: String) throws -> String {
        let email = raw.trimmingCharacters(in: .whitespaces)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= emailMaxLength, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace)
        else {
            throw DomainError.invalid("Enter a valid e-mail address.", field: "email")
        }
        return email
    }

    public static func validPassword(_ password: String, field: String = "password") throws -> String {
        guard passwordLength.contains(password.count) else {
            throw DomainError.invalid(
                "Password must be at least \(passwordLength.lowerBound) characters long.", field: field)
        }
        return password
    }

    /// Trims every field, normalizes tags, and refuses what is too long or empty where required.
    public static func validProfile(_ profile: Profile) throws -> Profile {
        var clean = profile
        clean.displayName = profile.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard displayNameLength.contains(clean.displayName.count) else {
            throw DomainError.invalid(
                "Display name must be 1 to \(displayNameLength.upperBound) characters.", field: "display_name")
        }
        clean.bio = profile.bio.trimmingCharacters(in: .whitespacesAndNewlines)
        guard clean.bio.count <= bioMaxLength else {
            throw DomainError.invalid("Bio must be at most \(bioMaxLength) characters.", field: "bio")
        }
        clean.department = try shortField(profile.department, name: "Department", field: "department")
        clean.location = try shortField(profile.location, name: "Location", field: "location")
        clean.jobRole = try shortField(profile.jobRole, name: "Job role", field: "job_role")
        clean.subjects = try tags(profile.subjects, name: "Subjects", field: "subjects")
        clean.expertise = try tags(profile.expertise, name: "Expertise", field: "expertise")
        return clean
    }

    private static func shortField(_ value: String, name: String, field: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= shortFieldMaxLength else {
            throw DomainError.invalid("\(name) must be at most \(shortFieldMaxLength) characters.", field: field)
        }
        return trimmed
    }

    /// Tags are slugs: lower case, `#` dropped, spaces turned into hyphens, duplicates removed, order kept.
    public static func tags(_ values: [String], name: String, field: String) throws -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for value in values {
            let slug = normalizedTag(value)
            if slug.isEmpty { continue }
            guard slug.count <= tagMaxLength else {
                throw DomainError.invalid("\(name): “\(slug)” is longer than \(tagMaxLength) characters.", field: field)
            }
            guard slug.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw DomainError.invalid(
                    "\(name): “\(slug)” may contain only letters, digits, hyphens and underscores.", field: field)
            }
            if seen.insert(slug).inserted { result.append(slug) }
        }
        guard result.count <= maxTags else {
            throw DomainError.invalid("\(name): at most \(maxTags) tags.", field: field)
        }
        return result
    }

    public static func normalizedTag(_ value: String) -> String {
        var slug = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        while slug.hasPrefix("#") { slug.removeFirst() }
        return slug.split(whereSeparator: \.isWhitespace).joined(separator: "-")
    }

    /// Splits "analytics, supply chain; #forecasting" as typed into a form or a CSV cell.
    public static func splitTagList(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" }).map(String.init)
    }
}
