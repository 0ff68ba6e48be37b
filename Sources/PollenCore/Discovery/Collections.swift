import Foundation

/// A curated follow pack: a named, described list of people and hashtags worth following.
public struct FollowCollection: Sendable, Equatable, Identifiable {
    public typealias ID = EntityID<FollowCollection>

    public let id: ID
    public let owner: Member.ID
    public var title: String
    public var description: String
    public var members: [Member.ID]
    public var tags: [String]
    public let createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID, owner: Member.ID, title: String, description: String, members: [Member.ID], tags: [String],
        createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.owner = owner
        self.title = title
        self.description = description
        self.members = members
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// What a member types to make or change a collection.
public struct CollectionDraft: Sendable, Equatable {
    public var title: String
    public var description: String
    /// Handles, with or without `@`.
    public var handles: [String]
    public var tags: [String]

    public init(title: String, description: String = "", handles: [String] = [], tags: [String] = []) {
        self.title = title
        self.description = description
        self.handles = handles
        self.tags = tags
    }
}

/// A collection as a viewer sees it: the people they may be offered, and what they follow already.
public struct CollectionView: Sendable {
    public let collection: FollowCollection
    public let owner: Member
    public let members: [Member]
    public let following: Set<Member.ID>
    public let followedTags: Set<String>
    public let mayEdit: Bool
}

public protocol CollectionRepository: Sendable {
    func insert(_ collection: FollowCollection) async throws
    func update(_ collection: FollowCollection) async throws
    func delete(_ id: FollowCollection.ID) async throws
    func find(id: FollowCollection.ID) async throws -> FollowCollection?
    /// Newest first; only `owner`'s when given.
    func list(owner: Member.ID?, limit: Int, offset: Int) async throws -> [FollowCollection]
}

extension Pollen {
    public static let collectionTitleLength = 1...100
    public static let collectionDescriptionMax = 1_000
    public static let collectionMaxMembers = 100
    public static let collectionMaxTags = 20

    public func createCollection(_ draft: CollectionDraft, by actor: Actor) async throws -> FollowCollection {
        let viewer = try activeMember(actor)
        let now = time.now()
        let id = FollowCollection.ID(ids.next())
        return try await store.write { repos in
            let (title, description, members, tags) = try await Self.validCollection(draft, by: viewer, repos: repos)
            let collection = FollowCollection(
                id: id, owner: viewer.id, title: title, description: description, members: members, tags: tags, createdAt: now)
            try await repos.collections.insert(collection)
            return collection
        }
    }

    public func updateCollection(_ id: FollowCollection.ID, _ draft: CollectionDraft, by actor: Actor) async throws -> FollowCollection {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            guard var collection = try await repos.collections.find(id: id) else { throw DomainError.notFound("Collection") }
            try AccessPolicy.require(AccessPolicy.mayEditCollection(collection, by: viewer))
            let (title, description, members, tags) = try await Self.validCollection(draft, by: viewer, repos: repos)
            collection.title = title
            collection.description = description
            collection.members = members
            collection.tags = tags
            collection.updatedAt = now
            try await repos.collections.update(collection)
            return collection
        }
    }

    public func deleteCollection(_ id: FollowCollection.ID, by actor: Actor) async throws {
        let viewer = try activeMember(actor)
        try await store.write { repos in
            guard let collection = try await repos.collections.find(id: id) else { throw DomainError.notFound("Collection") }
            try AccessPolicy.require(AccessPolicy.mayEditCollection(collection, by: viewer))
            try await repos.collections.delete(id)
        }
    }

    public func collection(_ id: FollowCollection.ID, viewer actor: Actor) async throws -> CollectionView {
        let viewer = try activeMember(actor)
        return try await store.read { repos in
            guard let collection = try await repos.collections.find(id: id),
                let owner = try await repos.members.find(id: collection.owner), !owner.isSuspended || viewer.isModerator
            else { throw DomainError.notFound("Collection") }
            let found = Dictionary(uniqueKeysWithValues: try await repos.members.find(ids: collection.members).map { ($0.id, $0) })
            // Someone who since asked not to be suggested, or was suspended, drops out of every collection.
            let members = collection.members.compactMap { found[$0] }.filter { AccessPolicy.mayOffer($0, to: viewer) }
            let sources = try await repos.network.timelineSources(of: viewer.id)
            return CollectionView(
                collection: collection, owner: owner, members: members,
                following: Set(sources.members).intersection(collection.members),
                followedTags: Set(sources.tags).intersection(collection.tags),
                mayEdit: AccessPolicy.mayEditCollection(collection, by: viewer))
        }
    }

    /// Collections, newest first, with their owners; `owner` narrows to one member's.
    public func collections(owner: Member.ID? = nil, page: Int = 1, viewer actor: Actor) async throws
        -> [(collection: FollowCollection, owner: Member)]
    {
        _ = try activeMember(actor)
        let pageSize = 25
        return try await store.read { repos in
            let list = try await repos.collections.list(owner: owner, limit: pageSize, offset: (max(page, 1) - 1) * pageSize)
            let owners = Dictionary(uniqueKeysWithValues: try await repos.members.find(ids: list.map(\.owner).uniqued()).map { ($0.id, $0) })
            return list.compactMap { collection in
                owners[collection.owner].flatMap { $0.isSuspended ? nil : (collection, $0) }
            }
        }
    }

    /// Follows the people and hashtags of a collection: all of them, or the ones picked (`members`, `tags`).
    public func followCollection(
        _ id: FollowCollection.ID, members picked: [Member.ID]?, tags pickedTags: [String]?, by actor: Actor
    ) async throws -> (people: Int, tags: Int) {
        let viewer = try activeMember(actor)
        let view = try await collection(id, viewer: actor)
        // The viewer may be listed in the collection, but is not offered to follow themselves.
        let offered = Set(view.members.map(\.id)).subtracting(actor.member.map { [$0.id] } ?? [])
        let people = (picked ?? view.members.map(\.id)).filter { offered.contains($0) && !view.following.contains($0) }
        let tags = (pickedTags ?? view.collection.tags).filter { view.collection.tags.contains($0) && !view.followedTags.contains($0) }
        guard !people.isEmpty || !tags.isEmpty else {
            throw DomainError(.conflict, "You already follow everything you chose from this collection.")
        }
        let now = time.now()
        let followIDs = people.map { _ in (ids.next(), ids.next()) }
        let tagIDs = tags.map { _ in ids.next() }
        // People and hashtags in one transaction: a failure leaves neither half followed. The collection's
        // hashtags were checked when it was saved, and a collection lists at most 100 people.
        return try await store.write { repos in
            let followed = try await Self.follow(people, by: viewer, ids: followIDs, at: now, repos: repos)
            let followedTags = try await Self.followTags(tags, by: viewer.id, ids: tagIDs, at: now, repos: repos)
            return (followed.changed.count, followedTags.count)
        }
    }

    static func validCollection(_ draft: CollectionDraft, by viewer: Member, repos: any Repositories) async throws
        -> (String, String, [Member.ID], [String])
    {
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard collectionTitleLength.contains(title.count) else {
            throw DomainError.invalid(
                title.isEmpty ? "Give the collection a title." : "A title can be at most \(collectionTitleLength.upperBound) characters.",
                field: "title")
        }
        let description = draft.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard description.count <= collectionDescriptionMax else {
            throw DomainError.invalid("A description can be at most \(collectionDescriptionMax) characters.", field: "description")
        }
        let handles = draft.handles.map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }.filter { !$0.isEmpty }.uniqued { $0.lowercased() }
        guard handles.count <= collectionMaxMembers else {
            throw DomainError.invalid("A collection can list at most \(collectionMaxMembers) people.", field: "handles")
        }
        var members: [Member.ID] = []
        for handle in handles {
            guard let member = try await repos.members.find(handle: handle), !member.isSuspended else {
                throw DomainError.invalid("There is no member @\(handle).", field: "handles")
            }
            guard AccessPolicy.mayOffer(member, to: viewer) else {
                throw DomainError.invalid("@\(member.handle) prefers not to be suggested to others.", field: "handles")
            }
            members.append(member.id)
        }
        let tags = try ProfileRules.tags(draft.tags, name: "Hashtags", field: "tags")
        guard !members.isEmpty || !tags.isEmpty else {
            throw DomainError.invalid("List at least one person or hashtag.", field: "handles")
        }
        return (title, description, members, tags)
    }
}
