"""Score the extraction alone (no database) against a gold corpus, with the shared scorer.

    python -m flows.evaluation.evaluate --articles ../shared/corpus/dev.articles.jsonl \
        --gold ../shared/corpus/dev.gold.jsonl [--pred-out pred.jsonl]
    python -m flows.evaluation.evaluate --plover        # the peer suite (PLOVER gold-standard sentences)

The whole-pipeline figure is `score.py --warehouse SERVING_FILE`; this is the fast loop
for working on rules. The scorer is loaded from `--scorer` (default
`../shared/eval/score.py`, env PARLEY_SCORER).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path

from flows.config import PROJECT_ROOT
from flows.evaluation.gold_format import to_gold_format
from flows.extract import extract_articles
from flows.extract.nlp import load_nlp
from flows.ingest.text import content_hash
from flows.records import Article

DEFAULT_SCORER = PROJECT_ROOT.parent / "shared" / "eval" / "score.py"


def load_scorer(path: str | os.PathLike | None = None):
    path = Path(path or os.environ.get("PARLEY_SCORER") or DEFAULT_SCORER)
    spec = importlib.util.spec_from_file_location("parley_shared_score", path)
    if spec is None or spec.loader is None or not path.exists():
        raise FileNotFoundError(f"scorer not found at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("parley_shared_score", module)
    spec.loader.exec_module(module)
    return module


def read_articles(path: Path) -> list[Article]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                out.append(
                    Article(
                        r["article_id"],
                        r.get("source"),
                        r.get("url"),
                        r.get("title"),
                        r.get("published_at"),
                        r["text"],
                        content_hash(r["text"]),
                        str(path),
                    )
                )
    return out


def predict(articles: list[Article]) -> dict[str, dict]:
    nlp = load_nlp()
    return {ex.article_id: to_gold_format(ex) for ex in extract_articles(nlp, articles)}


def evaluate(articles_path: Path, gold_path: Path, scorer=None) -> dict:
    scorer = scorer or load_scorer()
    preds = predict(read_articles(articles_path))
    return scorer.score(scorer.load_jsonl(str(gold_path)), preds)


def plover(script: Path, pred_out: Path | None) -> int:
    """Write the PLOVER sentences as articles, extract them, and run the peer scorer on the result."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        arts = Path(tmp) / "plover.articles.jsonl"
        subprocess.run([sys.executable, str(script), "articles", str(arts)], check=True, capture_output=True)
        preds = predict(read_articles(arts))
        out = pred_out or Path(tmp) / "pred.jsonl"
        with open(out, "w", encoding="utf-8") as f:
            for rec in preds.values():
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return subprocess.run([sys.executable, str(script), "score", "--pred", str(out)]).returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=Path)
    ap.add_argument("--gold", type=Path)
    ap.add_argument("--plover", action="store_true", help="score the PLOVER peer suite instead")
    ap.add_argument("--scorer")
    ap.add_argument("--pred-out", type=Path, help="also write the predictions (gold format JSONL)")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.scorer)
    if args.plover:
        return plover(Path(scorer.__file__).with_name("score_plover.py"), args.pred_out)
    if not args.articles or not args.gold:
        ap.error("--articles and --gold are required (or --plover)")
    preds = predict(read_articles(args.articles))
    if args.pred_out:
        with open(args.pred_out, "w", encoding="utf-8") as f:
            for rec in preds.values():
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    res = scorer.score(scorer.load_jsonl(str(args.gold)), preds)
    for kind in scorer.KINDS:
        r = res[kind]
        print(
            f"{kind:<14}P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
            f"sys {r['sys']:>4} gold {r['gold']:>4}"
        )
    print(
        f"speaker attribution {res['speaker_attribution_accuracy']:.3f}; "
        f"speech act {res['speech_act_accuracy']:.3f}; macro F1 {res['macro_f1']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
