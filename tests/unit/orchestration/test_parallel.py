"""Local workers: forked after the model is loaded here, so they start with it and never load it again."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from flows.orchestration import parallel


def _worker_state(_: int) -> tuple[int, int]:
    """(pid, number of models this worker's loader has cached), as the worker sees it."""
    from flows.extract import nlp

    return os.getpid(), nlp._load.cache_info().currsize


def _prefect_handlers() -> int:
    import logging

    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    return sum(
        1
        for lg in loggers
        if isinstance(lg, logging.Logger)
        for h in lg.handlers
        if type(h).__module__.startswith("prefect")
    )


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_workers_are_forked_with_the_model_already_loaded() -> None:
    from flows.extract import nlp

    context, initializer = parallel.worker_context()
    assert context.get_start_method() == "fork" and initializer is parallel.forked_worker
    assert nlp._load.cache_info().currsize == 1  # loaded here, before any worker exists
    misses = nlp._load.cache_info().misses
    with ProcessPoolExecutor(2, mp_context=context, initializer=initializer) as pool:
        states = list(pool.map(_worker_state, range(4)))
    assert {pid for pid, _ in states} - {os.getpid()} == {pid for pid, _ in states}
    assert all(cached == 1 for _, cached in states)  # inherited: no worker loaded the model
    assert nlp._load.cache_info().misses == misses


def test_a_forked_worker_drops_prefect_log_handlers() -> None:
    import logging

    from prefect.logging.handlers import APILogHandler

    handler = APILogHandler()
    logger = logging.getLogger("parley-test-forked")
    logger.addHandler(handler)
    try:
        assert _prefect_handlers() >= 1
        parallel.forked_worker()
        assert handler not in logger.handlers and _prefect_handlers() == 0
    finally:
        logger.removeHandler(handler)


def test_chunks_cover_every_article_in_order() -> None:
    items = list(range(1001))
    parts = parallel.chunks(items, workers=2)  # type: ignore[arg-type]
    assert [x for part in parts for x in part] == items
    assert max(len(p) for p in parts) <= parallel.MAX_CHUNK and len(parts) >= 2 * parallel.CHUNKS_PER_WORKER
