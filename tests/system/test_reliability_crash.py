"""Crash safety: a real `parley run` SIGKILLed at each stage (flows/kill_points.py) leaves the serving file as
it was and readable, and the next run publishes exactly what an uninterrupted run does.

Every case starts from the same published baseline (article A) with article B and a copy of A
added to raw/; the kills run in parallel, then the recoveries. The reference is one
uninterrupted run from scratch over the same raw directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import partial

import pytest

from tests.support.reliability import (
    REPO,
    Workspace,
    assert_ok,
    file_sha,
    grow,
    query,
    query_copy,
    read_snapshot,
    run_all,
    samples,
)

# kill point -> (articles in landing after the kill, whether the killed run already swapped the serving file)
KILL_POINTS = {
    "extract.article": (1, False),
    "load.before_commit": (1, False),
    "load.after_commit": (2, False),  # committed rows only in the WAL: the next run replays it
    "dbt.built.fct_statements": (2, False),
    "validate.suite#4": (2, False),
    "publish.table_copied#3": (2, False),
    "publish.before_swap": (2, False),
    "publish.before_marker": (2, True),
}
MID_PUBLISH = ("publish.table_copied#3", "publish.before_swap")  # a temporary file is left behind


def _dir_name(point: str) -> str:
    return point.replace("#", "-").replace(".", "-")


@pytest.fixture(scope="module")
def crashes(tmp_path_factory, prefect_server_url):
    baseline, reference = samples(tmp_path_factory, prefect_server_url)
    root = tmp_path_factory.mktemp("crash")
    spaces: dict[str, Workspace] = {}
    for point in KILL_POINTS:
        spaces[point] = baseline.clone(root / _dir_name(point))
        grow(spaces[point])
    killed = run_all({p: partial(ws.start, prefect_server_url, kill_at=p) for p, ws in spaces.items()})
    after_kill = {
        p: {
            "serving_sha": file_sha(ws.serving),
            "snapshot": read_snapshot(ws.serving),
            "leftovers": ws.leftovers(),
            "wal": ws.build_db.with_name(ws.build_db.name + ".wal").exists(),
            "landed": query_copy(
                ws.build_db, "select article_id from landing.articles order by 1", root / "scratch" / _dir_name(p)
            ),
        }
        for p, ws in spaces.items()
    }
    recovered = run_all({p: partial(ws.start, prefect_server_url) for p, ws in spaces.items()})
    return {
        "baseline_sha": file_sha(baseline.serving),
        "baseline": read_snapshot(baseline.serving),
        "reference": read_snapshot(reference.serving),
        "spaces": spaces,
        "killed": killed,
        "after_kill": after_kill,
        "recovered": recovered,
    }


@pytest.mark.parametrize("point", KILL_POINTS)
def test_run_is_killed_at_the_point(crashes, point):
    result = crashes["killed"][point]
    assert result.rc == -9, result.output[-4000:]
    assert f"fault injection: SIGKILL at {point.split('#')[0]}" in result.output


@pytest.mark.parametrize("point", KILL_POINTS)
def test_serving_file_is_untouched_and_readable_after_the_kill(crashes, point):
    seen = crashes["after_kill"][point]
    _, swapped = KILL_POINTS[point]
    if swapped:  # the new file was complete and in place; only the marker was missing
        assert seen["snapshot"] == crashes["reference"]
    else:
        assert seen["serving_sha"] == crashes["baseline_sha"]
        assert seen["snapshot"] == crashes["baseline"]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_landing_load_is_all_or_nothing(crashes, point):
    landed, _ = KILL_POINTS[point]
    ids = [r[0] for r in crashes["after_kill"][point]["landed"]]
    assert len(ids) == landed and len(set(ids)) == landed


@pytest.mark.parametrize("point", KILL_POINTS)
def test_next_run_publishes_what_an_uninterrupted_run_does(crashes, point):
    ws = crashes["spaces"][point]
    result = crashes["recovered"][point]
    assert_ok(result)
    assert "published:" in result.output
    assert read_snapshot(ws.serving) == crashes["reference"]
    assert query(ws.build_db, "select count(*), count(distinct content_hash) from landing.articles") == [(2, 2)]
    (latest,) = query(ws.build_db, "select batch_id from landing.batches order by loaded_at desc limit 1")[0]
    assert json.loads(ws.marker.read_text())["batch_id"] == latest
    assert ws.leftovers() == []


def test_wal_left_by_the_killed_load_is_replayed(crashes):
    assert crashes["after_kill"]["load.after_commit"]["wal"]
    assert_ok(crashes["recovered"]["load.after_commit"])


@pytest.mark.parametrize("point", MID_PUBLISH)
def test_killed_publish_leaves_only_a_temporary_that_the_next_run_removes(crashes, point):
    left = crashes["after_kill"][point]["leftovers"]
    assert left and all(p.name.startswith(".parley.duckdb.") for p in left)
    assert not any(p.exists() for p in left)


def test_checkpoint_kills_only_at_the_named_point_and_time():
    code = (
        "from flows import kill_points\n"
        "for p in ('a', 'b', 'b', 'b'):\n    kill_points.kill_point(p)\n    print(p, flush=True)"
    )
    run = partial(subprocess.run, [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    killed = run(env={**os.environ, "PARLEY_KILL_AT": "c, b#2"})
    assert (killed.returncode, killed.stdout.split()) == (-9, ["a", "b"])
    assert "fault injection: SIGKILL at b" in killed.stderr
    unset = run(env={k: v for k, v in os.environ.items() if k != "PARLEY_KILL_AT"})
    assert (unset.returncode, unset.stdout.split()) == (0, ["a", "b", "b", "b"])
