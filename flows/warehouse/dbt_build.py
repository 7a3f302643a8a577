"""Run the parley dbt project in process against a build DuckDB file.

`run_dbt_build` runs `dbt build` (models + tests) and reports counts per resource type and
the failing nodes; `run_dbt_docs` runs `dbt docs generate`. dbt's target/ and logs/ go to a
working directory outside the repo (default: beside the build database).
dbt-core is not safe for concurrent invocations in one process: call these one at a time.

Cost follows the batch, not the project: dbt's partial parsing reuses `partial_parse.msgpack` in the
persisted target directory, and the views (staging, intermediate), which hold no data, are created
again only when the project changed them. After each successful build the manifest is kept
(`dbt_state/` beside the target directory); the next build selects every data test and table
plus `state:modified+` against it, so an unchanged view that still exists in the build database is
not re-created, while everything that holds or checks data is built and tested as before. Unit
tests check a model's SQL against fixed rows, not the data: they run when their model, their own
definition or a macro the model uses changed since the kept manifest (dbt runs a unit test with its
model: a changed or new unit test on an unchanged model has its model built too), and on every build
without a kept manifest; an unchanged one would give the same answer as when it last passed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flows.config import PROJECT_ROOT
from flows.kill_points import dbt_callback

PROJECT_DIR_ENV = "PARLEY_DBT_PROJECT_DIR"
BUILD_DB_ENV = "PARLEY_BUILD_DB"
# what dbt says when an incremental table's columns differ from its model's (on_schema_change='fail')
SCHEMA_CHANGE_MESSAGE = "schemas on this incremental model are out of sync"

# dbt statuses -> the words the pipeline reports
_STATUS_WORDS = {
    "success": "pass",
    "pass": "pass",
    "fail": "fail",
    "error": "error",
    "runtime error": "error",
    "skipped": "skip",
    "warn": "warn",
}


def dbt_project_dir() -> Path:
    """The dbt project: $PARLEY_DBT_PROJECT_DIR, else the repo's dbt_project/."""
    override = os.environ.get(PROJECT_DIR_ENV)
    return Path(override) if override else PROJECT_ROOT / "dbt_project"


@dataclass
class NodeProblem:
    """A model, test or other node that failed, errored, warned or was skipped."""

    resource_type: str  # model, test, ...
    name: str
    status: str  # fail, error, warn, skip
    message: str
    failures: int | None = None  # failing rows of a test
    model: str | None = None  # for a test: the model it is attached to
    column: str | None = None  # for a column test: the column

    def describe(self) -> str:
        """One line for people, e.g. 'dbt test not_null_fct_statements_statement_id failed: 3 rows'."""
        if self.resource_type == "test" and self.status in ("fail", "warn") and self.failures is not None:
            verb = "failed" if self.status == "fail" else "warned"
            return f"dbt test {self.name} {verb}: {self.failures} rows"
        first_line = (self.message or "").strip().splitlines()[0] if self.message else ""
        return f"dbt {self.resource_type} {self.name} {self.status}: {first_line}".rstrip(": ")

    def __str__(self) -> str:
        return self.describe()


@dataclass
class DbtBuildResult:
    success: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # resource type -> status -> n
    problems: list[NodeProblem] = field(default_factory=list)
    error: str | None = None  # dbt could not run at all (bad project, no database, ...)
    target_dir: Path | None = None
    log_dir: Path | None = None
    elapsed_s: float = 0.0
    full_refresh: bool = False  # the incremental fact tables were rebuilt from scratch
    unique_ids: list[str] = field(default_factory=list)  # every node this build ran

    @property
    def failures(self) -> list[NodeProblem]:
        """Nodes that failed or errored (not warnings, not skips)."""
        return [p for p in self.problems if p.status in ("fail", "error")]

    def failed_names(self) -> list[str]:
        return [p.name for p in self.failures]

    def failure_lines(self) -> list[str]:
        """Why the build failed, one line each (empty when it succeeded)."""
        lines = [p.describe() for p in self.failures]
        if self.error:
            lines.append(f"dbt error: {self.error}")
        if not self.success and not lines:
            lines.append(f"dbt build failed; see {self.log_dir}")
        return lines

    def summary_lines(self) -> list[str]:
        """Lines for the pipeline's output: one per failing or warning node, then the totals."""
        warnings = [p.describe() for p in self.problems if p.status == "warn"]
        lines = self.failure_lines() + warnings
        totals = ", ".join(
            f"{rtype}: " + " ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
            for rtype, statuses in sorted(self.counts.items())
        )
        lines.append(f"dbt build {'ok' if self.success else 'FAILED'} in {self.elapsed_s:.1f}s ({totals})")
        return lines


@dataclass
class DbtDocsResult:
    success: bool
    target_dir: Path
    index_html: Path | None
    error: str | None = None


@contextlib.contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a dbt call, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _work_dirs(build_db: Path, target_dir: Path | None, log_dir: Path | None) -> tuple[Path, Path]:
    # absolute: dbt reads a relative --target-path from the project directory, this module from the working one
    work = build_db.resolve().parent / "dbt"
    target = Path(target_dir).resolve() if target_dir else work / "target"
    logs = Path(log_dir).resolve() if log_dir else work / "logs"
    target.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    return target, logs


