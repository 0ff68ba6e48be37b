import Foundation

/// What a pasted Pollen address points at: a piece of content, or a person by handle (whose id storage knows).
public enum PollenAddress: Sendable, Equatable {
    case content(ContentRef)
    case person(handle: String)

    /// The kinds a value story may link to.
    public static let linkKinds: Set<ContentRef.Kind> = [.post, .item, .question, .answer, .profile]

    /// Reads an address as the pages show it, with or without the server's scheme and host:
    /// `/posts/12`, `/c/ops/items/34` (also with `#comment-…`), `/questions/56`, `/questions/56#answer-78`,
    /// `/@ada`, `@ada`; or a reference as the forms pass them (`answer:78`). Nil for anything else.
    public static func parse(_ raw: String) -> PollenAddress? {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if let ref = ContentRef(text) { return linkKinds.contains(ref.kind) ? .content(ref) : nil }
        if let scheme = text.range(of: "://") {
            // Another host's address is accepted as Pollen's own: behind a proxy the server cannot tell its names.
            let rest = text[scheme.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            text = String(rest[slash...])
        }
        var fragment = ""
        if let hash = text.firstIndex(of: "#") {
            fragment = String(text[text.index(after: hash)...])
            text = String(text[..<hash])
        }
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        func id(_ value: String) -> Int64? { Int64(value).flatMap { $0 > 0 ? $0 : nil } }
        switch parts.count {
        case 1 where parts[0].hasPrefix("@"):
            let handle = String(parts[0].dropFirst())
            return handle.isEmpty || handle.contains("@") ? nil : .person(handle: handle)
        case 2 where parts[0] == "posts":
            return id(parts[1]).map { .content(ContentRef(.post, $0)) }
        case 2 where parts[0] == "questions":
            guard let question = id(parts[1]) else { return nil }
            if fragment.hasPrefix("answer-"), let answer = id(String(fragment.dropFirst("answer-".count))) {
                return .content(ContentRef(.answer, answer))
            }
            return .content(ContentRef(.question, question))
        case 4 where parts[0] == "c" && parts[2] == "items":
            return id(parts[3]).map { .content(ContentRef(.item, $0)) }
        default:
            return nil
        }
    }
}
