"""`parley status`: what is published, how the last run ended, whether the files open, the lock, free disk.

Read-only throughout: the serving file and the build database are opened `read_only` (a run
holding the build database shows as "in use"), the lock is read from /proc/locks (never
taken), and nothing is created.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb

from flows.config import Settings
from flows.orchestration import run_records
from flows.orchestration.operator_faults import file_damage, serving_damage
from flows.warehouse.published import last_publish
from flows.warehouse.snapshot import SnapshotMissing, current_snapshot
from flows.warehouse.sql import ident


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def serving_status(settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {"path": str(settings.serving), "exists": settings.serving.exists()}
    if not out["exists"]:
        return out
    try:
        con = duckdb.connect(str(settings.serving), read_only=True)
    except duckdb.Error as exc:
        return {**out, "opens": False, "error": _first_line(exc)}
    try:
        run_id, published_at = con.execute("select run_id, published_at::varchar from parley_publish").fetchone()
        tables = [r[0] for r in con.execute("show tables").fetchall() if r[0] != "parley_publish"]
        marts = {t: con.execute(f"select count(*) from {ident(t)}").fetchone()[0] for t in tables}
        out.update(opens=True, published_by=run_id, published_at=published_at, marts=marts)
    except duckdb.Error as exc:
        out.update(opens=False, error=_first_line(exc))
    finally:
        con.close()
    if out["opens"]:
        damage = _damage(lambda: serving_damage(settings))
        if damage is not None:
            out.update(opens=False, error=damage)
    return out


def _damage(check) -> str | None:
    try:
        return check()
    except (duckdb.Error, OSError) as exc:
        return _first_line(exc)


def build_status(settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {"path": str(settings.build_db), "exists": settings.build_db.exists()}
    if not out["exists"]:
        return out
    out["size_bytes"] = settings.build_db.stat().st_size
    try:
        con = duckdb.connect(str(settings.build_db), read_only=True)
    except duckdb.Error as exc:
        text = _first_line(exc)
        in_use = "lock" in text.lower()
        return {**out, "opens": False, "in_use": in_use, "error": text}
    try:
        articles = con.execute("select count(*) from landing.articles").fetchone()[0]
        batch = con.execute("select batch_id from landing.batches order by loaded_at desc, batch_id desc limit 1")
        latest = batch.fetchone()
        out.update(opens=True, landing_articles=articles, latest_batch=latest[0] if latest else None)
    except duckdb.Error as exc:
        out.update(opens=False, error=_first_line(exc))
    finally:
        con.close()
    if out["opens"]:
        damage = _damage(lambda: file_damage(settings.build_db))
        if damage is not None:
            out.update(opens=False, error=damage)
    return out


def lock_status(lock_file: Path) -> dict[str, Any]:
    """Whether a process holds the run lock (flock), from /proc/locks; the pid the holder wrote."""
    out: dict[str, Any] = {"path": str(lock_file), "held": False, "pid": None}
    try:
        inode = lock_file.stat().st_ino
        written = lock_file.read_text().strip()
    except OSError:
        return out
    try:
        for line in Path("/proc/locks").read_text().splitlines():
            parts = line.split()
            if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].rsplit(":", 1)[-1] == str(inode):
                out.update(held=True, pid=int(parts[4]) if parts[4].isdigit() else written or None)
                break
    except OSError:
        out["held"] = None  # cannot tell without /proc
    if not out["held"] and written:
        out["last_holder_pid"] = written
    return out


def disk_status(path: Path) -> dict[str, Any]:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    usage = shutil.disk_usage(probe)
    return {"path": str(path), "free_bytes": usage.free, "total_bytes": usage.total}


def last_run(settings: Settings) -> dict[str, Any] | None:
    found = run_records.records(settings.state_dir)
    if not found:
        return None
    record = found[-1]
    keep = ("run_id", "command", "pid", "flow_run_id", "started_at", "ended_at", "exit_code", "message", "run_dir")
    return {"outcome": run_records.effective_outcome(record), **{k: record.get(k) for k in keep}}


def snapshot_status(settings: Settings) -> dict[str, Any]:
    try:
        snap = current_snapshot(settings.serving)
    except SnapshotMissing as exc:
        return {"exists": False, "error": str(exc)}
    rows = {t: info["rows"] for t, info in snap.tables.items()}
    return {
        "exists": True,
        "path": str(snap.path),
        "run_id": snap.run_id,
        "written_at": snap.manifest["written_at"],
        "tables": rows,
    }


def status(settings: Settings) -> dict[str, Any]:
    """Everything `parley status` reports, as plain data (its `--json`)."""
    return {
        "serving": serving_status(settings),
        "marker": marker.as_dict() if (marker := last_publish(settings)) else None,
        "build_db": build_status(settings),
        "landing_snapshot": snapshot_status(settings),
        "last_run": last_run(settings),
        "lock": lock_status(settings.lock_file),
        "disk": disk_status(settings.state_dir),
        "raw_dir": {"path": str(settings.raw_dir), "exists": settings.raw_dir.is_dir()},
    }


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def render(report: dict[str, Any]) -> str:
    """The report for people, one line per fact."""
    s, b, run, lock, disk = (report[k] for k in ("serving", "build_db", "last_run", "lock", "disk"))
    lines = []
    if not s["exists"]:
        lines.append(f"serving file: {s['path']} does not exist (nothing published yet)")
    elif s.get("opens"):
        lines.append(f"serving file: {s['path']} opens; published {s['published_at']} by run {s['published_by']}")
        lines.append("  marts: " + ", ".join(f"{t} {n}" for t, n in s["marts"].items()))
    else:
        lines.append(f"serving file: {s['path']} DOES NOT OPEN: {s['error']} (`parley rebuild` repairs it)")
    if not b["exists"]:
        lines.append(f"build database: {b['path']} does not exist (the next run creates it)")
    elif b.get("opens"):
        lines.append(
            f"build database: {b['path']} opens ({_mb(b['size_bytes'])}, {b['landing_articles']} articles, "
            f"latest batch {b['latest_batch']})"
        )
    elif b.get("in_use"):
        lines.append(f"build database: {b['path']} is in use by a running parley run")
    else:
        lines.append(f"build database: {b['path']} DOES NOT OPEN: {b['error']} (`parley rebuild` repairs it)")
    snap = report["landing_snapshot"]
    if snap["exists"]:
        total = sum(snap["tables"].values())
        lines.append(f"landing snapshot: {snap['path']} (run {snap['run_id']}, {total} rows)")
    else:
        lines.append(f"landing snapshot: none ({snap['error']})")
    if run is None:
        lines.append("last run: none recorded")
    else:
        ended = f", ended {run['ended_at']}" if run.get("ended_at") else ""
        code = f", exit {run['exit_code']}" if run.get("exit_code") is not None else ""
        lines.append(
            f"last run: {run['run_id']} ({run.get('command') or 'run'}) {run['outcome']}{code}; "
            f"started {run['started_at']}{ended}"
        )
        if run.get("message") and run["outcome"] != "completed":
            lines.append(f"  {run['message']}")
    if lock["held"]:
        lines.append(f"lock: {lock['path']} held by pid {lock['pid']}")
    elif lock["held"] is None:
        lines.append(f"lock: {lock['path']} (cannot tell whether it is held: no /proc/locks)")
    else:
        lines.append(f"lock: {lock['path']} free")
    lines.append(f"free disk: {_mb(disk['free_bytes'])} of {_mb(disk['total_bytes'])} at {disk['path']}")
    raw = report["raw_dir"]
    if not raw["exists"]:
        lines.append(f"raw directory: {raw['path']} DOES NOT EXIST")
    return "\n".join(lines)


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, default=str)


def exit_code(report: dict[str, Any]) -> int:
    """0 when both files open (or do not exist yet) and the last run did not fail; 1 otherwise."""
    bad_file = any(
        r["exists"] and r.get("opens") is False and not r.get("in_use") for r in (report["serving"], report["build_db"])
    )
    run = report["last_run"]
    return 1 if bad_file or (run is not None and run["outcome"] not in ("completed", "running")) else 0
