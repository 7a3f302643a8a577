"""Where the repo's samples live, and small process helpers the tests share."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "raw"
SHARED = REPO.parent / "shared"


def stop_process_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM a subprocess started with start_new_session=True and its children; SIGKILL if it lingers."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def copy_raw(dest: Path, names: list[str] | None = None) -> Path:
    """Copy sample articles from the repo's raw/ (all, or the named files) into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for p in sorted(RAW.iterdir()):
        if p.is_file() and p.name != "README.md" and (names is None or p.name in names):
            shutil.copy2(p, dest / p.name)
    return dest
