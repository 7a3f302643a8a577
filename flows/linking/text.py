"""Text normalisation for linking: key terms of a record's text, places it names, actor ids."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter
from importlib import resources

from flows.linking.lexicon import load_link_lexicon

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2010": "-"})


def fold(text: str | None) -> str:
    """Lower case, no accents, straight quotes and hyphens."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def lemma(word: str) -> str:
    """A light, deterministic lemma: plural and possessive endings off ("programs" -> "program")."""
    word = word.removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def key_terms(text: str | None, drop: frozenset[str] = frozenset()) -> list[str]:
    """The distinct content terms of a text, in order: lemmas without stopwords, generic words or `drop`."""
    lex = load_link_lexicon()
    out: dict[str, None] = {}
    for w in _WORD.findall(fold(text).replace("'s ", " ")):
        if w in lex.stopwords or w in lex.generic_terms or len(w) < 3 and not w.isdigit():
            continue
        t = lemma(w)
        t = lex.term_synonyms.get(t, t)
        if t not in drop and t not in lex.stopwords:
            out[t] = None
    return list(out)


def jaccard(a: set[str] | list[str], b: set[str] | list[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a and b else 0.0


def containment(a: set[str] | list[str], b: set[str] | list[str]) -> float:
    """Share of the smaller set found in the other (0 when either is empty)."""
    a, b = set(a), set(b)
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def actor_id(name: str | None) -> str | None:
    """The warehouse-wide actor key, as the dbt macro `actor_id` computes it: md5 of the trimmed lower name."""
    if name is None:
        return None
    return hashlib.md5(name.strip().lower().encode("utf-8")).hexdigest()


class PlaceFinder:
    """Finds the states and conflict areas a text names (state names, aliases, demonyms; region places).

    Matching is case-sensitive on capitalised forms, so "turkey" or "us" name nothing. States listed
    under a region count as that region ("Palestinian" -> the Israel–Palestine area).
    """

    def __init__(self, gazetteer_states: list[dict]):
        lex = load_link_lexicon()
        surface: dict[str, str] = {}
        region_of_state = {s: r.name for r in lex.regions for s in r.states}
        for st in gazetteer_states:
            anchor = region_of_state.get(st["name"], st["name"])
            for form in [st["name"], *st.get("aliases", []), *st.get("demonyms", [])]:
                if form and form[0].isupper():
                    surface[form] = anchor
        for r in lex.regions:
            for place in r.places:
                surface[place] = r.name
        self.regions = frozenset(r.name for r in lex.regions)
        alts = sorted((re.escape(s) for s in surface), key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")
        self._surface = surface

    def places(self, text: str | None) -> list[str]:
        """The anchors named in the text, in order of first mention (distinct)."""
        if not text:
            return []
        found: dict[str, None] = {}
        for m in self._pattern.finditer(text.translate(_QUOTES)):
            found[self._surface[m.group(0)]] = None
        return list(found)

    def counts(self, text: str | None) -> Counter[str]:
        out: Counter[str] = Counter()
        for m in self._pattern.finditer((text or "").translate(_QUOTES)):
            out[self._surface[m.group(0)]] += 1
        return out


@functools.lru_cache(maxsize=1)
def place_finder() -> PlaceFinder:
    data = json.loads(resources.files("flows.data").joinpath("gazetteer.json").read_text(encoding="utf-8"))
    return PlaceFinder(data["states"])
