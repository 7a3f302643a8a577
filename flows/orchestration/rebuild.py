"""`parley rebuild`: repair the build side after a damaged build database or serving file.

1. Under the run lock, check both files (opened read-only, every block of every table read).
2. A damaged (or missing) build database is moved aside as `build.duckdb.damaged-<UTC time>`
   (never deleted), and a fresh one is filled from the landing snapshot written at the last
   publish (`flows.warehouse.snapshot`): no article is extracted again and every id the landing
   tables keep comes back. It is built in a temporary file and renamed into place once complete.
3. dbt build and every GX suite (whole tables) run on it, as in a run (skipped when only the serving
   file was damaged and the build database's marts are the ones the last publish checked).
4. Only if everything passed: publish (a damaged serving file is first kept as
   `<serving>.damaged-<UTC time>`, a hard link), which also writes a new snapshot and the marker.

Articles in raw/ that the snapshot does not hold are simply new to the next `parley run`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from flows.config import Settings
from flows.orchestration import run_records
from flows.orchestration.lock import run_lock
from flows.orchestration.operator_faults import file_damage, from_text, serving_damage
from flows.orchestration.steps import QualityGateFailed, new_run_id, transform
from flows.warehouse.load import connect, latest_batch
from flows.warehouse.snapshot import SnapshotMissing, current_snapshot, restore_snapshot


@dataclass
class RebuildResult:
    run_id: str
    build_damage: str | None = None
    serving_damage: str | None = None
    moved_aside: list[Path] = field(default_factory=list)
    restored: dict[str, int] = field(default_factory=dict)
    snapshot: Path | None = None
    published: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"parley rebuild {self.run_id}"]
        lines.append(f"  build database: {'damaged: ' + self.build_damage if self.build_damage else 'whole'}")
        lines.append(f"  serving file: {'damaged: ' + self.serving_damage if self.serving_damage else 'whole'}")
        lines += [f"  moved aside: {p}" for p in self.moved_aside]
        if self.restored:
            rows = ", ".join(f"{t} {n}" for t, n in self.restored.items())
            lines.append(f"  restored from {self.snapshot}: {rows}")
        if self.published:
            lines.append("  published: " + ", ".join(f"{t} {n}" for t, n in self.published.items()))
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _build_damage(settings: Settings) -> str | None:
    if not settings.build_db.exists():
        return "missing"
    try:
        return file_damage(settings.build_db, read_only=True, scan=True)
    except duckdb.Error as exc:
        fault = from_text(str(exc), settings, settings.build_db)
        if fault is not None and fault.kind in ("permission", "disk_full"):
            raise fault from exc
        return str(exc).strip().splitlines()[0]


def _move_aside(path: Path, stamp: str) -> list[Path]:
    moved = []
    for source in (path, path.with_name(path.name + ".wal")):
        if source.exists():
            target = source.with_name(f"{source.name}.damaged-{stamp}")
            os.rename(source, target)
            moved.append(target)
    return moved


def _restore(settings: Settings, result: RebuildResult) -> None:
    snapshot = current_snapshot(settings.serving)  # before anything moves: no snapshot, nothing moved
    tmp = settings.state_dir / f".{settings.build_db.name}.rebuild-{result.run_id}.tmp"
    for leftover in settings.state_dir.glob(f".{settings.build_db.name}.rebuild-*.tmp*"):
        leftover.unlink()
    con = connect(tmp)
    try:
        result.restored = restore_snapshot(snapshot, con)
        con.execute("checkpoint")
    finally:
        con.close()
    result.snapshot = snapshot.path
    result.moved_aside += _move_aside(settings.build_db, _stamp())
    os.replace(tmp, settings.build_db)


def _validate(settings: Settings, run_id: str) -> None:
    """The GX landing gate over every restored row (the same gate a run passes before dbt)."""
    from flows.quality.validate import validate_landing

    report = validate_landing(settings.build_db, settings.run_dir(run_id), article_ids=None)
    if not report.success:
        raise QualityGateFailed("GX validation", report.failed, report.data_docs_path)


def _marts_published(settings: Settings) -> bool:
    """Whether the build database's marts are the ones the last publish checked: its latest landing batch is
    the published one and every mart is there (a run that loaded but did not publish leaves a newer batch)."""
    from flows.warehouse.publish import MART_SCHEMA
    from flows.warehouse.published import last_publish

    marker = last_publish(settings)
    con = duckdb.connect(str(settings.build_db), read_only=True)
    try:
        n_marts = con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and database_name = current_database()",
            [MART_SCHEMA],
        ).fetchone()[0]
        batch = latest_batch(con)
    finally:
        con.close()
    return n_marts > 0 and batch is not None and marker is not None and marker.batch_id == batch


def rebuild(settings: Settings, *, force: bool = False, run_id: str | None = None) -> RebuildResult:
    """Repair what is damaged (see the module docstring); with `force`, restore the build database anyway."""
    from flows.orchestration.steps import publish_marts

    result = RebuildResult(run_id or new_run_id())
    run_dir = settings.run_dir(result.run_id)
    run_records.started(run_dir, result.run_id, None, command="rebuild")
    try:
        with run_lock(settings.lock_file, settings.lock_wait_seconds):
            result.build_damage = _build_damage(settings)
            if settings.serving.exists():
                result.serving_damage = serving_damage(settings)
            if result.build_damage is None and result.serving_damage is None and not force:
                result.notes.append("nothing is damaged; nothing was changed (`--force` rebuilds from the snapshot)")
                run_records.ended(run_dir, "completed", exit_code=0, message="nothing damaged")
                return result
            if result.build_damage is not None or force:
                try:
                    _restore(settings, result)
                except SnapshotMissing as exc:
                    result.moved_aside += _move_aside(settings.build_db, _stamp())
                    result.notes.append(
                        f"{exc}: the next `parley run` extracts every article in the raw directory again"
                    )
                    run_records.ended(run_dir, "completed", exit_code=0, message="no snapshot; moved aside")
                    return result
            if result.build_damage is None and not force and _marts_published(settings):
                result.notes.append("the build database's marts are the ones published (checked then): published again")
            else:
                _validate(settings, result.run_id)  # the landing gate first, as in a run; dbt tests own the marts
                transform(settings, result.run_id)
            if result.serving_damage is not None and settings.serving.exists():
                kept = settings.serving.with_name(f"{settings.serving.name}.damaged-{_stamp()}")
                os.link(settings.serving, kept)
                result.moved_aside.append(kept)
            con = connect(settings.build_db)
            try:
                batch = latest_batch(con)
            finally:
                con.close()
            published = publish_marts(settings, result.run_id, batch or result.run_id)
            result.published = published.tables
    except BaseException as exc:
        outcome, code, message = run_records.outcome_of(exc, settings)
        run_records.ended(run_dir, outcome, exit_code=code, message=message)
        raise
    run_records.ended(run_dir, "completed", exit_code=0, message="rebuilt and published")
    return result
