"""Which raw files ingest has already read: (path, size, mtime_ns) and what reading them gave.

A file whose size and modification time match its record is not read again: ingest replays
the record instead (its article keys and rejections, in file order), so de-duplication, the
run summary and the rejections are the same as after a real read. The index lives in the build
database (`landing.raw_files`) and is written in its own transaction right after the landing
load commits: a crash in between only loses the update, and a file without a record is read.

A file is recorded only when reading it is repeatable and complete: a regular file (not a
symlink), no rejection that a retry may clear (unreadable, vanished, changed while reading,
...), and every article it holds is in `landing.articles` once the load committed (an article
whose extraction failed, or one refused for reusing another file's id, keeps its file re-read).
A record whose articles are no longer all in the landing tables is ignored (its file is read).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from flows.records import RejectedInput

TABLE = "landing.raw_files"
# bump when reading a file can give other articles than before for the same bytes
READER_VERSION = "1"
# rejections a re-read may clear without the file's size or mtime changing: such files are always read
TRANSIENT_REASONS = frozenset(
    {
        "unreadable",
        "vanished",
        "changed_while_reading",
        "not_regular_file",
        "broken_symlink",
        "symlink_outside_raw_dir",
        "duplicate_article_id",
        "extraction_failed",
    }
)


@dataclass(frozen=True)
class ArticleKey:
    """An article as a file gave it (before de-duplication against other files)."""

    article_id: str
    content_hash: str
    line: int | None
    label: str


@dataclass(frozen=True)
class FileRecord:
    """What reading one raw file gave: its articles' keys and its rejections, in file order."""

    rel: str
    size: int
    mtime_ns: int
    reader: str  # READER_VERSION and the ingest limits the file was read with
    items: tuple[ArticleKey | RejectedInput, ...]
    notes: tuple[str, ...] = ()

    @property
    def hashes(self) -> set[str]:
        return {i.content_hash for i in self.items if isinstance(i, ArticleKey)}

    @property
    def repeatable(self) -> bool:
        """No rejection a re-read might clear."""
        return not any(isinstance(i, RejectedInput) and i.reason in TRANSIENT_REASONS for i in self.items)

    def to_json(self) -> str:
        items = [{"article": asdict(i)} if isinstance(i, ArticleKey) else {"rejected": asdict(i)} for i in self.items]
        return json.dumps({"items": items, "notes": list(self.notes)}, ensure_ascii=False)

    @classmethod
    def from_row(cls, rel: str, size: int, mtime_ns: int, reader: str, body: str) -> FileRecord:
        data = json.loads(body)
        items = tuple(
            ArticleKey(**i["article"]) if "article" in i else RejectedInput(**i["rejected"]) for i in data["items"]
        )
        return cls(rel, size, mtime_ns, reader, items, tuple(data.get("notes", ())))


def reader_key(limits: object) -> str:
    """What a record must have been read with to be replayed: the reader version and the limits."""
    return f"{READER_VERSION}:{limits!r}"


def create_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"create table if not exists {TABLE} (file varchar primary key, size bigint, mtime_ns bigint, "
        "reader varchar, body varchar, recorded_at timestamp)"
    )


def _table_exists(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'landing' and table_name = 'raw_files'"
    ).fetchone()
    return bool(row and row[0])


def _stored_hashes(con: duckdb.DuckDBPyConnection, hashes: Iterable[str]) -> set[str]:
    tbl = pa.table({"h": pa.array(sorted(set(hashes)), pa.string())})
    if tbl.num_rows == 0:
        return set()
    con.register("index_hashes", tbl)
    try:
        rows = con.execute(
            "select distinct i.h from index_hashes i join landing.articles a on a.content_hash = i.h"
        ).fetchall()
    finally:
        con.unregister("index_hashes")
    return {r[0] for r in rows}


def usable_records(con: duckdb.DuckDBPyConnection) -> dict[str, FileRecord]:
    """The recorded files whose articles are all still in the landing tables, by relative path."""
    if not _table_exists(con):
        return {}
    records = []
    for row in con.execute(f"select file, size, mtime_ns, reader, body from {TABLE}").fetchall():
        try:
            records.append(FileRecord.from_row(*row))
        except (TypeError, KeyError, ValueError):  # written by another version of the records: read the file
            continue
    stored = _stored_hashes(con, (h for r in records for h in r.hashes))
    return {r.rel: r for r in records if r.hashes <= stored}


def record_files(
    con: duckdb.DuckDBPyConnection, records: Iterable[FileRecord], listed: Iterable[str] | None = None
) -> int:
    """Record the files read this run whose articles are all stored; drop rows of files no longer listed.

    Call after the landing load committed. Returns the number of files recorded.
    """
    create_table(con)
    records = list(records)
    candidates = [r for r in records if r.repeatable]
    stored = _stored_hashes(con, (h for r in candidates for h in r.hashes))
    keep = [r for r in candidates if r.hashes <= stored]
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = pa.table(
        {
            "file": pa.array([r.rel for r in keep], pa.string()),
            "size": pa.array([r.size for r in keep], pa.int64()),
            "mtime_ns": pa.array([r.mtime_ns for r in keep], pa.int64()),
            "reader": pa.array([r.reader for r in keep], pa.string()),
            "body": pa.array([r.to_json() for r in keep], pa.string()),
            "recorded_at": pa.array([now] * len(keep), pa.timestamp("us")),
        }
    )
    read = pa.table({"file": pa.array(sorted({r.rel for r in records}), pa.string())})
    still = pa.table({"file": pa.array(sorted({r.rel for r in records} | set(listed or ())), pa.string())})
    con.register("index_rows", rows)
    con.register("index_read", read)
    con.register("index_listed", still)
    con.execute("begin transaction")
    try:
        # a file read again (recorded again or not) loses its old row; so does a file no longer listed
        con.execute(f"delete from {TABLE} where file in (select file from index_read)")
        if listed is not None:
            con.execute(f"delete from {TABLE} where file not in (select file from index_listed)")
        con.execute(f"insert into {TABLE} by name select * from index_rows")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for name in ("index_rows", "index_read", "index_listed"):
            con.unregister(name)
    return len(keep)


def unchanged(records: Mapping[str, FileRecord], rel: str, size: int, mtime_ns: int, reader: str) -> FileRecord | None:
    """The record of `rel` when the file still has the recorded size and mtime and was read the same way."""
    record = records.get(rel)
    if record is None or (record.size, record.mtime_ns, record.reader) != (size, mtime_ns, reader):
        return None
    return record
