"""Parallel extraction: new articles in chunks, each chunk parsed *and* extracted by one worker.

A worker runs spaCy and the rules on its chunk and sends back only the records, never
the parsed Docs, so the parse and the Python rules both use every core and nothing big
crosses a process boundary. Results are collected in article order.

- default: a pool of local worker processes (`extract_local`), forked (on Linux) from this process
  after it loaded the model, so every worker starts with the model in memory (shared copy-on-write)
  and produces its first records at once; elsewhere spawned, each loading the model as it starts;
- `parley run --dask ADDRESS|local`: the flow maps one Prefect task per chunk over a
  Dask cluster through prefect-dask's `DaskTaskRunner` (`dask_runner`, `map_chunks`).
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

from flows.records import Article, Extraction

if TYPE_CHECKING:
    from prefect import Task
    from prefect_dask import DaskTaskRunner

MAX_CHUNK = 100  # articles per chunk: small enough to balance the workers, large enough to amortise a task
CHUNKS_PER_WORKER = 4
MIN_PARALLEL = 40  # fewer new articles are extracted in this process: starting workers would cost more
LOCAL_DASK = "local"  # `--dask local`: start a Dask LocalCluster for the run


def chunks(articles: Sequence[Article], workers: int) -> list[list[Article]]:
    """Consecutive chunks of about equal size: at least CHUNKS_PER_WORKER per worker, at most MAX_CHUNK each."""
    if not articles:
        return []
    size = max(1, min(MAX_CHUNK, math.ceil(len(articles) / (max(1, workers) * CHUNKS_PER_WORKER))))
    return [list(articles[k : k + size]) for k in range(0, len(articles), size)]


def extract_chunk(articles: list[Article], batch_size: int = 64) -> list[Extraction]:
    """Parse and extract one chunk in this process (the model is loaded once per process)."""
    from flows.extract import extract_articles  # spaCy: imported only by runs that have new articles
    from flows.extract.nlp import load_nlp

    return list(extract_articles(load_nlp(), articles, batch_size=batch_size))


def in_order(results: Iterable[list[Extraction]]) -> Iterator[Extraction]:
    """The extractions of chunk results given in chunk order, one by one."""
    for chunk in results:
        yield from chunk


def warm_worker() -> None:
    """Load the spaCy model as a worker process starts, before its first chunk."""
    from flows.extract.nlp import load_nlp

    load_nlp()


def forked_worker() -> None:
    """A forked worker: drop the log handlers it inherited that hand records to the parent's threads
    (Prefect's API log handler; those threads do not exist in the child). The model is already loaded."""
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):
            for handler in list(logger.handlers):
                if type(handler).__module__.startswith("prefect"):
                    logger.removeHandler(handler)


def worker_context() -> tuple[multiprocessing.context.BaseContext, Callable[[], None]]:
    """How to start workers, and their initializer: fork after loading the model here (Linux), else spawn."""
    if sys.platform == "linux":
        from flows.extract.nlp import load_nlp

        load_nlp()  # once, here: every forked worker shares it
        return multiprocessing.get_context("fork"), forked_worker
    return multiprocessing.get_context("spawn"), warm_worker


def extract_local(articles: Sequence[Article], workers: int, batch_size: int = 64) -> Iterator[Extraction]:
    """Extractions of `articles`, in order: in `workers` worker processes, or here for a small batch.

    Workers are forked after the model is loaded here (Linux; see `worker_context`). A fork copies
    only the calling thread: Prefect's threads do not run in a worker, and the worker never logs through
    them (`forked_worker`) or touches the flow's state; it parses, extracts and returns records.
    Spawned workers (elsewhere) import the caller's main module: a script calling this needs the usual
    `if __name__ == "__main__":` guard (the `parley` command has it).
    """
    parts = chunks(articles, workers)
    if workers <= 1 or len(articles) < MIN_PARALLEL:
        yield from in_order(extract_chunk(part, batch_size) for part in parts)
        return
    context, initializer = worker_context()
    pool = ProcessPoolExecutor(min(workers, len(parts)), mp_context=context, initializer=initializer)
    try:
        yield from in_order(pool.map(partial(extract_chunk, batch_size=batch_size), parts))
    finally:  # also when the caller stops early: drop the chunks not started instead of waiting for them
        pool.shutdown(wait=True, cancel_futures=True)


def map_chunks(task: Task, articles: Sequence[Article], workers: int, batch_size: int = 64) -> list[Extraction]:
    """Map `task` (a Prefect task of `extract_chunk`) over the chunks on the flow's task runner; collect in order."""
    from prefect import unmapped

    futures = task.map(chunks(articles, workers), unmapped(batch_size))
    return list(in_order(future.result() for future in futures))


def dask_runner(address: str, workers: int) -> DaskTaskRunner:
    """A DaskTaskRunner on the scheduler at `address`, or on a new LocalCluster of `workers` processes."""
    from prefect_dask import DaskTaskRunner

    logging.getLogger("distributed").setLevel(logging.WARNING)  # not a line per worker start and stop
    if address == LOCAL_DASK:
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": max(1, workers),
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    return DaskTaskRunner(address=address)


@contextlib.contextmanager
def shared_prefect_api() -> Iterator[str]:
    """Prefect's API for the Dask workers too: the configured server (PREFECT_API_URL), else this
    process's temporary server, started now, so workers report to it instead of starting their own."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield PREFECT_API_URL.value()
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same instance Prefect's client would start (stopped at exit)
    server.start()
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield server.api_url
