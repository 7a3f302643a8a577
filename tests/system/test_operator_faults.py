"""Operator faults (issue 13): each one ends a real `parley run` with its sentence and exit code, leaves the
serving file byte-identical, and after its one remedy the next run publishes what a clean run does, with
every id published before the fault unchanged.

Every case starts from the session's published baseline (article A) with article B and a copy of A added
(`grow`); the reference is one uninterrupted run over the same raw directory. The cases run as parallel
scenarios (fault, remedy, recovery run, in order within each), so the module costs about as long as its
longest scenario. Permission cases run `parley` as root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH
(`unprivileged`), so file modes apply as to any user. The full disk is a 64 MB tmpfs mounted on the state
directory and filled to a few MB free (skipped, with the reason, where mounting is refused).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from flows.orchestration.lock import run_lock
from flows.warehouse.sql import ident
from tests.support.reliability import Workspace, file_sha, grow, read_snapshot, samples

SCENARIOS = 4  # at once: each runs one `parley` process at a time (about 0.5 GB)
FREE_BYTES = 1024 * 1024  # left on the full disk: less than a run writes to the state directory


def published_ids(serving: Path) -> dict[tuple[str, str], set]:
    """{(table, id column): values} of every table of the serving file (every `*_id` column but run_id)."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        cols = con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'main' "
            "and column_name like '%\\_id' escape '\\' and column_name <> 'run_id' and table_name <> 'parley_publish'"
        ).fetchall()
        return {
            (t, c): {r[0] for r in con.execute(f"select distinct {ident(c)} from {ident(t)}").fetchall()}
            for t, c in cols
        }
    finally:
        con.close()


def _observe(ws: Workspace, result) -> dict:
    return {"rc": result.rc, "output": result.output, "serving_sha": file_sha(ws.serving)}


def _garble(path: Path) -> None:
    """Overwrite the first 64 KiB of the file's second data block (the first mart's rows), its size unchanged,
    as a bad sector would. (Garbage in the unused end of a block is not damage: DuckDB never reads it.)"""
    con = duckdb.connect(str(path), read_only=True)
    block_size = con.execute("select block_size from pragma_database_size()").fetchone()[0]
    con.close()
    with open(path, "r+b") as fh:
        fh.seek(3 * 4096 + block_size)
        fh.write(b"\xde\xad\xbe\xef" * 16384)


def truncated_build(ws: Workspace, url: str) -> dict:
    os.truncate(ws.build_db, ws.build_db.stat().st_size // 2)
    out = {"before": file_sha(ws.serving), "fault": _observe(ws, ws.run(url))}
    out["remedy"] = ws.command(url, "rebuild")
    out["after_remedy"] = read_snapshot(ws.serving)
    out["ids_after_remedy"] = published_ids(ws.serving)
    out["aside"] = sorted(p.name for p in ws.state.glob("build.duckdb.damaged-*"))
    out["recovery"] = ws.run(url)
    return out


def garbled_serving(ws: Workspace, url: str) -> dict:
    _garble(ws.serving)
    out = {"before": file_sha(ws.serving), "fault": _observe(ws, ws.run(url))}
    out["remedy"] = ws.command(url, "rebuild")
    out["after_remedy"] = read_snapshot(ws.serving)
    out["aside_sha"] = [file_sha(p) for p in ws.serving.parent.glob("parley.duckdb.damaged-*")]
    out["recovery"] = ws.run(url)
    return out


def full_disk(ws: Workspace, url: str) -> dict:
    saved = ws.root / "state-before-mount"
    shutil.move(ws.state, saved)
    ws.state.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(ws.state)], capture_output=True)
    if mount.returncode != 0:
        return {"skip": f"cannot mount a tmpfs for the full disk: {mount.stderr.decode().strip()}"}
    try:
        for item in saved.iterdir():
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, ws.state / item.name)
        filler = ws.state / "filler"
        with open(filler, "wb") as fh:
            os.posix_fallocate(fh.fileno(), 0, shutil.disk_usage(ws.state).free - FREE_BYTES)
        out = {"before": file_sha(ws.serving), "fault": _observe(ws, ws.run(url))}
        filler.unlink()  # the remedy: free space there
        out["recovery"] = ws.run(url)
        out["landed"] = (
            duckdb.connect(str(ws.build_db), read_only=True).execute("select count(*) from landing.articles").fetchall()
        )
    finally:
        subprocess.run(["umount", "-l", str(ws.state)], check=False)
    return out


