import Foundation

public struct AddMemberCommand: Sendable {
    public var handle: String
    public var email: String
    public var displayName: String
    /// `nil`: the member claims the account later by signing up with the same e-mail.
    public var password: String?
    public var role: Member.Role
    public var profile: Profile?

    public init(
        handle: String, email: String, displayName: String, password: String? = nil, role: Member.Role = .member,
        profile: Profile? = nil
    ) {
        self.handle = handle
        self.email = email
        self.displayName = displayName
        self.password = password
        self.role = role
        self.profile = profile
    }
}

extension Pollen {
    /// Creates a member on an administrator's or operator's behalf (command line, admin pages); no sign-up
    /// policy applies. A duplicate handle or e-mail is a conflict.
    @discardableResult
    public func addMember(_ command: AddMemberCommand, by actor: Actor) async throws -> Member {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let handle = try ProfileRules.validHandle(command.handle)
        let email = try ProfileRules.validEmail(command.email)
        var profile = command.profile ?? Profile(displayName: command.displayName)
        profile.displayName = command.displayName
        profile = try ProfileRules.validProfile(profile)
        let hash = try command.password.map { try secrets.hashPassword(try ProfileRules.validPassword($0)) }
        let member = Member(
            id: Member.ID(ids.next()), handle: handle, email: email, profile: profile, role: command.role,
            passwordHash: hash, createdAt: time.now())
        try await store.write { repos in
            if try await repos.members.find(handle: handle) != nil {
                throw DomainError(.conflict, "The handle @\(handle) is taken.", field: "handle")
            }
            if try await repos.members.find(email: email) != nil {
                throw DomainError(.conflict, "A member with the e-mail \(email) exists already.", field: "email")
            }
            try await repos.members.insert(member)
        }
        return member
    }

    /// Changes a member's server role. The last administrator cannot be demoted, so the server is never
    /// left without one.
    @discardableResult
    public func changeRole(of memberID: Member.ID, to role: Member.Role, by actor: Actor) async throws -> Member {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let now = time.now()
        let auditID = ids.next()
        return try await store.write { repos in
            guard var member = try await repos.members.find(id: memberID) else { throw DomainError.notFound("Member") }
            try AccessPolicy.require(AccessPolicy.mayChangeRole(of: member, to: role, by: actor))
            if member.isAdmin, role != .admin, try await repos.members.countAdmins() <= 1 {
                throw DomainError(.conflict, "@\(member.handle) is the last administrator; make someone else one first.")
            }
            let previous = member.role
            member.role = role
            member.updatedAt = now
            try await repos.members.update(member)
            if previous != role {
                try await Self.audit(
                    "member.role", target: "member:\(member.id)", summary: "@\(member.handle): \(previous.rawValue) → \(role.rawValue)",
                    by: actor, id: auditID, at: now, repos: repos)
            }
            return member
        }
    }

    /// Suspends or reinstates a member. Suspension ends their sessions and tokens at once.
    @discardableResult
    public func setSuspended(_ suspended: Bool, memberID: Member.ID, by actor: Actor) async throws -> Member {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        let now = time.now()
        let auditID = ids.next()
        return try await store.write { repos in
            guard var member = try await repos.members.find(id: memberID) else { throw DomainError.notFound("Member") }
            try AccessPolicy.require(AccessPolicy.maySuspend(member, by: actor))
            member.status = suspended ? .suspended : .active
            member.updatedAt = now
            try await repos.members.update(member)
            if suspended {
                try await repos.sessions.deleteAll(memberID: member.id, except: nil)
                try await repos.oauth.revokeTokens(memberID: member.id, at: now)
            }
            try await Self.audit(
                suspended ? "member.suspend" : "member.reinstate", target: "member:\(member.id)", summary: "@\(member.handle)",
                by: actor, id: auditID, at: now, repos: repos)
            return member
        }
    }

    public func listMembers(_ query: DirectoryQuery, by actor: Actor) async throws -> Page<Member> {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        var query = query
        query.includeSuspended = true
        query.limit = min(max(query.limit, 1), 500)
        let finalQuery = query
        return try await store.read { try await $0.members.search(finalQuery) }
    }

    public func settings() async throws -> ServerSettings {
        try await store.read { try await $0.settings.load() }
    }

    public func updateSettings(_ settings: ServerSettings, by actor: Actor) async throws -> ServerSettings {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        var clean = settings
        clean.name = settings.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(clean.name.count) else {
            throw DomainError.invalid("The server name must be 1 to 80 characters.", field: "name")
        }
        clean.description = settings.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard clean.description.count <= 1_000 else {
            throw DomainError.invalid("The description must be at most 1,000 characters.", field: "description")
        }
        clean.allowedDomains = settings.allowedDomains.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased().trimmingPrefix("@").description
        }.filter { !$0.isEmpty }.uniqued()
        for domain in clean.allowedDomains
        where !domain.contains(".") || domain.contains(where: { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) {
            throw DomainError.invalid("“\(domain)” is not a domain name.", field: "allowed_domains")
        }
        if clean.signupPolicy == .domains && clean.allowedDomains.isEmpty {
            throw DomainError.invalid(
                "Name at least one e-mail domain when sign-up is limited to domains.", field: "allowed_domains")
        }
        clean.contactEmail = settings.contactEmail.trimmingCharacters(in: .whitespaces)
        if !clean.contactEmail.isEmpty { clean.contactEmail = try ProfileRules.validEmail(clean.contactEmail) }
        let now = time.now()
        let auditID = ids.next()
        let cleaned = clean
        return try await store.write { repos in
            // Moderation and insight settings have their own pages and use cases; this form leaves them as they are.
            var final = cleaned
            let stored = try await repos.settings.load()
            final.moderation = stored.moderation
            final.insight = stored.insight
            try await repos.settings.save(final)
            try await Self.audit(
                "settings.server", target: "settings", summary: "\(final.name): sign-up \(final.signupPolicy.rawValue)", by: actor,
                id: auditID, at: now, repos: repos)
            return final
        }
    }

    /// An invitation to sign up; with `memberID`, the sign-in link with which that member, created without a
    /// password, chooses one.
    public func createInvitation(by actor: Actor, for memberID: Member.ID? = nil) async throws -> Invitation {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        guard let creator = actor.member else { throw DomainError.invalid("Invitations are made by a member.") }
        let now = time.now()
        let code = SecretGenerator.token(bytes: 12)
        let lifetime = limits.invitationLifetime
        return try await store.write { repos in
            var email: String? = nil
            if let memberID {
                guard let member = try await repos.members.find(id: memberID) else { throw DomainError.notFound("Member") }
                guard member.passwordHash == nil else {
                    throw DomainError(.conflict, "@\(member.handle) has signed up already.")
                }
                email = member.email
            }
            let invitation = Invitation(
                code: code, createdBy: creator.id, createdAt: now, expiresAt: now.addingTimeInterval(lifetime),
                email: email)
            try await repos.invitations.insert(invitation)
            return invitation
        }
    }

    public func invitations(by actor: Actor) async throws -> [Invitation] {
        try AccessPolicy.require(AccessPolicy.mayAdminister(actor))
        return try await store.read { try await $0.invitations.list() }
    }
}
