"""Mastodon.py against Pollen's notifications: what one member does to another shows up in the other's
notifications, filtered, dismissed, cleared and marked read the way a Mastodon app does it."""

from __future__ import annotations

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests_support.pollen_server import PollenServer

SCOPES = ["read", "write", "follow"]


def member_client(server: PollenServer, handle: str, name: str) -> Mastodon:
    password = f"{handle}-secret-123"
    server.cli("members", "add", "--handle", handle, "--email", f"{handle}@example.com", "--name", name,
               "--password", password)
    client_id, client_secret = Mastodon.create_app(f"pollen-compat-{handle}", api_base_url=server.url,
                                                   scopes=SCOPES)
    client = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    # allow_http: the server under test is plain HTTP on loopback.
    client.log_in(f"{handle}@example.com", password, scopes=SCOPES, allow_http=True)
    return client


@pytest.fixture
def told(server: PollenServer):
    """Ana and Bruno. Bruno follows Ana, mentions her, then favourites and reblogs her post."""
    ana = member_client(server, "ana", "Ana Lima")
    bruno = member_client(server, "bruno", "Bruno Silva")
    ana_account = bruno.account_lookup("ana")
    post = ana.status_post("Field notes on pollinators")

    bruno.account_follow(ana_account.id)
    mention = bruno.status_post("@ana your notes helped a lot")
    bruno.status_favourite(post.id)
    bruno.status_reblog(post.id)
    return ana, bruno, post, mention


def test_each_act_is_a_notification(told) -> None:
    ana, bruno, post, mention = told
    notifications = ana.notifications()
    assert [n.type for n in notifications] == ["reblog", "favourite", "mention", "follow"], notifications
    assert all(n.account.acct == "bruno" for n in notifications)
    by_type = {n.type: n for n in notifications}
    assert by_type["mention"].status.id == mention.id
    assert "your notes helped" in by_type["mention"].status.content
    assert by_type["favourite"].status.id == post.id
    assert by_type["reblog"].status.id == post.id
    assert by_type["follow"].get("status") is None
    assert all(n.created_at is not None for n in notifications)

    # One by id, and Bruno is told of none of it.
    single = ana.notifications(id=by_type["follow"].id)
    assert single.type == "follow"
    assert single.account.acct == "bruno"
    assert bruno.notifications() == []


def test_types_filter(told) -> None:
    ana, _, _, mention = told
    mentions = ana.notifications(types=["mention"])
    assert [n.type for n in mentions] == ["mention"]
    assert mentions[0].status.id == mention.id
    assert [n.type for n in ana.notifications(exclude_types=["mention", "follow"])] == ["reblog", "favourite"]
    assert [n.type for n in ana.notifications(types=["follow", "favourite"])] == ["favourite", "follow"]


def test_paging_with_fetch_next(told) -> None:
    ana, _, _, _ = told
    first = ana.notifications(limit=3)
    assert [n.type for n in first] == ["reblog", "favourite", "mention"]
    rest = ana.fetch_next(first)
    assert [n.type for n in rest] == ["follow"]


def test_dismiss_and_clear(told) -> None:
    ana, _, _, _ = told
    notifications = ana.notifications()
    favourite = next(n for n in notifications if n.type == "favourite")
    ana.notifications_dismiss(favourite.id)
    assert [n.type for n in ana.notifications()] == ["reblog", "mention", "follow"]
    with pytest.raises(MastodonNotFoundError):
        ana.notifications(id=favourite.id)

    ana.notifications_clear()
    assert ana.notifications() == []
    assert ana.notifications_unread_count().count == 0


def test_markers_mark_notifications_read(told) -> None:
    ana, _, _, _ = told
    assert ana.notifications_unread_count().count == 4
    assert str(ana.markers_get("notifications")["notifications"].last_read_id) == "0"

    notifications = ana.notifications()
    mention = next(n for n in notifications if n.type == "mention")
    updated = ana.markers_set("notifications", mention.id)
    assert str(updated["notifications"].last_read_id) == str(mention.id)
    # The mention and the follow before it are read; the favourite and the reblog are not.
    assert ana.notifications_unread_count().count == 2
    assert str(ana.markers_get("notifications")["notifications"].last_read_id) == str(mention.id)

    ana.markers_set("notifications", notifications[0].id)
    assert ana.notifications_unread_count().count == 0
