#!/usr/bin/env python3
"""Write the tune and holdout halves of the styles suite from articles.jsonl, gold.jsonl and split.json.

    python3 tests/corpus/styles/split.py          # (re)write tune.* and holdout.*
    python3 tests/corpus/styles/split.py --check  # exit 1 if the written halves are stale

Standard library only. Each article must be in exactly one half, every article must have one
gold line (and the reverse), and every style (the `<style>` in `styles-<style>-<n>`) must be
split evenly between the halves.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = ("tune", "holdout")


def read_jsonl(path: Path) -> list[tuple[str, str]]:
    """(article_id, the line as written) for every non-blank line."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append((json.loads(line)["article_id"], line))
            except (ValueError, KeyError) as e:
                sys.exit(f"{path.name}:{n}: {e}")
    return out


def style(article_id: str) -> str:
    return article_id.split("-")[1]


def build() -> dict[str, str]:
    arts = read_jsonl(HERE / "articles.jsonl")
    gold = dict(read_jsonl(HERE / "gold.jsonl"))
    split = json.loads((HERE / "split.json").read_text(encoding="utf-8"))
    ids = [a for a, _ in arts]
    problems = []
    if len(set(ids)) != len(ids):
        problems.append("duplicate article_id in articles.jsonl")
    if set(ids) != set(gold):
        problems.append(
            f"articles without gold: {sorted(set(ids) - set(gold))}; "
            f"gold without article: {sorted(set(gold) - set(ids))}"
        )
    listed = [a for p in PARTS for a in split.get(p, [])]
    if sorted(listed) != sorted(ids):
        problems.append(
            f"split.json must list every article exactly once "
            f"(missing {sorted(set(ids) - set(listed))}, unknown {sorted(set(listed) - set(ids))})"
        )
    per = {p: Counter(style(a) for a in split.get(p, [])) for p in PARTS}
    for s in sorted(set(per["tune"]) | set(per["holdout"])):
        if abs(per["tune"][s] - per["holdout"][s]) > 1:
            problems.append(f"style {s!r} is not split evenly: {per['tune'][s]} tune, {per['holdout'][s]} holdout")
    if problems:
        sys.exit("split.py: " + "\n  ".join(problems))
    out = {}
    for p in PARTS:
        keep = set(split[p])
        out[f"{p}.articles.jsonl"] = "".join(line + "\n" for a, line in arts if a in keep)
        out[f"{p}.gold.jsonl"] = "".join(gold[a] + "\n" for a in ids if a in keep)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check that the halves on disk are up to date")
    args = ap.parse_args(argv)
    files = build()
    if args.check:
        stale = [
            n for n, text in files.items() if not (HERE / n).exists() or (HERE / n).read_text(encoding="utf-8") != text
        ]
        if stale:
            print("stale:", ", ".join(stale), "- run split.py")
            return 1
        print("split files up to date")
        return 0
    for name, text in files.items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {name} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
