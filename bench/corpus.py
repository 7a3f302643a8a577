"""A deterministic corpus of N distinct, realistic articles made from the sample articles.

Article i keeps a sample article's headline and lead, a random subset of its other
paragraphs in their order, and one to three paragraphs borrowed from other samples, so
each text is news-like but its content hash differs from every other. The same
(seed, i) always gives the same article, whatever N is: a corpus of N + 1% starts with
the corpus of N.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flows.ingest.text import content_hash

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SOURCES = (SHARED / "dev.articles.jsonl", SHARED / "seed.articles.jsonl")
FILE_LINES = 1000  # articles per .jsonl file


@dataclass(frozen=True)
class Sample:
    title: str
    source: str | None
    url: str | None
    paragraphs: tuple[str, ...]


def load_samples(paths: tuple[Path, ...] = SOURCES) -> list[Sample]:
    samples = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            paragraphs = tuple(p.strip() for p in rec["text"].split("\n") if p.strip())
            title = rec.get("title") or paragraphs[0]
            samples.append(Sample(title, rec.get("source"), rec.get("url"), paragraphs))
    return samples


def _compose(samples: list[Sample], rng: random.Random) -> tuple[Sample, str]:
    base = rng.choice(samples)
    lead, rest = base.paragraphs[:2], list(base.paragraphs[2:])
    kept = [p for p in rest if rng.random() < 0.8] or rest[:1]
    for _ in range(rng.randint(1, 3)):
        other = rng.choice(samples)
        kept.insert(rng.randint(0, len(kept)), rng.choice(other.paragraphs[1:] or other.paragraphs))
    return base, "\n\n".join([*lead, *kept])


def generate(n: int, seed: int = 0, samples: list[Sample] | None = None) -> Iterator[dict]:
    """Records 0..n-1 (dicts in parley's raw JSON format), each with a distinct content hash."""
    samples = samples or load_samples()
    seen: set[str] = set()
    day0 = date(2015, 1, 1)
    for i in range(n):
        salt = 0
        while True:
            rng = random.Random(f"{seed}:{i}:{salt}")
            base, text = _compose(samples, rng)
            digest = content_hash(text)
            if digest not in seen:
                break
            salt += 1
        seen.add(digest)
        yield {
            "article_id": f"bench-{seed}-{i:07d}",
            "source": base.source,
            "url": base.url,
            "title": base.title,
            "published_at": (day0 + timedelta(days=rng.randrange(3650))).isoformat(),
            "license": "benchmark corpus recombined from parley's sample articles",
            "text": text,
        }


def write_jsonl(records: list[dict], directory: Path, prefix: str = "bench") -> list[Path]:
    """Write records as .jsonl files of FILE_LINES lines each into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(0, len(records), FILE_LINES):
        path = directory / f"{prefix}-{k // FILE_LINES:04d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for rec in records[k : k + FILE_LINES]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths
