"""Scheduled runs through a real Prefect server on loopback: `parley serve`, prefect.yaml and a worker.

One `parley serve` subprocess registers the deployment; the tests trigger its runs through
the API in order: a first run publishes, a run with nothing new is quick and publishes
nothing, a run meeting a locked build database retries and publishes a new article, the
prefect.yaml deployment runs on a process worker, and a failing quality gate is not
retried and leaves the last good warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from flows.config import Settings
from flows.orchestration.task_policy import is_transient
from tests.support.paths import RAW, REPO, copy_raw, stop_process_group

FIRST, NEW = "voa-2014-nk-no-talks-planned.txt", "voa-2019-01-09-us-china-trade-talks.md"
FLOW = "parley-scheduled"
BIN = Path(sys.executable).parent
RUN_TIMEOUT = 600
LOG_SETTLE_TIMEOUT = 60

# holds the build database's write lock until the file named by argv[2] exists
LOCKER = """
import duckdb, pathlib, sys, time
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
while not pathlib.Path(sys.argv[2]).exists():
    time.sleep(0.1)
con.close()
"""


@dataclass
class Served:
    settings: Settings
    deployment: str  # flow/deployment
    proc: subprocess.Popen
    log: Path
    env: dict[str, str]


def child_env(api_url: str, home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PREFECT_API_URL": api_url,
        "PREFECT_HOME": str(home),
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }
    env.pop("PREFECT_PROFILES_PATH", None)
    return env


@pytest.fixture(scope="module")
def api(prefect_server_url) -> Iterator[str]:
    """This process talks to the loopback server too (run_deployment, reading runs and artifacts)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: prefect_server_url}):
        yield prefect_server_url


@pytest.fixture(scope="module")
def served(tmp_path_factory, api) -> Iterator[Served]:
    from prefect.client.orchestration import get_client

    tmp = tmp_path_factory.mktemp("serve")
    raw = copy_raw(tmp / "raw", [FIRST])
    settings = Settings.resolve(raw, tmp / "warehouse" / "parley.duckdb", workers=1)
    name = f"test-{uuid.uuid4().hex[:8]}"
    env = child_env(api, tmp / "prefect_home")
    log = tmp / "serve.log"
    with open(log, "wb") as out:
        command = [
            str(BIN / "parley"),
            "serve",
            "--raw-dir",
            str(raw),
            "--serving",
            str(settings.serving),
            "--workers",
            "1",
            "--interval",
            "3600",
            "--name",
            name,
            "--wait",
            "120",
        ]
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    served = Served(settings, f"{FLOW}/{name}", proc, log, env)
    try:
        deadline = time.monotonic() + 120
        with get_client(sync_client=True) as client:
            while True:
                try:
                    client.read_deployment_by_name(served.deployment)
                    break
                except Exception:
                    assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
                    time.sleep(0.5)
        yield served
    finally:
        stop_process_group(proc)


def trigger(deployment: str, **kw):
    from prefect.deployments import run_deployment

    return run_deployment(deployment, timeout=RUN_TIMEOUT, poll_interval=1, **kw)


def wait_final(flow_run_id):
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + RUN_TIMEOUT
    with get_client(sync_client=True) as client:
        while True:
            run = client.read_flow_run(flow_run_id)
            if run.state and run.state.is_final():
                return run
            assert time.monotonic() < deadline, f"flow run {flow_run_id} did not finish: {run.state}"
            time.sleep(0.5)


def subflow_run(parent_id):
    """The `parley-run` flow run under a deployment run (None until it exists)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[parent_id]))
        )
    return runs[0] if runs else None


def logs_of(flow_run_id, settled: bool = False) -> list[str]:
    """Log messages of a flow run and its tasks, oldest first (task runs themselves reach the API through
    the server's event services, which the test server runs without; logs are written directly).

    Logs reach the API from a background worker, possibly after the run's state does: with `settled`, wait
    until the flow run's own closing line ("Finished in state ...") has arrived."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.client.schemas.sorting import LogSort

    deadline = time.monotonic() + LOG_SETTLE_TIMEOUT
    with get_client(sync_client=True) as client:
        while True:
            logs = client.read_logs(
                LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])), limit=200, sort=LogSort.TIMESTAMP_ASC
            )
            closed = any(log.task_run_id is None and log.message.startswith("Finished in state") for log in logs)
            if not settled or closed:
                return [log.message for log in logs]
            assert time.monotonic() < deadline, f"flow run {flow_run_id} logs did not settle: {logs[-5:]}"
            time.sleep(0.5)


