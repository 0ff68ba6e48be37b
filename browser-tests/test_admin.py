"""An administrator's journey: import members from CSV, change a role, suspend and reinstate a member,
limit sign-up to invitations and invite a colleague."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from tests_support.browsing import (
    alert, follow, header, main, new_page, notice, path_is, sign_in, submit_sign_in,
)
from tests_support.page_checks import assert_page_basics
from tests_support.pollen_server import PollenServer

ADMIN_PASSWORD = "admin-password-1"
BOB_PASSWORD = "bob-secret-123"

# Line 1 names the columns; lines 2 and 4 are good; line 3 has a bad e-mail; line 5 wants bob's handle.
MEMBERS_CSV = """email,name,handle,department,location,job role,subjects,expertise
carol@example.com,Carol Diaz,carol,Finance,Lyon,Analyst,analytics;forecasting,excel
not-an-email,Dan Broken,dan,Finance,Lyon,Analyst,,
erin@example.com,Erin Fox,erin,Supply Chain,Porto,Planner,logistics,
frank@example.com,Frank Taken,bob,Sales,Oslo,Seller,,
"""


def admin_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Administration")


def open_admin_tab(page: Page, name: str) -> Locator:
    follow(page, admin_nav(page).get_by_role("link", name=name, exact=True))
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    return main(page)


def member_row(page: Page, handle: str) -> Locator:
    return main(page).get_by_role("row").filter(has_text=f"@{handle}")


def create_people(server: PollenServer) -> None:
    server.cli("members", "add", "--handle", "ada", "--email", "ada@example.com", "--name", "Ada Admin",
               "--role", "admin", "--password", ADMIN_PASSWORD)
    server.cli("members", "add", "--handle", "bob", "--email", "bob@example.com", "--name", "Bob Lee",
               "--password", BOB_PASSWORD, "--department", "Supply Chain")


def open_admin(page: Page, server: PollenServer) -> None:
    sign_in(page, server.url, "ada", ADMIN_PASSWORD)
    follow(page, header(page).get_by_role("link", name="Admin", exact=True))
    expect(page).to_have_url(path_is("/admin/members"))
    expect(admin_nav(page)).to_be_visible()


def import_members(page: Page, csv_file: Path) -> None:
    form = open_admin_tab(page, "Import members")
    expect(page).to_have_url(path_is("/admin/import"))
    expect(form.get_by_role("heading", name="Import members from CSV")).to_be_visible()

    form.get_by_label("CSV file", exact=True).set_input_files(csv_file)
    follow(page, form.get_by_role("button", name="Import", exact=True))

    result = main(page).get_by_role("region", name="Import result")
    expect(result).to_be_visible()
    expect(result.get_by_role("status")).to_contain_text("2 created")
    expect(result.get_by_role("status")).to_contain_text("2 rejected")
    rejected = result.get_by_role("listitem")
    expect(rejected).to_have_count(2)
    expect(rejected.nth(0)).to_contain_text(re.compile(r"^Line 3: .*e-mail", re.IGNORECASE))
    expect(rejected.nth(1)).to_contain_text(re.compile(r"^Line 5: .*@bob"))

    # The same file again: the good rows are known by e-mail now, so nothing new is created.
    main(page).get_by_label("CSV file", exact=True).set_input_files(csv_file)
    follow(page, main(page).get_by_role("button", name="Import", exact=True))
    result = main(page).get_by_role("region", name="Import result")
    expect(result.get_by_role("status")).to_contain_text("0 created")
    expect(result.get_by_role("status")).to_contain_text("2 unchanged")
    expect(result).to_contain_text("Line 3:")
    expect(result).to_contain_text("Line 5:")


def imported_people_are_in_the_directory_once(page: Page) -> None:
    for name in ("Carol Diaz", "Erin Fox"):
        follow(page, header(page).get_by_role("link", name="Members", exact=True))
        directory = main(page)
        directory.get_by_label("Search", exact=True).fill(name.split()[0])
        follow(page, directory.get_by_role("button", name="Search", exact=True))
        expect(main(page).get_by_role("link", name=name, exact=True)).to_have_count(1)
    # Neither rejected row left a member behind.
    follow(page, header(page).get_by_role("link", name="Members", exact=True))
    main(page).get_by_label("Search", exact=True).fill("Dan")
    follow(page, main(page).get_by_role("button", name="Search", exact=True))
    expect(main(page).get_by_role("link", name="Dan Broken")).to_have_count(0)
    expect(main(page).get_by_role("link", name="Frank Taken")).to_have_count(0)
    follow(page, header(page).get_by_role("link", name="Admin", exact=True))


def make_bob_a_moderator(page: Page) -> None:
    members = open_admin_tab(page, "Members")
    expect(member_row(page, "bob")).to_contain_text("Active")
    members.get_by_label("Role of Bob Lee", exact=True).select_option(label="Moderator")
    follow(page, members.get_by_role("button", name="Change role of Bob Lee", exact=True))

    expect(notice(page)).to_contain_text("@bob")
    expect(notice(page)).to_contain_text("moderator")
    expect(main(page).get_by_label("Role of Bob Lee", exact=True)).to_have_value("moderator")


def suspend_bob_and_reinstate_him(page: Page, browser: Browser, server: PollenServer) -> None:
    follow(page, member_row(page, "bob").get_by_role("button", name="Suspend Bob Lee", exact=True))
    expect(notice(page)).to_contain_text("suspended")
    expect(member_row(page, "bob")).to_contain_text("Suspended")
    # The role is kept through a suspension.
    expect(main(page).get_by_label("Role of Bob Lee", exact=True)).to_have_value("moderator")

    bob_context, bob = new_page(browser)
    try:
        bob.goto(server.url + "/signin")
        submit_sign_in(bob, "bob", BOB_PASSWORD)
        expect(alert(bob, re.compile("suspended", re.IGNORECASE))).to_be_visible()
        expect(header(bob).get_by_role("button", name="Sign out")).to_have_count(0)

        follow(page, member_row(page, "bob").get_by_role("button", name="Unsuspend Bob Lee", exact=True))
        expect(notice(page)).to_contain_text("active")
        expect(member_row(page, "bob")).not_to_contain_text("Suspended")

        sign_in(bob, server.url, "bob", BOB_PASSWORD)
    finally:
        bob_context.close()


def policy(page: Page, label: str) -> Locator:
    return main(page).get_by_role("group", name="Who may sign up").get_by_label(label, exact=True)


def domains_need_a_domain(page: Page) -> None:
    settings = open_admin_tab(page, "Sign-up and server")
    expect(page).to_have_url(path_is("/admin/settings"))
    expect(policy(page, "Anyone who reaches this server")).to_be_checked()

    policy(page, "Only people with an e-mail address at the allowed domains").check()
    settings.get_by_label("Allowed e-mail domains", exact=True).fill("")
    follow(page, settings.get_by_role("button", name="Save settings", exact=True))
    expect(alert(page, "domain")).to_be_visible()

    # Nothing was saved: a fresh look at the page still shows the open policy.
    open_admin_tab(page, "Sign-up and server")
    expect(policy(page, "Anyone who reaches this server")).to_be_checked()
    expect(page.get_by_role("alert")).to_have_count(0)


def require_invitations(page: Page) -> str:
    settings = main(page)
    policy(page, "Only people with an invitation code").check()
    follow(page, settings.get_by_role("button", name="Save settings", exact=True))
    expect(notice(page)).to_have_text("Settings saved.")
    expect(policy(page, "Only people with an invitation code")).to_be_checked()

    follow(page, main(page).get_by_role("button", name="Create invitation", exact=True))
    expect(notice(page)).to_contain_text("Invitation created")
    invitations = main(page).get_by_role("listitem").filter(has_text="/signup?invitation=")
    expect(invitations).to_have_count(1)
    expect(invitations).to_contain_text("open")
    link = re.search(r"\S+/signup\?invitation=\S+", invitations.inner_text())
    assert link, f"no invitation link in {invitations.inner_text()!r}"
    return link.group(0)


def fill_sign_up(page: Page, name: str, handle: str, email: str, password: str) -> Locator:
    form = main(page)
    form.get_by_label("Display name", exact=True).fill(name)
    form.get_by_label("Handle", exact=True).fill(handle)
    form.get_by_label("E-mail", exact=True).fill(email)
    form.get_by_label("Password", exact=True).fill(password)
    return form


def visitor_signs_up_with_the_invitation(browser: Browser, server: PollenServer, link: str) -> None:
    assert link.startswith(server.url + "/signup?invitation="), link
    context, visitor = new_page(browser)
    try:
        visitor.goto(server.url + "/signup")
        assert_page_basics(visitor)
        expect(main(visitor)).to_contain_text("invitation")
        expect(main(visitor).get_by_label("Invitation code", exact=True)).to_have_value("")
        form = fill_sign_up(visitor, "Gina Guest", "gina", "gina@example.com", "gina-password-1")
        follow(visitor, form.get_by_role("button", name="Sign up", exact=True))
        expect(alert(visitor, re.compile("invitation", re.IGNORECASE))).to_be_visible()
        expect(header(visitor).get_by_role("button", name="Sign out")).to_have_count(0)

        visitor.goto(link)
        assert_page_basics(visitor)
        code = link.split("invitation=", 1)[1]
        expect(main(visitor).get_by_label("Invitation code", exact=True)).to_have_value(code)
        form = fill_sign_up(visitor, "Gina Guest", "gina", "gina@example.com", "gina-password-1")
        follow(visitor, form.get_by_role("button", name="Sign up", exact=True))
        expect(header(visitor).get_by_role("button", name="Sign out", exact=True)).to_be_visible()
        # A new member starts with the getting-started guide; home greets her.
        expect(visitor).to_have_url(path_is("/welcome"))
        follow(visitor, header(visitor).get_by_role("link", name="Home", exact=True))
        expect(main(visitor)).to_contain_text("Welcome, Gina Guest.")
    finally:
        context.close()


def used_invitation_is_marked(page: Page) -> None:
    open_admin_tab(page, "Sign-up and server")
    invitation = main(page).get_by_role("listitem").filter(has_text="/signup?invitation=")
    expect(invitation).to_contain_text("used")


def test_administrator_journey(server: PollenServer, page: Page, browser: Browser, tmp_path: Path) -> None:
    create_people(server)
    csv_file = tmp_path / "members.csv"
    csv_file.write_text(MEMBERS_CSV, encoding="utf-8")

    open_admin(page, server)
    import_members(page, csv_file)
    imported_people_are_in_the_directory_once(page)
    make_bob_a_moderator(page)
    suspend_bob_and_reinstate_him(page, browser, server)
    domains_need_a_domain(page)
    link = require_invitations(page)
    visitor_signs_up_with_the_invitation(browser, server, link)
    used_invitation_is_marked(page)