def unwritable(place: str):
    def scenario(ws: Workspace, url: str) -> dict:
        directory = ws.state if place == "state" else ws.serving.parent
        os.chmod(directory, 0o555)
        try:
            out = {"before": file_sha(ws.serving), "fault": _observe(ws, ws.run(url, unprivileged=True))}
        finally:
            os.chmod(directory, 0o755)  # the remedy: give the user access
        out["directory"] = directory
        out["recovery"] = ws.run(url, unprivileged=True)
        return out

    return scenario


def operator_mistakes(ws: Workspace, url: str) -> dict:
    """A run killed at extraction, then the lock held, a missing and an unreadable raw directory, one after
    the other in one workspace (none of them changes a file), then one run after all the remedies."""
    out = {"killed": ws.run(url, kill_at="extract.article")}
    out["killed_record"] = json.loads(next((ws.state / "runs").glob("*/run.json")).read_text())
    out["before"] = file_sha(ws.serving)
    build_before = file_sha(ws.build_db)
    with run_lock(ws.state / "run.lock"):  # as if another run were in progress
        out["locked"] = _observe(ws, ws.run(url))
    out["missing"] = _observe(ws, ws.run(url, "--raw-dir", str(ws.root / "articles")))
    out["missing_dir"] = ws.root / "articles"
    os.chmod(ws.raw, 0)
    try:
        out["unreadable"] = _observe(ws, ws.run(url, unprivileged=True))
    finally:
        os.chmod(ws.raw, 0o755)
    out["build_unchanged"] = file_sha(ws.build_db) == build_before
    out["recovery"] = ws.run(url)
    flow_run = out["killed_record"]["flow_run_id"]
    with urllib.request.urlopen(f"{url}/flow_runs/{flow_run}", timeout=10) as response:
        out["killed_state"] = json.loads(response.read())["state"]["type"]
    out["killed_record_after"] = json.loads(
        (ws.state / "runs" / out["killed_record"]["run_id"] / "run.json").read_text()
    )
    out["status"] = ws.command(url, "status", "--json")
    return out


CASES = {
    "truncated_build": truncated_build,
    "garbled_serving": garbled_serving,
    "full_disk": full_disk,
    "state_unwritable": unwritable("state"),
    "serving_unwritable": unwritable("serving"),
    "operator_mistakes": operator_mistakes,
}


@pytest.fixture(scope="module")
def faults(tmp_path_factory, prefect_server_url):
    baseline, reference = samples(tmp_path_factory, prefect_server_url)
    root = tmp_path_factory.mktemp("faults")
    spaces = {}
    for name in CASES:
        spaces[name] = baseline.clone(root / name)
        grow(spaces[name])
    with ThreadPoolExecutor(SCENARIOS) as pool:
        futures = {name: pool.submit(CASES[name], spaces[name], prefect_server_url) for name in CASES}
        seen = {name: future.result() for name, future in futures.items()}
    return {
        "baseline": read_snapshot(baseline.serving),
        "baseline_ids": published_ids(baseline.serving),
        "reference": read_snapshot(reference.serving),
        "spaces": spaces,
        "seen": seen,
    }


def _case(faults, name: str) -> dict:
    seen = faults["seen"][name]
    if "skip" in seen:
        pytest.skip(seen["skip"])
    return seen


def _assert_fault(observed: dict, before: str, code: int, *phrases: str) -> None:
    assert observed["rc"] == code, observed["output"][-4000:]
    lines = [line for line in observed["output"].splitlines() if line.startswith("parley: ")]
    assert lines, observed["output"][-3000:]
    sentence = lines[0]
    for phrase in phrases:
        assert phrase in sentence, sentence
    assert observed["serving_sha"] == before  # the serving file byte-identical
    assert "Traceback" not in observed["output"]  # the sentence, not a dump (the traceback is in parley.log)


