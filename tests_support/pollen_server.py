"""A real `pollen serve` process on a loopback port, with its own fresh data directory.

Used as the `server` fixture by browser-tests/ and compat-tests/ (registered in the
repository's root conftest.py). The binary comes from $POLLEN_BIN, which scripts/test
sets to the freshly built debug executable.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_SECONDS = 60
SHUTDOWN_TIMEOUT_SECONDS = 15
CLI_TIMEOUT_SECONDS = 120
LOG_TAIL_CHARS = 6000


def pollen_binary() -> str:
    binary = os.environ.get("POLLEN_BIN") or str(REPO_ROOT / ".build" / "debug" / "pollen")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"pollen binary not found at {binary}: build it and set POLLEN_BIN")
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return ""
    return text[-LOG_TAIL_CHARS:]


class PollenServer:
    """A running server: `.url` (no trailing slash), `.data_dir`, and `.cli(...)`."""

    def __init__(self, binary: str, port: int, data_dir: Path, log_dir: Path):
        self.binary = binary
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.data_dir = data_dir
        self.stdout_path = log_dir / "server.stdout.log"
        self.stderr_path = log_dir / "server.stderr.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--data-dir", str(self.data_dir), "--no-write-limits"],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=self.data_dir,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            if self.process.poll() is not None:
                pytest.fail(
                    f"pollen serve exited with status {self.process.returncode} before it was healthy\n"
                    f"--- stderr ---\n{_tail(self.stderr_path)}\n--- stdout ---\n{_tail(self.stdout_path)}",
                    pytrace=False)
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(
                    f"pollen serve did not answer GET /healthz with 200 within {STARTUP_TIMEOUT_SECONDS}s\n"
                    f"--- stderr ---\n{_tail(self.stderr_path)}",
                    pytrace=False)
            time.sleep(0.1)

    def stop(self) -> int | None:
        """SIGTERM (graceful shutdown), then SIGKILL if it takes too long.

        Returns the exit status, or None if the process was not running any more.
        """
        if self.process is None or self.process.poll() is not None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"pollen serve did not stop within {SHUTDOWN_TIMEOUT_SECONDS}s of SIGTERM",
                        pytrace=False)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run `pollen <args> --data-dir <this server's data dir>`.

        With check=True (the default) a non-zero exit fails the test, showing the output.
        """
        command = [self.binary, *args, "--data-dir", str(self.data_dir)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=CLI_TIMEOUT_SECONDS,
                                stdin=subprocess.DEVNULL)
        if check and result.returncode != 0:
            pytest.fail(
                f"`pollen {' '.join(args)}` exited with status {result.returncode}\n"
                f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}",
                pytrace=False)
        return result

    def log_tail(self) -> str:
        return f"--- server stderr ---\n{_tail(self.stderr_path)}\n--- server stdout ---\n{_tail(self.stdout_path)}"


@contextmanager
def running_server(base_dir: Path) -> Iterator[PollenServer]:
    """Start a server with a fresh data directory under `base_dir`; stop it on exit."""
    data_dir = base_dir / "data"
    data_dir.mkdir(parents=True)
    server = PollenServer(pollen_binary(), free_port(), data_dir, base_dir)
    try:
        server.start()
        yield server
    finally:
        status = server.stop()
        # Printed output is shown by pytest only when the test fails.
        print(server.log_tail())
        if status is None and server.process is not None:
            print(f"pollen serve had already exited with status {server.process.returncode}")
        elif status not in (None, 0, -signal.SIGTERM):
            print(f"pollen serve exited with status {status} after SIGTERM")


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PollenServer]:
    """A fresh `pollen serve` on a free loopback port with an empty data directory."""
    with running_server(tmp_path_factory.mktemp("pollen")) as running:
        yield running
