"""Operator faults: what breaks around the pipeline (not in its data), named in one sentence with the remedy.

`classify(exc, settings)` reads an exception (its whole cause/context chain, and the text of
errors that dbt or GX only pass on as messages) and returns an `OperatorFault`: which fault,
the file it concerns, one sentence naming both and the command that repairs it, and the exit
code of `parley run`. Anything else is a bug and keeps its traceback.

| fault | exit | remedy |
|---|---|---|
| `raw_missing` the raw directory does not exist | 66 | create it, or point `--raw-dir` at it |
| `build_damaged` the build database is truncated or garbled | 65 | `parley rebuild` |
| `serving_damaged` the serving file is truncated or garbled | 69 | `parley rebuild` |
| `disk_full` no space left (ENOSPC, also inside dbt or GX) | 74 | free space, run again |
| `permission` the raw, state or serving directory refuses access | 77 | grant access, run again |
| `locked` another run holds the lock | 75 | wait, or `--wait SECONDS` |

Damage is never retried (`retryable` False); a full disk is (space may come back).
How DuckDB 2.0 reports a damaged file (measured on a truncated and on a garbled build.duckdb):
`IOException: Could not read enough bytes from file "F": attempted to read N bytes from location M`
(truncated), `IOException: The file "F" exists, but it is not a valid DuckDB database file!`
(header garbled or emptied), `Error: Corrupt database file: computed checksum ... does not match
stored checksum ... in block at location M` (a block garbled). A truncation that DuckDB has not
read yet is found by `file_damage` (the header's block count against the file size).
"""

from __future__ import annotations

import copy
import errno
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from flows.config import Settings

EXIT_BUILD_DAMAGED = 65  # EX_DATAERR
EXIT_RAW_MISSING = 66  # EX_NOINPUT
EXIT_SERVING_DAMAGED = 69  # EX_UNAVAILABLE
EXIT_DISK_FULL = 74  # EX_IOERR
EXIT_LOCKED = 75  # EX_TEMPFAIL (as before)
EXIT_PERMISSION = 77  # EX_NOPERM

EXIT_CODES = {
    "build_damaged": EXIT_BUILD_DAMAGED,
    "raw_missing": EXIT_RAW_MISSING,
    "serving_damaged": EXIT_SERVING_DAMAGED,
    "disk_full": EXIT_DISK_FULL,
    "locked": EXIT_LOCKED,
    "permission": EXIT_PERMISSION,
}

# message texts, for errors that reach us only as text (dbt node messages, GX store errors)
DISK_FULL_TEXT = re.compile(r"No space left on device|\[Errno 28\]|Disk quota exceeded|\[Errno 122\]")
PERMISSION_TEXT = re.compile(r"Permission denied|\[Errno 13\]")
DAMAGE_TEXT = re.compile(
    r"Could not read enough bytes from file|is not a valid DuckDB database file|Corrupt database file"
    r"|does not match stored checksum|Failure while replaying WAL|Serialization Error"
)
QUOTED_FILE = re.compile(r'(?:file|database file|Cannot open file) "([^"]+)"')
ERRNO_FILE = re.compile(r"\[Errno \d+\] [^:']+: '([^']+)'")
TRACEBACK_TEXT = "Traceback (most recent call last)"
HEADER_BYTES = 3 * 4096  # DuckDB's main header and its two database headers precede the blocks


@dataclass
class OperatorFault(RuntimeError):
    """A named operator fault: `sentence` says what broke, where, and what to run."""

    kind: str
    path: Path | None
    sentence: str
    detail: str = ""  # the underlying error's first line

    def __post_init__(self) -> None:
        super().__init__(self.sentence)

    def __str__(self) -> str:
        return self.sentence

    def __reduce__(self):  # pickles (Dask, Prefect results) by its fields, not by `args`
        return (type(self), (self.kind, self.path, self.sentence, self.detail))

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.kind]

    @property
    def retryable(self) -> bool:
        """Whether another try may succeed by itself (a full disk may drain; damage and permissions do not)."""
        return self.kind == "disk_full"


