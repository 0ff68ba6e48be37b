"""Mastodon.py against Pollen's statuses: posting, timelines with paging, reblogs, favourites, bookmarks and
hashtag timelines, as a Mastodon app uses them."""

from __future__ import annotations

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests_support.pollen_server import PollenServer

SCOPES = ["read", "write", "follow"]


def client_for(server: PollenServer, handle: str, name: str) -> Mastodon:
    password = f"{handle}-secret-123"
    server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
               "--password", password)
    client_id, client_secret = Mastodon.create_app(f"compat-{handle}", api_base_url=server.url, scopes=SCOPES)
    client = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    client.log_in(f"{handle}@example.com", password, scopes=SCOPES, allow_http=True)
    return client


def test_post_reblog_favourite_bookmark_and_home_paging(server: PollenServer) -> None:
    alice = client_for(server, "alice", "Alice Doe")
    bruno = client_for(server, "bruno", "Bruno Silva")
    alice_account = bruno.account_lookup("alice")
    bruno.account_follow(alice_account.id)

    posted = [alice.status_post(f"Note {n} on #lean and flow") for n in range(5)]
    assert "/tags/lean" in posted[0].content
    assert [t.name for t in posted[0].tags] == ["lean"]

    # Bruno's home timeline pages newest first, two at a time, through the Link headers.
    page = bruno.timeline_home(limit=2)
    seen = []
    while page:
        seen += [s.id for s in page]
        page = bruno.fetch_next(page)
    assert seen == [s.id for s in reversed(posted)]

    # Reblog, favourite and bookmark the oldest post.
    target = posted[0]
    reblog = bruno.status_reblog(target.id)
    assert reblog.reblog.id == target.id
    fav = bruno.status_favourite(target.id)
    assert fav.favourited is True
    bruno.status_bookmark(target.id)
    seen_by_alice = alice.status(target.id)
    assert seen_by_alice.reblogs_count == 1 and seen_by_alice.favourites_count == 1
    # Bookmarks are private: Alice's own bookmark list stays empty.
    assert alice.bookmarks() == []
    assert [s.id for s in bruno.bookmarks()] == [target.id]
    assert [s.id for s in bruno.favourites()] == [target.id]

    # The reblog shows in the reblogger's own statuses.
    bruno_statuses = bruno.account_statuses(bruno.me().id)
    assert bruno_statuses[0].reblog.id == target.id
    bruno.status_unreblog(target.id)
    assert alice.status(target.id).reblogs_count == 0


def test_replies_context_edit_delete_and_tags(server: PollenServer) -> None:
    alice = client_for(server, "alice", "Alice Doe")
    bruno = client_for(server, "bruno", "Bruno Silva")
    first = alice.status_post("Question: how do we run a gemba walk? #lean")
    reply = bruno.status_post("@alice Start at the line, not the office.", in_reply_to_id=first.id)
    assert reply.in_reply_to_id == first.id
    context = alice.status_context(first.id)
    assert [s.id for s in context.descendants] == [reply.id]
    assert [s.id for s in bruno.status_context(reply.id).ancestors] == [first.id]

    edited = alice.status_update(first.id, "Question: how do we run a good gemba walk? #lean")
    assert "good gemba" in edited.content
    assert len(alice.status_history(first.id)) == 2

    assert [s.id for s in bruno.timeline_hashtag("lean")] == [first.id]
    assert alice.timeline_local()[0].id == reply.id

    alice.status_delete(first.id)
    with pytest.raises(MastodonNotFoundError):
        bruno.status(first.id)


def test_followers_only_posts_and_errors(server: PollenServer) -> None:
    alice = client_for(server, "alice", "Alice Doe")
    bruno = client_for(server, "bruno", "Bruno Silva")
    private = alice.status_post("For my followers only", visibility="private")
    assert private.visibility == "private"
    with pytest.raises(MastodonNotFoundError):
        bruno.status(private.id)
    bruno.account_follow(bruno.account_lookup("alice").id)
    assert bruno.status(private.id).id == private.id
    # Followers-only posts cannot be reblogged.
    with pytest.raises(MastodonAPIError):
        bruno.status_reblog(private.id)
    with pytest.raises(MastodonAPIError):
        alice.status_post("x" * 5001)