def attempts(flow_run_id, step: str) -> int:
    """How many times a step started in a finished flow run (each attempt logs `step: <name>`)."""
    return logs_of(flow_run_id, settled=True).count(f"step: {step}")


def artifacts_of(flow_run_id) -> dict[str, object]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key: a for a in found}


def counts(artifact) -> dict[str, int]:
    data = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    return {row["what"]: row["count"] for row in data}


def articles_in(serving: Path) -> int:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute("select count(*) from dim_articles").fetchone()[0]


def test_deployment_has_the_schedule_and_locations(served):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        dep = client.read_deployment_by_name(served.deployment)
    assert [s.schedule.interval.total_seconds() for s in dep.schedules] == [3600]
    assert dep.parameters["raw_dir"] == str(served.settings.raw_dir)
    assert dep.parameters["serving"] == str(served.settings.serving)
    assert dep.entrypoint == "flows.pipeline.parley_run_deployment"


def test_triggered_run_publishes_and_leaves_artifacts(served):
    run = trigger(served.deployment)
    assert run.state.is_completed(), (run.state, served.log.read_text()[-3000:])
    assert articles_in(served.settings.serving) == 1
    child = subflow_run(run.id)
    found = artifacts_of(child.id)
    assert {"parley-run-counts", "parley-quality", "parley-dbt-results"} <= set(found)
    assert "parley-gx-data-docs" not in found  # a passing gate's Data Docs are rendered on demand (parley docs)
    assert "extracted: 1/1 articles (100%)" in "\n".join(logs_of(child.id, settled=True))  # progress line
    table = counts(found["parley-run-counts"])
    assert table["articles ingested"] == 1 and table["dim_articles rows published"] == 1
    assert table["statements extracted"] > 0
    quality = found["parley-quality"].data
    assert "Published: **yes**" in quality and "all passed" in quality and "| landing_statements |" in quality
    assert "`parley docs` renders and serves them" in quality
    kept = list((served.settings.state_dir / "runs").glob("*/gx/validation_results.json"))
    assert kept and all(json.loads(k.read_text()) for k in kept)  # what parley docs renders them from
    dbt_rows = json.loads(found["parley-dbt-results"].data)
    assert {(r["resource"], r["status"]) for r in dbt_rows} >= {("model", "pass"), ("test", "pass")}


def test_run_with_nothing_new_skips_the_build_and_publishes_nothing(served):
    """Cheap because no step after the skip runs; its time is measured by the benchmark's (d), not here."""
    serving, parquet = served.settings.serving, served.settings.parquet_dir / "dim_articles.parquet"
    before = (serving.stat().st_ino, parquet.stat().st_mtime_ns)
    started = time.monotonic()
    run = trigger(served.deployment)
    wall = time.monotonic() - started
    assert run.state.is_completed(), run.state
    assert (serving.stat().st_ino, parquet.stat().st_mtime_ns) == before
    child = subflow_run(run.id)
    assert counts(artifacts_of(child.id)["parley-run-counts"])["articles ingested"] == 0
    assert attempts(child.id, "skip known articles") == 1 and attempts(child.id, "dbt build") == 0
    # flow time measured by the server (the wall time adds the runner's poll and a process start)
    print(f"no-op scheduled run: {run.total_run_time.total_seconds():.1f} s in the flow, {wall:.1f} s wall")


def test_locked_build_database_is_retried_then_new_article_published(served, tmp_path):
    from prefect.deployments import run_deployment

    release = tmp_path / "release"
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(served.settings.build_db), str(release)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert locker.stdout.readline().strip() == "locked"
        shutil.copy2(RAW / NEW, served.settings.raw_dir / NEW)
        parent = run_deployment(served.deployment, timeout=0)
        deadline = time.monotonic() + RUN_TIMEOUT
        while True:  # release the lock once an attempt has failed on it
            child = subflow_run(parent.id)
            if child and any(m.startswith("transient error, retrying") for m in logs_of(child.id)):
                break
            assert time.monotonic() < deadline and locker.poll() is None, served.log.read_text()[-3000:]
            time.sleep(0.2)
    finally:
        release.touch()
        locker.wait(timeout=30)
    run = wait_final(parent.id)
    assert run.state.is_completed(), (run.state, served.log.read_text()[-3000:])
    assert attempts(child.id, "ingest raw files") >= 2  # the first step to open the build database
    assert articles_in(served.settings.serving) == 2


