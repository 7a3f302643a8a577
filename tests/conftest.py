"""Shared fixtures: the spaCy model once per session, a Prefect ephemeral API, sample raw dirs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import stop_process_group

for _key, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(_key, _value)


@pytest.fixture(scope="session")
def nlp():
    from flows.extract.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    """Extract one constructed text: `extract(text) -> Extraction`."""
    from flows.extract import extract_doc
    from flows.extract.nlp import parse_ready

    def run(text: str):
        return extract_doc("t", text, nlp(parse_ready(text)))

    return run


@pytest.fixture(scope="session")
def prefect_api():
    """A real, temporary Prefect API (SQLite) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def prefect_server_url(tmp_path_factory) -> Iterator[str]:
    """The API URL of one real Prefect server (SQLite, temporary PREFECT_HOME) for the whole session.

    Give it to `parley run` subprocesses as PREFECT_API_URL: each then skips starting its own
    temporary server (5-11 s a run).
    """
    home = tmp_path_factory.mktemp("prefect-server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "wb")  # noqa: SIM115 (closed at teardown)
    prefect = Path(sys.executable).with_name("prefect")
    server = subprocess.Popen(
        [
            str(prefect),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-services",
            "--no-ui",
            "--analytics-off",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Prefect server did not start:\n{(home / 'server.log').read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        stop_process_group(server)
        log.close()


_LAYERS = ("unit", "integration", "system")


def pytest_collection_modifyitems(config, items):
    """Mark each test with its layer (the folder it lives in); system tests are also `slow`."""
    for item in items:
        layer = next((part for part in Path(str(item.fspath)).parts if part in _LAYERS), None)
        if layer is not None:
            item.add_marker(layer)
        if layer == "system":
            item.add_marker(pytest.mark.slow)
