"""One `parley run` at a time per state directory: an advisory file lock."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path


class RunLocked(RuntimeError):
    """Another run holds the lock (`lock_file`, held by pid `holder`)."""

    def __init__(self, message: str, lock_file: Path | None = None, holder: str = "unknown"):
        super().__init__(message)
        self.lock_file, self.holder = lock_file, holder


@contextlib.contextmanager
def run_lock(path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on `path` (waiting up to `wait_seconds`), released on exit or death."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
                    raise RunLocked(
                        f"another parley run is in progress (pid {holder}, lock {path}); "
                        "this run exits without touching the warehouse",
                        path,
                        holder,
                    ) from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock
