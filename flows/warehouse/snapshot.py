"""The landing snapshot: every table of the build database's `landing` schema, in Parquet, beside the serving file.

Written at each publish (after the checks passed, before the publish marker), so it always
holds landing tables whose marts passed every check. `parley rebuild` restores it into a fresh
build database when the build database is damaged: no article is extracted again, and every id
the landing tables keep (issue, track and link ids as much as actors') comes back as it was.

Layout, crash safe: a new version is written to a hidden temporary directory, fsynced, renamed,
and only then named by `CURRENT` (replaced atomically); older versions are deleted afterwards.
A publish killed half-way leaves the previous version current.

    <serving dir>/.parley-landing/<serving file name>/CURRENT          -> "<run_id>"
    <serving dir>/.parley-landing/<serving file name>/<run_id>/manifest.json
    <serving dir>/.parley-landing/<serving file name>/<run_id>/<table>.parquet

Tables are taken generically (whatever `landing` holds, with its DDL from `duckdb_tables()`), so
a landing table added later is snapshotted and restored without a change here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from flows.warehouse.sql import ident, literal

SNAPSHOT_DIR = ".parley-landing"
SCHEMA = "landing"
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1
LANDING_DDL = ("CREATE TABLE LANDING.", 'CREATE TABLE "LANDING".')  # what a recorded DDL must start with


class SnapshotMissing(FileNotFoundError):
    """No complete landing snapshot beside the serving file."""


@dataclass
class Snapshot:
    path: Path  # the version directory
    manifest: dict[str, Any]

    @property
    def run_id(self) -> str:
        return self.manifest["run_id"]

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        return self.manifest["tables"]


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot_root(serving: Path) -> Path:
    return serving.parent / SNAPSHOT_DIR / serving.name


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def landing_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    """(table name, its CREATE TABLE statement) of every table in `catalog`.landing."""
    return con.execute(
        "select table_name, sql from duckdb_tables() where database_name = ? and schema_name = ? order by table_name",
        [catalog, SCHEMA],
    ).fetchall()


def write_snapshot(con: duckdb.DuckDBPyConnection, catalog: str, serving: Path, run_id: str) -> Snapshot:
    """Write every landing table of the attached database `catalog` as the new current snapshot."""
    root = snapshot_root(serving)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{run_id}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    tables: dict[str, dict[str, Any]] = {}
    for table, ddl in landing_tables(con, catalog):
        file = tmp / f"{table}.parquet"
        con.execute(
            f"copy (select * from {ident(catalog)}.{ident(SCHEMA)}.{ident(table)}) to {literal(file)} (format parquet)"
        )
        rows = con.execute(f"select count(*) from {ident(catalog)}.{ident(SCHEMA)}.{ident(table)}").fetchone()[0]
        tables[table] = {"file": file.name, "rows": rows, "ddl": ddl}
        _fsync(file)
    manifest = {
        "format": FORMAT_VERSION,
        "run_id": run_id,
        "serving": str(serving),
        "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tables": tables,
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2))
    _fsync(tmp / MANIFEST)
    _fsync(tmp)
    final = root / run_id
    shutil.rmtree(final, ignore_errors=True)
    os.rename(tmp, final)
    pointer = root / f".{CURRENT}.{run_id}.tmp"
    pointer.write_text(run_id)
    _fsync(pointer)
    os.replace(pointer, root / CURRENT)
    _fsync(root)
    for old in root.iterdir():  # previous versions and temporaries of killed publishes
        if old.name not in (run_id, CURRENT):
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    return Snapshot(final, manifest)


def current_snapshot(serving: Path) -> Snapshot:
    """The current snapshot beside `serving`, checked complete (every file there); SnapshotMissing otherwise."""
    root = snapshot_root(serving)
    try:
        version = (root / CURRENT).read_text().strip()
        manifest = json.loads((root / version / MANIFEST).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise SnapshotMissing(f"no landing snapshot in {root} ({exc})") from None
    path = root / version
    missing = [t for t, info in manifest.get("tables", {}).items() if not (path / info["file"]).is_file()]
    if missing or manifest.get("format") != FORMAT_VERSION:
        raise SnapshotMissing(f"the landing snapshot {path} is incomplete (missing: {', '.join(missing) or 'format'})")
    return Snapshot(path, manifest)


def restore_snapshot(snapshot: Snapshot, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Fill the (fresh, empty) landing tables of `con` from `snapshot`, in one transaction; rows per table.

    Tables the current code creates (`load.connect`) keep its DDL; any other table is created with
    the DDL the snapshot recorded. Row counts are checked against the manifest.
    """
    existing = {t for t, _ in landing_tables(con, con.execute("select current_database()").fetchone()[0])}
    counts = {}
    con.execute("begin transaction")
    try:
        for table, info in snapshot.tables.items():
            if table not in existing:
                ddl = info["ddl"]
                if not ddl.upper().startswith(LANDING_DDL):
                    raise ValueError(f"snapshot DDL of {table} is not a landing table: {ddl[:80]!r}")
                con.execute(ddl)
            file = snapshot.path / info["file"]
            con.execute(
                f"insert into {ident(SCHEMA)}.{ident(table)} by name select * from read_parquet({literal(file)})"
            )
            counts[table] = con.execute(f"select count(*) from {ident(SCHEMA)}.{ident(table)}").fetchone()[0]
            if counts[table] != info["rows"]:
                raise ValueError(f"landing.{table}: restored {counts[table]} rows, the snapshot holds {info['rows']}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts
