"""Load a batch into the build database's landing tables: one transaction, bulk inserts, idempotent.

Re-loading an article replaces its rows (delete by article_id, then insert), so a re-run
or a retried batch never duplicates anything; a crash mid-load rolls the whole batch
back. Each load that changes something is recorded in `landing.batches`, which tells
the next run whether the published warehouse is behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from flows.kill_points import kill_point
from flows.records import LANDING_TABLES, Article, Extraction, RejectedInput
from flows.warehouse.landing import arrow_schema, create_landing_tables
from flows.warehouse.sql import ident

RECORD_TABLES = ("actors", "actor_mentions", "statements", "demands", "offers", "responses", "negotiations")


@dataclass
class LoadResult:
    batch_id: str | None
    articles: int
    rejected: int
    records: dict[str, int]


BATCHES_DDL = (
    "create table if not exists landing.batches (batch_id varchar primary key, "
    "loaded_at timestamp, n_articles integer, n_rejected integer)"
)


def connect(build_db: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the build database; the landing DDL runs only when a table is missing."""
    build_db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(build_db))
    try:
        present = {
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'landing' "
                "and database_name = current_database()"
            ).fetchall()
        }
        if not present >= {*LANDING_TABLES, "batches"}:
            create_landing_tables(con)
            con.execute(BATCHES_DDL)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def open_build_db(build_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """`connect`, closed when the block ends: how the pipeline's steps use the build database."""
    con = connect(build_db)
    try:
        yield con
    finally:
        con.close()


def known_hashes(con: duckdb.DuckDBPyConnection, hashes: Sequence[str]) -> set[str]:
    """Which of these content hashes the warehouse already holds."""
    if not hashes:
        return set()
    tbl = pa.table({"h": pa.array(list(hashes), pa.string())})
    con.register("incoming_hashes", tbl)
    try:
        rows = con.execute(
            "select distinct a.content_hash from landing.articles a join incoming_hashes i on a.content_hash = i.h"
        ).fetchall()
    finally:
        con.unregister("incoming_hashes")
    return {r[0] for r in rows}


def new_rejections(con: duckdb.DuckDBPyConnection, rejected: Sequence[RejectedInput]) -> list[RejectedInput]:
    """Rejections not already recorded (same file, line, reason and content), so re-runs add none."""
    seen = {
        tuple(r)
        for r in con.execute(
            "select file, coalesce(line, -1), reason, coalesce(content_hash, '') from landing.rejected_inputs"
        ).fetchall()
    }
    return [
        r
        for r in rejected
        if (r.file, r.line if r.line is not None else -1, r.reason, r.content_hash or "") not in seen
    ]


def _table(cls: type, rows: Sequence, extra: dict | None = None) -> pa.Table:
    schema = arrow_schema(cls)
    names = [f.name for f in fields(cls)]
    cols = [[getattr(r, n) for r in rows] for n in names]  # not astuple: it deep-copies every list
    arrays = {n: pa.array(list(c), schema.field(n).type) for n, c in zip(names, cols, strict=True)}
    for key, value in (extra or {}).items():
        arrays[key] = pa.array([value] * len(rows), pa.string() if isinstance(value, str) else pa.timestamp("us"))
    return pa.table(arrays)


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    if data.num_rows == 0:
        return
    con.register("batch_rows", data)
    try:
        con.execute(f"insert into landing.{ident(table)} by name select * from batch_rows")
    finally:
        con.unregister("batch_rows")


def load_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    articles: Sequence[Article],
    extractions: Sequence[Extraction],
    rejected: Sequence[RejectedInput],
    links=None,
) -> LoadResult:
    """Replace these articles' rows and add the new rejections, all in one transaction.

    `links` (a `flows.linking.link.Links`, or None) is written in the same transaction.
    """
    rejected = new_rejections(con, rejected)
    counts = {
        t: sum(len(getattr(e, "mentions" if t == "actor_mentions" else t)) for e in extractions) for t in RECORD_TABLES
    }
    if not articles and not rejected:
        return LoadResult(None, 0, 0, counts)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    ids = pa.table({"article_id": pa.array([a.article_id for a in articles], pa.string())})
    con.execute("begin transaction")
    try:
        con.register("batch_ids", ids)
        for table in ("articles", *RECORD_TABLES):
            con.execute(f"delete from landing.{ident(table)} where article_id in (select article_id from batch_ids)")
        con.unregister("batch_ids")
        _insert(con, "articles", _table(Article, articles, {"run_id": run_id, "loaded_at": now}))
        _insert(con, "rejected_inputs", _table(RejectedInput, rejected, {"run_id": run_id, "loaded_at": now}))
        for table in RECORD_TABLES:
            attr = "mentions" if table == "actor_mentions" else table
            cls = LANDING_TABLES[table]
            _insert(con, table, _table(cls, [r for e in extractions for r in getattr(e, attr)]))
        if links is not None:
            links.write(con)
        con.execute("insert into landing.batches values (?, ?, ?, ?)", [run_id, now, len(articles), len(rejected)])
        kill_point("load.before_commit")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    kill_point("load.after_commit")
    return LoadResult(run_id, len(articles), len(rejected), counts)


def latest_batch(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("select batch_id from landing.batches order by loaded_at desc, batch_id desc limit 1").fetchone()
    return row[0] if row else None
