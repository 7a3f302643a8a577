"""How parley's Prefect tasks behave: transient errors retried with backoff, each step announced.

Transient: an `OSError` (a file locked or busy, an interrupted read, a full pipe or disk) or a
`duckdb.IOException` (another process holds the database's write lock). A quality-gate
failure (`QualityGateFailed`), a lock held by another parley run (`RunLocked`), a damaged
database file or a permission refused (`operator_faults.retry_verdict`) or a bug is never
retried: the task fails at once and the serving warehouse stays as it was.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import duckdb
from prefect import Task, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.logging.loggers import task_run_logger
from prefect.tasks import exponential_backoff

RETRIES = 3
BACKOFF_SECONDS = 2.0  # waits 2 s, 4 s, 8 s (each +-20% jitter)
TRANSIENT = (OSError, duckdb.IOException)
P = ParamSpec("P")
R = TypeVar("R")


def is_transient(exc: BaseException | None) -> bool:
    """Whether `exc` (or an exception it was raised from) is worth another try."""
    from flows.orchestration.lock import RunLocked
    from flows.orchestration.operator_faults import retry_verdict
    from flows.orchestration.steps import QualityGateFailed

    verdict = retry_verdict(exc)  # a full disk may drain; a damaged file or a refused permission stays
    if verdict is not None:
        return verdict
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


TASK_OPTIONS: dict[str, Any] = {
    "cache_policy": NO_CACHE,
    "retries": RETRIES,
    "retry_delay_seconds": exponential_backoff(BACKOFF_SECONDS),
    "retry_jitter_factor": 0.2,
    "retry_condition_fn": retry_transient,
}


def step(fn: Callable[P, R], name: str, **options: Any) -> Task[P, R]:
    """`fn` as a Prefect task with parley's options, logging `step: <name>` as each attempt starts."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        get_run_logger().info("step: %s", name)
        return fn(*args, **kwargs)

    return task(run, name=name, **{**TASK_OPTIONS, **options})
