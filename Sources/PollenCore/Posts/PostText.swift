import Foundation

/// Reads the hashtags and mentions out of a post's text.
public enum PostText {
    /// At most this many characters in a post, as Mastodon's default is 500 and long-form belongs in articles.
    public static let maxLength = 5_000

    /// `#tag` preceded by the start, white space or punctuation, in the slug form profiles use.
    public static func hashtags(in text: String) -> [String] {
        tokens(in: text, marker: "#").compactMap { token in
            let slug = ProfileRules.normalizedTag(token)
            return slug.isEmpty || slug.count > ProfileRules.tagMaxLength || slug.allSatisfy(\.isNumber) ? nil : slug
        }.uniqued()
    }

    /// `@handle` (or `@handle@domain`) preceded by the start, white space or punctuation; handles only.
    public static func mentionedHandles(in text: String) -> [String] {
        tokens(in: text, marker: "@").map { $0.lowercased() }.uniqued()
    }

    private static func tokens(in text: String, marker: Character) -> [String] {
        var found: [String] = []
        let characters = Array(text)
        var index = 0
        var inCode = false
        while index < characters.count {
            let character = characters[index]
            if character == "`" { inCode.toggle() }
            let startsToken = character == marker && !inCode
                && (index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber
                    || characters[index - 1] == "_" || characters[index - 1] == marker || characters[index - 1] == "/"))
            guard startsToken else {
                index += 1
                continue
            }
            var end = index + 1
            while end < characters.count,
                characters[end].isLetter || characters[end].isNumber || characters[end] == "_"
                    || (marker == "#" && characters[end] == "-")
            {
                end += 1
            }
            var last = end
            // A hyphen ends a sentence as often as it joins words: "#lean-" is #lean.
            while last > index + 1, characters[last - 1] == "-" { last -= 1 }
            if last > index + 1 { found.append(String(characters[(index + 1)..<last])) }
            index = end
        }
        return found
    }
}
