"""The file index: an unchanged file is replayed instead of read, with the same outcome as a read."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flows.config import Settings
from flows.ingest import file_index
from flows.ingest.raw_dir import IngestResult, read_raw_dir
from flows.orchestration import steps
from flows.records import Extraction
from flows.warehouse.load import connect


def english(place: str) -> str:
    return (
        f"Talks resumed on Monday in {place}. The foreign minister said that his government was ready to "
        f"discuss a ceasefire if the other side withdrew its troops from {place}. The opposition rejected "
        "the offer and called it a trap, but the mediators said they were hopeful."
    )


def _settings(tmp_path: Path) -> Settings:
    return Settings.resolve(tmp_path / "raw", tmp_path / "w" / "parley.duckdb", workers=1)


def _write_raw(raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps({"article_id": "doha", "text": english("Doha")}),
        "{not json",
        json.dumps({"article_id": "cairo", "text": english("Cairo")}),
        json.dumps({"article_id": "doha-again", "text": english("Doha")}),  # same text: a duplicate
    ]
    (raw / "a.jsonl").write_text("\n".join(lines) + "\n")
    (raw / "b.txt").write_text(english("Oslo"))
    (raw / "empty.txt").write_text("")


def _run_without_extraction(settings: Settings, fail: frozenset[str] = frozenset()) -> tuple[steps.Batch, IngestResult]:
    """ingest -> plan -> load, as the flow does, with empty extractions (the rules are not under test)."""
    raw = steps.ingest(settings)
    batch = steps.plan_batch(settings, raw.articles, raw)
    extractions = [Extraction(a.article_id, error="boom" if a.article_id in fail else None) for a in batch.new]
    rejected = raw.rejected + steps.extraction_failures(batch, extractions)
    steps.load(settings, steps.new_run_id(), batch, extractions, rejected)
    return batch, raw


def _outcome(raw: IngestResult) -> tuple:
    return (
        len(raw.articles) + raw.unchanged,
        raw.duplicates,
        [(r.file, r.line, r.reason, r.detail) for r in raw.rejected],
    )


def test_an_unchanged_file_is_replayed_not_read(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _write_raw(settings.raw_dir)
    first_batch, first = _run_without_extraction(settings)
    assert sorted(first.files_read) == ["a.jsonl", "b.txt", "empty.txt"]
    assert len(first_batch.new) == 3 and first.duplicates == 1

    second_batch, second = _run_without_extraction(settings)
    assert second.files_read == [] and sorted(second.files_unchanged) == ["a.jsonl", "b.txt", "empty.txt"]
    assert second.articles == [] and second_batch.new == [] and second_batch.skipped == 3
    assert _outcome(second) == _outcome(first)  # same counts, same rejections (file, line, reason, detail)


def test_a_changed_or_new_file_is_read(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _write_raw(settings.raw_dir)
    _run_without_extraction(settings)
    b = settings.raw_dir / "b.txt"
    b.write_text(english("Lima"))  # new text, new size or mtime
    (settings.raw_dir / "c.md").write_text(english("Accra"))
    stat = (settings.raw_dir / "a.jsonl").stat()
    os.utime(settings.raw_dir / "a.jsonl", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1000))  # touched only
    batch, raw = _run_without_extraction(settings)
    assert sorted(raw.files_read) == ["a.jsonl", "b.txt", "c.md"] and raw.files_unchanged == ["empty.txt"]
    assert sorted(a.source_file for a in batch.new) == ["b.txt", "c.md"]
    assert batch.skipped == 2  # a.jsonl's two articles are known by content hash


def test_a_file_whose_extraction_failed_is_read_again(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _write_raw(settings.raw_dir)
    _run_without_extraction(settings, fail={"cairo"})
    batch, raw = _run_without_extraction(settings)
    assert "a.jsonl" in raw.files_read and [a.article_id for a in batch.new] == ["cairo"]
    _, raw = _run_without_extraction(settings)
    assert raw.files_read == []


def test_a_record_whose_articles_left_the_landing_tables_is_not_trusted(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _write_raw(settings.raw_dir)
    _run_without_extraction(settings)
    con = connect(settings.build_db)
    try:
        con.execute("delete from landing.articles where article_id = 'doha'")
        assert sorted(file_index.usable_records(con)) == ["b.txt", "empty.txt"]
    finally:
        con.close()
    batch, raw = _run_without_extraction(settings)
    assert raw.files_read == ["a.jsonl"] and [a.article_id for a in batch.new] == ["doha"]


def test_reused_article_id_in_a_new_file_is_refused_as_before(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _write_raw(settings.raw_dir)
    _run_without_extraction(settings)
    (settings.raw_dir / "z.json").write_text(json.dumps({"article_id": "cairo", "text": english("Quito")}))
    batch, raw = _run_without_extraction(settings)
    assert raw.files_read == ["z.json"] and batch.new == []
    assert [(r.file, r.reason) for r in raw.rejected if r.reason == "duplicate_article_id"] == [
        ("z.json", "duplicate_article_id")
    ]
    fresh = read_raw_dir(settings.raw_dir)  # a full read of the same directory decides the same
    assert [(r.file, r.reason) for r in fresh.rejected] == [(r.file, r.reason) for r in raw.rejected]


def test_removed_files_leave_the_index(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _write_raw(settings.raw_dir)
    _run_without_extraction(settings)
    (settings.raw_dir / "b.txt").unlink()
    _run_without_extraction(settings)
    con = connect(settings.build_db)
    try:
        assert sorted(r[0] for r in con.execute("select file from landing.raw_files").fetchall()) == [
            "a.jsonl",
            "empty.txt",
        ]
    finally:
        con.close()