def _first_line(exc: BaseException | str) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def _chain(exc: BaseException | None) -> list[BaseException]:
    out, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        out.append(exc)
        for sub in getattr(exc, "exceptions", None) or ():  # an exception group (Python 3.11+)
            if isinstance(sub, BaseException):
                out += _chain(sub)
        exc = exc.__cause__ or exc.__context__
    return out


def _location_flags(settings: Settings | None) -> str:
    """The `--serving`/`--state-dir` flags that point a command at these locations."""
    if settings is None:
        return ""
    flags = f" --serving {settings.serving}"
    if settings.state_dir != settings.serving.parent / ".parley":
        flags += f" --state-dir {settings.state_dir}"
    return flags


def _under(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError):
        return False


def where(path: Path | None, settings: Settings | None) -> str:
    """Which of parley's places `path` is in: build, serving, state, raw, serving_dir, or other."""
    if path is None or settings is None:
        return "other"
    path = Path(path)
    name = path.name
    if path.parent == settings.build_db.parent and name.startswith(settings.build_db.name):
        return "build"
    if path == settings.serving:
        return "serving"
    if _under(path, settings.state_dir):
        return "state"
    if _under(path, settings.raw_dir):
        return "raw"
    if _under(path, settings.serving.parent):
        return "serving_dir"
    return "other"


# --- the faults, one constructor each ---------------------------------------------------------


def build_damaged(settings: Settings, detail: str) -> OperatorFault:
    return OperatorFault(
        "build_damaged",
        settings.build_db,
        f"the build database {settings.build_db} is damaged ({detail}); the serving file was left as it was: "
        f"run `parley rebuild{_location_flags(settings)}` to move it aside and rebuild it from the landing "
        "snapshot, then `parley run` as usual",
        detail,
    )


def serving_damaged(settings: Settings, detail: str) -> OperatorFault:
    return OperatorFault(
        "serving_damaged",
        settings.serving,
        f"the serving file {settings.serving} is damaged ({detail}); this run changed nothing: "
        f"run `parley rebuild{_location_flags(settings)}` to publish the build database's marts again "
        "(the damaged file is kept beside it)",
        detail,
    )


def disk_full(settings: Settings | None, path: Path | None, detail: str) -> OperatorFault:
    place = path or (settings.state_dir if settings else None)
    shown = f"the file system of {place}" if place else "a file system parley writes to"
    return OperatorFault(
        "disk_full",
        Path(place) if place else None,
        f"{shown} is full ({detail}); nothing was published and the serving file was left as it was: "
        "free space there (`parley status` shows what is free) and run `parley run` again, it resumes "
        "where this run stopped",
        detail,
    )


_PLACES = {
    "raw": ("the raw directory", "read"),
    "state": ("the state directory", "read and write"),
    "build": ("the state directory", "read and write"),
    "serving": ("the serving directory", "read and write"),
    "serving_dir": ("the serving directory", "read and write"),
}


def permission(settings: Settings | None, path: Path | None, detail: str) -> OperatorFault:
    place = where(path, settings)
    label, access = _PLACES.get(place, ("a directory parley uses", "read and write"))
    if settings is not None and place in _PLACES:
        directory = {"raw": settings.raw_dir, "state": settings.state_dir, "build": settings.state_dir}.get(
            place, settings.serving.parent
        )
    else:
        directory = Path(path).parent if path else None
    return OperatorFault(
        "permission",
        directory,
        f"{label} {directory} refuses access ({detail}); nothing was published and the serving file was left as "
        f"it was: give the user running parley (uid {os.geteuid()}) {access} access to {directory} and everything "
        "in it, then run `parley run` again",
        detail,
    )


def locked(lock_file: Path, holder: str) -> OperatorFault:
    return OperatorFault(
        "locked",
        lock_file,
        f"another parley run is in progress (pid {holder}, lock {lock_file}); this run exits without touching "
        "the warehouse: wait for it to finish, or run with `--wait SECONDS` to queue behind it",
        f"pid {holder}",
    )


