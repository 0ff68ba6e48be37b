"""Posts: follow a hashtag and colleagues, post for the organization and for followers only, see who sees
what, write with Markdown (raw HTML stays text), reply on a thread, favourite, bookmark and reshare,
edit with a history, delete, and be told when a post is too long."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from tests_support.browsing import alert, follow, header, main, new_page, notice, path_is, sign_in
from tests_support.page_checks import assert_page_basics
from tests_support.pollen_server import PollenServer

PASSWORD = "posts-pass-123"
ADA, BOB, CY = "Ada Quinn", "Bob Mensah", "Cy Laurent"

KAIZEN = "Kaizen notes #lean"
FOLLOWERS_ONLY = "Shift handover checklist, for my followers only"
ADA_POST = ("Notes from the **gemba walk** with @bob #lean, see [the visual board guide](https://example.com/boards) "
            "<script>alert(1)</script>")
BOB_REPLY = "Thanks, the boards made the difference."
ADA_EDITED = "Notes from the **gemba walk** with @bob #lean: the boards are up on every line."
SCREENSHOT_HOME = "/tmp/pollen-posts-home.png"
SCREENSHOT_THREAD = "/tmp/pollen-posts-thread.png"


def add_member(server: PollenServer, handle: str, name: str) -> None:
    server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
               "--password", PASSWORD, "--department", "Operations", "--subjects", "lean",
               "--expertise", "quality")


def no_dialogs(page: Page, opened: list[str]) -> None:
    """Record (and dismiss) any alert/confirm/prompt a page opens: a post's text must never run as script."""
    def record(dialog: Dialog) -> None:
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()
    page.on("dialog", record)


def go_home(page: Page) -> None:
    follow(page, header(page).get_by_role("link", name="Home", exact=True))
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()


def post_card(scope: Page | Locator, author: str, text: str | re.Pattern[str]) -> Locator:
    """The post by `author` containing `text` (a reshare carries the original author's name)."""
    root = main(scope) if isinstance(scope, Page) else scope
    return root.get_by_role("article", name=f"Post by {author}", exact=True).filter(has_text=text)


def follow_from_directory(page: Page, name: str, handle: str) -> None:
    follow(page, header(page).get_by_role("link", name="Members", exact=True))
    expect(page).to_have_url(path_is("/members"))
    follow(page, main(page).get_by_role("button", name=f"Follow {name}", exact=True))
    expect(notice(page)).to_have_text(f"You now follow @{handle}.")
    expect(main(page).get_by_role("button", name=f"Unfollow {name}", exact=True)).to_be_visible()


def write_post(page: Page, text: str, audience: str | None = None) -> None:
    """Write a post in the home timeline's compose box; fails unless it is published."""
    go_home(page)
    compose = main(page)
    compose.get_by_label("New post", exact=True).fill(text)
    who = compose.get_by_label("Who can see it", exact=True)
    expect(who).to_have_value("organization")  # everyone in the organization unless chosen otherwise
    if audience:
        who.select_option(label=audience)
    follow(page, compose.get_by_role("button", name="Post", exact=True))
    expect(page).to_have_url(path_is("/"))
    expect(notice(page)).to_have_text("Posted.")
    expect(page.get_by_label("New post", exact=True)).to_have_value("")


def press(page: Page, card: Locator, button: str, done: str) -> None:
    """Click one of the buttons under a post and check the notice that comes back."""
    follow(page, card.get_by_role("button", name=button, exact=True))
    expect(notice(page)).to_have_text(done)


