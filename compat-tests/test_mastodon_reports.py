"""Mastodon.py against Pollen's reports: a report from a Mastodon app flags the reported statuses (or the account's
profile) for Pollen's moderators, and answers with Mastodon's Report entity."""

from __future__ import annotations

import pytest
import requests
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests_support.pollen_server import PollenServer

SCOPES = ["read", "write", "follow"]


def member_client(server: PollenServer, handle: str, name: str, role: str = "member") -> Mastodon:
    password = f"{handle}-secret-123"
    server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
               "--password", password, "--role", role)
    client_id, client_secret = Mastodon.create_app(f"pollen-compat-{handle}", api_base_url=server.url,
                                                   scopes=SCOPES)
    client = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    # allow_http: the server under test is plain HTTP on loopback.
    client.log_in(f"{handle}@example.com", password, scopes=SCOPES, allow_http=True)
    return client


def review_queue(server: PollenServer, moderator: Mastodon) -> list[dict]:
    response = requests.get(f"{server.url}/api/pollen/v1/moderation/queue",
                            headers={"Authorization": f"Bearer {moderator.access_token}"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["cases"]


def test_reports_flag_statuses_and_profiles(server: PollenServer) -> None:
    ana = member_client(server, "ana", "Ana Lima")
    bruno = member_client(server, "bruno", "Bruno Silva")
    mod = member_client(server, "mod", "Mo Derator", role="moderator")
    bruno_account = ana.account_lookup("bruno")
    spam = bruno.status_post("Cheap watches at example.com")

    report = ana.report(bruno_account.id, status_ids=[spam.id], comment="Advertising", category="spam")
    assert report.category == "spam"
    assert report.comment == "Advertising"
    assert report.action_taken is False and report.forwarded is False
    assert [str(s) for s in report.status_ids] == [str(spam.id)]
    assert str(report.target_account.id) == str(bruno_account.id)

    cases = review_queue(server, mod)
    case = next(c for c in cases if c["target"] == f"post:{spam.id}")
    assert [(f["flagger"], f["reason"], f["note"]) for f in case["flags"]] == [("ana", "spam", "Advertising")]

    # No statuses: the profile is reported.
    profile = ana.report(bruno_account.id, comment="Keeps messaging everyone", category="other")
    assert profile.status_ids is None
    cases = review_queue(server, mod)
    assert any(c["target"] == f"profile:{bruno_account.id}" for c in cases)

    # Twice is once; an unknown account is not found; a status of someone else is not the account's.
    with pytest.raises(MastodonAPIError):
        ana.report(bruno_account.id, status_ids=[spam.id])
    with pytest.raises(MastodonNotFoundError):
        ana.report("123456789", comment="Who?")
    own = ana.status_post("Good morning")
    with pytest.raises(MastodonNotFoundError):
        mod.report(bruno_account.id, status_ids=[own.id])
