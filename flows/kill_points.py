"""Deterministic fault injection for the reliability tests: `kill_point("load.before_commit")`.

When the environment variable `PARLEY_KILL_AT` names a kill point, the process sends itself
SIGKILL the moment it reaches that point: no `finally`, no `atexit`, no flush — what the
OOM killer or a power cut does. `PARLEY_KILL_AT=extract.article#2` kills at the second
time the point is reached. Several points may be given, comma-separated. Without the
variable (always, outside tests) a kill point costs one environment lookup.

Before dying the process writes `parley: fault injection: SIGKILL at <point>` to stderr,
so a test can tell the kill it asked for from a crash of its own.

Points in the pipeline (in the order a run reaches them):

| point | where |
|---|---|
| `extract.article` | `steps.extract`, after each article is extracted |
| `load.before_commit` | `load.load_batch`, every row inserted, transaction not committed |
| `load.after_commit` | `load.load_batch`, the batch committed |
| `dbt.built.<node>` | `transform`, dbt finished node `<node>` (a model or test name) |
| `validate.suite` | `validate`, after each GX suite |
| `publish.table_copied` | `publish.publish`, after each mart is copied into the temporary file |
| `publish.before_swap` | `publish.publish`, the temporary file complete and fsynced, not renamed |
| `publish.before_marker` | `steps.publish_marts`, serving file swapped, `published.json` not written |
"""

from __future__ import annotations

import os
import signal
from collections import Counter

KILL_ENV = "PARLEY_KILL_AT"

_reached: Counter[str] = Counter()


def _targets() -> dict[str, int]:
    """{point: the time it is reached at which to die} from PARLEY_KILL_AT."""
    out = {}
    for item in filter(None, (s.strip() for s in os.environ.get(KILL_ENV, "").split(","))):
        name, _, nth = item.partition("#")
        out[name] = int(nth) if nth else 1
    return out


def kill_point(point: str) -> None:
    """SIGKILL this process if PARLEY_KILL_AT names `point` (at its n-th time); otherwise nothing."""
    if KILL_ENV not in os.environ:
        return
    _reached[point] += 1
    if _targets().get(point) == _reached[point]:
        os.write(2, f"parley: fault injection: SIGKILL at {point}\n".encode())
        os.kill(os.getpid(), signal.SIGKILL)


def dbt_callback(event) -> None:
    """A dbtRunner callback: a kill point `dbt.built.<node>` each time dbt finishes a node."""
    if KILL_ENV in os.environ and event.info.name == "NodeFinished":
        kill_point(f"dbt.built.{event.data.node_info.node_name}")
