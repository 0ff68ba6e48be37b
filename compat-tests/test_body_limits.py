"""Oversized request bodies against a running server, over a raw socket.

A body declared (`Content-Length`) larger than the endpoint accepts must be refused with 413 at once — while the
client has sent only a few bytes of it — and the connection closed, since reusing it would mean reading the
whole body first. A chunked body (no declared length) that grows past the limit is refused with 413 as soon as
the limit is passed; the server reads and drops the rest, so the connection stays usable for the next request.
Bodies within the limits still work.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

import pytest
import requests

from tests_support.pollen_server import PollenServer

PASSWORD = "body-limits-pass-123"
OOB = "urn:ietf:wg:oauth:2.0:oob"
TIMEOUT = 30
# A refusal must come well before any client would have sent a body this size, so "promptly" is generous.
PROMPT_SECONDS = 3.0
TWO_GB = 2 * 1024 ** 3
# Pollen's own limits (MastodonStatusEndpoints.bodyLimit; the largest page form is a resource upload).
STATUS_BODY_LIMIT = 256 * 1024


@dataclass
class Reply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0


def read_reply(sock: socket.socket, started: float) -> Reply:
    """Reads one HTTP/1.1 response (head and a Content-Length body) from the socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before a response head arrived; got {data!r}")
        data += chunk
    seconds = time.monotonic() - started
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Reply(status, headers, rest[:length], seconds)


def connect(server: PollenServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=PROMPT_SECONDS)
    sock.settimeout(PROMPT_SECONDS)
    return sock


def send_head(sock: socket.socket, method: str, path: str, headers: dict[str, str]) -> float:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    started = time.monotonic()
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return started


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closes the connection within the prompt delay (EOF or reset), sending nothing more."""
    try:
        extra = sock.recv(4096)
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    assert extra == b"", f"unexpected bytes after the response: {extra!r}"
    return True


@pytest.fixture
def api(server: PollenServer) -> tuple[PollenServer, str]:
    """The server and a bearer token of a member allowed to post."""
    server.cli("members", "add", "--handle", "ada", "--email", "ada@example.com", "--name", "Ada",
               "--role", "admin", "--password", PASSWORD)
    app = requests.post(f"{server.url}/api/v1/apps", data={
        "client_name": "body-limits", "redirect_uris": OOB, "scopes": "read write"}, timeout=TIMEOUT)
    assert app.status_code == 200, app.text
    grant = requests.post(f"{server.url}/oauth/token", data={
        "grant_type": "password", "username": "ada@example.com", "password": PASSWORD, "scope": "read write",
        "client_id": app.json()["client_id"], "client_secret": app.json()["client_secret"]}, timeout=TIMEOUT)
    assert grant.status_code == 200, grant.text
    return server, grant.json()["access_token"]


def refuse_declared(server: PollenServer, path: str, length: int, headers: dict[str, str]) -> Reply:
    """Declares a body of `length` bytes, sends a few of them, and expects 413 before sending any more, then the
    connection closed by the server."""
    with connect(server) as sock:
        started = send_head(sock, "POST", path, {**headers, "Content-Length": str(length)})
        sock.sendall(b"status=Hello")
        try:
            reply = read_reply(sock, started)
        except TimeoutError:
            pytest.fail(f"POST {path} declaring {length} bytes: no answer within {PROMPT_SECONDS}s "
                        "(the server waits for the body instead of refusing it)")
        assert reply.status == 413, (path, reply)
        assert reply.seconds < PROMPT_SECONDS
        assert reply.headers.get("connection", "").lower() == "close", reply.headers
        assert closed_by_server(sock), f"POST {path}: the server kept the connection open after refusing the body"
        return reply


def test_a_declared_two_gigabyte_body_is_refused_at_once(api: tuple[PollenServer, str]) -> None:
    server, token = api
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # The Mastodon API, with a valid token, and Pollen's own API.
    reply = refuse_declared(server, "/api/v1/statuses", TWO_GB, {**form, "Authorization": f"Bearer {token}"})
    assert reply.headers["content-type"].startswith("application/json")
    assert b"too large" in reply.body
    refuse_declared(server, "/api/pollen/v1/communities", TWO_GB,
                    {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    # A page form (signed out: the size is checked before the session or the CSRF token) and an upload form.
    reply = refuse_declared(server, "/posts", TWO_GB, form)
    assert reply.headers["content-type"].startswith("text/html")
    assert b"too large" in reply.body
    refuse_declared(server, "/c/anything/import", TWO_GB, {"Content-Type": "multipart/form-data; boundary=x"})
    # The server is unharmed.
    assert requests.get(f"{server.url}/healthz", timeout=TIMEOUT).status_code == 200


def test_a_body_declared_over_the_endpoints_own_limit_is_refused_at_once(api: tuple[PollenServer, str]) -> None:
    """1 MB is far below what an upload may be, but four times what a status may be."""
    server, token = api
    refuse_declared(server, "/api/v1/statuses", 4 * STATUS_BODY_LIMIT, {
        "Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {token}"})


def test_a_chunked_body_over_the_limit_is_refused_and_the_connection_stays_usable(
        api: tuple[PollenServer, str]) -> None:
    server, token = api
    piece = b"status=" + b"a" * (16 * 1024 - 7)
    with connect(server) as sock:
        started = send_head(sock, "POST", "/api/v1/statuses", {
            "Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {token}",
            "Transfer-Encoding": "chunked"})
        for _ in range(2 * STATUS_BODY_LIMIT // len(piece)):
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        sock.sendall(b"0\r\n\r\n")
        reply = read_reply(sock, started)
        assert reply.status == 413, reply
        assert b"too large" in reply.body
        # Closed, or ready for the next request on the same connection.
        if reply.headers.get("connection", "").lower() != "close":
            again = send_head(sock, "GET", "/healthz", {})
            assert read_reply(sock, again).status == 200
        else:
            assert closed_by_server(sock)
    listed = requests.get(f"{server.url}/api/v1/accounts/verify_credentials",
                          headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT).json()
    assert listed["statuses_count"] == 0, "nothing was posted"


def test_bodies_within_the_limits_are_accepted(api: tuple[PollenServer, str]) -> None:
    """The refusals above are about size: the same requests, whole and small, succeed (chunked too)."""
    server, token = api
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-www-form-urlencoded"}
    body = b"status=Within+the+limit"
    with connect(server) as sock:
        started = send_head(sock, "POST", "/api/v1/statuses", {**auth, "Content-Length": str(len(body))})
        sock.sendall(body)
        assert read_reply(sock, started).status == 200
        body = b"status=Within+the+limit%2C+in+chunks"
        started = send_head(sock, "POST", "/api/v1/statuses", {**auth, "Transfer-Encoding": "chunked"})
        sock.sendall(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        assert read_reply(sock, started).status == 200
