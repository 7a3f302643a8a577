"""The benchmark's measured programs, one per subcommand; each runs in its own process (see bench.run).

    python -m bench.tasks parse   --raw DIR --workers 2 --out FILE   # (a) bare spaCy nlp.pipe
    python -m bench.tasks extract --raw DIR --workers 2 --out FILE   # (b) parley's extraction step
    python -m bench.tasks profile --raw DIR --limit 200 --out FILE   # one process: parse vs rules, rule hotspots
    python -m bench.tasks replicate --source DB --build-db DB --statements 1000000 --out FILE
    python -m bench.tasks dbt --build-db DB --out FILE                # (f) dbt build

Each writes a JSON object to --out: `seconds` is the measured section only (after the
articles are read and, for `parse`, the model loaded), so interpreter start-up is excluded.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import pstats
import time
from pathlib import Path

import duckdb

from flows.records import LANDING_TABLES

REPLICATED_ID_COLUMNS = (
    "article_id",
    "mention_id",
    "statement_id",
    "demand_id",
    "offer_id",
    "response_id",
    "negotiation_id",
)


def _articles(raw: Path, limit: int | None = None):
    from flows.ingest.raw_dir import read_raw_dir

    articles = read_raw_dir(raw).articles
    return articles[:limit] if limit else articles


def parse(args: argparse.Namespace) -> dict:
    """(a) The bare spaCy pipeline parley uses: same components, same process count, docs consumed."""
    from flows.extract.nlp import load_nlp

    texts = [a.text for a in _articles(args.raw)]
    nlp = load_nlp()
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, n_process=args.workers, batch_size=args.batch_size))
    return {"seconds": time.perf_counter() - started, "articles": len(texts), "tokens": tokens}


def extract(args: argparse.Namespace) -> dict:
    """(b) parley's extraction step as the pipeline runs it (`flows.orchestration.steps.extract`)."""
    from flows.orchestration.steps import extract as extract_step

    articles = _articles(args.raw)
    started = time.perf_counter()
    extractions = extract_step(articles, args.workers, args.batch_size)
    seconds = time.perf_counter() - started
    records = {k: sum(e.counts()[k] for e in extractions) for k in extractions[0].counts()} if extractions else {}
    return {"seconds": seconds, "articles": len(extractions), "records": records}


def profile(args: argparse.Namespace) -> dict:
    """One process: parse time against rule time per article, and the rules' hotspots (cumulative seconds)."""
    from flows.extract import extract_doc
    from flows.extract.nlp import load_nlp

    articles = _articles(args.raw, args.limit)
    nlp = load_nlp()
    started = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=args.batch_size))
    parse_s = time.perf_counter() - started
    started = time.perf_counter()
    for a, doc in zip(articles, docs, strict=True):
        extract_doc(a.article_id, a.text, doc)
    rules_s = time.perf_counter() - started
    profiler = cProfile.Profile()
    profiler.enable()
    for a, doc in zip(articles, docs, strict=True):
        extract_doc(a.article_id, a.text, doc)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in stats.values())
    scale = rules_s / total if total else 1.0  # profiled seconds -> unprofiled seconds
    hot = sorted(
        (
            (f"{Path(file).name}:{line}:{name}", ct * scale)
            for (file, line, name), (_, _, _, ct, _) in stats.items()
            if "/flows/extract/" in file
        ),
        key=lambda kv: -kv[1],
    )
    return {
        "articles": len(articles),
        "parse_s": parse_s,
        "rules_s": rules_s,
        "rules_per_parse": rules_s / parse_s if parse_s else None,
        "hotspots_cumulative_s": dict(hot[: args.top]),
    }


def replicate(args: argparse.Namespace) -> dict:
    """A build database whose landing tables hold the source's rows copied k times under new ids.

    k is chosen so the statements reach `--statements`; every copy keeps real extracted rows,
    so all dbt tests and contracts see realistic data. Bulk SQL only (insert ... select from range(k)).
    """
    source, target = Path(args.source), Path(args.build_db)
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    started = time.perf_counter()
    try:
        con.execute(f"attach '{source}' as src (read_only)")
        (n_statements,) = con.execute("select count(*) from src.landing.statements").fetchone()
        copies = max(1, math.ceil(args.statements / max(1, n_statements)))
        con.execute("create schema landing")
        for table in (*LANDING_TABLES, "batches"):
            con.execute(f"create table landing.{table} as select * from src.landing.{table} limit 0")
        con.execute(f"create table copies as select range as k from range({copies})")
        for table in LANDING_TABLES:
            if table == "rejected_inputs":
                con.execute("insert into landing.rejected_inputs select * from src.landing.rejected_inputs")
                continue
            cols = [r[0] for r in con.execute(f"describe src.landing.{table}").fetchall()]
            renamed = {c: f"{c} || '~' || k::varchar" for c in cols if c in REPLICATED_ID_COLUMNS}
            if table == "articles":
                renamed["content_hash"] = "sha256(content_hash || k::varchar)"
            select = ", ".join(f"{renamed[c]} as {c}" if c in renamed else c for c in cols)
            con.execute(f"insert into landing.{table} select {select} from src.landing.{table}, copies")
        con.execute(
            "insert into landing.batches select 'bench-replicated', now()::timestamp, "
            "(select count(*) from landing.articles), 0"
        )
        counts = {t: con.execute(f"select count(*) from landing.{t}").fetchone()[0] for t in LANDING_TABLES}
    finally:
        con.close()
    return {"seconds": time.perf_counter() - started, "copies": copies, "rows": counts}


def dbt(args: argparse.Namespace) -> dict:
    """(f) `dbt build` of the parley project over a build database, as the pipeline runs it."""
    from flows.warehouse.dbt_build import run_dbt_build

    build_db = Path(args.build_db)
    started = time.perf_counter()
    result = run_dbt_build(build_db, target_dir=build_db.parent / "dbt_target", quiet=True)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "dbt_elapsed_s": result.elapsed_s,
        "success": result.success,
        "summary": result.summary_lines()[-1],
        "failures": result.failure_lines()[:10],
    }


COMMANDS = {"parse": parse, "extract": extract, "profile": profile, "replicate": replicate, "dbt": dbt}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.tasks")
    ap.add_argument("command", choices=sorted(COMMANDS))
    ap.add_argument("--raw", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--source")
    ap.add_argument("--build-db")
    ap.add_argument("--statements", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    result = COMMANDS[args.command](args)
    args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
