"""The operator-fault classifier (flows.orchestration.operator_faults) on real damaged DuckDB files and real OS errors.

Each damage is made the way a failing disk or an interrupted copy makes it (a truncated file, a
garbled header, a garbled block), and the error DuckDB raises on it is what gets classified.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.config import Settings
from flows.orchestration import operator_faults as of
from flows.orchestration.lock import RunLocked, run_lock
from flows.orchestration.task_policy import is_transient
from flows.warehouse.published import record_publish
from flows.warehouse.snapshot import current_snapshot, file_sha256, restore_snapshot, write_snapshot


@pytest.fixture(scope="module")
def whole_db(tmp_path_factory) -> Path:
    """A real DuckDB file of several blocks, checkpointed (no WAL)."""
    path = tmp_path_factory.mktemp("db") / "build.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema landing")
    con.execute(
        "create table landing.articles as "
        "select range::varchar as article_id, repeat('x', 200) as text, range as n from range(60000)"
    )
    con.execute("create table landing.raw_files (file varchar primary key, size bigint)")
    con.execute("insert into landing.raw_files values ('a.md', 3), ('b.md', 4)")
    con.execute("checkpoint")
    con.close()
    return path


@pytest.fixture
def settings(tmp_path) -> Settings:
    (tmp_path / "raw").mkdir()
    return Settings.resolve(tmp_path / "raw", tmp_path / "w" / "parley.duckdb", workers=1)


def _place(db: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, target)
    return target


def _scan_error(path: Path) -> duckdb.Error:
    with pytest.raises(duckdb.Error) as info:
        con = duckdb.connect(str(path))
        try:
            for schema, table in con.execute("select schema_name, table_name from duckdb_tables()").fetchall():
                con.execute(f'select count(*), max(hash(t)) from "{schema}"."{table}" as t').fetchall()
        finally:
            con.close()
    return info.value


def test_truncated_build_database_is_named_with_its_path_and_the_rebuild_command(whole_db, settings):
    db = _place(whole_db, settings.build_db)
    os.truncate(db, db.stat().st_size // 2)
    damage = of.file_damage(db)
    assert damage is not None and damage.startswith("truncated")
    error = _scan_error(db)
    assert isinstance(error, duckdb.IOException) and "Could not read enough bytes" in str(error)
    fault = of.classify(error, settings)
    assert fault.kind == "build_damaged" and fault.exit_code == 65
    assert str(db) in fault.sentence and "parley rebuild" in fault.sentence
    assert not is_transient(error)  # a duckdb.IOException, but damage is never retried


def test_garbled_header_and_garbled_block_are_damage_not_transient(whole_db, settings):
    header = _place(whole_db, settings.build_db)
    with open(header, "r+b") as fh:
        fh.write(os.urandom(4096))
    with pytest.raises(duckdb.IOException) as info:
        duckdb.connect(str(header))
    assert "not a valid DuckDB database file" in str(info.value)
    assert of.classify(info.value, settings).kind == "build_damaged" and not is_transient(info.value)

    block = _place(whole_db, settings.state_dir / "other.duckdb")
    with open(block, "r+b") as fh:
        fh.seek(3 * 4096)
        fh.write(b"\xde\xad\xbe\xef" * 16384)
    assert "checksum" in of.file_damage(block, scan=True)
    error = _scan_error(block)
    assert of.classify(error, settings).kind == "build_damaged" and not is_transient(error)


def test_a_whole_database_has_no_damage_and_a_wal_skips_the_size_check(whole_db, settings):
    db = _place(whole_db, settings.build_db)
    assert of.file_damage(db) is None and of.file_damage(db, scan=True) is None


def test_damaged_serving_file_is_its_own_fault(whole_db, settings):
    serving = _place(whole_db, settings.serving)
    with open(serving, "r+b") as fh:
        fh.write(b"\0" * 8192)
    with pytest.raises(duckdb.Error) as info:
        duckdb.connect(str(serving), read_only=True)
    fault = of.classify(info.value, settings)
    assert fault.kind == "serving_damaged" and fault.exit_code == 69 and str(serving) in fault.sentence
    with pytest.raises(of.OperatorFault) as raised:
        of.preflight(settings)
    assert raised.value.kind == "serving_damaged"


def test_preflight_trusts_a_serving_file_whose_sha256_the_publish_recorded(whole_db, settings):
    serving = _place(whole_db, settings.serving)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    record_publish(settings, "batch-1", "run-1", file_sha256(serving))
    assert of.serving_damage(settings) is None
    with open(serving, "r+b") as fh:  # same size, one block garbled: only a full read finds it
        fh.seek(3 * 4096)
        fh.write(b"\xde\xad\xbe\xef" * 16384)
    assert "checksum" in of.serving_damage(settings)


def test_full_disk_is_named_and_may_be_retried(settings):
    enospc = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(settings.state_dir / "runs" / "x" / "gx"))
    fault = of.classify(enospc, settings)
    assert fault.kind == "disk_full" and fault.exit_code == 74 and fault.retryable
    assert "free space" in fault.sentence and str(settings.state_dir) in fault.sentence
    assert is_transient(enospc)
    try:  # as GX's store raises it: its own error, from the OSError
        try:
            raise enospc
        except OSError as exc:
            raise RuntimeError("could not save the validation result") from exc
    except RuntimeError as wrapped:
        assert of.classify(wrapped, settings).kind == "disk_full"
    dbt_text = 'IO Error: Could not write file "/s/build.duckdb.wal": No space left on device'
    assert of.from_text(dbt_text, settings).kind == "disk_full"


def test_a_full_disk_that_invalidated_duckdb_is_still_a_full_disk(settings):
    text = (
        "FATAL Error: Failed: database has been invalidated because of a previous fatal error. "
        'Original error: "Could not write file "/s/build.duckdb": No space left on device"'
    )
    assert of.from_text(text, settings).kind == "disk_full"


@pytest.mark.parametrize("place", ["raw", "state", "serving"])
def test_permission_denied_names_the_directory_and_is_not_retried(settings, place):
    path = {
        "raw": settings.raw_dir / "a.md",
        "state": settings.state_dir / "runs",
        "serving": settings.serving.with_name(".parley.duckdb.x.tmp"),
    }[place]
    error = PermissionError(errno.EACCES, "Permission denied", str(path))
    fault = of.classify(error, settings)
    directory = {"raw": settings.raw_dir, "state": settings.state_dir, "serving": settings.serving.parent}[place]
    assert fault.kind == "permission" and fault.exit_code == 77 and fault.path == directory
    assert f"{place} directory {directory}" in fault.sentence
    assert not is_transient(error)


def test_a_real_unreadable_raw_directory_fails_preflight(settings):
    """In a subprocess without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, so a mode-000 directory refuses root too."""
    import subprocess
    import sys

    from tests.support.reliability import REPO, _drop_file_capabilities

    code = (
        "import sys\nfrom flows.config import Settings\nfrom flows.orchestration.operator_faults import preflight, "
        "OperatorFault\ntry:\n    preflight(Settings.resolve(sys.argv[1], sys.argv[2], workers=1))\n"
        "except OperatorFault as f:\n    print(f.kind, f.exit_code)\n    print(f.sentence)\n"
    )
    os.chmod(settings.raw_dir, 0)
    try:
        child = subprocess.run(
            [sys.executable, "-c", code, str(settings.raw_dir), str(settings.serving)],
            cwd=REPO,
            capture_output=True,
            text=True,
            preexec_fn=_drop_file_capabilities if os.geteuid() == 0 else None,
        )
    finally:
        os.chmod(settings.raw_dir, 0o755)
    kind, sentence = child.stdout.splitlines()[:2] if child.stdout else ("", child.stderr)
    assert kind == "permission 77", child.stderr[-2000:]
    assert f"the raw directory {settings.raw_dir} refuses access" in sentence


def test_lock_held_is_named_with_the_holder(settings):
    with run_lock(settings.lock_file), pytest.raises(RunLocked) as info, run_lock(settings.lock_file):
        pass
    fault = of.classify(info.value, settings)
    assert fault.kind == "locked" and fault.exit_code == 75
    assert f"pid {os.getpid()}" in fault.sentence and "another parley run is in progress" in fault.sentence
    assert not is_transient(info.value)


def test_missing_raw_directory(settings, tmp_path):
    missing = Settings.resolve(tmp_path / "nope", settings.serving, workers=1)
    with pytest.raises(of.OperatorFault) as raised:
        of.preflight(missing)
    assert raised.value.kind == "raw_missing" and raised.value.exit_code == 66
    assert str(tmp_path / "nope") in raised.value.sentence


def test_bugs_are_not_operator_faults(settings):
    assert of.classify(ValueError("bad rule"), settings) is None
    assert of.classify(KeyError("x"), settings) is None
    assert of.classify(duckdb.CatalogException("Table with name x does not exist!"), settings) is None


def test_exit_codes_are_distinct_and_keep_the_existing_ones():
    codes = list(of.EXIT_CODES.values())
    assert len(set(codes)) == len(codes)
    assert not set(codes) & {0, 1, 2, 3, 4} and of.EXIT_CODES["locked"] == 75


def test_faults_survive_pickling():
    import pickle

    fault = of.raw_missing(Path("/nope"))
    again = pickle.loads(pickle.dumps(fault))
    assert (again.kind, again.sentence, again.exit_code) == (fault.kind, fault.sentence, 66)


def test_landing_snapshot_round_trip_keeps_every_table_and_its_constraints(whole_db, tmp_path):
    serving = tmp_path / "w" / "parley.duckdb"
    serving.parent.mkdir()
    con = duckdb.connect()
    con.execute(f"attach '{whole_db}' as build (read_only)")
    first = write_snapshot(con, "build", serving, "run-1")
    second = write_snapshot(con, "build", serving, "run-2")
    con.close()
    assert not first.path.exists() and current_snapshot(serving).run_id == "run-2" == second.run_id
    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    fresh.execute("create schema landing")
    counts = restore_snapshot(current_snapshot(serving), fresh)
    assert counts == {"articles": 60000, "raw_files": 2}
    with pytest.raises(duckdb.ConstraintException):  # the primary key came back with the table
        fresh.execute("insert into landing.raw_files values ('a.md', 9)")
    fresh.close()


def test_console_shows_a_fault_without_its_traceback_and_a_bug_with_it(settings):
    import logging
    import sys

    formatter = of._QuietFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def record(exc: BaseException | None, msg: str) -> logging.LogRecord:
        try:
            if exc is not None:
                raise exc
        except BaseException:
            return logging.LogRecord("prefect.task_runs", logging.ERROR, __file__, 1, msg, None, sys.exc_info())
        return logging.LogRecord("great_expectations", logging.ERROR, __file__, 1, msg, None, None)

    fault = formatter.format(record(of.raw_missing(settings.raw_dir), "Task run failed"))
    assert "Traceback" not in fault and "parley.log" in fault
    bug = formatter.format(record(ValueError("a bug"), "Task run failed"))
    assert "Traceback (most recent call last)" in bug and "ValueError: a bug" in bug
    gx = (  # as GX's Data Docs builder logs it: the traceback is in the message text
        'Data Docs failed.  OSError: "[Errno 28] No space left on device".  '
        'Traceback: "Traceback (most recent call last):\n  File "x"'
    )
    shown = formatter.format(record(None, gx))
    assert "Traceback" not in shown and "No space left on device" in shown
