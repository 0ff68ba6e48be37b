import Foundation

/// The steps of the first-run guide, in order.
public enum OnboardingStep: Int, Sendable, CaseIterable, Comparable {
    case subjects = 1
    case thoughtLeaders
    case followWhoTheyFollow
    case communities
    case hashtags
    case introduce

    public static func < (a: OnboardingStep, b: OnboardingStep) -> Bool { a.rawValue < b.rawValue }

    public var title: String {
        switch self {
        case .subjects: "Choose your subjects"
        case .thoughtLeaders: "Follow thought leaders"
        case .followWhoTheyFollow: "Follow who they follow"
        case .communities: "Join communities"
        case .hashtags: "Follow hashtags"
        case .introduce: "Introduce yourself"
        }
    }

    public var next: OnboardingStep? { OnboardingStep(rawValue: rawValue + 1) }
}

extension Pollen {
    /// Where the member is in the first-run guide; `nil` if they never opened it.
    public func onboarding(for actor: Actor) async throws -> OnboardingProgress? {
        let viewer = try activeMember(actor)
        return try await store.read { try await $0.discovery.onboarding(of: viewer.id) }
    }

    /// Moves the guide to `step` (forwards or back), starting it if needed; a finished or skipped guide is
    /// picked up again.
    @discardableResult
    public func moveOnboarding(to step: OnboardingStep, by actor: Actor) async throws -> OnboardingProgress {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            var progress = try await repos.discovery.onboarding(of: viewer.id) ?? OnboardingProgress(step: step.rawValue, startedAt: now)
            progress.step = step.rawValue
            progress.skippedAt = nil
            progress.finishedAt = nil
            try await repos.discovery.saveOnboarding(progress, of: viewer.id)
            return progress
        }
    }

    /// Ends the guide: `skipped` when the member left it early (they can come back to it).
    @discardableResult
    public func endOnboarding(skipped: Bool, by actor: Actor) async throws -> OnboardingProgress {
        let viewer = try activeMember(actor)
        let now = time.now()
        return try await store.write { repos in
            var progress = try await repos.discovery.onboarding(of: viewer.id)
                ?? OnboardingProgress(step: OnboardingStep.subjects.rawValue, startedAt: now)
            if skipped { progress.skippedAt = now } else { progress.finishedAt = now }
            try await repos.discovery.saveOnboarding(progress, of: viewer.id)
            return progress
        }
    }

    /// Step 1: the subjects the member learns about become their profile's subjects.
    @discardableResult
    public func chooseSubjects(_ rawTags: [String], by actor: Actor) async throws -> Member {
        let viewer = try activeMember(actor)
        let tags = try ProfileRules.tags(rawTags, name: "Subjects", field: "subjects")
        guard !tags.isEmpty else {
            throw DomainError.invalid("Choose at least one subject, or skip this step.", field: "subjects")
        }
        var profile = viewer.profile
        profile.subjects = tags
        return try await updateProfile(of: viewer.id, handle: nil, profile: profile, by: actor)
    }

    /// Subjects to choose from: the hashtags most used in posts and profiles.
    public func popularSubjects(limit: Int = 30) async throws -> [HashtagUse] {
        try await store.read { try await $0.search.hashtags(startingWith: "", limit: min(max(limit, 1), 100), offset: 0) }
    }

    /// Follows several hashtags at once; ones already followed are skipped. Returns the newly followed.
    @discardableResult
    public func followTags(_ rawTags: [String], by actor: Actor) async throws -> [String] {
        let viewer = try activeMember(actor)
        let tags = try ProfileRules.tags(rawTags, name: "Hashtags", field: "tags")
        guard !tags.isEmpty else { throw DomainError.invalid("Choose at least one hashtag.", field: "tags") }
        let now = time.now()
        let followIDs = tags.map { _ in ids.next() }
        return try await store.write { repos in
            try await Self.followTags(tags, by: viewer.id, ids: followIDs, at: now, repos: repos)
        }
    }

    /// Follows valid hashtags inside the caller's transaction; returns those not followed before.
    static func followTags(
        _ tags: [String], by member: Member.ID, ids followIDs: [Int64], at now: Date, repos: any Repositories
    ) async throws -> [String] {
        var followed: [String] = []
        for (tag, id) in zip(tags, followIDs) where try await repos.network.followTag(id: id, member: member, tag: tag, at: now) {
            followed.append(tag)
        }
        return followed
    }
}
