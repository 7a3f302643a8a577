"""A Prefect API for one `parley run` without a configured server, started before Prefect is imported.

Without `PREFECT_API_URL`, Prefect's client starts a temporary server when the flow begins: it
first imports the whole server application in this process (about 4.5 s here), then waits for a
subprocess that imports it again and starts (about 4.5 s). `parley run` instead starts Prefect's own
command, `prefect server start --no-services --no-ui` (a server without background services, as the
temporary one runs), on a free local port as its first step, so the server starts while this
process imports the flow and loads the spaCy model; the flow then talks to it through
`PREFECT_API_URL` (`temporary_settings`). Same database (PREFECT_HOME), same runs, logs and
artifacts as the temporary server. If it does not answer in time, it is stopped and Prefect's
temporary server is used as before. One server per process (later runs in the same process reuse
it); it is stopped at exit, after Prefect's log and event workers have flushed (as Prefect stops its
temporary server), and dies with this process if it is killed (Linux: PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

# how long to wait for the server before falling back to Prefect's own temporary server: long, because on a
# loaded machine the fallback starts the same server again from scratch (seen at load 20: 60 s were not enough)
STARTUP_TIMEOUT_S = 300.0
PR_SET_PDEATHSIG = 1


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class EarlyServer:
    """`prefect server start --no-services --no-ui` on a free port, started now, answering later."""

    def __init__(self, log_file: Path | None = None):
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(self.port)]
        env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_SERVER_UI_ENABLED": "false"}
        env.pop("PREFECT_API_URL", None)
        log = open(log_file, "wb") if log_file else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self._log = log
        self.process = subprocess.Popen(
            [*cmd, "--no-services", "--no-ui"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509 - no threads yet
        )
        # registered before Prefect's workers register theirs: runs after they flush (atexit is LIFO)
        atexit.register(self.stop)

    def wait(self, timeout: float = STARTUP_TIMEOUT_S) -> bool:
        """Whether the server answers its health check within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop the server (SIGTERM; waits up to 5 s, then kills it)."""
        global _SERVER
        if _SERVER is self:
            _SERVER = None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not subprocess.DEVNULL:
            self._log.close()


_SERVER: EarlyServer | None = None


def early_server(log_file: Path | None = None) -> EarlyServer | None:
    """This process's server, starting now (or already running), unless PREFECT_API_URL is set."""
    global _SERVER
    if os.environ.get("PREFECT_API_URL"):
        return None
    if _SERVER is not None and _SERVER.running:
        return _SERVER
    try:
        _SERVER = EarlyServer(log_file)
    except OSError:
        return None
    return _SERVER


@contextlib.contextmanager
def use_server(server: EarlyServer | None) -> Iterator[str | None]:
    """Run the body against `server` (PREFECT_API_URL), once it answers; else with Prefect's own default."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if server is None or PREFECT_API_URL.value() or not server.wait():
        if server is not None:
            server.stop()
        yield PREFECT_API_URL.value() or None
        return
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield server.api_url
