"""`parley` command line: run, extract, serve, docs, dashboard."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
from pathlib import Path

# No internet at run time, and quiet, predictable tools: set before prefect/dbt/GX import.
QUIET_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "60",
    "TOKENIZERS_PARALLELISM": "false",
}

EXIT_REJECTED = 3  # --strict and some input was rejected
EXIT_QUALITY = 4  # dbt tests or GX suites failed, nothing published
EXIT_LOCKED = 75  # another run holds the lock (EX_TEMPFAIL)


def _setup_env() -> None:
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


def _add_location_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--raw-dir", help="directory of article files (env PARLEY_RAW_DIR, default raw/)")
    p.add_argument("--serving", help="published warehouse file (env PARLEY_SERVING, default warehouse/parley.duckdb)")
    p.add_argument(
        "--state-dir",
        help="build database, logs, Data Docs (env PARLEY_STATE_DIR, default .parley/ beside the serving file)",
    )
    p.add_argument(
        "--workers",
        type=int,
        help="worker processes that parse and extract new articles (env PARLEY_WORKERS, default 2)",
    )


def _settings(args: argparse.Namespace):
    from flows.config import Settings

    return Settings.resolve(
        args.raw_dir,
        args.serving,
        args.state_dir,
        workers=args.workers,
        strict=getattr(args, "strict", False),
        lock_wait_seconds=getattr(args, "wait", 0.0) or 0.0,
    )


def _load_model() -> None:
    from flows.extract.nlp import load_nlp

    load_nlp()


def _run_flow(args: argparse.Namespace, settings):
    """The Prefect flow, its API server starting (flows.orchestration.prefect_api) and, when the run extracts
    here, the spaCy model loading while Prefect is imported."""
    from flows.orchestration.prefect_api import early_server, use_server

    dask = args.dask or os.environ.get("PARLEY_DASK") or None
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    server = early_server(settings.state_dir / "prefect-server.log")
    if dask is None:  # imported and loaded in a thread: `flows.extract.nlp.load_nlp` is thread-safe
        threading.Thread(target=_load_model, name="parley-load-model", daemon=True).start()
    from flows.pipeline import run as run_pipeline

    _quiet_tracebacks(args)
    with use_server(server):
        return run_pipeline(settings, dask=dask)


def cmd_run(args: argparse.Namespace) -> int:
    from flows.orchestration.fast_path import nothing_new
    from flows.orchestration.operator_faults import preflight
    from flows.orchestration.run_records import crashed_runs
    from flows.orchestration.steps import QualityGateFailed

    settings = _settings(args)
    preflight(settings)  # the operator faults a run would meet (no raw dir, a damaged file): main() names them
    # decided before Prefect is imported or its server started (unless a crashed run waits to be marked)
    summary = None if crashed_runs(settings.state_dir) else nothing_new(settings)
    if summary is not None:
        print(summary.render())
    try:
        if summary is None:
            summary = _run_flow(args, settings)
    except QualityGateFailed as e:
        print(f"parley: {e}", file=sys.stderr)
        return EXIT_QUALITY
    if settings.strict and summary.rejected:
        print(f"parley: --strict: {summary.rejected} input(s) rejected", file=sys.stderr)
        return EXIT_REJECTED
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one file's extraction as JSON (no database)."""
    from flows.evaluation.gold_format import to_gold_format
    from flows.extract import extract_articles
    from flows.extract.nlp import load_nlp
    from flows.ingest.raw_dir import iter_raw_files, read_raw_file

    path = Path(args.file).resolve()
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    entry = next(rf for rf in iter_raw_files(path.parent) if rf.path.resolve() == path)
    result = read_raw_file(entry, path.parent)
    for r in result.rejected:
        print(f"rejected: {r.file}{f':{r.line}' if r.line else ''} [{r.reason}] {r.detail}", file=sys.stderr)
    nlp = load_nlp()
    for ex in extract_articles(nlp, result.articles):
        rec = to_gold_format(ex) if args.gold_format else ex.to_dict()
        print(json.dumps(rec, ensure_ascii=False, indent=None if args.gold_format else 2))
    return 1 if result.rejected and not result.articles else 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Serve the positions dashboard (Streamlit) over the serving file, read-only."""
    from flows.config import Settings
    from flows.dashboard.launch import run_dashboard

    return run_dashboard(Settings.resolve(serving=args.serving).serving, host=args.host, port=args.port)


def cmd_serve(args: argparse.Namespace) -> int:
    """Register the scheduled deployment with the Prefect server and run its flow runs until Ctrl-C."""
    from flows.orchestration.serve import Schedule, ServerUnavailable, serve

    settings = _settings(args)
    if not settings.raw_dir.is_dir():
        print(f"error: raw directory {settings.raw_dir} does not exist", file=sys.stderr)
        return 2
    try:
        serve(settings, Schedule(args.cron, args.interval), name=args.name, wait_seconds=args.wait)
    except ServerUnavailable as e:
        print(f"parley serve: {e}", file=sys.stderr)
        return 2
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """Build the dbt docs and the GX Data Docs; serve them on localhost unless --no-serve."""
    from flows.orchestration.lock import RunLocked
    from flows.quality.docs import build_docs, serve_docs

    settings = _settings(args)
    try:
        site = build_docs(settings, lock_wait_seconds=args.wait)
    except (FileNotFoundError, RunLocked) as e:
        print(f"parley docs: {e}", file=sys.stderr)
        return EXIT_LOCKED if isinstance(e, RunLocked) else 2
    for label, path in (("dbt docs", site.dbt), ("GX Data Docs", site.gx), ("index", site.index)):
        print(f"{label}: {path or 'not built'}")
    if site.dbt is None:
        print(f"parley docs: dbt docs generate failed: {site.dbt_error}", file=sys.stderr)
    if args.no_serve:
        return 0 if site.dbt and site.gx else 1
    server = serve_docs(site.root, args.host, args.port)
    host, port = server.server_address[:2]
    print(f"serving {site.root} on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Move a damaged build database aside, restore it from the landing snapshot, check, publish."""
    from flows.orchestration.rebuild import rebuild
    from flows.orchestration.steps import QualityGateFailed

    settings = _settings(args)
    try:
        result = rebuild(settings, force=args.force)
    except QualityGateFailed as e:
        print(f"parley rebuild: {e}", file=sys.stderr)
        return EXIT_QUALITY
    print(result.render())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """What is published, the last run, whether the files open, the lock, free disk (read-only)."""
    from flows.orchestration.status import exit_code, render, status, to_json

    report = status(_settings(args))
    print(to_json(report) if args.json else render(report))
    return exit_code(report)


