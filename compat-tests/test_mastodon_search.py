"""Mastodon.py's v2 search against Pollen: people by name, posts by words and by phrase, hashtags by prefix."""

from __future__ import annotations

from mastodon import Mastodon

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


def test_search_accounts_statuses_and_hashtags(server: PollenServer) -> None:
    alice = client_for(server, "alice", "Alice Doe")
    bruno = client_for(server, "bruno", "Bruno Silva")
    client_for(server, "brunhilde", "Brunhilde Berg")

    # People by name, with the answer's three lists always present.
    found = alice.search_v2("silva")
    assert [a.acct for a in found.accounts] == ["bruno"]
    assert found.accounts[0].display_name == "Bruno Silva"
    assert found.statuses == [] and found.hashtags == []
    assert sorted(a.acct for a in alice.search_v2("brun", result_type="accounts").accounts) == ["brunhilde", "bruno"]

    mapping = bruno.status_post("Value stream mapping for the #lean line")
    reversed_order = bruno.status_post("A stream of value; mapping it on #leanstartup")
    bruno.status_post("Notes on #lean flow")
    alice.status_post("Also #leanstartup, from me")
    alice.status_post("And #LeanStartup again")
    private = bruno.status_post("Value stream secrets for followers", visibility="private")

    # Statuses by words (all must appear, newest first) and by phrase.
    by_words = alice.search_v2("value stream", result_type="statuses")
    assert [s.id for s in by_words.statuses] == [reversed_order.id, mapping.id]
    assert private.id not in [s.id for s in by_words.statuses]
    assert by_words.accounts == [] and by_words.hashtags == []
    by_phrase = alice.search_v2('"value stream"', result_type="statuses")
    assert [s.id for s in by_phrase.statuses] == [mapping.id]
    assert "Value stream mapping" in by_phrase.statuses[0].content
    assert by_phrase.statuses[0].account.acct == "bruno"
    assert [s.id for s in alice.search_v2("mapping from:@bruno", result_type="statuses").statuses] == \
        [reversed_order.id, mapping.id]
    assert alice.search_v2('"mapping value"', result_type="statuses").statuses == []

    # The author, who may see the private post, finds it too.
    assert private.id in [s.id for s in bruno.search_v2('"value stream"', result_type="statuses").statuses]

    # Hashtags by prefix, most used first.
    tags = alice.search_v2("#lea", result_type="hashtags").hashtags
    assert [t.name for t in tags] == ["leanstartup", "lean"]
    assert tags[1].url.endswith("/tags/lean")
    assert [t.name for t in alice.search_v2("leanst").hashtags] == ["leanstartup"]
    assert alice.search_v2("#zebra").hashtags == []


def test_search_operators_never_fail(server: PollenServer) -> None:
    alice = client_for(server, "alice", "Alice Doe")
    post = alice.status_post("Lean AND kaizen: (notes) -draft")
    for query in ['"', '"unclosed', "*", "lean*", "AND", "-", ":", "(", "NEAR(lean kaizen)", "from:@", "#", "'"]:
        result = alice.search_v2(query)
        assert isinstance(result.accounts, list) and isinstance(result.statuses, list)
    assert [s.id for s in alice.search_v2("lean AND kaizen", result_type="statuses").statuses] == [post.id]
    assert [s.id for s in alice.search_v2("(notes) -draft", result_type="statuses").statuses] == [post.id]
