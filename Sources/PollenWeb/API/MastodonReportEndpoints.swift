import Foundation
import Hummingbird
import PollenCore

/// Reports in the Mastodon client API (https://docs.joinmastodon.org/methods/reports/): a report flags each
/// attached status for Pollen's moderators, or the account's profile when none is attached. Nobody is remote, so
/// `forward` changes nothing; Pollen publishes no numbered instance rules, so `rule_ids` are only passed on to the
/// moderators in the flag's note.
struct MastodonReportEndpoints {
    let pollen: Pollen
    let publicURL: PublicURL
    static let bodyLimit = 64 * 1024
    /// Mastodon's default limit on a report's comment, which is Pollen's on a flag's note.
    static let maxComment = 1000
    /// More statuses than a client attaches to one report.
    static let maxStatuses = 40

    func addRoutes(to router: Router<PollenRequestContext>) {
        router.post("/api/v1/reports") { request, context in try await report(request, context) }
    }

    enum Category: String, CaseIterable {
        case spam, legal, violation, other
    }

    func report(_ request: Request, _ context: PollenRequestContext) async throws -> Response {
        let member = try APIAuth.member(context, scope: "write:reports")
        var request = request
        let form = try await request.formData(limit: Self.bodyLimit)
        guard let rawAccount = form["account_id"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty else {
            throw DomainError.invalid("account_id is required.", field: "account_id")
        }
        guard let accountID = Member.ID(string: rawAccount) else { throw DomainError.notFound("Account") }
        let ruleIDs = form.all("rule_ids").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var category = Category.other
        if let value = form["category"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            guard let chosen = Category(rawValue: value) else {
                throw DomainError.invalid("category must be spam, legal, violation or other.", field: "category")
            }
            category = chosen
        }
        // As in Mastodon, citing rules makes it a violation whatever the category said.
        if !ruleIDs.isEmpty { category = .violation }
        let comment = (form["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard comment.count <= Self.maxComment else {
            throw DomainError.invalid("The comment is too long (at most \(Self.maxComment) characters).", field: "comment")
        }
        let rawStatuses = form.all("status_ids").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.uniqued()
        guard rawStatuses.count <= Self.maxStatuses else {
            throw DomainError.invalid("Attach at most \(Self.maxStatuses) statuses to a report.", field: "status_ids")
        }

        let account = try await pollen.member(id: accountID, viewer: .member(member))
        // Every status must be one the reporter can see, by the reported account; checked before anything is flagged.
        var targets: [ContentRef] = []
        for raw in rawStatuses {
            guard let id = Post.ID(string: raw) else { throw DomainError.notFound("Status") }
            let view = try await pollen.post(id, viewer: .member(member))
            guard !view.post.isDeleted, view.post.authorID == account.id else { throw DomainError.notFound("Status") }
            targets.append(ContentRef(.post, id.rawValue))
        }
        if targets.isEmpty { targets = [ContentRef(.profile, account.id.rawValue)] }

        let reason: FlagReason = category == .spam ? .spam : .other
        let note = Self.note(category, comment: comment, rules: ruleIDs)
        var flags: [ContentFlag] = []
        var refused: DomainError?
        for target in targets {
            do {
                flags.append(try await pollen.flag(target, reason: reason, note: note, by: .member(member)))
            } catch let error as DomainError where error.code == .conflict {
                // Reporting a status again that this member flagged already adds nothing; the rest still count.
                refused = error
            }
        }
        guard let first = flags.first else { throw refused ?? DomainError(.conflict, "You have reported this already.") }
        let counts = try await pollen.networkCounts(for: [account], viewer: .member(member))[account.id]
        return JSONResponse.make(
            MastodonReport(
                id: first.id.description, category: category.rawValue, comment: comment,
                created_at: first.createdAt.mastodonTimestamp,
                status_ids: OrNull(rawStatuses.isEmpty ? nil : rawStatuses), rule_ids: OrNull(ruleIDs.isEmpty ? nil : ruleIDs),
                target_account: MastodonAccount(account, base: publicURL.base(for: request), counts: counts)))
    }

    /// The flag's note: the reporter's comment, with what the category says that Pollen's reasons do not.
    static func note(_ category: Category, comment: String, rules: [String]) -> String {
        let label: String
        switch category {
        case .spam: return comment
        case .other: return comment.isEmpty ? "Reported from a Mastodon app." : comment
        case .legal: label = "Illegal content"
        case .violation: label = rules.isEmpty ? "Breaks the rules" : "Breaks rules \(rules.joined(separator: ", "))"
        }
        let text = comment.isEmpty ? label + "." : "\(label): \(comment)"
        return text.count > maxComment ? String(text.prefix(maxComment - 1)) + "…" : text
    }
}

/// Mastodon's `Report` entity (https://docs.joinmastodon.org/entities/Report/). Its id is that of the report's
/// first flag; nothing is forwarded, and the action taken shows on Pollen's moderation pages, not here.
struct MastodonReport: Encodable {
    let id: String
    let action_taken = false
    let action_taken_at = OrNull<String>(nil)
    let category: String
    let comment: String
    let forwarded = false
    let created_at: String
    let status_ids: OrNull<[String]>
    let rule_ids: OrNull<[String]>
    let target_account: MastodonAccount
}
