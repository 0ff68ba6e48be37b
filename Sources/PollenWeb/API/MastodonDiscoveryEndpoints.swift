import Foundation
import Hummingbird
import PollenCore

/// Follow suggestions in the Mastodon client API (https://docs.joinmastodon.org/methods/suggestions/).
struct MastodonDiscoveryEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    static let defaultLimit = 40

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.get("/api/v2/suggestions") { request, context in
            let member = try APIAuth.member(context, scope: "read")
            let suggestions = try await pollen.suggestions(for: .member(member), limit: Self.limit(request))
            let counts = try await pollen.networkCounts(for: suggestions.map(\.member), viewer: .member(member))
            let base = publicURL.base(for: request)
            return JSONResponse.make(suggestions.map { suggestion in
                MastodonSuggestion(suggestion, account: MastodonAccount(suggestion.member, base: base, counts: counts[suggestion.member.id]))
            })
        }
        // The first version answered the accounts alone.
        router.get("/api/v1/suggestions") { request, context in
            let member = try APIAuth.member(context, scope: "read")
            let suggestions = try await pollen.suggestions(for: .member(member), limit: Self.limit(request))
            let counts = try await pollen.networkCounts(for: suggestions.map(\.member), viewer: .member(member))
            let base = publicURL.base(for: request)
            return JSONResponse.make(suggestions.map { MastodonAccount($0.member, base: base, counts: counts[$0.member.id]) })
        }
        router.delete("/api/v1/suggestions/{id}") { _, context in
            let member = try APIAuth.member(context, scope: "read")
            guard let id = context.parameters.get("id").flatMap(Member.ID.init(string:)) else {
                throw DomainError.notFound("Account")
            }
            try await pollen.dismissSuggestion(id, by: .member(member))
            return JSONResponse.make([String: String]())
        }
    }

    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.query["limit"] else { return defaultLimit }
        guard let limit = Int(raw), limit > 0 else { throw DomainError.invalid("limit must be a positive number.", field: "limit") }
        return min(limit, Pollen.maxSuggestions)
    }
}

/// Mastodon's `Suggestion` entity, with Pollen's reasons in words beside its `sources`.
struct MastodonSuggestion: Encodable {
    let source: String
    let sources: [String]
    let account: MastodonAccount
    /// Why, as the pages say it ("Followed by Ada and 3 others you follow", "A bridge to Finance").
    let pollen_reasons: [String]

    init(_ suggestion: Suggestion, account: MastodonAccount) {
        var sources: [String] = []
        for reason in suggestion.reasons {
            let source = switch reason {
            case .followedByPeopleYouFollow: "friends_of_friends"
            case .writesAbout: "similar_to_recently_followed"
            case .answersIn: "most_interactions"
            case .newHere, .bridgeTo: "featured"
            }
            if !sources.contains(source) { sources.append(source) }
        }
        self.sources = sources
        // The deprecated single source: from the member's own network, or from the organization at large.
        source = sources.contains("friends_of_friends") || sources.contains("similar_to_recently_followed")
            ? "past_interactions" : "global"
        self.account = account
        pollen_reasons = suggestion.reasons.map(PickPerson.text)
    }
}
