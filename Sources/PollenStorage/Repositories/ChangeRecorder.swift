import Foundation
import PollenCore
import Synchronization

/// Collects what the repositories of one transaction change, told to observers once it commits. Each write
/// method names what it touched, so the list of what caches must drop lives beside the SQL that makes it stale.
final class ChangeRecorder: Sendable {
    private let changes = Mutex(StoreChanges())

    func post(_ id: Post.ID) { changes.withLock { _ = $0.posts.insert(id) } }
    func member(_ id: Member.ID) { changes.withLock { _ = $0.members.insert(id) } }
    func members(_ ids: some Sequence<Member.ID>) { changes.withLock { $0.members.formUnion(ids) } }
    func arrival(of post: Post) {
        changes.withLock {
            $0.arrivals.append(.init(author: post.authorID, hashtags: post.hashtags))
            $0.posts.insert(post.id)
        }
    }
    func revokedToken(_ digest: String) { changes.withLock { _ = $0.revokedTokens.insert(digest) } }
    func everything() { changes.withLock { $0.everything = true } }

    var recorded: StoreChanges { changes.withLock { $0 } }
}
