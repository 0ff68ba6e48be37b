import Foundation
import PollenCore

/// The signed-out landing page.
struct HomePage {
    let layout: Layout
    let serverName: String
    let serverDescription: String
}

struct ProfilePage {
    struct View {
        let handle: String
        let profile: Profile
        let suspended: Bool
        let roleLabel: String?
        let canEdit: Bool
        /// `profile:ID` for other people's profiles.
        let flagTarget: String?
        let editURL: String
        let bioParagraphs: [String]
        let departmentQuery: String
        let locationQuery: String
        let memberSince: String
        let hasSubjects: Bool
        let hasExpertise: Bool
        let followers: Int
        let following: Int
        let followersLabel: String
        let followingLabel: String
        let isSelf: Bool
        /// The member keeps their network from this viewer: no counts, no lists.
        let networkHidden: Bool
        let privacyLabel: String
        /// How the viewer stands towards this member; `nil` on one's own profile.
        let relationship: Relationship?
    }
    let layout: Layout
    let member: View
    let posts: [PostCard]
    let hasPosts: Bool
    let olderURL: String?
    /// The communities they are in that the viewer may see, with their role there.
    var communities: [PersonLink] = []
    var hasCommunities = false

    init(
        layout: Layout, member: Member, viewer: Member, counts: NetworkCounts, relationship: Relationship?,
        posts: [PostCard], olderURL: String?
    ) {
        self.layout = layout
        self.posts = posts
        self.hasPosts = !posts.isEmpty
        self.olderURL = olderURL
        let isSelf = viewer.id == member.id
        self.member = View(
            handle: member.handle, profile: member.profile, suspended: member.isSuspended,
            roleLabel: member.role == .member ? nil : member.role.rawValue.capitalized,
            canEdit: AccessPolicy.mayEditProfile(of: member, by: .member(viewer)),
            flagTarget: isSelf ? nil : "profile:\(member.id)",
            editURL: isSelf ? "/settings/profile" : "/admin/members/\(member.id)/profile",
            bioParagraphs: member.profile.bio.components(separatedBy: "\n\n")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty },
            departmentQuery: member.profile.department.queryEscaped, locationQuery: member.profile.location.queryEscaped,
            memberSince: member.createdAt.formatted(.dateTime.year().month(.wide)),
            hasSubjects: !member.profile.subjects.isEmpty, hasExpertise: !member.profile.expertise.isEmpty,
            followers: counts.followers, following: counts.following,
            followersLabel: counts.followers == 1 ? "follower" : "followers", followingLabel: "following",
            isSelf: isSelf, networkHidden: counts.networkHidden,
            privacyLabel: Self.audienceLabel(member.privacy.audience),
            relationship: relationship)
    }
}

extension ProfilePage {
    static func audienceLabel(_ audience: NetworkPrivacy.Audience) -> String {
        switch audience {
        case .everyone: "everyone"
        case .followed: "only the people you follow"
        case .onlyMe: "only you"
        }
    }
}

struct DirectoryPage {
    struct Query {
        let text: String
        let subject: String
        let expertise: String
        let department: String
        let location: String
    }
    let layout: Layout
    let query: Query
    let results: [PersonCard]
    let hasResults: Bool
    let resultText: String
    let departments: [String]
    let locations: [String]
    let previousURL: String?
    let nextURL: String?
}

/// Which administration tab is open, for `aria-current`.
struct AdminTabs {
    var members = false
    var settings = false
    var importing = false
    var moderation = false
    var audit = false
    var insight = false
}

struct AdminMembersPage {
    struct RoleOption {
        let value: String
        let label: String
        let selected: Bool
    }
    struct Row {
        let id: String
        let handle: String
        let displayName: String
        let email: String
        let department: String
        let roles: [RoleOption]
        let suspended: Bool
        let isSelf: Bool
        let suspendAction: String
        let suspendLabel: String
        /// Created without a password and not yet claimed: offer a sign-in link.
        let awaitingSignUp: Bool
    }
    let layout: Layout
    let tabs: AdminTabs
    let queryText: String
    let rows: [Row]
    let resultText: String
    var formError: String?
    let previousURL: String?
    let nextURL: String?
}

struct AdminSettingsPage {
    struct PolicyOption {
        let value: String
        let label: String
        let selected: Bool
    }
    struct InvitationRow {
        let link: String
        let state: String
    }
    let layout: Layout
    let tabs: AdminTabs
    let serverFields: [InputField]
    let policies: [PolicyOption]
    let domainField: InputField
    var formError: String?
    let invitations: [InvitationRow]
    let hasInvitations: Bool
}

struct AdminImportPage {
    let layout: Layout
    let tabs: AdminTabs
    var formError: String?
    var report: ImportReportView?
}

/// The outcome of a file import, as the `import_report` partial shows it: a summary and each refused line.
struct ImportReportView {
    let title: String
    let summary: String
    let errorsHeading: String
    let errors: [MemberImportReport.RowError]
    let hasErrors: Bool

    init(title: String, summary: String, errorsHeading: String, errors: [MemberImportReport.RowError]) {
        self.title = title
        self.summary = summary
        self.errorsHeading = errorsHeading
        self.errors = errors
        hasErrors = !errors.isEmpty
    }
}

struct AuthorizePage {
    struct Hidden {
        let name: String
        let value: String
    }
    let layout: Layout
    let appName: String
    let website: String?
    let handle: String
    let scopes: [String]
    let hidden: [Hidden]
}

struct AuthorizationCodePage {
    let layout: Layout
    let appName: String
    let code: String
}

extension String {
    /// Escaped for use as one query-string value.
    var queryEscaped: String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
