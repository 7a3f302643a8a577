"""Publish: copy the validated marts into a fresh serving file and swap it in atomically.

Readers that hold the old serving file open keep their consistent view (the old inode
lives until they close it); a reader that reconnects sees the new warehouse; nobody
ever sees a half-written file, because the new one is complete and fsynced before the
rename. The file is written with an explicit storage version that DuckDB 1.x reads.
A publish killed half-way leaves only hidden temporaries (`.parley.duckdb.<run>.tmp`,
its `.wal`, `parquet/.<mart>.<run>.tmp`); the next publish deletes them first.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from flows.kill_points import kill_point
from flows.warehouse.snapshot import file_sha256, write_snapshot
from flows.warehouse.sql import ident, literal

# DuckDB 1.2+ (and so 1.4, which many BI tools embed) can read files of this storage version.
STORAGE_VERSION = "v1.2.0"
MART_SCHEMA = "marts"


@dataclass
class PublishResult:
    serving: Path
    tables: dict[str, int]
    parquet_dir: Path | None
    sha256: str | None = None  # of the serving file written


def mart_tables(con: duckdb.DuckDBPyConnection, catalog: str = "build", schema: str = MART_SCHEMA) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = ? "
        "and table_type = 'BASE TABLE' order by table_name",
        [catalog, schema],
    ).fetchall()
    return [r[0] for r in rows]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(build_db: Path, serving: Path, run_id: str, *, parquet_dir: Path | None = None) -> PublishResult:
    """Write every mart of `build_db` to a new file next to `serving`, then rename it over `serving`."""
    serving.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(serving, parquet_dir)
    tmp = serving.with_name(f".{serving.name}.{run_id}.tmp")
    counts: dict[str, int] = {}
    con = duckdb.connect()
    try:
        con.execute(f"attach {literal(build_db)} as build (read_only)")
        con.execute(f"attach {literal(tmp)} as pub (storage_version {literal(STORAGE_VERSION)})")
        tables = mart_tables(con)
        for table in tables:
            con.execute(
                f"create table pub.main.{ident(table)} as select * from build.{ident(MART_SCHEMA)}.{ident(table)}"
            )
            counts[table] = con.execute(f"select count(*) from pub.main.{ident(table)}").fetchone()[0]
            kill_point("publish.table_copied")
        con.execute(
            "create table pub.main.parley_publish as select ?::varchar as run_id, "
            "?::timestamptz as published_at, ?::varchar as storage_version",
            [run_id, datetime.now(timezone.utc), STORAGE_VERSION],
        )
        con.execute("detach pub")
        if parquet_dir is not None:
            _export_parquet(con, tables, parquet_dir, run_id)
        write_snapshot(con, "build", serving, run_id)  # the landing tables behind these marts, for `parley rebuild`
    finally:
        con.close()
    _fsync(tmp)
    sha256 = file_sha256(tmp)
    kill_point("publish.before_swap")
    os.replace(tmp, serving)
    _fsync(serving.parent)
    return PublishResult(serving, counts, parquet_dir, sha256)


def remove_leftovers(serving: Path, parquet_dir: Path | None = None) -> list[Path]:
    """Delete the temporaries of publishes that were killed (call only while holding the run lock)."""
    found = list(serving.parent.glob(f".{glob.escape(serving.name)}.*.tmp*"))
    if parquet_dir is not None and parquet_dir.is_dir():
        found += parquet_dir.glob(".*.tmp")
    for path in found:
        path.unlink(missing_ok=True)
    return found


def _export_parquet(con: duckdb.DuckDBPyConnection, tables: list[str], parquet_dir: Path, run_id: str) -> None:
    """One Parquet file per mart, each swapped in by rename (a reader never sees a partial file)."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    for table in tables:
        final = parquet_dir / f"{table}.parquet"
        tmp = parquet_dir / f".{table}.{run_id}.tmp"
        con.execute(f"copy build.{ident(MART_SCHEMA)}.{ident(table)} to {literal(tmp)} (format parquet)")
        os.replace(tmp, final)
