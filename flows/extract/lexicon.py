"""Cue lexicons, loaded once from `flows/data/cues.json` (data, not code)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Lexicon:
    raw: dict

    def words(self, key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in self.raw[key])

    def groups(self, key: str) -> dict[str, frozenset[str]]:
        return {k: frozenset(w.lower() for w in v) for k, v in self.raw[key].items()}

    def pattern(self, phrases) -> re.Pattern[str]:
        """A case-insensitive regex matching any phrase on word boundaries (longest first)."""
        alts = sorted({re.escape(p) for p in phrases}, key=len, reverse=True)
        return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    text = resources.files("flows.data").joinpath("cues.json").read_text(encoding="utf-8")
    return Lexicon(json.loads(text))