def _assert_recovered(faults, name: str, result) -> None:
    ws = faults["spaces"][name]
    assert result.rc == 0, result.output[-6000:]
    assert read_snapshot(ws.serving) == faults["reference"]
    after = published_ids(ws.serving)
    for key, values in faults["baseline_ids"].items():
        assert values <= after[key], f"ids of {key} published before the fault are gone"


def test_truncated_build_database(faults):
    seen, ws = _case(faults, "truncated_build"), faults["spaces"]["truncated_build"]
    _assert_fault(seen["fault"], seen["before"], 65, f"the build database {ws.build_db} is damaged", "parley rebuild")
    assert seen["remedy"].rc == 0, seen["remedy"].output[-4000:]
    assert seen["aside"] and "published:" in seen["remedy"].output  # moved aside, never deleted
    assert seen["after_remedy"] == faults["baseline"]  # the rebuilt warehouse is the one published before
    assert seen["ids_after_remedy"] == faults["baseline_ids"]
    _assert_recovered(faults, "truncated_build", seen["recovery"])


def test_garbled_serving_file(faults):
    seen, ws = _case(faults, "garbled_serving"), faults["spaces"]["garbled_serving"]
    _assert_fault(seen["fault"], seen["before"], 69, f"the serving file {ws.serving} is damaged", "parley rebuild")
    assert seen["remedy"].rc == 0, seen["remedy"].output[-4000:]
    assert seen["after_remedy"] == faults["baseline"]
    assert seen["aside_sha"] == [seen["before"]]  # the damaged file is kept beside it
    _assert_recovered(faults, "garbled_serving", seen["recovery"])


def test_full_disk(faults):
    seen, ws = _case(faults, "full_disk"), faults["spaces"]["full_disk"]
    _assert_fault(seen["fault"], seen["before"], 74, f"the file system of {ws.state}", "is full", "free space")
    _assert_recovered(faults, "full_disk", seen["recovery"])


@pytest.mark.parametrize("place", ["state", "serving"])
def test_unwritable_directory(faults, place):
    seen = _case(faults, f"{place}_unwritable")
    words = f"the {place} directory {seen['directory']} refuses access"
    _assert_fault(seen["fault"], seen["before"], 77, words, "give the user running parley")
    _assert_recovered(faults, f"{place}_unwritable", seen["recovery"])


def test_lock_held(faults):
    seen = _case(faults, "operator_mistakes")
    _assert_fault(seen["locked"], seen["before"], 75, "another parley run is in progress", "run.lock", "--wait")


def test_missing_raw_directory(faults):
    seen = _case(faults, "operator_mistakes")
    _assert_fault(seen["missing"], seen["before"], 66, f"the raw directory {seen['missing_dir']} does not exist")


def test_unreadable_raw_directory(faults):
    seen, ws = _case(faults, "operator_mistakes"), faults["spaces"]["operator_mistakes"]
    _assert_fault(seen["unreadable"], seen["before"], 77, f"the raw directory {ws.raw} refuses access")


def test_after_the_mistakes_are_fixed_the_next_run_publishes_the_reference(faults):
    seen = _case(faults, "operator_mistakes")
    assert seen["build_unchanged"]  # none of the refused runs wrote to the build database
    _assert_recovered(faults, "operator_mistakes", seen["recovery"])


def test_a_killed_run_is_marked_crashed_in_prefect_by_the_next_run(faults):
    seen = _case(faults, "operator_mistakes")
    assert seen["killed"].rc == -9 and seen["killed_record"]["outcome"] == "running"
    assert seen["killed_state"] == "CRASHED"
    assert seen["killed_record_after"]["outcome"] == "crashed"


def test_status_reports_what_is_published_and_how_the_last_run_ended(faults):
    seen = _case(faults, "operator_mistakes")
    assert seen["status"].rc == 0, seen["status"].output[-3000:]
    report = json.loads(seen["status"].output)
    assert report["serving"]["opens"] and report["serving"]["marts"]["dim_articles"] == 2
    assert report["build_db"]["opens"] and report["lock"]["held"] is False
    assert report["last_run"]["outcome"] == "completed" and report["disk"]["free_bytes"] > 0
    assert report["landing_snapshot"]["exists"]
