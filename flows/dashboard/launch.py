"""Start the Streamlit dashboard in this process (what `parley dashboard` runs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")

# headless, offline, no telemetry, no reloading on file changes: a server, not a dev loop. The welcome
# banner is off because, for a wildcard address, it looks up the machine's public IP on the internet.
STREAMLIT_OPTIONS = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "logger.hideWelcomeMessage": "true",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "global.developmentMode": "false",
    "runner.magicEnabled": "false",
    "client.toolbarMode": "viewer",
}


def streamlit_argv(host: str, port: int) -> list[str]:
    """The `streamlit run` arguments for the dashboard app on host:port."""
    options = {**STREAMLIT_OPTIONS, "server.address": host, "server.port": str(port)}
    return ["run", str(APP), *(f"--{key}={value}" for key, value in options.items())]


def run_dashboard(serving: Path, host: str = "127.0.0.1", port: int = 8501) -> int:
    """Serve the dashboard over `serving` until interrupted; returns the exit code."""
    from streamlit.web import cli as streamlit_cli

    os.environ["PARLEY_SERVING"] = str(serving)
    if not serving.is_file():
        print(
            f"parley dashboard: no warehouse at {serving} yet; the pages say so until `parley run` publishes one",
            file=sys.stderr,
        )
    print(f"parley dashboard: http://{host}:{port}/ over {serving} (read-only)", file=sys.stderr)
    try:
        streamlit_cli.main(args=streamlit_argv(host, port), prog_name="streamlit")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0
