import Foundation
import PollenCore
import Synchronization

/// Post HTML already rendered, by text, mentioned handles and link base. A post appears on many timelines
/// and pages, and turning its Markdown into safe HTML was the largest cost of serving a timeline; the text
/// and handles are the whole input, so an entry can never be stale, only evicted. One per server.
final class RenderCache: Sendable {
    private struct Key: Hashable {
        let markdown: String
        let handles: [String]
        let base: String
    }

    private let entries = Mutex<[Key: String]>([:])
    private let capacity: Int

    /// `capacity` texts (a few kilobytes each at most); when full it starts over, which keeps it simple
    /// and costs one render per text afterwards.
    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The post's HTML; with a `base`, links to the site are absolute: API clients show posts outside the
    /// site, so hashtag and mention links must name the server.
    func html(_ markdown: String, mentions: [Member], base: String = "") -> String {
        guard !markdown.isEmpty else { return "" }
        let key = Key(markdown: markdown, handles: mentions.map(\.handle), base: base)
        if let hit = entries.withLock({ $0[key] }) { return hit }
        var html = PostRenderer.html(markdown, mentions: mentions)
        if !base.isEmpty { html = html.replacingOccurrences(of: "href=\"/", with: "href=\"\(base)/") }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = html
        }
        return html
    }
}
