"""`parley docs`: the dbt docs (lineage, column descriptions) and the GX Data Docs, built and served.

Everything lands in `<state dir>/docs/`: `dbt/static_index.html` (dbt docs generate --static,
catalog read from the build database), `gx/index.html` (a copy of the Data Docs of the
validation that gated the current serving file (rendered now from its saved results when it
passed: a run renders Data Docs only when a suite fails), else of the latest run that made some)
and an `index.html` linking both. `serve_docs` serves that directory over HTTP.
"""

from __future__ import annotations

import functools
import html
import shutil
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from flows.config import Settings
from flows.orchestration.lock import run_lock
from flows.quality.validate import DATA_DOCS as GX_SITE  # inside a run directory
from flows.quality.validate import SAVED_RESULTS  # a passing run's results, unrendered
from flows.warehouse.published import last_publish


@dataclass
class DocsSite:
    root: Path
    index: Path
    dbt: Path | None  # dbt docs page (self-contained HTML)
    gx: Path | None  # GX Data Docs index
    gx_run_id: str | None  # the run whose validation the GX Data Docs show
    dbt_error: str | None = None


def gx_site_of_run(settings: Settings) -> tuple[str, Path] | None:
    """(run id, Data Docs site) of the run that published the serving file, else of the newest run with Data Docs.

    A run whose validation passed saved its results instead of rendering them
    (`validate_landing(data_docs="on_failure")`): they are rendered here, into that run's directory, once.
    """
    runs = settings.state_dir / "runs"
    marker = last_publish(settings)
    candidates = [marker.run_id] if marker else []
    if runs.is_dir():
        candidates += sorted((p.name for p in runs.iterdir()), reverse=True)
    for run_id in candidates:
        site = runs / run_id / GX_SITE
        if (site / "index.html").is_file():
            return run_id, site
        if (runs / run_id / SAVED_RESULTS).is_file():
            from flows.quality.validate import render_saved_data_docs

            index = render_saved_data_docs(runs / run_id)
            if index is not None:
                return run_id, index.parent
    return None


def _fresh_gx_site(settings: Settings, work: Path) -> Path | None:
    """Validate the build database now (no run has left Data Docs) and return its Data Docs site."""
    from flows.quality.validate import validate_landing

    report = validate_landing(settings.build_db, work)
    return report.data_docs_path.parent if report.data_docs_path else None


def _index_html(site: DocsSite, settings: Settings) -> str:
    def link(path: Path | None, text: str, missing: str) -> str:
        if path is None:
            return f"<li>{html.escape(text)}: {html.escape(missing)}</li>"
        return f'<li><a href="{path.relative_to(site.root).as_posix()}">{html.escape(text)}</a></li>'

    gx_text = f"GX Data Docs (validation of run {site.gx_run_id})" if site.gx_run_id else "GX Data Docs"
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>parley docs</title></head><body>"
        "<h1>parley docs</h1><ul>"
        + link(
            site.dbt, "dbt docs: models, lineage, column descriptions", f"dbt docs generate failed: {site.dbt_error}"
        )
        + link(site.gx, gx_text, "no Data Docs")
        + f"</ul><p>Serving warehouse: <code>{html.escape(str(settings.serving))}</code></p></body></html>"
    )


def build_docs(settings: Settings, *, lock_wait_seconds: float = 300.0) -> DocsSite:
    """Build the dbt docs and collect the GX Data Docs into `<state dir>/docs` (one run at a time)."""
    from flows.warehouse.dbt_build import run_dbt_docs

    if not settings.build_db.is_file():
        raise FileNotFoundError(f"no build database at {settings.build_db}: run `parley run` first")
    root = settings.state_dir / "docs"
    root.mkdir(parents=True, exist_ok=True)
    with run_lock(settings.lock_file, lock_wait_seconds):  # dbt opens the build database read-write
        dbt = run_dbt_docs(settings.build_db, target_dir=root / "dbt", log_dir=root / "dbt_logs", static=True)
        found = gx_site_of_run(settings)
        source = found[1] if found else _fresh_gx_site(settings, root / "gx_work")
    gx_dir = root / "gx"
    if gx_dir.exists():
        shutil.rmtree(gx_dir)
    if source is not None:
        shutil.copytree(source, gx_dir)
    site = DocsSite(
        root,
        root / "index.html",
        dbt.index_html if dbt.success else None,
        gx_dir / "index.html" if source is not None else None,
        found[0] if found else None,
        dbt.error,
    )
    site.index.write_text(_index_html(site, settings))
    return site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def serve_docs(root: Path, host: str = "127.0.0.1", port: int = 8080) -> ThreadingHTTPServer:
    """An HTTP server for `root` (call `serve_forever()`; port 0 picks a free one)."""
    return ThreadingHTTPServer((host, port), functools.partial(_QuietHandler, directory=str(root)))
