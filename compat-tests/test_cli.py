"""The `pollen` command line as an operator uses it, and the server's life cycle."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests_support.pollen_server import free_port, pollen_binary


def run(*args: str, data_dir: Path, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([pollen_binary(), *args, "--data-dir", str(data_dir)], capture_output=True, text=True,
                          timeout=120, input=stdin, env={**os.environ, **(env or {})})


def test_members_add_refuses_duplicates_with_a_clear_message(tmp_path: Path) -> None:
    first = run("members", "add", "--handle", "ada", "--email", "ada@example.org", "--name", "Ada",
                "--password", "a-long-password-1", "--role", "admin", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "@ada (admin)" in first.stdout

    same_handle = run("members", "add", "--handle", "ADA", "--email", "other@example.org", "--name", "Other",
                      "--password", "a-long-password-1", data_dir=tmp_path)
    assert same_handle.returncode == 1
    assert "handle @ADA is taken" in same_handle.stderr

    same_email = run("members", "add", "--handle", "other", "--email", "Ada@Example.org", "--name", "Other",
                     "--password", "a-long-password-1", data_dir=tmp_path)
    assert same_email.returncode == 1
    assert "exists already" in same_email.stderr

    bad_role = run("members", "add", "--handle", "x1", "--email", "x1@example.org", "--name", "X",
                   "--role", "owner", data_dir=tmp_path)
    assert bad_role.returncode != 0
    assert "--role" in bad_role.stderr


def test_members_add_reads_the_password_from_standard_input(tmp_path: Path) -> None:
    created = run("members", "add", "--handle", "bo", "--email", "bo@example.org", "--name", "Bo",
                  data_dir=tmp_path, stdin="piped-password-1\n")
    assert created.returncode == 0, created.stderr
    too_short = run("members", "add", "--handle", "cy", "--email", "cy@example.org", "--name", "Cy",
                    data_dir=tmp_path, stdin="short\n")
    assert too_short.returncode == 1
    assert "at least 10 characters" in too_short.stderr


def test_import_members_reports_bad_rows_by_line_and_is_idempotent(tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text(
        "email,name,handle,department,location,job role,subjects,expertise\n"
        "dee@example.org,Dee Diaz,dee,Finance,Lyon,Analyst,analytics;forecasting,excel\n"
        "not-an-address,Bad Row,badrow,,,,,\n"
        "\"eve@example.org\",\"Eve, the second\",eve,Supply Chain,Porto,Buyer,logistics,\n"
        "fay@example.org,Fay,dee,,,,,\n")
    first = run("import", "members", str(csv), data_dir=tmp_path)
    assert first.returncode == 1  # some rows were rejected
    assert "line 3:" in first.stdout and "e-mail" in first.stdout
    assert "line 5:" in first.stdout and "@dee" in first.stdout
    assert "2 created" in first.stdout

    again = run("import", "members", str(csv), data_dir=tmp_path)
    assert "0 created" in again.stdout and "2 unchanged" in again.stdout


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    first = run("migrate", data_dir=tmp_path)
    assert first.returncode == 0 and "Applied" in first.stdout
    second = run("migrate", data_dir=tmp_path)
    assert second.returncode == 0 and "up to date" in second.stdout


def test_demo_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        result = run("demo", "--members", "300", "--seed", "11", data_dir=folder)
        assert result.returncode == 0, result.stderr
        assert "300 members created" in result.stdout
    again = run("demo", "--members", "300", "--seed", "11", data_dir=a)
    assert "0 members created, 300 already there" in again.stdout

    import sqlite3

    def handles(folder: Path) -> list[str]:
        with sqlite3.connect(folder / "pollen.sqlite") as db:
            return [row[0] for row in db.execute("SELECT handle FROM members ORDER BY handle")]

    assert handles(a) == handles(b)
    assert len(set(handles(a))) == 300

    # The organization comes alive: the same follows and posts for the same seed, by handle and text.
    def activity(folder: Path) -> tuple[list, list]:
        with sqlite3.connect(folder / "pollen.sqlite") as db:
            follows = sorted(db.execute(
                "SELECT a.handle, b.handle FROM follows f JOIN members a ON a.id = f.follower_id "
                "JOIN members b ON b.id = f.followee_id"))
            posts = sorted(db.execute(
                "SELECT m.handle, p.body, p.visibility FROM posts p JOIN members m ON m.id = p.author_id"))
            return follows, posts

    follows_a, posts_a = activity(a)
    assert len(follows_a) > 300 * 3 and len(posts_a) > 300
    assert (follows_a, posts_a) == activity(b)
    assert all(follower != followee for follower, followee in follows_a)


def test_serve_is_the_default_command_and_shuts_down_gracefully(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen([pollen_binary(), "--data-dir", str(tmp_path)], cwd=tmp_path,
                               env={**os.environ, "POLLEN_PORT": str(port)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert json.load(response) == {"status": "ok"}
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "server did not become healthy"
                time.sleep(0.1)
        assert (tmp_path / "pollen.sqlite").exists()

        # A request sent before SIGTERM still gets its answer, and the process then exits cleanly.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        connection.request("GET", "/setup")
        time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        response = connection.getresponse()
        assert response.status == 200
        assert b"Create administrator account" in response.read()
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
