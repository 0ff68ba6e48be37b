import Foundation

extension Pollen {
    /// Checks a handle or e-mail and password, with failed attempts limited per account and per address.
    public func signIn(login rawLogin: String, password: String, client: ClientInfo) async throws -> SignedIn {
        let member = try await verifyCredentials(login: rawLogin, password: password, client: client)
        return try await startSession(for: member, client: client)
    }

    /// The password check shared by the sign-in page and the OAuth password grant.
    func verifyCredentials(login rawLogin: String, password: String, client: ClientInfo) async throws -> Member {
        let login = rawLogin.trimmingCharacters(in: .whitespaces).lowercased()
        guard !login.isEmpty, !password.isEmpty else {
            throw DomainError.invalid("Enter your handle or e-mail and your password.", field: "login")
        }
        let accountKey = "account:" + (login.hasPrefix("@") ? String(login.dropFirst()) : login)
        let addressKey = "address:" + client.address
        let windowStart = time.now().addingTimeInterval(-limits.signInWindow)

        let member: Member? = try await store.read { repos in
            let accountFailures = try await repos.signInAttempts.countFailures(key: accountKey, since: windowStart)
            let addressFailures = try await repos.signInAttempts.countFailures(key: addressKey, since: windowStart)
            if accountFailures >= limits.signInFailuresPerAccount || addressFailures >= limits.signInFailuresPerAddress {
                throw DomainError(.rateLimited, "Too many failed sign-in attempts. Try again in 15 minutes.")
            }
            let name = login.hasPrefix("@") ? String(login.dropFirst()) : login
            return login.contains("@") && !login.hasPrefix("@")
                ? try await repos.members.find(email: name) : try await repos.members.find(handle: name)
        }
        guard let member, let hash = member.passwordHash, secrets.verifyPassword(password, hash: hash) else {
            let now = time.now()
            try await store.write { repos in
                // Attempts older than the window no longer count; dropping them here keeps the table small
                // without a background job.
                try await repos.signInAttempts.purge(before: windowStart)
                try await repos.signInAttempts.recordFailure(key: accountKey, at: now)
                try await repos.signInAttempts.recordFailure(key: addressKey, at: now)
            }
            throw DomainError(.unauthenticated, "Wrong handle/e-mail or password.", field: "login")
        }
        guard !member.isSuspended else {
            throw DomainError(.forbidden, "This account is suspended.")
        }
        try await store.write { try await $0.signInAttempts.clear(key: accountKey) }
        return member
    }

    /// The member behind a session cookie, or `nil` when the cookie is unknown, expired or the member is
    /// suspended. Refreshes the session's expiry now and then (sliding expiry).
    public func authenticate(sessionToken: String) async throws -> (Member, Session)? {
        let digest = secrets.digest(sessionToken)
        let now = time.now()
        guard let (member, session) = try await store.read({ repos -> (Member, Session)? in
            guard let session = try await repos.sessions.find(tokenDigest: digest),
                let member = try await repos.members.find(id: session.memberID)
            else { return nil }
            return (member, session)
        }) else { return nil }
        guard session.expiresAt > now, !member.isSuspended else { return nil }
        if now.timeIntervalSince(session.lastSeenAt) > limits.sessionTouchInterval {
            let expires = now.addingTimeInterval(limits.sessionLifetime)
            try await store.write { try await $0.sessions.touch(id: session.id, lastSeenAt: now, expiresAt: expires) }
        }
        return (member, session)
    }

    public func signOut(session: Session) async throws {
        try await store.write { try await $0.sessions.delete(id: session.id) }
    }

    /// The member's signed-in browsers, the most recently used first.
    public func sessions(of actor: Actor) async throws -> [Session] {
        let member = try activeMember(actor)
        let now = time.now()
        return try await store.read { try await $0.sessions.list(memberID: member.id) }.filter { $0.expiresAt > now }
    }

    /// Signs one of the member's browsers out (only their own), or every one but `keeping` when `id` is nil.
    public func revokeSessions(_ id: Session.ID?, keeping: Session.ID?, by actor: Actor) async throws {
        let member = try activeMember(actor)
        try await store.write { repos in
            guard let id else {
                try await repos.sessions.deleteAll(memberID: member.id, except: keeping)
                return
            }
            guard try await repos.sessions.list(memberID: member.id).contains(where: { $0.id == id }) else {
                throw DomainError.notFound("Session")
            }
            try await repos.sessions.delete(id: id)
        }
    }

    /// Changes the password after checking the current one; every other session and token of the member is
    /// ended, so a stolen session does not outlive the change.
    public func changePassword(
        member: Member, keeping session: Session?, current: String, new: String, confirmation: String
    ) async throws {
        guard let hash = member.passwordHash, secrets.verifyPassword(current, hash: hash) else {
            throw DomainError.invalid("The current password is wrong.", field: "current_password")
        }
        let password = try ProfileRules.validPassword(new, field: "new_password")
        guard new == confirmation else {
            throw DomainError.invalid("The new password and its confirmation differ.", field: "confirm_password")
        }
        let newHash = try secrets.hashPassword(password)
        let now = time.now()
        try await store.write { repos in
            guard var fresh = try await repos.members.find(id: member.id) else { throw DomainError.notFound("Member") }
            fresh.passwordHash = newHash
            fresh.updatedAt = now
            try await repos.members.update(fresh)
            try await repos.sessions.deleteAll(memberID: member.id, except: session?.id)
            try await repos.oauth.revokeTokens(memberID: member.id, at: now)
        }
    }
}