_EXIT_CODE: list[int] = []  # the code `parley run` returned, for _exit_without_teardown


def _exit_without_teardown() -> None:
    """The last exit handler of the `parley run` command: once every other handler has run (Prefect's log
    and event workers drained, the early API server stopped, worker processes joined), the process ends
    without tearing down its modules and objects one by one (spaCy's model, dbt's manifest, GX: about a
    second). Nothing is left to write by then: the run's files are closed, its outputs are renamed into place."""
    if not _EXIT_CODE:
        return  # the run ended with an uncaught exception: Python's usual exit
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(_EXIT_CODE[0])


def main(argv: list[str] | None = None) -> int:
    command = argv is None and sys.argv[1:2] == ["run"]  # the `parley run` process, not a caller of main()
    if command:
        import atexit

        atexit.register(_exit_without_teardown)  # first registered, so it runs after every other handler
    _setup_env()
    ap = argparse.ArgumentParser(prog="parley", description="Build the positions warehouse from news articles.")
    sub = ap.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest raw/, extract, load, dbt build, validate, publish")
    _add_location_args(run)
    run.add_argument("--strict", action="store_true", help="exit non-zero when any input was rejected")
    run.add_argument(
        "--wait", type=float, default=0.0, help="seconds to wait for another run's lock before giving up (default 0)"
    )
    run.add_argument("--debug", action="store_true", help="print the traceback of an operator fault on the terminal")
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' "
        "to start a local cluster of --workers processes (env PARLEY_DASK)",
    )
    run.set_defaults(func=cmd_run)

    ex = sub.add_parser("extract", help="print one article file's extraction as JSON (no database)")
    ex.add_argument("file")
    ex.add_argument(
        "--gold-format",
        action="store_true",
        help="one JSON line per article in the annotation guide's format (for score.py --pred)",
    )
    ex.set_defaults(func=cmd_extract)

    dash = sub.add_parser("dashboard", help="serve the positions dashboard over the serving file (read-only)")
    dash.add_argument("--serving", help="warehouse file to read (env PARLEY_SERVING, default warehouse/parley.duckdb)")
    dash.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    dash.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    dash.set_defaults(func=cmd_dashboard)

    srv = sub.add_parser("serve", help="run the pipeline on a schedule through a Prefect server (PREFECT_API_URL)")
    _add_location_args(srv)
    when = srv.add_mutually_exclusive_group()
    when.add_argument("--cron", help='cron schedule, e.g. "*/15 * * * *" (UTC)')
    when.add_argument("--interval", type=float, help="seconds between runs")
    srv.add_argument("--name", default="parley", help="deployment name (default parley)")
    srv.add_argument(
        "--wait", type=float, default=300.0, help="seconds a scheduled run waits for another run's lock (default 300)"
    )
    srv.set_defaults(func=cmd_serve)

    docs = sub.add_parser("docs", help="build the dbt docs and GX Data Docs and serve them on localhost")
    _add_location_args(docs)
    docs.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    docs.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080, 0: any free)")
    docs.add_argument("--no-serve", action="store_true", help="only build, print the paths")
    docs.add_argument("--wait", type=float, default=300.0, help="seconds to wait for a running pipeline (default 300)")
    docs.set_defaults(func=cmd_docs)

    reb = sub.add_parser("rebuild", help="repair a damaged build database or serving file (landing snapshot)")
    _add_location_args(reb)
    reb.add_argument("--force", action="store_true", help="restore the build database from the snapshot anyway")
    reb.add_argument("--wait", type=float, default=0.0, help="seconds to wait for a running pipeline (default 0)")
    reb.add_argument("--debug", action="store_true", help="print the traceback of an operator fault on the terminal")
    reb.set_defaults(func=cmd_rebuild)

    st = sub.add_parser("status", help="what is published, the last run, the files, the lock, free disk")
    _add_location_args(st)
    st.add_argument("--json", action="store_true", help="print the report as JSON")
    st.set_defaults(func=cmd_status)

    args = ap.parse_args(argv)
    code = _run_command(args)
    if command:
        _EXIT_CODE.append(code)
    return code