def test_prefect_yaml_deploys_and_a_process_worker_runs_it(served, tmp_path):
    """prefect.yaml from the repo root, on a process work pool; the run reuses the served locations."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    pool = f"parley-test-{uuid.uuid4().hex[:8]}"
    env = {**served.env, "PWD": str(REPO), "PREFECT_HOME": str(tmp_path / "home")}
    prefect = str(BIN / "prefect")
    subprocess.run(
        [prefect, "work-pool", "create", pool, "--type", "process"], env=env, check=True, capture_output=True
    )
    deploy = subprocess.run(
        [prefect, "--no-prompt", "deploy", "--name", "work-pool", "--pool", pool],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    with get_client(sync_client=True) as client:
        dep = client.read_deployment_by_name(f"{FLOW}/work-pool")
    assert dep.entrypoint == "flows/pipeline.py:parley_run_deployment" and dep.work_pool_name == pool
    assert [s.schedule.cron for s in dep.schedules] == ["*/15 * * * *"]
    assert dep.pull_steps == [{"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}]

    inode = served.settings.serving.stat().st_ino
    parent = run_deployment(
        f"{FLOW}/work-pool",
        timeout=0,
        parameters={"raw_dir": str(served.settings.raw_dir), "serving": str(served.settings.serving), "workers": 1},
    )
    worker = subprocess.run(
        [prefect, "worker", "start", "--pool", pool, "--run-once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    run = wait_final(parent.id)
    assert run.state.is_completed(), (run.state, worker.stdout[-3000:], worker.stderr[-3000:])
    assert served.settings.serving.stat().st_ino == inode  # nothing new since the last publish


def test_failing_quality_gate_is_not_retried_and_keeps_the_last_good_warehouse(served):
    before = articles_in(served.settings.serving), served.settings.serving.stat().st_ino
    with duckdb.connect(str(served.settings.build_db)) as con:  # a speech act the landing suite's vocabulary rejects
        con.execute(
            "update landing.statements set speech_act = 'shout' "
            "where statement_id = (select min(statement_id) from landing.statements)"
        )
        con.execute("update landing.articles set loaded_at = now()::timestamp")
        con.execute("insert into landing.batches values ('tampered', now()::timestamp, 0, 0)")
    run = trigger(served.deployment)
    assert run.state.is_failed() and "GX validation failed" in run.state.message
    assert (articles_in(served.settings.serving), served.settings.serving.stat().st_ino) == before
    child = subflow_run(run.id)
    assert attempts(child.id, "GX landing gate") == 1 and attempts(child.id, "dbt build") == 0
    failure = artifacts_of(child.id)["parley-quality"].data
    assert "parley run failed" in failure and "left as it was" in failure and "speech_act" in failure


@pytest.mark.parametrize(
    "exc, transient",
    [
        (OSError("Resource temporarily unavailable"), True),
        (duckdb.IOException('Could not set lock on file "build.duckdb"'), True),
        (ValueError("bad value"), False),
    ],
)
def test_only_transient_errors_are_retried(exc, transient):
    assert is_transient(exc) is transient


def test_quality_gate_and_run_lock_are_never_transient():
    from flows.orchestration.lock import RunLocked
    from flows.orchestration.steps import QualityGateFailed

    gate = QualityGateFailed("GX validation", ["x"])
    gate.__context__ = OSError("irrelevant")  # even when raised while handling an OSError
    assert not is_transient(gate) and not is_transient(RunLocked("held"))
    wrapped = RuntimeError("read failed")
    wrapped.__cause__ = OSError("interrupted")
    assert is_transient(wrapped)


def test_progress_prints_every_interval_and_at_the_end():
    from flows.orchestration.progress import Progress

    now, lines = [0.0], []
    progress = Progress("extracted", 10, every=5.0, out=lines.append, clock=lambda: now[0])
    for _ in range(10):
        now[0] += 1.0
        progress.advance()
    assert lines == [
        "extracted: 5/10 articles (50%), 1.0/s, ~5 s left",
        "extracted: 10/10 articles (100%), 1.0/s, 10.0 s",
    ]


def test_serve_without_a_reachable_server_says_so(tmp_path, capsys):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.cli import main

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{port}/api"}):
        assert main(["serve", "--raw-dir", str(tmp_path), "--serving", str(tmp_path / "w.duckdb")]) == 2
    assert "does not answer" in capsys.readouterr().err
