"""A run with nothing new, decided before Prefect starts: `parley run` prints its summary and exits.

`nothing_new` holds the run lock, opens the build database read-only and answers with the run's
summary when every raw file is unchanged since ingest recorded it (`flows.ingest.file_index`: no
file is read), no rejection is new, and the serving file holds the latest landing batch. Anything
else (a new or changed file, a file that is always read, a pending publish, a lock held by another
run, no build database yet) answers None and the run goes through the Prefect flow as usual.
Only `parley run` takes this path; scheduled runs (`parley serve`, work pools) always run the flow.
"""

from __future__ import annotations

import duckdb

from flows.config import Settings
from flows.ingest.file_index import usable_records
from flows.ingest.raw_dir import read_raw_dir
from flows.orchestration.lock import RunLocked, run_lock
from flows.orchestration.steps import RunSummary, new_run_id, serving_behind
from flows.warehouse.load import latest_batch, new_rejections


def nothing_new(settings: Settings) -> RunSummary | None:
    """The summary of a run that would find nothing new, or None when the run has work (or cannot tell)."""
    if not settings.build_db.exists() or not settings.serving.exists() or not settings.raw_dir.is_dir():
        return None
    try:
        with run_lock(settings.lock_file, 0.0):
            return _decide(settings)
    except (RunLocked, duckdb.Error, OSError):
        return None  # the flow reports a held lock, waits for it (--wait) or retries a busy file


def _decide(settings: Settings) -> RunSummary | None:
    con = duckdb.connect(str(settings.build_db), read_only=True)
    try:
        raw = read_raw_dir(settings.raw_dir, known=usable_records(con))
        if raw.files_read or raw.articles:
            return None
        if new_rejections(con, raw.rejected) or serving_behind(settings, latest_batch(con)) is not None:
            return None
    finally:
        con.close()
    return RunSummary.of_run(new_run_id(), settings, raw, raw.rejected)