def _quiet_tracebacks(args: argparse.Namespace) -> None:
    """Without --debug, Prefect's console shows an operator fault's one line, not its traceback."""
    if not getattr(args, "debug", False):
        import logging

        import prefect  # noqa: F401 (configures Prefect's logging, whose console handler gets the quiet formatter)

        logging.raiseExceptions = False  # a log file on a full disk: no "--- Logging error ---" per line

        from flows.orchestration.operator_faults import quiet_console_tracebacks

        quiet_console_tracebacks()


def _run_command(args: argparse.Namespace) -> int:
    """Run the subcommand; an operator fault ends it with its one sentence and exit code (flows.orchestration.
    operator_faults). Its traceback goes to the run's parley.log, and to the terminal with --debug."""
    import traceback

    from flows.orchestration.operator_faults import classify

    try:
        return args.func(args)
    except Exception as exc:
        try:
            settings = _settings(args) if hasattr(args, "state_dir") else None
        except Exception:
            settings = None
        fault = classify(exc, settings)
        if fault is None:
            raise
        text = "".join(traceback.format_exception(exc))
        log = _log_traceback(getattr(exc, "parley_run_dir", None), text)
        print(f"parley: {fault.sentence}", file=sys.stderr)
        if getattr(args, "debug", False):
            print(text, file=sys.stderr)
        elif log is not None:
            print(f"parley: traceback in {log} (--debug prints it here)", file=sys.stderr)
        return fault.exit_code


def _log_traceback(run_dir: str | None, text: str) -> Path | None:
    """Append `text` to the run's parley.log; None when there is no run directory or it cannot be written."""
    if run_dir is None:
        return None
    log = Path(run_dir) / "parley.log"
    try:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:
        return None
    return log


if __name__ == "__main__":
    sys.exit(main())
