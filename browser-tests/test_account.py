"""A member's account: change the password (other devices are signed out), and let an app use the
account through the OAuth consent page."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from playwright.sync_api import Browser, Page, expect

from tests_support.browsing import (
    alert, follow, header, main, new_page, notice, path_is, sign_in, sign_out, submit_sign_in,
)
from tests_support.pollen_server import PollenServer

OLD_PASSWORD = "carol-old-pass-1"
NEW_PASSWORD = "carol-new-pass-2"


def add_carol(server: PollenServer, password: str = OLD_PASSWORD) -> None:
    server.cli("members", "add", "--handle", "carol", "--email", "carol@example.com", "--name", "Carol Diaz",
               "--password", password)


def open_password_page(page: Page) -> None:
    follow(page, header(page).get_by_role("link", name="Edit profile", exact=True))
    expect(page).to_have_url(path_is("/settings/profile"))
    follow(page, main(page).get_by_role("link", name="Change password", exact=True))
    expect(page).to_have_url(path_is("/settings/password"))
    expect(page.get_by_role("heading", name="Change password", level=1)).to_be_visible()


def submit_password_change(page: Page, current: str, new: str, confirmation: str) -> None:
    form = main(page)
    form.get_by_label("Current password", exact=True).fill(current)
    form.get_by_label("New password", exact=True).fill(new)
    form.get_by_label("Confirm new password", exact=True).fill(confirmation)
    follow(page, form.get_by_role("button", name="Change password", exact=True))


def test_change_password(server: PollenServer, page: Page, browser: Browser) -> None:
    add_carol(server)
    sign_in(page, server.url, "carol", OLD_PASSWORD)

    # Another device, signed in before the change.
    other_context, other = new_page(browser)
    try:
        sign_in(other, server.url, "carol@example.com", OLD_PASSWORD)

        open_password_page(page)
        submit_password_change(page, "not-my-password", NEW_PASSWORD, NEW_PASSWORD)
        expect(page.get_by_role("alert")).to_have_count(1)
        expect(page.get_by_role("alert")).to_contain_text(re.compile("password", re.IGNORECASE))

        submit_password_change(page, OLD_PASSWORD, NEW_PASSWORD, "something-else-3")
        expect(page.get_by_role("alert")).to_have_count(1)
        expect(page.get_by_role("alert")).to_contain_text("confirmation")

        submit_password_change(page, OLD_PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
        expect(notice(page)).to_contain_text("Password changed")
        expect(page.get_by_role("alert")).to_have_count(0)
        # This device stays signed in.
        expect(header(page).get_by_role("button", name="Sign out", exact=True)).to_be_visible()

        other.goto(server.url + "/")
        expect(header(other).get_by_role("link", name="Sign in", exact=True)).to_be_visible()
        expect(header(other).get_by_role("button", name="Sign out")).to_have_count(0)
    finally:
        other_context.close()

    sign_out(page)
    follow(page, header(page).get_by_role("link", name="Sign in", exact=True))
    submit_sign_in(page, "carol", OLD_PASSWORD)
    expect(alert(page, "Wrong handle/e-mail or password")).to_be_visible()
    expect(header(page).get_by_role("button", name="Sign out")).to_have_count(0)

    submit_sign_in(page, "carol", NEW_PASSWORD)
    expect(header(page).get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_oauth_consent(server: PollenServer, page: Page) -> None:
    add_carol(server)
    redirect_uri = f"{server.url}/callback-test"
    registered = requests.post(
        f"{server.url}/api/v1/apps",
        data={"client_name": "Reader App", "redirect_uris": redirect_uri, "scopes": "read write"},
        timeout=10,
    )
    assert registered.status_code == 200, registered.text
    app = registered.json()
    verifier, challenge = pkce_pair()
    authorize_url = f"{server.url}/oauth/authorize?" + urlencode({
        "client_id": app["client_id"], "redirect_uri": redirect_uri, "response_type": "code", "scope": "read",
        "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256",
    })

    # Signed out: the consent page asks to sign in first, then comes back.
    page.goto(authorize_url)
    expect(page).to_have_url(path_is("/signin"))
    submit_sign_in(page, "carol", OLD_PASSWORD)
    expect(page).to_have_url(path_is("/oauth/authorize"))
    expect(page.get_by_role("heading", name="Authorize Reader App?", level=1)).to_be_visible()
    consent = main(page)
    expect(consent).to_contain_text("Reader App")
    expect(consent).to_contain_text("@carol")
    expect(consent.get_by_role("listitem")).to_have_count(1)
    expect(consent.get_by_role("listitem")).to_contain_text("read")
    expect(consent).not_to_contain_text("write:")

    # The redirect URI is the app's, not a page of this server: it answers 404, and only the URL matters.
    with page.expect_navigation(url=re.compile(re.escape(redirect_uri) + r"\?")):
        consent.get_by_role("button", name="Authorize", exact=True).click()
    granted = query_of(page.url)
    assert granted.get("state") == "xyz", page.url
    assert granted.get("code"), page.url
    assert "error" not in granted, page.url

    token = requests.post(
        f"{server.url}/oauth/token",
        data={
            "grant_type": "authorization_code", "code": granted["code"], "client_id": app["client_id"],
            "client_secret": app["client_secret"], "redirect_uri": redirect_uri, "code_verifier": verifier,
        },
        timeout=10,
    )
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == "read", token.text
    access_token = token.json()["access_token"]
    me = requests.get(
        f"{server.url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {access_token}"}, timeout=10,
    )
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "carol", me.text

    # A code works once.
    again = requests.post(
        f"{server.url}/oauth/token",
        data={
            "grant_type": "authorization_code", "code": granted["code"], "client_id": app["client_id"],
            "client_secret": app["client_secret"], "redirect_uri": redirect_uri, "code_verifier": verifier,
        },
        timeout=10,
    )
    assert again.status_code == 400, again.text

    # Asked again, the member says no.
    page.goto(authorize_url)
    expect(page.get_by_role("heading", name="Authorize Reader App?", level=1)).to_be_visible()
    with page.expect_navigation(url=re.compile(re.escape(redirect_uri) + r"\?")):
        main(page).get_by_role("button", name="Deny", exact=True).click()
    denied = query_of(page.url)
    assert denied.get("error") == "access_denied", page.url
    assert denied.get("state") == "xyz", page.url
    assert "code" not in denied, page.url
