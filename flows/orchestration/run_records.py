"""What each run leaves in its run directory: `run.json` (how it started and ended) and `parley.log`.

`run.json` is written when a run starts (outcome `running`, with its pid, the start time of that
process and its Prefect flow run id) and again when it ends (`completed`, `failed`, or the
operator fault it met). A run killed on the way (SIGKILL, OOM, power cut) never writes the end:
the next run finds the record still `running` with its process gone, marks it `crashed` there
and sets its Prefect flow run (and its task runs still running) to `Crashed`. `parley status`
reads these records; nothing here touches the build database.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flows.config import Settings

RECORD = "run.json"
LOG = "parley.log"
log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def process_start(pid: int) -> str | None:
    """The start time of process `pid` (clock ticks since boot, from /proc), or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, counted after the command name


def alive(record: dict[str, Any]) -> bool:
    """Whether the process that wrote `record` still runs (same pid and the same start time)."""
    pid = record.get("pid")
    if not isinstance(pid, int):
        return False
    started = process_start(pid)
    if started is None:
        return False
    return record.get("process_start") in (None, started)


def read(run_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((run_dir / RECORD).read_text())
    except (OSError, json.JSONDecodeError):
        return None


PAD_BYTES = 4096  # a record is padded to this size, so its end can overwrite it in place on a full disk


def write(run_dir: Path, **fields: Any) -> dict[str, Any] | None:
    """Merge `fields` into the run's record (atomic replace; on a full disk, in place within the padding
    the start left); None when it cannot be written."""
    record = {**(read(run_dir) or {}), **fields}
    text = json.dumps(record, indent=2, default=str)
    text += " " * max(0, PAD_BYTES - len(text.encode()) - 1) + "\n"
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        tmp = run_dir / f".{RECORD}.tmp"
        tmp.write_text(text)
        os.replace(tmp, run_dir / RECORD)
        return record
    except OSError as exc:
        with contextlib.suppress(OSError):
            (run_dir / f".{RECORD}.tmp").unlink(missing_ok=True)
            target = run_dir / RECORD
            if target.exists() and len(text.encode()) <= target.stat().st_size:
                with open(target, "r+", encoding="utf-8") as fh:  # the blocks are there already
                    fh.write(text.ljust(target.stat().st_size - 1) + "\n")
                return record
        log.warning("could not write the run record in %s: %s", run_dir, exc)
        return None


def started(run_dir: Path, run_id: str, flow_run_id: str | None, command: str = "run") -> dict[str, Any] | None:
    pid = os.getpid()
    return write(
        run_dir,
        run_id=run_id,
        command=command,
        outcome="running",
        pid=pid,
        process_start=process_start(pid),
        flow_run_id=flow_run_id,
        started_at=_now(),
    )


def ended(run_dir: Path, outcome: str, *, exit_code: int, message: str = "", **extra: Any) -> None:
    write(run_dir, outcome=outcome, exit_code=exit_code, message=message, ended_at=_now(), **extra)


def records(state_dir: Path) -> list[dict[str, Any]]:
    """Every run record of the state directory, oldest first (run ids sort by start time)."""
    runs = state_dir / "runs"
    if not runs.is_dir():
        return []
    found = []
    for run_dir in sorted(p for p in runs.iterdir() if p.is_dir()):
        record = read(run_dir)
        if record is not None:
            found.append({**record, "run_dir": str(run_dir)})
    return found


def effective_outcome(record: dict[str, Any]) -> str:
    """A record's outcome, `crashed` for one still `running` whose process is gone."""
    outcome = record.get("outcome", "unknown")
    return "crashed" if outcome == "running" and not alive(record) else outcome


def crashed_runs(state_dir: Path) -> list[dict[str, Any]]:
    """Records still `running` whose process is gone (not marked crashed yet)."""
    return [r for r in records(state_dir) if r.get("outcome") == "running" and not alive(r)]


def mark_crashed(state_dir: Path, current_run_id: str | None = None) -> list[dict[str, Any]]:
    """Mark every run of `state_dir` that died while `running` as crashed, here and in Prefect.

    Call while holding the run lock (no other run of this state directory is alive then).
    Returns the records marked. Prefect being unreachable only leaves the flow runs as they were.
    """
    marked = []
    for record in records(state_dir):
        if record.get("run_id") == current_run_id or record.get("outcome") != "running" or alive(record):
            continue
        message = f"parley run {record.get('run_id')} (pid {record.get('pid')}) died without finishing"
        write(Path(record["run_dir"]), outcome="crashed", message=message, ended_at=_now(), marked_by=current_run_id)
        if record.get("flow_run_id"):
            record["prefect"] = crash_flow_run(record["flow_run_id"], message)
        marked.append(record)
    return marked


def crash_flow_run(flow_run_id: str, message: str) -> str:
    """Set a flow run still Running (and its task runs still Running) to Crashed; what happened, in words."""
    try:
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
        from prefect.states import Crashed

        with get_client(sync_client=True) as client:
            flow_run = client.read_flow_run(flow_run_id)
            if flow_run.state is None or not flow_run.state.is_running():
                return f"left as {flow_run.state.name if flow_run.state else 'no state'}"
            for task_run in client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))
            ):
                if task_run.state is not None and task_run.state.is_running():
                    client.set_task_run_state(task_run.id, Crashed(message=message), force=True)
            client.set_flow_run_state(flow_run.id, Crashed(message=message), force=True)
        return "set to Crashed"
    except Exception as exc:  # the API is unreachable or forgot the run: the local record still says crashed
        log.warning("could not mark flow run %s crashed: %s", flow_run_id, exc)
        return f"not marked ({type(exc).__name__}: {exc})"