def test_posts_journey(server: PollenServer, page: Page, browser: Browser) -> None:
    add_member(server, "ada", ADA)
    add_member(server, "bob", BOB)
    add_member(server, "cy", CY)
    dialogs: list[str] = []
    no_dialogs(page, dialogs)

    # Ada follows #lean from the hashtag's page, then Bob and Cy from the directory.
    sign_in(page, server.url, "ada", PASSWORD)
    page.goto(f"{server.url}/tags/lean")
    assert_page_basics(page)
    expect(page.get_by_role("heading", name="#lean", level=1)).to_be_visible()
    follow(page, main(page).get_by_role("button", name="Follow #lean", exact=True))
    expect(page).to_have_url(path_is("/tags/lean"))
    expect(notice(page)).to_have_text("You now follow #lean.")
    expect(main(page).get_by_role("button", name="Unfollow #lean", exact=True)).to_be_visible()
    follow_from_directory(page, BOB, "bob")
    follow_from_directory(page, CY, "cy")

    bob_context, bob = new_page(browser)
    cy_context, cy = new_page(browser)
    try:
        no_dialogs(bob, dialogs)
        no_dialogs(cy, dialogs)

        # Bob follows Ada back (so her posts reach his home) and posts for everyone and for his followers.
        sign_in(bob, server.url, "bob", PASSWORD)
        follow_from_directory(bob, ADA, "ada")
        write_post(bob, KAIZEN)
        expect(post_card(bob, BOB, KAIZEN)).to_be_visible()
        write_post(bob, FOLLOWERS_ONLY, audience="Your followers")
        mine = post_card(bob, BOB, FOLLOWERS_ONLY)
        expect(mine).to_be_visible()
        expect(mine).to_contain_text("Followers only")
        # Only organization posts can be reshared.
        expect(mine.get_by_role("button", name=re.compile(r"^Reshare"))).to_have_count(0)

        # Ada follows Bob: both his posts are on her home timeline, the followers-only one marked as such.
        go_home(page)
        expect(post_card(page, BOB, KAIZEN)).to_be_visible()
        expect(post_card(page, BOB, KAIZEN).get_by_role("link", name="#lean", exact=True)).to_have_attribute(
            "href", "/tags/lean")
        expect(post_card(page, BOB, FOLLOWERS_ONLY)).to_be_visible()
        expect(post_card(page, BOB, FOLLOWERS_ONLY)).to_contain_text("Followers only")

        # Cy follows Ada but not Bob: on Bob's profile she sees his organization post, not the other one.
        sign_in(cy, server.url, "cy", PASSWORD)
        follow_from_directory(cy, ADA, "ada")
        follow(cy, main(cy).get_by_role("link", name=BOB, exact=True))
        expect(cy).to_have_url(path_is("/@bob"))
        bob_posts = main(cy).get_by_role("region", name="Posts")
        expect(post_card(bob_posts, BOB, KAIZEN)).to_be_visible()
        expect(post_card(bob_posts, BOB, FOLLOWERS_ONLY)).to_have_count(0)
        expect(main(cy)).not_to_contain_text(FOLLOWERS_ONLY)

        # Ada writes with Markdown, a mention, a hashtag, and HTML that must stay text.
        write_post(page, ADA_POST)
        ada_post = post_card(page, ADA, "gemba walk")
        expect(ada_post).to_have_count(1)
        content = ada_post.locator(".content")
        expect(content.locator("strong")).to_have_text("gemba walk")
        expect(content.get_by_role("link", name="#lean", exact=True)).to_have_attribute("href", "/tags/lean")
        expect(content.get_by_role("link", name="@bob", exact=True)).to_have_attribute("href", "/@bob")
        expect(content.get_by_role("link", name="the visual board guide", exact=True)).to_have_attribute(
            "href", "https://example.com/boards")
        expect(content).to_contain_text("<script>alert(1)</script>")
        expect(content).not_to_contain_text("**")
        expect(ada_post.locator("script")).to_have_count(0)
        page.screenshot(path=SCREENSHOT_HOME, full_page=True)

        # Bob hears of the mention in his notifications — the header counts it without a reload, through the
        # live stream — and replies from there on the thread page.
        notifications_link = header(bob).get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$"))
        expect(notifications_link).to_be_visible(timeout=15_000)
        follow(bob, notifications_link)
        expect(main(bob)).to_contain_text(f"{ADA} mentioned you")
        for_bob = post_card(main(bob), ADA, "gemba walk")
        expect(for_bob.locator(".content strong")).to_have_text("gemba walk")
        follow(bob, for_bob.get_by_role("link", name=re.compile(r"^Reply")))
        expect(bob).to_have_url(re.compile(r"/posts/[^/#?]+#reply$"))
        thread_url = bob.url.split("#")[0]
        reply_box = main(bob).get_by_role("region", name="Write a reply")
        reply_text = reply_box.get_by_label("Your reply", exact=True)
        expect(reply_text).to_have_value("@ada ")  # addressed to the author already
        reply_text.fill(f"@ada {BOB_REPLY}")
        follow(bob, reply_box.get_by_role("button", name="Reply", exact=True))
        expect(notice(bob)).to_have_text("Reply posted.")
        expect(post_card(main(bob).get_by_role("region", name="1 reply"), BOB, BOB_REPLY)).to_be_visible()

        # Ada opens the thread from her post and finds Bob's reply under it.
        go_home(page)
        follow(page, post_card(page, ADA, "gemba walk").get_by_role("link", name=re.compile(r"^Reply")))
        expect(page).to_have_url(re.compile(re.escape(thread_url) + "#reply$"))
        expect(post_card(page, ADA, "gemba walk")).to_have_count(1)
        replies = main(page).get_by_role("region", name="1 reply")
        expect(post_card(replies, BOB, BOB_REPLY)).to_be_visible()
        expect(post_card(replies, BOB, BOB_REPLY).get_by_role("link", name="@ada", exact=True)).to_have_attribute(
            "href", "/@ada")
        page.screenshot(path=SCREENSHOT_THREAD, full_page=True)

        # Ada favourites and bookmarks Bob's post.
        go_home(page)
        kaizen = post_card(page, BOB, KAIZEN)
        press(page, kaizen, "Favourite · 0", "Added to your favourites.")
        expect(kaizen.get_by_role("button", name="Unfavourite · 1", exact=True)).to_have_attribute(
            "aria-pressed", "true")
        press(page, kaizen, "Bookmark", "Bookmarked. Only you can see your bookmarks.")
        expect(kaizen.get_by_role("button", name="Remove bookmark", exact=True)).to_be_visible()
        follow(page, header(page).get_by_role("link", name="Bookmarks", exact=True))
        expect(page).to_have_url(path_is("/bookmarks"))
        expect(page.get_by_role("heading", name="Bookmarks", level=1)).to_be_visible()
        bookmarked = main(page).get_by_role("article")
        expect(bookmarked).to_have_count(1)
        expect(post_card(page, BOB, KAIZEN)).to_be_visible()

        # Bob sees the favourite, but nothing tells him about the bookmark.
        go_home(bob)
        his = post_card(bob, BOB, KAIZEN)
        expect(his.get_by_role("button", name="Favourite · 1", exact=True)).to_have_attribute("aria-pressed", "false")
        expect(his.get_by_role("button", name="Bookmark", exact=True)).to_be_visible()
        expect(his).not_to_contain_text(re.compile("bookmarked|Remove bookmark", re.IGNORECASE))

        # Ada reshares it; Cy, who follows Ada but not Bob, sees it on her home timeline.
        go_home(page)
        kaizen = post_card(page, BOB, KAIZEN).filter(has_not_text="reshared")
        press(page, kaizen, "Reshare · 0", "Reshared to your followers.")
        expect(kaizen.get_by_role("button", name="Undo reshare · 1", exact=True)).to_have_attribute(
            "aria-pressed", "true")
        go_home(cy)
        passed_on = post_card(cy, BOB, KAIZEN)
        expect(passed_on).to_have_count(1)
        expect(passed_on).to_contain_text(re.compile(rf"{ADA}\s+reshared"))
        expect(passed_on.get_by_role("link", name=ADA, exact=True)).to_have_attribute("href", "/@ada")
        expect(post_card(cy, BOB, FOLLOWERS_ONLY)).to_have_count(0)

        # Ada edits her post: it says "edited" and the edit page keeps the earlier version.
        go_home(page)
        follow(page, post_card(page, ADA, "gemba walk").get_by_role("link", name="Edit", exact=True))
        expect(page).to_have_url(re.compile(re.escape(thread_url) + "/edit$"))
        expect(page.get_by_role("heading", name="Edit post", level=1)).to_be_visible()
        expect(page.get_by_label("Post text", exact=True)).to_have_value(ADA_POST)
        page.get_by_label("Post text", exact=True).fill(ADA_EDITED)
        follow(page, main(page).get_by_role("button", name="Save", exact=True))
        expect(page).to_have_url(thread_url)
        expect(notice(page)).to_have_text("Post saved.")
        edited = post_card(page, ADA, "the boards are up on every line")
        expect(edited).to_have_count(1)
        expect(edited.locator("header")).to_contain_text("edited")
        expect(edited).not_to_contain_text("<script>")
        follow(page, edited.get_by_role("link", name="Edit", exact=True))
        history = main(page).get_by_role("region", name="Earlier versions")
        expect(history).to_contain_text("<script>alert(1)</script>")
        expect(history.locator("strong")).to_have_text("gemba walk")
        expect(history.locator("script")).to_have_count(0)
        follow(page, main(page).get_by_role("link", name="Back to the post", exact=True))
        expect(page).to_have_url(thread_url)

        # Ada deletes it; the thread keeps its place and Bob's reply.
        follow(page, post_card(page, ADA, "the boards are up").get_by_role("link", name="Delete", exact=True))
        # Deleting asks first, showing the post.
        expect(main(page).get_by_role("heading", name="Delete this post?", level=1)).to_be_visible()
        follow(page, main(page).get_by_role("button", name="Delete post", exact=True))
        expect(notice(page)).to_have_text("Post deleted.")
        expect(post_card(page, ADA, "the boards are up")).to_have_count(0)
        page.goto(thread_url)
        assert_page_basics(page)
        gone = main(page).get_by_role("article", name=f"Post by {ADA}", exact=True)
        expect(gone).to_have_count(1)
        expect(gone).to_contain_text("This post has been deleted.")
        expect(gone).not_to_contain_text("gemba")
        expect(gone.get_by_role("button")).to_have_count(0)
        expect(post_card(main(page).get_by_role("region", name="1 reply"), BOB, BOB_REPLY)).to_be_visible()
        expect(main(page).get_by_role("region", name="Write a reply")).to_have_count(0)

        # A post over 5,000 characters is not cut silently: the server refuses it with an alert and keeps
        # what was written in the box.
        go_home(page)
        too_long = "Lean " * 1000 + "x"
        assert len(too_long) == 5001
        box = page.get_by_label("New post", exact=True)
        expect(page.get_by_text("Up to 5,000 characters.", exact=False)).to_be_visible()
        box.fill(too_long)
        expect(box).to_have_value(too_long)
        follow(page, main(page).get_by_role("button", name="Post", exact=True))
        expect(alert(page, "A post can be at most 5000 characters; this one has 5001.")).to_be_visible()
        box = page.get_by_label("New post", exact=True)
        expect(box).to_have_value(too_long)
        expect(box).to_have_attribute("aria-invalid", "true")
        expect(main(page).get_by_role("status").filter(has_text="Posted.")).to_have_count(0)
        expect(post_card(page, ADA, "Lean Lean")).to_have_count(0)

        assert dialogs == [], f"a page opened a dialog: {dialogs}"
    finally:
        bob_context.close()
        cy_context.close()
