import Foundation
import PollenCore

/// What every page's header and footer show; built from the request context so no page forgets the CSRF
/// token or the signed-in state.
struct Layout {
    struct Nav {
        let handle: String
        let displayName: String
        let isAdmin: Bool
        let isModerator: Bool
    }

    let title: String
    let viewer: Nav?
    let csrf: String
    /// Unread notifications, shown beside the Notifications link; nil when there are none, since Mustache
    /// treats a 0 as a value to show.
    let unread: Int?
    /// A one-line confirmation ("Profile saved.") shown in a status region.
    var notice: String?

    init(title: String, context: PollenRequestContext, notice: String? = nil) {
        self.title = title
        self.viewer = context.viewer.map {
            Nav(handle: $0.handle, displayName: $0.profile.displayName, isAdmin: $0.isAdmin, isModerator: $0.isModerator)
        }
        self.csrf = context.csrfToken
        self.unread = context.unreadNotifications > 0 ? context.unreadNotifications : nil
        self.notice = notice ?? context.flash
    }

    /// For a page rendered outside any request (`pollen report`): nobody signed in, no forms.
    init(offlineTitle title: String) {
        self.title = title
        self.viewer = nil
        self.csrf = ""
        self.unread = nil
        self.notice = nil
    }
}

/// A form field's current value and the error to show beside it.
struct Field {
    let value: String
    let error: String?

    init(_ value: String, error: String? = nil) {
        self.value = value
        self.error = error
    }

    static func from(_ form: FormData?, _ key: String, default fallback: String = "", error: DomainError?) -> Field {
        Field(form?[key] ?? fallback, error: error?.field == key ? error?.message : nil)
    }
}

struct ErrorPage {
    let layout: Layout
    let status: Int
    let message: String
}
