"""How parley's Prefect tasks behave: transient errors retried with backoff, each step announced.

Transient: an `OSError` (a file locked or busy, an interrupted read, a full pipe) or a
`duckdb.IOException` (another process holds the database's write lock). A quality-gate
failure (`QualityGateFailed`), a lock held by another parley run (`RunLocked`) or a bug is
never retried: the task fails at once and the serving warehouse stays as it was.
"""

from __future__ import annotations

from typing import Any

import duckdb
from prefect.cache_policies import NO_CACHE
from prefect.logging.loggers import task_run_logger
from prefect.tasks import exponential_backoff

RETRIES = 3
BACKOFF_SECONDS = 2.0  # waits 2 s, 4 s, 8 s (each +-20% jitter)
TRANSIENT = (OSError, duckdb.IOException)


def is_transient(exc: BaseException | None) -> bool:
    """Whether `exc` (or an exception it was raised from) is worth another try."""
    from flows.lock import RunLocked
    from flows.steps import QualityGateFailed

    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (QualityGateFailed, RunLocked)):
            return False
        if isinstance(exc, TRANSIENT):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect `retry_condition_fn`: retry a failed task only when it failed on a transient error."""
    exc = state.result(raise_on_failure=False)
    retry = isinstance(exc, BaseException) and is_transient(exc)
    if retry:
        task_run_logger(task_run, task).warning("transient error, retrying with backoff: %r", exc)
    return retry


def announce_step(task: Any, task_run: Any, state: Any) -> None:
    """Prefect `on_running` hook: say which step starts (the terminal and the UI show it)."""
    attempt = f" (attempt {task_run.run_count + 1})" if task_run.run_count else ""
    task_run_logger(task_run, task).info("step: %s%s", task.name, attempt)


TASK_OPTIONS: dict[str, Any] = {
    "cache_policy": NO_CACHE,
    "retries": RETRIES,
    "retry_delay_seconds": exponential_backoff(BACKOFF_SECONDS),
    "retry_jitter_factor": 0.2,
    "retry_condition_fn": retry_transient,
    "on_running": [announce_step],
}
