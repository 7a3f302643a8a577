"""Helpers of the reliability tests (`tests/test_reliability_*.py`).

Every run is a real `parley run` subprocess against a shared Prefect server
(`prefect_server_url`), in a workspace directory laid out as a user would:
`raw/`, `w/parley.duckdb` (serving), `w/.parley/` (state). Workspaces can be cloned,
so the expensive sample builds run once per session.

`python -m tests.support.reliability hold|poll SERVING STOPFILE` is a reader process (a dashboard):
`hold` keeps one read-only connection and re-reads the marts through it until STOPFILE
exists, then reconnects once; `poll` opens a fresh connection for every read.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.warehouse.sql import ident

REPO = Path(__file__).resolve().parents[2]
PARLEY = Path(sys.executable).with_name("parley")
MARTS = (
    "dim_actors",
    "dim_articles",
    "fct_actor_mentions",
    "fct_statements",
    "fct_demands",
    "fct_offers",
    "fct_responses",
    "fct_negotiations",
    "rejected_inputs",
    "dim_issues",
    "dim_negotiation_tracks",
    "fct_negotiation_status_history",
    "fct_positions",
    "positions_current",
)
VOLATILE = frozenset({"ingested_at", "loaded_at", "run_id", "rejected_at"})  # differ between equal runs
ARTICLE_A = "voa-2019-01-09-us-china-trade-talks.md"
ARTICLE_B = "voa-2014-nk-no-talks-planned.txt"
COPY_OF_A = "zz-same-article-again.md"  # sorts after A: in a fresh build A's file name wins
RUN_TIMEOUT = 600
PARALLEL = 4  # parley runs at once in one test (2 cores are kept busy; memory stays near 2 GB)
_counter = itertools.count()


# --- reading the serving file ---------------------------------------------------------------


def snapshot(con: duckdb.DuckDBPyConnection, *, stable: bool = True) -> dict[str, list[tuple]]:
    """Every mart's rows, sorted; with `stable`, without the columns that differ between equal runs."""
    out = {}
    for table in MARTS:
        cols = [r[0] for r in con.execute(f"describe {ident(table)}").fetchall() if not (stable and r[0] in VOLATILE)]
        out[table] = con.execute(f"select {', '.join(map(ident, cols))} from {ident(table)} order by all").fetchall()
    return out


def read_snapshot(db: Path, *, stable: bool = True) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return snapshot(con, stable=stable)
    finally:
        con.close()


def digest(snap: dict[str, list[tuple]]) -> str:
    return hashlib.sha256(repr(sorted(snap.items())).encode()).hexdigest()


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of one query on a read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def query_copy(db: Path, sql: str, scratch: Path) -> list[tuple]:
    """Rows of a query on a copy of `db` and its WAL, so the original (and its WAL) stay as a crash left them."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / db.name
    shutil.copy2(db, copy)
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
    con = duckdb.connect(str(copy))  # read-write: replays the WAL like the next run would
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
        shutil.rmtree(scratch)


# --- running parley -------------------------------------------------------------------------


@dataclass
class Result:
    rc: int
    output: str  # stdout and stderr together


def _drop_file_capabilities() -> None:
    """In a child of root, before exec: lose CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (prctl
    PR_CAPBSET_DROP), so file modes apply to it as to any user: a mode-000 file is unreadable."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