class RunLogHandler(logging.FileHandler):
    """The run's `parley.log`: every log line of the run, tracebacks included; silent when it cannot write."""

    def __init__(self, run_dir: Path):
        run_dir.mkdir(parents=True, exist_ok=True)
        super().__init__(run_dir / LOG, encoding="utf-8", delay=True)
        self.setFormatter(logging.Formatter("%(asctime)s | %(levelname)-7s | %(name)s - %(message)s"))

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        pass  # a full disk must not turn every log line into a traceback on the terminal


def _flow_run_id() -> str | None:
    try:
        from prefect.runtime import flow_run

        return str(flow_run.id) if flow_run.id else None
    except Exception:  # outside a flow run
        return None


def outcome_of(exc: BaseException, settings: Settings) -> tuple[str, int, str]:
    """(outcome, exit code, one-line message) of a run that raised `exc`."""
    from flows.orchestration.operator_faults import classify
    from flows.orchestration.steps import QualityGateFailed

    fault = classify(exc, settings)
    if fault is not None:
        return fault.kind, fault.exit_code, fault.sentence
    if isinstance(exc, QualityGateFailed):
        return "quality_gate_failed", 4, str(exc).splitlines()[0]
    return "failed", 1, f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"


@contextlib.contextmanager
def recorded_run(settings: Settings, run_id: str) -> Iterator[None]:
    """One run, recorded: `run.json` and `parley.log` in its run directory, the run lock held, runs that
    died before it marked crashed, and the operator faults it would meet raised before any work."""
    from flows.orchestration.lock import run_lock
    from flows.orchestration.operator_faults import preflight

    run_dir = settings.run_dir(run_id)
    handler: logging.Handler | None = None
    try:
        handler = RunLogHandler(run_dir)
        logging.getLogger().addHandler(handler)
    except OSError:  # no state directory to write to: the fault is reported when the lock is taken
        handler = None
    started(run_dir, run_id, _flow_run_id())
    try:
        with run_lock(settings.lock_file, settings.lock_wait_seconds):
            for record in mark_crashed(settings.state_dir, run_id):
                log.warning("marked run %s crashed (Prefect: %s)", record.get("run_id"), record.get("prefect", "-"))
            preflight(settings)
            yield
    except BaseException as exc:
        outcome, code, message = outcome_of(exc, settings)
        ended(run_dir, outcome, exit_code=code, message=message)
        with contextlib.suppress(AttributeError, TypeError):
            exc.parley_run_dir = str(run_dir)  # the CLI names the log that holds the traceback
        raise
    else:
        ended(run_dir, "completed", exit_code=0)
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            with contextlib.suppress(OSError):  # flushing to a full disk must not replace the run's own error
                handler.close()
