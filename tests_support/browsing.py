"""Small steps shared by browser journeys: landmarks, navigation that waits for the next page, signing in."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests_support.page_checks import assert_page_basics

DEFAULT_TIMEOUT_MS = 10_000


def header(page: Page) -> Locator:
    return page.get_by_role("banner")


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def notice(page: Page) -> Locator:
    """The one-line notice a page shows after an action ("Settings saved.")."""
    return main(page).get_by_role("status").first


def alert(page: Page, text: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("alert").filter(has_text=text).first


def follow(page: Page, target: Locator) -> None:
    """Click a link or submit button and wait until the next page has loaded, so that
    expectations never pass on the page we just left."""
    with page.expect_navigation():
        target.click()
    assert_page_basics(page)


def path_is(path: str) -> re.Pattern[str]:
    """Matches a page URL with exactly this path (any query string)."""
    return re.compile(r"^https?://[^/]+" + path + r"/?(\?.*)?$")


def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    """A second, independent browser (its own cookies), as a colleague or another device would have."""
    context = browser.new_context(locale="en-GB", timezone_id="UTC")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context, context.new_page()


def submit_sign_in(page: Page, login: str, password: str) -> None:
    """Fill the sign-in form on the current page and submit it (the outcome is for the caller to check)."""
    form = main(page)
    form.get_by_label("Handle or e-mail", exact=True).fill(login)
    form.get_by_label("Password", exact=True).fill(password)
    follow(page, form.get_by_role("button", name="Sign in", exact=True))


def sign_in(page: Page, base_url: str, login: str, password: str) -> None:
    """Open the sign-in page from the header and sign in; fails unless the header then offers "Sign out"."""
    page.goto(base_url + "/")
    follow(page, header(page).get_by_role("link", name="Sign in", exact=True))
    expect(page).to_have_url(path_is("/signin"))
    submit_sign_in(page, login, password)
    expect(header(page).get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def sign_out(page: Page) -> None:
    follow(page, header(page).get_by_role("button", name="Sign out", exact=True))
    expect(header(page).get_by_role("link", name="Sign in", exact=True)).to_be_visible()