class Proc:
    """A started subprocess whose combined output goes to a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, *, unprivileged: bool = False):
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        drop = _drop_file_capabilities if unprivileged and os.geteuid() == 0 else None
        with open(log, "wb") as fh:
            self.popen = subprocess.Popen(
                args, env=env, cwd=REPO, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=drop
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait(self, timeout: float = RUN_TIMEOUT) -> Result:
        try:
            rc = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise AssertionError(f"timed out after {timeout}s:\n{self.output()[-4000:]}") from None
        return Result(rc, self.output())


def wait_all(procs: dict[str, Proc]) -> dict[str, Result]:
    return {key: proc.wait() for key, proc in procs.items()}


def run_all(starts: dict[str, Callable[[], Proc]], parallel: int = PARALLEL) -> dict[str, Result]:
    """Start each process (at most `parallel` at a time: a run takes ~0.5 GB) and wait for all of them."""
    pending, running, done = list(starts.items()), {}, {}
    try:
        while pending or running:
            while pending and len(running) < parallel:
                key, start = pending.pop(0)
                running[key] = (start(), time.monotonic())
            for key, (proc, started) in list(running.items()):
                if proc.popen.poll() is not None or time.monotonic() - started > RUN_TIMEOUT:
                    del running[key]
                    done[key] = proc.wait(timeout=0.1)  # a process past RUN_TIMEOUT is killed: AssertionError
            time.sleep(0.2)
    finally:
        for proc, _ in running.values():
            proc.popen.kill()
            proc.popen.wait()
    return {key: done[key] for key in starts}


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def serving(self) -> Path:
        return self.root / "w" / "parley.duckdb"

    @property
    def state(self) -> Path:
        return self.serving.parent / ".parley"

    @property
    def build_db(self) -> Path:
        return self.state / "build.duckdb"

    @property
    def marker(self) -> Path:
        return self.state / "published.json"

    @classmethod
    def create(cls, root: Path, articles: dict[str, str | Path] | None = None) -> Workspace:
        """A workspace whose raw/ holds the given files (name -> text, or a sample file of the repo's raw/)."""
        ws = cls(root)
        ws.raw.mkdir(parents=True, exist_ok=True)
        for name, content in (articles or {}).items():
            ws.add(name, content)
        return ws

    def add(self, name: str, content: str | Path) -> None:
        target = self.raw / name
        if isinstance(content, Path):
            shutil.copy2(content, target)
        else:
            target.write_text(content, encoding="utf-8")

    def clone(self, root: Path) -> Workspace:
        """A copy (raw files, serving file, build database, publish marker) that behaves as the original."""
        shutil.copytree(self.root, root, symlinks=True, ignore=shutil.ignore_patterns("runs", "logs", "home"))
        ws = Workspace(root)
        if ws.marker.exists():  # the marker names the serving file it describes
            marker = json.loads(ws.marker.read_text())
            marker["serving"] = str(ws.serving.resolve())
            ws.marker.write_text(json.dumps(marker))
        return ws

    def env(self, prefect_url: str, kill_at: str | None = None) -> dict[str, str]:
        home = self.root / "home"
        home.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PARLEY_", "PREFECT_"))}
        env.update(
            PREFECT_API_URL=prefect_url,
            PREFECT_HOME=str(home / "prefect"),
            HOME=str(home),
            PREFECT_LOGGING_LEVEL="INFO",
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            DO_NOT_TRACK="1",
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            GX_ANALYTICS_ENABLED="false",
            PYTHONUNBUFFERED="1",
        )
        if kill_at:
            env["PARLEY_KILL_AT"] = kill_at
        return env

    def start(self, prefect_url: str, *args: str, kill_at: str | None = None, unprivileged: bool = False) -> Proc:
        """Start `parley run` on this workspace (one worker); `kill_at` sets PARLEY_KILL_AT;
        `unprivileged`: as root, without the capabilities that let root read any file."""
        cmd = [str(PARLEY), "run", "--raw-dir", str(self.raw), "--serving", str(self.serving), "--workers", "1", *args]
        log = self.root / "logs" / f"run-{next(_counter)}.log"
        return Proc(cmd, self.env(prefect_url, kill_at), log, unprivileged=unprivileged)

    def run(self, prefect_url: str, *args: str, kill_at: str | None = None, unprivileged: bool = False) -> Result:
        return self.start(prefect_url, *args, kill_at=kill_at, unprivileged=unprivileged).wait()

    def command(self, prefect_url: str, command: str, *args: str, unprivileged: bool = False) -> Result:
        """Run `parley <command>` (rebuild, status, ...) on this workspace's raw directory and serving file."""
        cmd = [str(PARLEY), command, "--raw-dir", str(self.raw), "--serving", str(self.serving), *args]
        log = self.root / "logs" / f"{command}-{next(_counter)}.log"
        return Proc(cmd, self.env(prefect_url), log, unprivileged=unprivileged).wait()

    def leftovers(self) -> list[Path]:
        """Temporaries a killed publish leaves behind (serving file and Parquet copies)."""
        parquet = self.serving.parent / "parquet"
        found = list(self.serving.parent.glob(".parley.duckdb.*"))
        return found + (list(parquet.glob(".*")) if parquet.is_dir() else [])


def assert_ok(result: Result) -> None:
    assert result.rc == 0, f"parley run exited {result.rc}:\n{result.output[-6000:]}"


# --- samples, built once per session ----------------------------------------------------------

_SAMPLES: dict[str, tuple[Workspace, Workspace]] = {}


def samples(tmp_path_factory, prefect_url: str) -> tuple[Workspace, Workspace]:
    """(baseline, reference), built in parallel once per session.

    baseline: article A published. reference: A, B and a copy of A under another name,
    published by one uninterrupted run from scratch: what every path to the same raw
    directory must end at.
    """
    if prefect_url not in _SAMPLES:
        root = tmp_path_factory.mktemp("samples")
        baseline = Workspace.create(root / "baseline", {ARTICLE_A: REPO / "raw" / ARTICLE_A})
        reference = Workspace.create(
            root / "reference",
            {
                ARTICLE_A: REPO / "raw" / ARTICLE_A,
                ARTICLE_B: REPO / "raw" / ARTICLE_B,
                COPY_OF_A: REPO / "raw" / ARTICLE_A,
            },
        )
        for result in run_all(
            {"baseline": lambda: baseline.start(prefect_url), "reference": lambda: reference.start(prefect_url)}
        ).values():
            assert_ok(result)
        _SAMPLES[prefect_url] = (baseline, reference)
    return _SAMPLES[prefect_url]


def grow(ws: Workspace) -> None:
    """Turn a baseline copy into the reference's raw directory: add B and a copy of A."""
    ws.add(ARTICLE_B, REPO / "raw" / ARTICLE_B)
    ws.add(COPY_OF_A, REPO / "raw" / ARTICLE_A)


# --- reader processes -----------------------------------------------------------------------


def start_reader(mode: str, serving: Path, stop: Path, log: Path) -> Proc:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return Proc([sys.executable, "-m", "tests.support.reliability", mode, str(serving), str(stop)], env, log)


def wait_for(predicate, timeout: float = 120, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _hold(serving: str, stop: str) -> dict:
    con = duckdb.connect(serving, read_only=True)
    first = digest(snapshot(con))
    print(json.dumps({"first": first}), flush=True)
    reads, changed, errors = 0, 0, []
    while not os.path.exists(stop):
        try:
            changed += digest(snapshot(con)) != first
        except duckdb.Error as exc:
            errors.append(str(exc))
        reads += 1
        time.sleep(0.5)
    con.close()
    con = duckdb.connect(serving, read_only=True)
    after = digest(snapshot(con))
    con.close()
    return {"first": first, "reads": reads, "changed": changed, "errors": errors[:5], "after_reconnect": after}


def _poll(serving: str, stop: str) -> dict:
    seen: Counter[str] = Counter()
    errors = []
    while not os.path.exists(stop):
        try:
            con = duckdb.connect(serving, read_only=True)
            try:
                seen[digest(snapshot(con))] += 1
            finally:
                con.close()
        except duckdb.Error as exc:
            errors.append(str(exc))
        time.sleep(0.3)
    return {"seen": dict(seen), "errors": errors[:5]}


def reader_report(result: Result) -> dict:
    """The reader's final JSON line."""
    assert result.rc == 0, result.output[-3000:]
    return json.loads(result.output.strip().splitlines()[-1])


if __name__ == "__main__":
    mode, serving_arg, stop_arg = sys.argv[1:4]
    print(json.dumps((_hold if mode == "hold" else _poll)(serving_arg, stop_arg)), flush=True)
