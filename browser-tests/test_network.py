"""A member's network: follow colleagues from the directory and their profile, see the followers list,
follow a hashtag from a profile, then mute and block someone, who can then no longer follow back."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests_support.browsing import follow, header, main, new_page, notice, path_is, sign_in
from tests_support.page_checks import assert_page_basics
from tests_support.pollen_server import PollenServer

PASSWORD = "network-pass-123"


def add_member(server: PollenServer, handle: str, name: str, *, subjects: str, expertise: str) -> None:
    server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
               "--password", PASSWORD, "--department", "Logistics", "--subjects", subjects,
               "--expertise", expertise)


def add_team(server: PollenServer) -> None:
    add_member(server, "dana", "Dana Whitfield", subjects="negotiation", expertise="warehousing")
    add_member(server, "erin", "Erin Park", subjects="forecasting, customs", expertise="routing")
    add_member(server, "femi", "Femi Adeyemi", subjects="routing", expertise="forecasting")
    add_member(server, "gus", "Gus Lind", subjects="customs", expertise="packaging")


def search_department(page: Page, department: str) -> None:
    follow(page, header(page).get_by_role("link", name="Members", exact=True))
    expect(page).to_have_url(path_is("/members"))
    search = page.get_by_role("search", name="Search members")
    search.get_by_label("Department", exact=True).fill(department)
    follow(page, search.get_by_role("button", name="Search", exact=True))
    expect(page).to_have_url(path_is("/members"))


def follow_from_directory(page: Page, name: str, handle: str) -> None:
    results = main(page)
    follow(page, results.get_by_role("button", name=f"Follow {name}", exact=True))
    # Back on the same search, with the button turned around.
    expect(page).to_have_url(path_is("/members"))
    expect(page).to_have_url(re.compile(r"[?&]department=Logistics(&|$)"))
    expect(notice(page)).to_have_text(f"You now follow @{handle}.")
    expect(results.get_by_role("button", name=f"Unfollow {name}", exact=True)).to_be_visible()
    expect(results.get_by_role("button", name=f"Follow {name}", exact=True)).to_have_count(0)


def open_profile(page: Page, name: str, handle: str) -> None:
    follow(page, main(page).get_by_role("link", name=name, exact=True))
    expect(page).to_have_url(path_is(f"/@{handle}"))
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def more_actions(page: Page) -> None:
    """Open the profile's "More actions" disclosure (a <summary>, which has no ARIA role to locate it by)."""
    main(page).get_by_role("group").get_by_text("More actions", exact=True).click()


