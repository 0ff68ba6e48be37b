"""Mastodon.py, a client library nobody here wrote, against a running Pollen server.

Mastodon.py's default version_check_mode is "none" (since 2.0), so it does not refuse calls on
version grounds; it still reads /api/v1/instance after logging in and parses the leading
"4.3.0" of the reported version "4.3.0 (compatible; Pollen 0.1.0)".
"""

from __future__ import annotations

import warnings

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonIllegalArgumentError

from tests_support.pollen_server import PollenServer

SCOPES = ["read", "write", "follow"]
ALICE_EMAIL = "alice@example.com"
ALICE_PASSWORD = "alice-secret-123"


def add_alice(server: PollenServer) -> None:
    server.cli(
        "members", "add",
        "--handle", "alice",
        "--email", ALICE_EMAIL,
        "--name", "Alice Doe",
        "--password", ALICE_PASSWORD,
    )


def registered_client(server: PollenServer) -> Mastodon:
    client_id, client_secret = Mastodon.create_app("pollen-compat", api_base_url=server.url, scopes=SCOPES)
    assert client_id and client_secret
    return Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)


def log_in(client: Mastodon, password: str) -> str:
    # allow_http: the server under test is plain HTTP on loopback; Mastodon.py otherwise refuses
    # an http:// token endpoint advertised in /.well-known/oauth-authorization-server.
    return client.log_in(ALICE_EMAIL, password, scopes=SCOPES, allow_http=True)


def test_app_logs_in_and_edits_the_profile(server: PollenServer) -> None:
    add_alice(server)
    m = registered_client(server)
    token = log_in(m, ALICE_PASSWORD)
    assert isinstance(token, str) and token

    me = m.account_verify_credentials()
    assert me.acct == "alice"
    assert me.username == "alice"
    assert me.display_name == "Alice Doe"

    note = "Learning about supply chains"
    updated = m.account_update_credentials(note=note)
    assert updated.source["note"] == note

    me = m.account_verify_credentials()
    assert me.source["note"] == note
    assert note in me.note

    # The token works on its own, as a client that stored it would use it.
    again = Mastodon(access_token=token, api_base_url=server.url)
    assert again.account_verify_credentials().acct == "alice"


def test_wrong_password_is_refused(server: PollenServer) -> None:
    add_alice(server)
    m = registered_client(server)
    with pytest.raises((MastodonIllegalArgumentError, MastodonAPIError)):
        log_in(m, "not-alice-password")
    assert m.access_token is None
    with pytest.raises(MastodonAPIError):
        m.account_verify_credentials()


def test_instance_information(server: PollenServer) -> None:
    add_alice(server)
    m = registered_client(server)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log_in(m, ALICE_PASSWORD)
    # Mastodon.py warns when a server claims >= 4.3.0 without api_versions in /api/v2/instance.
    version_warnings = [str(w.message) for w in caught if "version" in str(w.message).lower()]
    assert not version_warnings, version_warnings

    assert m.retrieve_mastodon_version() == "4.3.0"
    assert m.mastodon_api_version >= 1
    instance = m.instance()  # /api/v2/instance/, as the server reports a version >= 4.0.0
    assert "Pollen" in instance.version
    assert instance.title
