"""Parallel extraction: new articles in chunks, each chunk parsed and extracted in one worker.

A worker runs spaCy *and* the rules on its chunk and sends back only the records (small),
never the parsed Docs, so both the parse and the Python rules use every core. The flow
maps one Prefect task over the chunks on its task runner (local processes by default,
a Dask cluster with `--dask`) and collects the results in article order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from flows.extract import extract_articles
from flows.records import Article, Extraction

MAX_CHUNK = 100  # articles per task: small enough to balance the workers, large enough to amortise a task
CHUNKS_PER_WORKER = 4
MIN_PARALLEL = 40  # fewer new articles than this are extracted in the flow's own process (no worker start-up)
LOCAL_DASK = "local"


def chunks(articles: Sequence[Article], workers: int) -> list[list[Article]]:
    """Consecutive chunks of about equal size: at least CHUNKS_PER_WORKER per worker, at most MAX_CHUNK each."""
    if not articles:
        return []
    size = max(1, min(MAX_CHUNK, math.ceil(len(articles) / (max(1, workers) * CHUNKS_PER_WORKER))))
    return [list(articles[k:k + size]) for k in range(0, len(articles), size)]


def in_process(n_articles: int, workers: int, dask: str | None) -> bool:
    """Whether a batch is cheaper to extract in the flow's process than to ship to workers."""
    return dask is None and (workers <= 1 or n_articles < MIN_PARALLEL)


def extract_chunk(articles: list[Article], batch_size: int = 64) -> list[Extraction]:
    """Parse and extract one chunk in this process (the model is loaded once per process)."""
    from flows.nlp import load_nlp

    return list(extract_articles(load_nlp(), articles, batch_size=batch_size))


def in_order(results: Iterable[list[Extraction]]) -> list[Extraction]:
    """The chunks' extractions concatenated (results must be given in chunk order)."""
    return [e for chunk in results for e in chunk]


def warm_worker() -> None:
    """Load the spaCy model when a worker process starts, before its first chunk."""
    from flows.nlp import load_nlp

    load_nlp()


def task_runner(workers: int, dask: str | None = None) -> TaskRunner:
    """Local worker processes, or a Dask cluster: `dask` is a scheduler address or "local"."""
    if dask is None:
        return ProcessPoolTaskRunner(max_workers=max(1, workers), initializer=warm_worker)
    from prefect_dask import DaskTaskRunner

    if dask == LOCAL_DASK:
        return DaskTaskRunner(cluster_kwargs={"n_workers": max(1, workers), "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    return DaskTaskRunner(address=dask)