def test_follow_people_and_a_hashtag_then_mute_and_block(server: PollenServer, page: Page, browser: Browser) -> None:
    add_team(server)
    sign_in(page, server.url, "dana", PASSWORD)

    search_department(page, "Logistics")
    for name in ("Erin Park", "Femi Adeyemi", "Gus Lind"):
        expect(main(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    # Nobody is offered to follow themselves.
    expect(main(page).get_by_role("button", name="Follow Dana Whitfield")).to_have_count(0)
    follow_from_directory(page, "Erin Park", "erin")
    follow_from_directory(page, "Femi Adeyemi", "femi")
    expect(main(page).get_by_role("button", name="Unfollow Erin Park", exact=True)).to_be_visible()
    expect(main(page).get_by_role("button", name="Follow Gus Lind", exact=True)).to_be_visible()

    open_profile(page, "Erin Park", "erin")
    profile = main(page)
    expect(profile.get_by_role("button", name="Unfollow", exact=True)).to_be_visible()
    expect(profile.get_by_role("button", name="Follow", exact=True)).to_have_count(0)
    expect(profile.get_by_role("link", name="0 following", exact=True)).to_be_visible()

    follow(page, profile.get_by_role("link", name="1 follower", exact=True))
    expect(page).to_have_url(path_is("/@erin/followers"))
    expect(page.get_by_role("heading", name="People who follow Erin Park", level=1)).to_be_visible()
    # One card per person (their subjects are list items too).
    listed = main(page).locator("li.person")
    expect(listed).to_have_count(1)
    expect(listed.get_by_role("link", name="Dana Whitfield", exact=True)).to_be_visible()
    follow(page, main(page).get_by_role("link", name="Back to Erin Park", exact=True))
    expect(page).to_have_url(path_is("/@erin"))

    # A subject on the profile leads to the hashtag's page.
    follow(page, main(page).get_by_role("link", name="#forecasting", exact=True))
    expect(page).to_have_url(path_is("/tags/forecasting"))
    expect(page.get_by_role("heading", name="#forecasting", level=1)).to_be_visible()
    follow(page, main(page).get_by_role("button", name="Follow #forecasting", exact=True))
    expect(page).to_have_url(path_is("/tags/forecasting"))
    expect(notice(page)).to_have_text("You now follow #forecasting.")
    expect(main(page).get_by_role("button", name="Unfollow #forecasting", exact=True)).to_be_visible()
    expect(main(page).get_by_role("button", name="Follow #forecasting", exact=True)).to_have_count(0)
    helpers = main(page).get_by_role("region", name="Can help with #forecasting (1)")
    expect(helpers.get_by_role("link", name="Femi Adeyemi", exact=True)).to_be_visible()
    expect(helpers.get_by_role("button", name="Unfollow Femi Adeyemi", exact=True)).to_be_visible()
    learners = main(page).get_by_role("region", name="Learning about #forecasting (1)")
    expect(learners.get_by_role("link", name="Erin Park", exact=True)).to_be_visible()

    # Gus has Dana's profile open, before anything happens between them.
    other_context, gus = new_page(browser)
    try:
        sign_in(gus, server.url, "gus", PASSWORD)
        gus.goto(f"{server.url}/@dana")
        assert_page_basics(gus)
        expect(gus.get_by_role("heading", name="Dana Whitfield", level=1)).to_be_visible()
        stale_follow = main(gus).get_by_role("button", name="Follow", exact=True)
        expect(stale_follow).to_be_visible()

        # Dana follows Gus from his profile, then mutes and blocks him.
        search_department(page, "Logistics")
        open_profile(page, "Gus Lind", "gus")
        follow(page, main(page).get_by_role("button", name="Follow", exact=True))
        expect(page).to_have_url(path_is("/@gus"))
        expect(notice(page)).to_have_text("You now follow @gus.")
        expect(main(page).get_by_role("link", name="1 follower", exact=True)).to_be_visible()

        # Mute and Block stay folded away until asked for.
        expect(main(page).get_by_role("button", name="Mute @gus", exact=True)).to_be_hidden()
        more_actions(page)
        follow(page, main(page).get_by_role("button", name="Mute @gus", exact=True))
        expect(page).to_have_url(path_is("/@gus"))
        expect(notice(page)).to_have_text("You muted @gus.")
        more_actions(page)
        expect(main(page).get_by_role("button", name="Unmute @gus", exact=True)).to_be_visible()
        # Muting does not end the follow.
        expect(main(page).get_by_role("button", name="Unfollow", exact=True)).to_be_visible()

        follow(page, main(page).get_by_role("button", name="Block @gus", exact=True))
        expect(page).to_have_url(path_is("/@gus"))
        expect(notice(page)).to_have_text("You blocked @gus.")
        expect(main(page).get_by_role("button", name="Follow", exact=True)).to_have_count(0)
        expect(main(page).get_by_role("button", name="Unfollow", exact=True)).to_have_count(0)
        expect(main(page).get_by_role("link", name="0 followers", exact=True)).to_be_visible()
        # The profile says so plainly and offers to undo it without opening "More actions".
        expect(main(page)).to_contain_text("You blocked @gus")
        expect(main(page).get_by_role("button", name="Unblock @gus", exact=True).first).to_be_visible()

        # Gus's page still offers to follow Dana; the server refuses.
        follow(gus, stale_follow)
        expect(gus.get_by_role("heading", name="Forbidden", level=1)).to_be_visible()
        expect(gus.get_by_role("alert")).to_have_text("You cannot follow @dana.")

        gus.goto(f"{server.url}/@dana")
        assert_page_basics(gus)
        expect(gus.get_by_role("heading", name="Dana Whitfield", level=1)).to_be_visible()
        expect(main(gus).get_by_role("button", name="Follow", exact=True)).to_have_count(0)
        expect(main(gus).get_by_role("link", name="0 followers", exact=True)).to_be_visible()
    finally:
        other_context.close()
