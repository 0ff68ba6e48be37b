import PollenCore
import SQLKit

extension SQLQueryString {
    /// Appends one fragment per element, separated by commas: the rows of a multi-row INSERT or the items
    /// of an IN list.
    mutating func appendList<Element>(_ elements: some Sequence<Element>, _ fragment: (Element) -> SQLQueryString) {
        for (index, element) in elements.enumerated() {
            if index > 0 { appendLiteral(", ") }
            appendInterpolation(fragment(element))
        }
    }

    /// `(?, ?, …)` binding each id, for `IN`.
    static func idList<Entity>(_ ids: some Sequence<EntityID<Entity>>) -> SQLQueryString {
        var list = SQLQueryString("(")
        list.appendList(ids) { "\(bind: $0.rawValue)" }
        list.appendLiteral(")")
        return list
    }

    /// Whether `tag` is one of the space-separated tags in `column` (community items, questions): padding
    /// both sides with a space finds a whole tag, never part of a longer one.
    static func hasWholeTag(_ column: String, _ tag: String) -> SQLQueryString {
        "(' ' || \(unsafeRaw: column) || ' ') LIKE \(bind: "% " + SQLMemberRepository.escapeLike(tag) + " %") ESCAPE '\\'"
    }
}
