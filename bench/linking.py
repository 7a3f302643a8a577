"""Linking benchmark: 1,000 new records linked against a warehouse of 1,000,000 synthetic records.

    .venv/bin/python -m bench.linking [--records 1000000] [--new 1000] [--seed 0] [--db PATH]

Builds a build database whose landing link tables hold `--records` record links (10 per
article, so records/10 articles with their story signatures and LSH bands, the issues of
200 anchors x 14 categories and one negotiation track per 20 records), then times
`flows.linking.link.link_batch` for `--new` new records (100 articles x 10 records, constructed,
no spaCy) and the write of its links in one transaction. Prints the figures and writes
bench/out/linking-<records>/results.json. Target (issue 11): link <= 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from flows.linking import stories
from flows.linking.issues import issue_key
from flows.linking.lexicon import CATEGORIES
from flows.linking.link import link_batch
from flows.linking.text import actor_id
from flows.records import Article, Demand, Extraction, Negotiation, Offer, Response, stable_id
from flows.warehouse.load import connect

STATES = [
    "Russia", "Ukraine", "Iran", "Israel", "Sudan", "China", "Venezuela", "Armenia", "Azerbaijan", "Syria",
    "United States", "France", "Germany", "Turkey", "Egypt", "Qatar", "India", "Pakistan", "Ethiopia", "Yemen",
]  # fmt: skip
VERBS = ["withdraw troops", "release hostages", "lift sanctions", "stop enrichment", "allow aid", "hold elections"]


def _words(rng: np.random.Generator, n: int) -> list[str]:
    vocab = [f"w{i}" for i in range(5000)]
    return [vocab[i] for i in rng.integers(0, len(vocab), n)]


def build_warehouse(db: Path, n_records: int, seed: int) -> dict:
    """Landing link tables with n_records synthetic record links (bulk Arrow inserts)."""
    rng = np.random.default_rng(seed)
    con = connect(db)
    n_articles = n_records // 10
    anchors = [f"anchor-{i}" for i in range(180)] + STATES
    keys = [issue_key(a, c) for a in anchors for c in CATEGORIES]
    issue_ids = [stable_id("issue", k, "seed") for k in keys]
    con.register(
        "t",
        pa.table(
            {
                "issue_id": issue_ids,
                "issue_key": keys,
                "issue_label": keys,
                "issue_category": [k.split("|")[1] for k in keys],
                "anchor": [k.split("|")[0] for k in keys],
                "founding_kind": ["demand"] * len(keys),
                "founding_record_id": ["seed"] * len(keys),
                "article_id": ["seed"] * len(keys),
                "key_terms": [["seed"]] * len(keys),
            }
        ),
    )
    con.execute("insert into landing.issues by name select * from t")
    con.unregister("t")
    art_ids = np.array([f"hist-{i:07d}" for i in range(n_articles)])
    rec_article = np.repeat(art_ids, 10)
    rec_issue = np.array(issue_ids)[rng.integers(0, len(issue_ids), n_records)]
    actors = np.array([actor_id(s) for s in STATES] + [actor_id(f"actor {i}") for i in range(5000)])
    rec_actor = actors[rng.integers(0, len(actors), n_records)]
    kinds = np.array(["demand", "offer", "response", "negotiation"])[rng.integers(0, 4, n_records)]
    terms = np.array([f"t{i}" for i in range(20000)])
    term_idx = rng.integers(0, len(terms), (n_records, 4))
    n_tracks = n_records // 20
    track_ids = np.array([f"track-{i:07d}" for i in range(n_tracks)])
    rec_track = np.where(kinds == "negotiation", track_ids[rng.integers(0, n_tracks, n_records)], None)
    chunk = 200_000
    for start in range(0, n_records, chunk):
        sl = slice(start, start + chunk)
        n = len(rec_article[sl])
        con.register(
            "t",
            pa.table(
                {
                    "article_id": rec_article[sl],
                    "record_kind": kinds[sl],
                    "record_id": [f"rec-{i:08d}" for i in range(start, start + n)],
                    "issue_id": rec_issue[sl],
                    "actor_ids": pa.array([[a] for a in rec_actor[sl]], pa.list_(pa.string())),
                    "published_at": ["2024-06-01"] * n,
                    "key_terms": pa.array(terms[term_idx[sl]].tolist(), pa.list_(pa.string())),
                    "negotiation_track_id": pa.array(rec_track[sl], pa.string()),
                }
            ),
        )
        con.execute("insert into landing.record_links by name select * from t")
        con.unregister("t")
    con.register(
        "t",
        pa.table(
            {
                "negotiation_track_id": track_ids,
                "issue_id": np.array(issue_ids)[rng.integers(0, len(issue_ids), n_tracks)],
                "track_name": ["talks"] * n_tracks,
                "name_terms": pa.array(
                    terms[rng.integers(0, len(terms), (n_tracks, 3))].tolist(), pa.list_(pa.string())
                ),
                "party_actor_ids": pa.array([[a] for a in actors[rng.integers(0, len(actors), n_tracks)]]),
                "is_event": [False] * n_tracks,
                "founding_record_id": track_ids,
                "article_id": ["seed"] * n_tracks,
                "founding_published_at": ["2024-06-01"] * n_tracks,
            }
        ),
    )
    con.execute("insert into landing.negotiation_tracks by name select * from t")
    con.unregister("t")
    # stories: one random signature per article, its LSH bands (the index probed by band key)
    sig = rng.integers(0, 2**32, (n_articles, stories.NUM_PERM), dtype=np.uint64).astype(np.uint32)
    hexes = ["".join(f"{v:08x}" for v in row) for row in sig[: min(n_articles, 2000)]]
    hexes = (hexes * (n_articles // len(hexes) + 1))[:n_articles]
    con.register("t", pa.table({"article_id": art_ids, "story_id": art_ids, "signature": hexes}))
    con.execute("insert into landing.story_links by name select * from t")
    con.unregister("t")
    band_rows_a, band_rows_k = [], []
    for b, (lo, hi) in enumerate(stories.BANDS):
        h = np.bitwise_xor.reduce(sig[:, lo:hi].astype(np.uint64) * np.uint64(2654435761 + b), axis=1)
        band_rows_a.append(art_ids)
        band_rows_k.append(np.char.add(f"{b}:", h.astype(str)))
    con.register("t", pa.table({"article_id": np.concatenate(band_rows_a), "band_key": np.concatenate(band_rows_k)}))
    con.execute("insert into landing.story_bands by name select * from t")
    con.unregister("t")
    counts = {
        t: con.execute(f"select count(*) from landing.{t}").fetchone()[0]
        for t in ("record_links", "issues", "negotiation_tracks", "story_links", "story_bands")
    }
    con.close()
    return counts


def new_batch(n_records: int, seed: int) -> tuple[list[Article], list[Extraction]]:
    """n_records/10 new articles of 10 records each (4 demands, 2 offers, 2 responses, 2 negotiations)."""
    rng = random.Random(seed)
    arts, exs = [], []
    for i in range(n_records // 10):
        aid = f"new-{i:05d}"
        a, b = rng.sample(STATES, 2)
        text = " ".join(f"{a} urged {b} to {rng.choice(VERBS)} in round {j} of article {i}." for j in range(30))
        arts.append(Article(aid, "bench", None, f"{a} and {b}", "2025-01-01", text, stable_id(text), "bench.jsonl"))

        def ev(s: str) -> dict:
            return {"evidence_text": s, "evidence_start": 0, "evidence_end": len(s)}

        v = rng.choice(VERBS)
        dem = [Demand(aid, f"{aid}-d{j}", a, b, f"{b} must {v} {j}", None, None, "must", **ev(v)) for j in range(4)]
        off = [Offer(aid, f"{aid}-o{j}", b, a, f"talks on {v}", "offered", **ev(v)) for j in range(2)]
        res = [Response(aid, f"{aid}-r{j}", b, "reject", a, f"the demand to {v}", "no", **ev(v)) for j in range(2)]
        neg = [
            Negotiation(
                aid, f"{aid}-n{j}", f"{a}-{b} talks on {v}", [a, b], None, "Geneva", "ongoing", [], "talks", **ev(v)
            )
            for j in range(2)
        ]
        exs.append(Extraction(aid, demands=dem, offers=off, responses=res, negotiations=neg))
    return arts, exs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--new", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--db", type=Path, default=None, help="build database to create (default: a temporary file)")
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="parley-bench-linking-")
    db = args.db or Path(tmp) / "build.duckdb"
    t0 = time.perf_counter()
    counts = build_warehouse(db, args.records, args.seed)
    setup_s = time.perf_counter() - t0
    arts, exs = new_batch(args.new, args.seed)
    con = connect(db)
    cpu0, t1 = time.process_time(), time.perf_counter()
    links = link_batch(con, arts, exs)
    link_s, link_cpu = time.perf_counter() - t1, time.process_time() - cpu0
    t2 = time.perf_counter()
    con.execute("begin transaction")
    links.write(con)
    con.execute("commit")
    write_s = time.perf_counter() - t2
    con.close()
    result = {
        "warehouse": counts,
        "new_records": len(links.record_links),
        "new_articles": len(arts),
        "setup_s": round(setup_s, 1),
        "link_s": round(link_s, 2),
        "link_cpu_s": round(link_cpu, 2),
        "write_s": round(write_s, 2),
        "candidate_rows_read": links.lookups,
        "new_issues": len(links.issues),
        "new_tracks": len(links.negotiation_tracks),
        "answers_linked": sum(r.answers_id is not None for r in links.record_links),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    out = Path(__file__).resolve().parent / "out" / f"linking-{args.records}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"linking {result['new_records']:,} new records against {counts['record_links']:,}: "
          f"{link_s:.2f} s wall ({link_cpu:.2f} s CPU), write {write_s:.2f} s  (target <= 10 s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
