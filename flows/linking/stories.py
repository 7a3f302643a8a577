"""Near-duplicate stories: MinHash over word shingles of the article text, LSH bands as the index.

A syndicated copy under another headline, byline or boilerplate shares most of its word
shingles with the original, so its estimated Jaccard similarity is high and it takes the
original's `story_id`. Each article's LSH band keys are persisted (`landing.story_bands`):
a new article is compared only with the articles that share a band with it (a key lookup),
never with the whole warehouse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from flows.linking.text import _WORD, fold
from flows.records import StoryBand, StoryLink, stable_id

NUM_PERM = 128
THRESHOLD = 0.5  # estimated Jaccard of shingle sets at or above which two articles are one story
SHINGLE = 3  # words per shingle
SEED = 1
SCHEME = "affine32"  # datasketch 2.x hash scheme (32-bit values); fixed so stored signatures stay comparable


@dataclass(frozen=True)
class Signature:
    article_id: str
    minhash: MinHash

    def hex(self) -> str:
        return "".join(f"{int(v):08x}" for v in self.minhash.hashvalues)


def _bands() -> list[tuple[int, int]]:
    return MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges


BANDS = _bands()


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(fold(text))
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(article_id: str, text: str) -> Signature:
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    m.update_batch(sorted(shingles(text)))
    return Signature(article_id, m)


def from_hex(article_id: str, value: str) -> Signature:
    values = np.array([int(value[i : i + 8], 16) for i in range(0, len(value), 8)], dtype=np.uint32)
    return Signature(article_id, MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME))


def band_keys(sig: Signature) -> list[str]:
    """One key per LSH band: the band number and its hash values, hashed."""
    values = sig.minhash.hashvalues
    return [
        hashlib.sha1(f"{b}:".encode() + values[start:end].astype(np.uint32).tobytes()).hexdigest()[:20]
        for b, (start, end) in enumerate(BANDS)
    ]


def similarity(a: Signature, b: Signature) -> float:
    return float(a.minhash.jaccard(b.minhash))


@dataclass
class StoryCandidate:
    article_id: str
    story_id: str
    signature: Signature


def assign_story(sig: Signature, candidates: list[StoryCandidate]) -> tuple[StoryLink, list[StoryBand]]:
    """The article's story: the most similar candidate's (at or above THRESHOLD), else a new one."""
    best: tuple[float, str] | None = None
    for c in candidates:
        if c.article_id == sig.article_id:
            continue
        s = similarity(sig, c.signature)
        if s >= THRESHOLD and (best is None or (s, _neg(c.story_id)) > (best[0], _neg(best[1]))):
            best = (s, c.story_id)
    story_id, sim = (best[1], round(best[0], 4)) if best else (stable_id("story", sig.article_id), None)
    link = StoryLink(sig.article_id, story_id, sig.hex(), sim)
    return link, [StoryBand(sig.article_id, k) for k in band_keys(sig)]


def _neg(story_id: str) -> tuple[int, ...]:
    """Order key preferring the smaller story id on equal similarity."""
    return tuple(-ord(c) for c in story_id)
