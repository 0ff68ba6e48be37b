"""Mastodon.py against Pollen's follows, followed hashtags, mutes and blocks: the calls a Mastodon app makes,
paging with the Link headers the server sends."""

from __future__ import annotations

import pytest
from mastodon import Mastodon, MastodonAPIError

from tests_support.pollen_server import PollenServer

SCOPES = ["read", "write", "follow"]
ALICE_EMAIL = "alice@example.com"
ALICE_PASSWORD = "alice-secret-123"


def add_member(server: PollenServer, handle: str, name: str, password: str = "other-secret-123") -> None:
    server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
               "--password", password)


def alice_client(server: PollenServer) -> Mastodon:
    add_member(server, "alice", "Alice Doe", ALICE_PASSWORD)
    client_id, client_secret = Mastodon.create_app("pollen-compat", api_base_url=server.url, scopes=SCOPES)
    client = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    # allow_http: the server under test is plain HTTP on loopback.
    client.log_in(ALICE_EMAIL, ALICE_PASSWORD, scopes=SCOPES, allow_http=True)
    return client


def relationship(client: Mastodon, account_id: str):
    found = client.account_relationships(account_id)
    assert len(found) == 1, found
    assert str(found[0].id) == str(account_id)
    return found[0]


def test_follow_and_unfollow(server: PollenServer) -> None:
    m = alice_client(server)
    add_member(server, "bruno", "Bruno Silva")
    bruno = m.account_lookup("bruno")
    assert bruno.acct == "bruno"

    followed = m.account_follow(bruno.id)
    assert followed.following is True
    assert relationship(m, bruno.id).following is True
    assert relationship(m, bruno.id).followed_by is False
    # Following again is not an error; the relationship stays as it is.
    again = m.account_follow(bruno.id)
    assert again.following is True
    assert m.account(bruno.id).followers_count == 1

    unfollowed = m.account_unfollow(bruno.id)
    assert unfollowed.following is False
    assert relationship(m, bruno.id).following is False
    assert m.account(bruno.id).followers_count == 0


def test_following_pages_newest_first(server: PollenServer) -> None:
    m = alice_client(server)
    me = m.account_verify_credentials()
    handles = [f"colleague{n}" for n in range(1, 6)]
    ids = []
    for n, handle in enumerate(handles, start=1):
        add_member(server, handle, f"Colleague {n}")
        ids.append(m.account_lookup(handle).id)
    for account_id in ids:
        m.account_follow(account_id)

    pages = []
    page = m.account_following(me.id, limit=2)
    while page:
        assert len(page) <= 2, page
        pages.append([account.acct for account in page])
        page = m.fetch_next(page)
    seen = [acct for chunk in pages for acct in chunk]
    assert seen == list(reversed(handles)), pages
    assert len(pages) == 3, pages

    followers = m.account_followers(ids[2])
    assert [account.acct for account in followers] == ["alice"]
    assert followers[0].following_count == 5

    assert m.account_verify_credentials().following_count == 5
    assert m.account_verify_credentials().followers_count == 0


def test_follow_a_hashtag(server: PollenServer) -> None:
    m = alice_client(server)
    assert m.tag("supply-chain").following is False

    followed = m.tag_follow("supply-chain")
    assert followed.name == "supply-chain"
    assert followed.following is True
    assert [tag.name for tag in m.followed_tags()] == ["supply-chain"]
    assert m.tag("supply-chain").following is True

    unfollowed = m.tag_unfollow("supply-chain")
    assert unfollowed.following is False
    assert m.followed_tags() == []
    assert m.tag("supply-chain").following is False


def test_mute_then_block(server: PollenServer) -> None:
    m = alice_client(server)
    add_member(server, "mallory", "Mallory Quinn")
    mallory = m.account_lookup("mallory")

    assert m.account_mute(mallory.id).muting is True
    assert relationship(m, mallory.id).muting is True
    assert m.account_unmute(mallory.id).muting is False
    assert relationship(m, mallory.id).muting is False

    m.account_follow(mallory.id)
    blocked = m.account_block(mallory.id)
    assert blocked.blocking is True
    # Blocking ends the follow.
    assert blocked.following is False
    assert relationship(m, mallory.id).blocking is True

    with pytest.raises(MastodonAPIError) as refused:
        m.account_follow(mallory.id)
    # Mastodon.py's error arguments: message, HTTP status, reason, the server's error text.
    assert refused.value.args[1] == 403, refused.value.args
    assert "mallory" in refused.value.args[3], refused.value.args
    assert relationship(m, mallory.id).following is False


def test_follow_suggestions_with_sources_and_dismissal(server: PollenServer) -> None:
    m = alice_client(server)
    add_member(server, "bruno", "Bruno Silva")
    add_member(server, "carla", "Carla Reyes")
    add_member(server, "dmitri", "Dmitri Volkov")
    # Bruno follows Carla: once Alice follows Bruno, Carla is a friend of a friend.
    bruno_client = Mastodon(
        client_id=m.client_id, client_secret=m.client_secret, api_base_url=server.url)
    bruno_client.log_in("bruno@example.com", "other-secret-123", scopes=SCOPES, allow_http=True)
    carla = m.account_lookup("carla")
    bruno_client.account_follow(carla.id)
    m.account_follow(m.account_lookup("bruno").id)

    suggestions = m.suggestions_v2()
    by_account = {str(s.account.id): s for s in suggestions}
    assert str(carla.id) in by_account, [s.account.acct for s in suggestions]
    carla_suggestion = by_account[str(carla.id)]
    assert "friends_of_friends" in carla_suggestion.sources
    assert carla_suggestion.source == "past_interactions"
    assert any("Bruno Silva" in reason for reason in carla_suggestion.pollen_reasons)
    # Nobody already followed, and not oneself.
    me = m.account_verify_credentials()
    assert str(me.id) not in by_account
    assert str(m.account_lookup("bruno").id) not in by_account
    # The library's own helper unpacks the accounts.
    assert str(carla.id) in {str(a.id) for a in m.suggestions()}

    m.suggestion_delete(carla.id)
    assert str(carla.id) not in {str(s.account.id) for s in m.suggestions_v2()}


def test_hidden_collections(server: PollenServer) -> None:
    m = alice_client(server)
    add_member(server, "bruno", "Bruno Silva")
    bruno = m.account_lookup("bruno")
    m.account_follow(bruno.id)
    bruno_client = Mastodon(
        client_id=m.client_id, client_secret=m.client_secret, api_base_url=server.url)
    bruno_client.log_in("bruno@example.com", "other-secret-123", scopes=SCOPES, allow_http=True)
    updated = bruno_client.account_update_credentials(hide_collections=True, discoverable=False)
    assert updated.hide_collections is True
    assert updated.discoverable is False
    # Bruno still sees his own counts; Alice sees none, and empty lists.
    assert bruno_client.account_verify_credentials().followers_count == 1
    seen = m.account(bruno.id)
    assert seen.hide_collections is True
    assert seen.followers_count == 0
    assert m.account_followers(bruno.id) == []