def _invoke(command: list[str], build_db: Path, target: Path, logs: Path, quiet: bool):
    """Run one dbt command in process; returns dbt's dbtRunnerResult."""
    from dbt.cli.main import dbtRunner  # imported lazily: dbt is slow to import

    project = dbt_project_dir()
    args = [
        *command,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(target),
        "--log-path",
        str(logs),
    ]
    if quiet:
        args.append("--quiet")
    env = {
        BUILD_DB_ENV: str(Path(build_db).resolve()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    with _env(env):
        return dbtRunner(callbacks=[dbt_callback]).invoke(args)


def _node_problem(result, status: str) -> NodeProblem:
    node = result.node
    attached = getattr(node, "attached_node", None)
    return NodeProblem(
        resource_type=str(node.resource_type),
        name=node.name,
        status=status,
        message=result.message or "",
        failures=result.failures,
        model=attached.split(".")[-1] if attached else None,
        column=getattr(node, "column_name", None),
    )


def summarize(results) -> tuple[dict[str, dict[str, int]], list[NodeProblem]]:
    """Counts per resource type and status, and the nodes that did not pass."""
    counts: dict[str, Counter] = {}
    problems = []
    for result in results:
        status = _STATUS_WORDS.get(str(result.status), str(result.status))
        rtype = str(result.node.resource_type)
        counts.setdefault(rtype, Counter())[status] += 1
        if status != "pass":
            problems.append(_node_problem(result, status))
    return {rtype: dict(c) for rtype, c in counts.items()}, problems


# with a kept manifest: the data tests, the tables, and what the project changed (with its unit tests);
# not the unchanged views (they are not re-created) nor the unit tests of unchanged models
UNCHANGED_VIEWS_SKIPPED = "resource_type:test config.materialized:table config.materialized:incremental state:modified+"


def state_dir_for(target: Path) -> Path:
    """Where the manifest of the last successful build is kept (`--state`; never the target itself)."""
    return target.parent / "dbt_state"


def _read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _kept_selection(build_db: Path, manifest: dict | None) -> str | None:
    """The selection that skips unchanged views, when a manifest is kept and every view it lists exists in
    the build database (else None: build everything)."""
    if manifest is None:
        return None
    nodes = manifest.get("nodes", {})
    views = {
        (n["schema"].lower(), (n.get("alias") or n["name"]).lower())
        for n in nodes.values()
        if n.get("resource_type") == "model" and n.get("config", {}).get("materialized") == "view"
    }
    import duckdb

    try:
        con = duckdb.connect(str(build_db), read_only=True)
    except duckdb.Error:
        return None
    try:
        found = {
            (schema.lower(), name.lower())
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables where table_type = 'VIEW'"
            ).fetchall()
        }
    finally:
        con.close()
    if not views <= found:
        return None
    return UNCHANGED_VIEWS_SKIPPED


def _missed_unit_tests(target: Path, kept: dict | None, result: DbtBuildResult) -> list[str]:
    """Models with a unit test that is new or changed since the `kept` manifest which this build did not run
    (a unit test added or edited on an unchanged model: dbt runs a unit test only with its model)."""
    manifest = _read_manifest(target / "manifest.json")
    if manifest is None:
        return []
    before = (kept or {}).get("unit_tests", {})
    ran = set(result.unique_ids)
    return sorted(
        {
            u["model"]
            for uid, u in manifest.get("unit_tests", {}).items()
            if uid not in ran and u.get("model") and before.get(uid, {}).get("checksum") != u.get("checksum")
        }
    )


def _merged(first: DbtBuildResult, second: DbtBuildResult) -> DbtBuildResult:
    counts = {k: dict(v) for k, v in first.counts.items()}
    for rtype, statuses in second.counts.items():
        for status, n in statuses.items():
            counts.setdefault(rtype, {})[status] = counts.get(rtype, {}).get(status, 0) + n
    return DbtBuildResult(
        success=first.success and second.success,
        counts=counts,
        problems=first.problems + second.problems,
        error=first.error or second.error,
        target_dir=second.target_dir,
        log_dir=second.log_dir,
        elapsed_s=first.elapsed_s + second.elapsed_s,
        full_refresh=first.full_refresh,
        unique_ids=first.unique_ids + second.unique_ids,
    )


def _keep_manifest(target: Path, state: Path) -> None:
    """Keep this build's manifest for the next one (atomic: a torn copy is never read)."""
    state.mkdir(parents=True, exist_ok=True)
    tmp = state / ".manifest.json.tmp"
    shutil.copyfile(target / "manifest.json", tmp)
    os.replace(tmp, state / "manifest.json")


def _build_once(
    build_db: Path,
    target: Path,
    logs: Path,
    select: str | None,
    full_refresh: bool,
    quiet: bool,
    state: tuple[Path, str] | None = None,
) -> DbtBuildResult:
    command = ["build"]
    if select:
        command += ["--select", select]
    elif state is not None and not full_refresh:
        command += ["--select", state[1], "--state", str(state[0])]
    if full_refresh:
        command.append("--full-refresh")
    started = time.perf_counter()
    res = _invoke(command, build_db, target, logs, quiet)
    results = res.result.results if res.result is not None else []
    counts, problems = summarize(results)
    return DbtBuildResult(
        unique_ids=[r.node.unique_id for r in results],
        success=bool(res.success),
        counts=counts,
        problems=problems,
        error=str(res.exception) if res.exception else None,
        target_dir=target,
        log_dir=logs,
        elapsed_s=time.perf_counter() - started,
        full_refresh=full_refresh,
    )


def _schema_changed(result: DbtBuildResult) -> bool:
    """An incremental fact table no longer has the model's columns (the project changed)."""
    return any(p.resource_type == "model" and SCHEMA_CHANGE_MESSAGE in p.message for p in result.failures)


def _declared_not_null(manifest: dict) -> dict[tuple[str, str], set[str]]:
    """(schema, table) -> the columns an incremental model's enforced contract declares not null."""
    declared: dict[tuple[str, str], set[str]] = {}
    for node in manifest.get("nodes", {}).values():
        config = node.get("config", {})
        if node.get("resource_type") != "model" or config.get("materialized") != "incremental":
            continue
        if not config.get("contract", {}).get("enforced"):
            continue
        columns = {
            name.lower()
            for name, column in node.get("columns", {}).items()
            if any(c.get("type") == "not_null" for c in column.get("constraints", []))
        }
        if columns:
            declared[node["schema"].lower(), (node.get("alias") or node["name"]).lower()] = columns
    return declared


def _missing_constraints(build_db: Path, manifest: dict | None) -> list[str]:
    """Incremental tables built before their contract declared a not-null constraint (an older project): the
    constraint exists only on a table created since, so these are rebuilt (`full_refresh`) to enforce it."""
    declared = _declared_not_null(manifest or {})
    if not declared:
        return []
    import duckdb

    with duckdb.connect(str(build_db), read_only=True) as con:
        rows = con.execute(
            "select schema_name, table_name, constraint_column_names from duckdb_constraints() "
            "where constraint_type = 'NOT NULL'"
        ).fetchall()
    present: dict[tuple[str, str], set[str]] = {}
    for schema, table, columns in rows:
        present.setdefault((schema.lower(), table.lower()), set()).update(c.lower() for c in columns)
    return sorted(f"{s}.{t}" for (s, t), cols in declared.items() if not cols <= present.get((s, t), set()))


def run_dbt_build(
    build_db: Path,
    *,
    log_dir: Path | None = None,
    target_dir: Path | None = None,
    select: str | None = None,
    full_refresh: bool = False,
    quiet: bool = False,
) -> DbtBuildResult:
    """`dbt build` the parley project against `build_db` (whose `landing` schema is loaded).

    Fact tables are incremental per article. `full_refresh` rebuilds them from scratch; it
    also happens by itself when a fact table's columns no longer match its model (the
    models use on_schema_change='fail', so old rows never miss a new column), and when a fact table
    lacks a not-null constraint its contract declares (built by an older project). Without `select`,
    unchanged views are not re-created once a successful build's manifest is kept (module docstring).
    """
    build_db = Path(build_db)
    target, logs = _work_dirs(build_db, target_dir, log_dir)
    kept = state_dir_for(target)
    kept_manifest = _read_manifest(kept / "manifest.json") if select is None and not full_refresh else None
    selection = _kept_selection(build_db, kept_manifest)
    state = (kept, selection) if selection else None
    result = _build_once(build_db, target, logs, select, full_refresh, quiet, state)
    rebuild = _schema_changed(result) or (
        result.success and bool(_missing_constraints(build_db, _read_manifest(target / "manifest.json")))
    )
    if not full_refresh and rebuild:
        result, state = _build_once(build_db, target, logs, select, True, quiet), None
    missed = _missed_unit_tests(target, kept_manifest, result) if state is not None and result.success else []
    if missed:
        result = _merged(result, _build_once(build_db, target, logs, " ".join(missed), False, quiet))
    if result.success and select is None and (target / "manifest.json").is_file():
        _keep_manifest(target, kept)
    return result


def run_dbt_docs(
    build_db: Path,
    *,
    log_dir: Path | None = None,
    target_dir: Path | None = None,
    static: bool = True,
    quiet: bool = True,
) -> DbtDocsResult:
    """`dbt docs generate` (catalog from `build_db`); with `static`, also one self-contained HTML file."""
    target, logs = _work_dirs(Path(build_db), target_dir, log_dir)
    command = ["docs", "generate"] + (["--static"] if static else [])
    res = _invoke(command, Path(build_db), target, logs, quiet)
    index = target / ("static_index.html" if static else "index.html")
    return DbtDocsResult(
        success=bool(res.success),
        target_dir=target,
        index_html=index if index.exists() else None,
        error=str(res.exception) if res.exception else None,
    )