def raw_missing(raw_dir: Path) -> OperatorFault:
    return OperatorFault(
        "raw_missing",
        raw_dir,
        f"the raw directory {raw_dir} does not exist: create it (and put the article files in it), or point "
        "`--raw-dir` (or PARLEY_RAW_DIR) at the directory that holds them",
        "no such directory",
    )


# --- classification ---------------------------------------------------------------------------


def _text_path(text: str) -> Path | None:
    m = QUOTED_FILE.search(text) or ERRNO_FILE.search(text)
    return Path(m.group(1)) if m else None


def _from_oserror(exc: OSError, settings: Settings | None) -> OperatorFault | None:
    path = Path(exc.filename) if exc.filename else None
    detail = f"{exc.strerror or _first_line(exc)}: {exc.filename}" if exc.filename else _first_line(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(settings, path, detail)
    if exc.errno in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        return permission(settings, path, detail)
    return None


def from_text(text: str, settings: Settings | None, path: Path | None = None) -> OperatorFault | None:
    """The fault an error message describes (DuckDB, dbt, GX, OS texts), or None."""
    path = _text_path(text) or path
    detail = _first_line(text)
    if DISK_FULL_TEXT.search(text):
        return disk_full(settings, path, detail)
    if PERMISSION_TEXT.search(text):
        return permission(settings, path, detail)
    if DAMAGE_TEXT.search(text) and settings is not None:
        if where(path, settings) == "serving":
            return serving_damaged(settings, detail)
        return build_damaged(settings, detail)  # the only database a run reads and writes
    return None


def classify(exc: BaseException | None, settings: Settings | None = None) -> OperatorFault | None:
    """The operator fault behind `exc` (anywhere in its chain), or None for anything else."""
    from flows.orchestration.lock import RunLocked

    chain = _chain(exc)
    for e in chain:
        if isinstance(e, OperatorFault):
            return e
    for e in chain:
        if isinstance(e, RunLocked):
            lock_file = getattr(e, "lock_file", None) or (settings.lock_file if settings else Path("run.lock"))
            return locked(lock_file, getattr(e, "holder", "unknown"))
        if isinstance(e, OSError):
            fault = _from_oserror(e, settings)
            if fault is not None:
                return fault
        if isinstance(e, duckdb.Error) or type(e).__module__.startswith(("great_expectations", "dbt")):
            fault = from_text(str(e), settings)
            if fault is not None:
                return fault
    for e in chain:  # errors of other libraries that only kept the OS error's text
        fault = from_text(str(e), settings)
        if fault is not None and fault.kind in ("disk_full", "permission"):
            return fault
    return None


def is_damage(exc: BaseException | None) -> bool:
    """Whether `exc` says a database file is damaged (never worth a retry)."""
    for e in _chain(exc):
        if isinstance(e, OperatorFault) and e.kind.endswith("_damaged"):
            return True
        if isinstance(e, duckdb.Error) and DAMAGE_TEXT.search(str(e)):
            return True
    return False


def retry_verdict(exc: BaseException | None) -> bool | None:
    """For the task retry policy: True for a full disk (space may come back), False for damage, permissions,
    a missing raw directory or the lock (another try meets the same), None for anything else."""
    if is_damage(exc):
        return False
    fault = classify(exc)
    return None if fault is None else fault.retryable


# --- checking a database file -----------------------------------------------------------------


def file_damage(path: Path, *, read_only: bool = True, scan: bool = False) -> str | None:
    """Why the DuckDB file `path` is damaged (DuckDB's own first line), or None when it opens and is whole.

    Opens it (read-only by default), reads its catalog, and compares the blocks its header
    counts with the file's size (a truncation DuckDB has not read yet); with `scan`, reads every
    row of every table too (each block's checksum is verified as it is read).
    """
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        if DAMAGE_TEXT.search(str(exc)):
            return _first_line(exc)
        raise  # not damage: a lock held by a run, permissions, ... (the caller says what)
    try:
        con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        block_size, used_blocks = con.execute("select block_size, used_blocks from pragma_database_size()").fetchone()
        size = os.path.getsize(path)
        # the file holds at least its used blocks (total_blocks also counts free blocks at the end, which
        # DuckDB truncates from the file after a checkpoint: a whole file may be shorter than total_blocks)
        expected = HEADER_BYTES + block_size * used_blocks
        wal = Path(f"{path}.wal").exists()  # blocks a WAL replay allocated are not in the file yet
        if size < expected and not wal:
            return f"truncated: {size} bytes, its header counts {used_blocks} used blocks of {block_size} bytes"
        if scan:
            from flows.warehouse.sql import ident

            tables = con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
            for schema, table in tables:
                con.execute(f"select count(*), max(hash(t)) from {ident(schema)}.{ident(table)} as t").fetchall()
    except duckdb.Error as exc:
        return _first_line(exc)
    finally:
        con.close()
    return None


def serving_damage(settings: Settings) -> str | None:
    """Why the serving file is damaged, or None. A file whose sha256 is the one its publish recorded is whole;
    any other is opened and, when the publish recorded a sha256, read in full (a reader may have changed it)."""
    from flows.warehouse.published import publish_of_serving
    from flows.warehouse.snapshot import file_sha256

    marker = publish_of_serving(settings)
    recorded = marker.serving_sha256 if marker else None
    if recorded and file_sha256(settings.serving) == recorded:
        return None
    return file_damage(settings.serving, read_only=True, scan=bool(recorded))


def _check_database(settings: Settings, path: Path, check, damaged) -> None:
    try:
        damage = check()
    except duckdb.Error as exc:  # not damage: a lock held by a running run (it reports), or permissions
        fault = from_text(str(exc), settings, path)
        if fault is not None and fault.kind == "permission":
            raise fault from exc
        return
    except OSError as exc:
        fault = _from_oserror(exc, settings)
        if fault is not None:
            raise fault from exc
        raise
    if damage is not None:
        raise damaged(settings, damage)


def preflight(settings: Settings) -> None:
    """Raise the OperatorFault a run would meet later: no raw directory (or an unreadable one), a state or
    serving directory it may not write, a damaged build database (opened read-only: catalog and size),
    a damaged serving file. Costs milliseconds (and a sha256 of the serving file)."""
    if not settings.raw_dir.is_dir():
        raise raw_missing(settings.raw_dir)
    try:
        with os.scandir(settings.raw_dir) as entries:
            next(entries, None)
    except OSError as exc:
        fault = _from_oserror(exc, settings)
        if fault is None:
            raise
        raise fault from exc
    for directory, mode in ((settings.state_dir, os.W_OK), (settings.serving.parent, os.W_OK)):
        if directory.is_dir() and not os.access(directory, mode | os.X_OK):  # found now, not after the extraction
            raise permission(settings, directory / ".", f"Permission denied: {directory}")
    if settings.build_db.exists():
        _check_database(settings, settings.build_db, lambda: file_damage(settings.build_db), build_damaged)
    if settings.serving.exists():
        _check_database(settings, settings.serving, lambda: serving_damage(settings), serving_damaged)


class _QuietFormatter:
    """Formats a log record as its handler's formatter does, without the traceback of an operator fault."""

    def __init__(self, inner: logging.Formatter):
        self.inner = inner

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def format(self, record: logging.LogRecord) -> str:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and classify(exc) is not None:
            record = copy.copy(record)
            record.exc_info, record.exc_text = None, None
            record.msg = f"{record.msg} (traceback in the run's parley.log; --debug shows it here)"
        elif exc is None and isinstance(record.msg, str) and TRACEBACK_TEXT in record.msg:
            message = record.getMessage()  # a library that logs a traceback as text (GX's Data Docs builder)
            if from_text(message, None) is not None:
                record = copy.copy(record)
                head = message.split("Traceback")[0].rstrip(' "')
                record.msg, record.args = f"{head} (traceback in the run's parley.log)", None
        return self.inner.format(record)


def quiet_console_tracebacks() -> None:
    """Keep operator faults' tracebacks off the terminal: Prefect's console handler prints the one line only."""
    for handler in logging.getLogger().handlers:
        if handler.__class__.__name__ == "PrefectConsoleHandler" and not isinstance(handler.formatter, _QuietFormatter):
            handler.setFormatter(_QuietFormatter(handler.formatter or logging.Formatter()))
