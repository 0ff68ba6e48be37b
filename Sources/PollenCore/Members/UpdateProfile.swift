import Foundation

extension Pollen {
    /// A member's profile as `viewer` may see it.
    public func profile(handle: String, viewer: Actor?) async throws -> Member {
        let name = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
        guard let member = try await store.read({ try await $0.members.find(handle: name) }),
            AccessPolicy.maySeeProfile(of: member, by: viewer)
        else { throw DomainError.notFound("Member") }
        return member
    }

    public func member(id: Member.ID, viewer: Actor?) async throws -> Member {
        guard let member = try await store.read({ try await $0.members.find(id: id) }),
            AccessPolicy.maySeeProfile(of: member, by: viewer)
        else { throw DomainError.notFound("Member") }
        return member
    }

    /// Changes a handle and profile. The handle stays unique regardless of case; nothing is written when any
    /// field is invalid.
    @discardableResult
    public func updateProfile(of memberID: Member.ID, handle: String?, profile: Profile, by actor: Actor)
        async throws -> Member
    {
        let cleanHandle = try handle.map(ProfileRules.validHandle)
        let cleanProfile = try ProfileRules.validProfile(profile)
        let now = time.now()
        return try await store.write { repos in
            guard var member = try await repos.members.find(id: memberID) else { throw DomainError.notFound("Member") }
            try AccessPolicy.require(AccessPolicy.mayEditProfile(of: member, by: actor))
            if let cleanHandle, cleanHandle.lowercased() != member.handle.lowercased() {
                if try await repos.members.find(handle: cleanHandle) != nil {
                    throw DomainError(.conflict, "The handle @\(cleanHandle) is taken.", field: "handle")
                }
            }
            member.handle = cleanHandle ?? member.handle
            member.profile = cleanProfile
            member.updatedAt = now
            try await repos.members.update(member)
            return member
        }
    }

    /// The member directory: only signed-in members search it; suspended members are listed for admins only.
    public func searchDirectory(_ query: DirectoryQuery, viewer: Member) async throws -> Page<Member> {
        var query = query
        query.text = String(query.text.trimmingCharacters(in: .whitespaces).prefix(200))
        query.subject = query.subject.map(ProfileRules.normalizedTag).flatMap { $0.isEmpty ? nil : $0 }
        query.expertise = query.expertise.map(ProfileRules.normalizedTag).flatMap { $0.isEmpty ? nil : $0 }
        query.department = query.department?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        query.location = query.location?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        query.limit = min(max(query.limit, 1), 200)
        query.offset = max(query.offset, 0)
        query.includeSuspended = query.includeSuspended && viewer.isAdmin
        // The directory honours each member's choice not to be listed.
        query.offeredTo = viewer.id
        let finalQuery = query
        return try await store.read { try await $0.members.search(finalQuery) }
    }

    public func directoryFacets() async throws -> DirectoryFacets {
        try await store.read { try await $0.members.facets() }
    }
}

extension String {
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
