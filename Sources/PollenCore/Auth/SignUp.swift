import Foundation

public struct SignUpCommand: Sendable {
    public var handle: String
    public var email: String
    public var displayName: String
    public var password: String
    public var invitationCode: String?

    public init(handle: String, email: String, displayName: String, password: String, invitationCode: String? = nil) {
        self.handle = handle
        self.email = email
        self.displayName = displayName
        self.password = password
        self.invitationCode = invitationCode
    }
}

/// A member who has just signed in, with the secret for the session cookie (never stored in plain).
public struct SignedIn: Sendable {
    public let member: Member
    public let session: Session
    public let cookieToken: String
}

/// Where a request comes from; recorded on sessions and used for per-address limits.
public struct ClientInfo: Sendable {
    public var userAgent: String
    public var address: String
    public init(userAgent: String = "", address: String = "") {
        self.userAgent = userAgent
        self.address = address
    }
}

extension Pollen {
    /// Whether the first-run setup (creating the administrator) is still to be done.
    public func needsSetup() async throws -> Bool {
        try await store.read { try await $0.members.count() == 0 }
    }

    /// Creates an account and signs it in. The very first account becomes the administrator; after that
    /// the sign-up policy applies. A member created without a password (imported, or added by an
    /// administrator) claims the account here with the sign-in link made for their e-mail address.
    public func signUp(_ command: SignUpCommand, client: ClientInfo) async throws -> SignedIn {
        let handle = try ProfileRules.validHandle(command.handle)
        let email = try ProfileRules.validEmail(command.email)
        let profile = try ProfileRules.validProfile(Profile(displayName: command.displayName))
        let password = try ProfileRules.validPassword(command.password)
        let passwordHash = try secrets.hashPassword(password)
        let now = time.now()
        let newID = Member.ID(ids.next())
        let invitationCode = command.invitationCode?.trimmingCharacters(in: .whitespaces)

        let member: Member = try await store.write { repos in
            if var existing = try await repos.members.find(email: email) {
                // A member created by an administrator without a password claims the account only with the
                // sign-in link made for that address: knowing a colleague's e-mail must not be enough.
                guard existing.passwordHash == nil, !existing.isSuspended else {
                    throw DomainError(.conflict, "An account with this e-mail address exists already.", field: "email")
                }
                guard let code = invitationCode, !code.isEmpty,
                    let invitation = try await repos.invitations.find(code: code), invitation.isUsable(at: now),
                    invitation.email?.lowercased() == email.lowercased()
                else {
                    throw DomainError(
                        .conflict,
                        "An account with this e-mail address exists already. If it was made for you, ask an administrator for your sign-in link.",
                        field: "email")
                }
                existing.passwordHash = passwordHash
                existing.updatedAt = now
                try await repos.members.update(existing)
                guard try await repos.invitations.markUsed(code: code, by: existing.id, at: now) else {
                    throw DomainError(.conflict, "This sign-in link has just been used.", field: "invitation")
                }
                return existing
            }
            let isFirst = try await repos.members.count() == 0
            let settings = try await repos.settings.load()
            if !isFirst {
                try await checkSignupPolicy(
                    settings, email: email, invitationCode: invitationCode, repos: repos, now: now)
            }
            if try await repos.members.find(handle: handle) != nil {
                throw DomainError(.conflict, "The handle @\(handle) is taken.", field: "handle")
            }
            var member = Member(
                id: newID, handle: handle, email: email, profile: profile, role: isFirst ? .admin : .member,
                passwordHash: passwordHash, createdAt: now)
            member.selfRegistered = !isFirst
            try await repos.members.insert(member)
            if !isFirst, settings.signupPolicy == .invitation, let code = invitationCode {
                guard try await repos.invitations.markUsed(code: code, by: member.id, at: now) else {
                    throw DomainError(.conflict, "This invitation has just been used.", field: "invitation")
                }
            }
            return member
        }
        return try await startSession(for: member, client: client)
    }

    private func checkSignupPolicy(
        _ settings: ServerSettings, email: String, invitationCode: String?, repos: any Repositories, now: Date
    ) async throws {
        switch settings.signupPolicy {
        case .open:
            return
        case .invitation:
            guard let code = invitationCode, !code.isEmpty else {
                throw DomainError(.forbidden, "Sign-up is by invitation: enter your invitation code.", field: "invitation")
            }
            guard let invitation = try await repos.invitations.find(code: code), invitation.isUsable(at: now) else {
                throw DomainError(.forbidden, "This invitation code is not valid or has been used.", field: "invitation")
            }
            if let bound = invitation.email, bound.lowercased() != email.lowercased() {
                throw DomainError(.forbidden, "This invitation is for another e-mail address.", field: "invitation")
            }
        case .domains:
            let domain = email.split(separator: "@").last.map { $0.lowercased() } ?? ""
            guard settings.allowedDomains.contains(domain) else {
                throw DomainError(
                    .forbidden,
                    "Sign-up is limited to addresses at \(settings.allowedDomains.joined(separator: ", ")).",
                    field: "email")
            }
        }
    }

    /// Opens a session for a member who has proven who they are.
    func startSession(for member: Member, client: ClientInfo) async throws -> SignedIn {
        let token = SecretGenerator.token()
        let now = time.now()
        let session = Session(
            id: Session.ID(ids.next()), tokenDigest: secrets.digest(token), memberID: member.id,
            csrfToken: SecretGenerator.token(), createdAt: now, lastSeenAt: now,
            expiresAt: now.addingTimeInterval(limits.sessionLifetime),
            userAgent: String(client.userAgent.prefix(300)), address: client.address)
        try await store.write { try await $0.sessions.insert(session) }
        return SignedIn(member: member, session: session, cookieToken: token)
    }
}

