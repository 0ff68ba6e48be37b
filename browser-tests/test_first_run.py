"""A new person's first run: set up the server, fill in a profile, find a colleague, sign out and in."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests_support.browsing import follow, header, main, path_is
from tests_support.page_checks import assert_page_basics, set_field
from tests_support.pollen_server import PollenServer

ADMIN_PASSWORD = "a-long-password-1"


def set_up_administrator(page: Page, server: PollenServer) -> None:
    page.goto(server.url)
    expect(page).to_have_url(path_is("/setup"))
    expect(main(page)).to_contain_text("becomes the administrator")
    assert_page_basics(page)

    form = main(page)
    form.get_by_label("Display name", exact=True).fill("Ada Admin")
    form.get_by_label("Handle", exact=True).fill("ada")
    form.get_by_label("E-mail", exact=True).fill("ada@example.com")
    form.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    follow(page, form.get_by_role("button", name="Create administrator account", exact=True))

    expect(header(page).get_by_role("button", name="Sign out", exact=True)).to_be_visible()

    # Setup is a one-time step: once there is an administrator it no longer offers to create one.
    page.goto(server.url + "/setup")
    expect(page.get_by_role("button", name="Create administrator account")).to_have_count(0)
    page.goto(server.url)


def open_profile_settings(page: Page) -> Locator:
    follow(page, header(page).get_by_role("link", name="Edit profile", exact=True))
    expect(page).to_have_url(path_is("/settings/profile"))
    return main(page)


def edit_profile(page: Page) -> None:
    form = open_profile_settings(page)
    for label in ("Display name", "Handle", "Bio", "Department", "Location", "Job role", "Subjects", "Expertise"):
        expect(form.get_by_label(label, exact=True)).to_be_visible()
    expect(form.get_by_label("Display name", exact=True)).to_have_value("Ada Admin")
    expect(form.get_by_label("Handle", exact=True)).to_have_value("ada")

    form.get_by_label("Bio", exact=True).fill("I teach data analytics.")
    form.get_by_label("Department", exact=True).fill("Finance")
    form.get_by_label("Location", exact=True).fill("Lyon")
    form.get_by_label("Job role", exact=True).fill("Analyst")
    form.get_by_label("Subjects", exact=True).fill("analytics, supply-chain")
    form.get_by_label("Expertise", exact=True).fill("forecasting")
    follow(page, form.get_by_role("button", name="Save", exact=True))

    expect(page.get_by_text("Profile saved")).to_be_visible()

    form = open_profile_settings(page)
    expect(form.get_by_label("Bio", exact=True)).to_have_value("I teach data analytics.")
    expect(form.get_by_label("Department", exact=True)).to_have_value("Finance")
    expect(form.get_by_label("Location", exact=True)).to_have_value("Lyon")
    expect(form.get_by_label("Job role", exact=True)).to_have_value("Analyst")
    expect(form.get_by_label("Subjects", exact=True)).to_have_value(re.compile(r"analytics.*supply-chain"))
    expect(form.get_by_label("Expertise", exact=True)).to_have_value(re.compile(r"forecasting"))


def reject_invalid_profile_edit(page: Page) -> None:
    form = open_profile_settings(page)
    form.get_by_label("Handle", exact=True).fill("bad handle!")
    form.get_by_label("Bio", exact=True).fill("This change must not be kept.")
    follow(page, form.get_by_role("button", name="Save", exact=True))

    expect(page.get_by_role("alert").filter(has_text="Handle").first).to_be_visible()

    # Bad input changes nothing, not even the fields that were valid.
    form = open_profile_settings(page)
    expect(form.get_by_label("Handle", exact=True)).to_have_value("ada")
    expect(form.get_by_label("Bio", exact=True)).to_have_value("I teach data analytics.")


def own_profile_shows_the_details(page: Page, server: PollenServer) -> None:
    page.goto(server.url + "/@ada")
    expect(page.get_by_role("heading", name="Ada Admin", exact=True)).to_be_visible()
    expect(main(page)).to_contain_text("I teach data analytics.")
    expect(main(page)).to_contain_text("Finance")
    assert_page_basics(page)


def search_directory(page: Page, *, text: str = "", department: str = "") -> Locator:
    directory = main(page)
    directory.get_by_label("Search", exact=True).fill(text)
    set_field(directory.get_by_label("Department", exact=True), department)
    follow(page, directory.get_by_role("button", name="Search", exact=True))
    return main(page)


def find_colleague_in_directory(page: Page, server: PollenServer) -> None:
    server.cli(
        "members", "add",
        "--handle", "bob",
        "--email", "bob@example.com",
        "--name", "Bob Lee",
        "--password", "bob-secret-123",
        "--department", "Supply Chain",
        "--subjects", "logistics",
    )

    follow(page, header(page).get_by_role("link", name="Members", exact=True))
    expect(page).to_have_url(path_is("/members"))

    results = search_directory(page, text="Bob")
    expect(results.get_by_role("link", name="Bob Lee", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Ada Admin", exact=True)).to_have_count(0)

    results = search_directory(page, department="Supply Chain")
    expect(results.get_by_role("link", name="Bob Lee", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Ada Admin", exact=True)).to_have_count(0)

    results = search_directory(page, department="Finance")
    expect(results.get_by_role("link", name="Ada Admin", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Bob Lee", exact=True)).to_have_count(0)

    results = search_directory(page, department="Supply Chain")
    follow(page, results.get_by_role("link", name="Bob Lee", exact=True))
    expect(page).to_have_url(path_is("/(@|%40)bob"))
    expect(page.get_by_role("heading", name="Bob Lee", exact=True)).to_be_visible()


def sign_out_and_back_in(page: Page) -> None:
    follow(page, header(page).get_by_role("button", name="Sign out", exact=True))
    sign_in_link = header(page).get_by_role("link", name="Sign in", exact=True)
    expect(sign_in_link).to_be_visible()
    expect(header(page).get_by_role("button", name="Sign out")).to_have_count(0)

    follow(page, sign_in_link)
    form = main(page)
    form.get_by_label("Handle or e-mail", exact=True).fill("ada@example.com")
    form.get_by_label("Password", exact=True).fill("not-the-password")
    follow(page, form.get_by_role("button", name="Sign in", exact=True))

    expect(page.get_by_role("alert").filter(has_text="Wrong handle/e-mail or password").first).to_be_visible()
    expect(header(page).get_by_role("button", name="Sign out")).to_have_count(0)

    form = main(page)
    form.get_by_label("Handle or e-mail", exact=True).fill("ada")
    form.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    follow(page, form.get_by_role("button", name="Sign in", exact=True))

    expect(header(page).get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def test_first_run_journey(server: PollenServer, page: Page) -> None:
    set_up_administrator(page, server)
    edit_profile(page)
    reject_invalid_profile_edit(page)
    own_profile_shows_the_details(page, server)
    find_colleague_in_directory(page, server)
    sign_out_and_back_in(page)
